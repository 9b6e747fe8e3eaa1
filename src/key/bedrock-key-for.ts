import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BedrockKey, IBedrockKey } from './bedrock-key';

/**
 * The key a construct encrypts with: a new {@link BedrockKey} when the user gave none, or the
 * user's key wrapped so that statements its policy cannot take are reported, never dropped.
 * Internal: not exported from the package.
 */
export function bedrockKeyFor(scope: Construct, encryptionKey: kms.IKey | undefined, id = 'EncryptionKey'): IBedrockKey {
  return encryptionKey ? BedrockKey.fromKey(scope, id, encryptionKey) : new BedrockKey(scope, id);
}
