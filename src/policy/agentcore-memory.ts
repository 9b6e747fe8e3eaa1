import * as iam from 'aws-cdk-lib/aws-iam';
import { inIdentityPolicy, inKeyPolicy, Placement, viaAgentCore } from './agentcore';
import { PolicyScope } from './scope';

/** What a principal that uses an encrypted AgentCore Memory does with the key: the page's actions but `kms:CreateGrant`. */
const MEMORY_USE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'];

/** What the principal that sets up an encrypted AgentCore Memory does with the key: the page's actions. */
const MEMORY_CREATOR_ACTIONS = ['kms:CreateGrant', ...MEMORY_USE_ACTIONS];

/**
 * Statements for Amazon Bedrock AgentCore memories encrypted with a customer managed key
 * (`CreateMemory` with `encryptionKeyArn`).
 *
 * AWS documents one identity statement, for the user or role that sets up the memory: the key's
 * data-key, re-encrypt, describe and grant actions, only through AgentCore (`kms:ViaService`), with
 * no encryption context and no other condition. The creator forms are that statement. The user
 * forms are the same statement without `kms:CreateGrant`, for principals that use memories but do
 * not set them up: grant rights stay with the principal that creates the resource.
 */
export class AgentCoreMemoryEncryptionStatements {
  /** Identity statement for the principal that creates memories encrypted with `keyArn`: only through AgentCore. */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Encrypt your Amazon Bedrock AgentCore Memory",
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/storage-encryption.html, the identity policy, as written.
  public static creatorIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.statements(scope, inIdentityPolicy(keyArn), MEMORY_CREATOR_ACTIONS);
  }

  /**
   * The same permissions as {@link creatorIdentity}, as a key-policy statement naming `creator`
   * (for CloudFormation, the deployment role), for keys whose policy does not delegate to IAM.
   */
  // Source: storage-encryption.html, the identity policy above with the principal named and "Resource": "*".
  public static creatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.statements(scope, inKeyPolicy(creator), MEMORY_CREATOR_ACTIONS);
  }

  /**
   * Key-policy statement for a principal that uses memories but does not set them up: the
   * statement of {@link creatorKeyUse} without `kms:CreateGrant`, only through AgentCore.
   */
  // Source: storage-encryption.html, the identity policy above with the principal named and "Resource": "*",
  // kms:CreateGrant left out (the page gives grant rights to the principal that sets up the memory).
  public static userKeyUse(scope: PolicyScope, user: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.statements(scope, inKeyPolicy(user), MEMORY_USE_ACTIONS);
  }

  private static statements(scope: PolicyScope, placement: Placement, actions: string[]): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ ...placement, actions, conditions: viaAgentCore(scope) })];
  }

  private constructor() {}
}
