import * as iam from 'aws-cdk-lib/aws-iam';
import { AgentCoreMemoryEncryptionStatements } from './agentcore-memory';
import { PolicyScope } from './scope';

/**
 * Statements for Amazon Bedrock AgentCore harnesses whose managed memory is encrypted with a
 * customer managed key (`memory.managedMemoryConfiguration.encryptionKeyArn`).
 *
 * No AWS page documents the key use of a harness. A harness creates and manages an AgentCore
 * Memory in the account; the library gives the principal that creates the harness the key use
 * AWS documents for the principal that sets up a memory ("Encrypt your Amazon Bedrock AgentCore
 * Memory"), only through AgentCore, and a principal that uses harnesses the same without
 * `kms:CreateGrant`.
 */
export class AgentCoreHarnessEncryptionStatements {
  /** Identity statement for the principal that creates harnesses with managed memory encrypted with `keyArn`. */
  // Not documented by AWS for harnesses; follows https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/storage-encryption.html.
  public static creatorIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.creatorIdentity(scope, keyArn);
  }

  /** The same permissions as {@link creatorIdentity}, as a key-policy statement naming `creator` (for CloudFormation, the deployment role). */
  // Not documented by AWS for harnesses; follows storage-encryption.html with the principal named.
  public static creatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.creatorKeyUse(scope, creator);
  }

  /** Key-policy statement for a principal that uses harnesses but does not create them: {@link creatorKeyUse} without `kms:CreateGrant`. */
  // Not documented by AWS for harnesses; follows storage-encryption.html with the principal named, kms:CreateGrant left out.
  public static userKeyUse(scope: PolicyScope, user: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.userKeyUse(scope, user);
  }

  private constructor() {}
}
