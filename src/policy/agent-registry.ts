import * as iam from 'aws-cdk-lib/aws-iam';
import { viaService } from './conditions';
import { PolicyScope } from './scope';

/** What a principal that creates or uses an encrypted registry does with the key: the page's actions. */
const REGISTRY_ACTIONS = [
  'kms:DescribeKey', 'kms:CreateGrant', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKey',
  'kms:Encrypt', 'kms:ReEncrypt*', 'kms:Decrypt',
];

/**
 * Statements for AWS Agent Registry registries encrypted with a customer managed key
 * (`CreateRegistry` with `encryptionConfiguration.kmsKeyArn`).
 *
 * AWS documents one statement, for the principal that calls `CreateRegistry` and for every
 * principal that interacts with the encrypted registry: the key's describe, grant, data-key,
 * encrypt, re-encrypt and decrypt actions, only through AWS Agent Registry (`kms:ViaService`), with
 * no other condition. Its `kms:CreateGrant` carries no `kms:GrantIsForAWSResource`: the page does
 * not write it, and nothing shows that the registry's grant requests carry it.
 */
export class AgentRegistryEncryptionStatements {
  /** Identity statement for a principal that creates or uses registries encrypted with `keyArn`: only through AWS Agent Registry. */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Set customer managed key policy" (AWS Agent Registry),
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/registry-kms-key-policy.html, "AllowRegistryCMKAccess", as written.
  public static callerIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: REGISTRY_ACTIONS, resources: [keyArn], conditions: viaService(scope, 'agent-registry') })];
  }

  /**
   * The same permissions as {@link callerIdentity}, as a key-policy statement naming `caller` (for
   * CloudFormation, the deployment role), for keys whose policy does not delegate to IAM.
   */
  // Source: registry-kms-key-policy.html, "AllowRegistryCMKAccess" with the principal named and "Resource": "*".
  public static callerKeyUse(scope: PolicyScope, caller: iam.IPrincipal): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      principals: [caller], actions: REGISTRY_ACTIONS, resources: ['*'], conditions: viaService(scope, 'agent-registry'),
    })];
  }

  private constructor() {}
}
