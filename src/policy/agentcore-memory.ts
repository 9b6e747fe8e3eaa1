import * as iam from 'aws-cdk-lib/aws-iam';
import { inIdentityPolicy, inKeyPolicy, Placement, viaAgentCore } from './agentcore';
import { keyStatements } from './conditions';
import { PolicyScope } from './scope';

/** What the principal that sets up an encrypted AgentCore Memory does with the key. */
const MEMORY_CREATOR_ACTIONS = [
  'kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*',
];

/**
 * Statements for Amazon Bedrock AgentCore memories encrypted with a customer managed key
 * (`CreateMemory` with `encryptionKeyArn`).
 *
 * AWS documents only the identity policy of the user or role that sets up the memory, through
 * AgentCore (`kms:ViaService`), and no encryption context. The library adds
 * `kms:GrantIsForAWSResource` to `kms:CreateGrant` (AgentCore creates the grant for itself).
 */
export class AgentCoreMemoryEncryptionStatements {
  /** Identity statements for the principal that creates memories encrypted with `keyArn`: only through AgentCore. */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Encrypt your Amazon Bedrock AgentCore Memory",
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/storage-encryption.html, "AllowAgentCoreMemoryKMS"; kms:GrantIsForAWSResource added on CreateGrant.
  public static creatorIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.statements(scope, inIdentityPolicy(keyArn));
  }

  /**
   * The same permissions as {@link creatorIdentity}, as key-policy statements naming `creator`
   * (for CloudFormation, the deployment role), for keys whose policy does not delegate to IAM.
   */
  // Source: storage-encryption.html, the identity policy above with the principal named and "Resource": "*".
  public static creatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.statements(scope, inKeyPolicy(creator));
  }

  private static statements(scope: PolicyScope, placement: Placement): iam.PolicyStatement[] {
    return keyStatements({ ...placement, actions: MEMORY_CREATOR_ACTIONS, conditions: viaAgentCore(scope) });
  }

  private constructor() {}
}
