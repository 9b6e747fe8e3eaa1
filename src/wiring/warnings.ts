/**
 * The ids of the synth warnings this library adds, to acknowledge one with
 * `Annotations.of(scope).acknowledgeWarning(id, reason)`.
 */
export class BedrockEncryptionWarnings {
  /**
   * A key policy this app cannot change (an imported key) lacks statements the Bedrock resources
   * need. They are in the stack output `KeyPolicyToAdd` under the key, and in a file of the cloud
   * assembly (`<stack artifact id>.<output key>.json`) with the environment's values filled in.
   */
  public static readonly KEY_POLICY_NOT_UPDATED = 'cdk-bedrock-encryption:keyPolicyNotUpdated';

  /**
   * The identity policy of a principal this app cannot change (an immutable imported role, an
   * ARN principal) lacks statements. They are in the stack output `RolePolicyToAdd`.
   */
  public static readonly ROLE_POLICY_NOT_UPDATED = 'cdk-bedrock-encryption:rolePolicyNotUpdated';

  /**
   * The resource policy of a resource this app cannot change (an imported SNS topic) lacks
   * statements. They are in the stack output `ResourcePolicyToAdd` under the resource.
   */
  public static readonly RESOURCE_POLICY_NOT_UPDATED = 'cdk-bedrock-encryption:resourcePolicyNotUpdated';

  /**
   * A policy file of the cloud assembly (for statements this app cannot write) still holds
   * CloudFormation expressions: a role without a fixed name, or an environment-agnostic stack.
   */
  public static readonly POLICY_FILE_HAS_EXPRESSIONS = 'cdk-bedrock-encryption:policyFileHasExpressions';

  /**
   * A key policy this app writes is near the 32 KB limit of AWS KMS: the next resources that
   * share the key will fail to deploy.
   */
  public static readonly KEY_POLICY_NEAR_SIZE_LIMIT = 'cdk-bedrock-encryption:keyPolicyNearSizeLimit';

  /** A flow's definition could not be read for all the permissions its execution role needs. */
  public static readonly FLOW_DEFINITION_NOT_READ = 'cdk-bedrock-encryption:flowDefinitionNotRead';

  /** The key of a knowledge base's data source bucket is not known to this app. */
  public static readonly DATA_SOURCE_BUCKET_KEY_UNKNOWN = 'cdk-bedrock-encryption:dataSourceBucketKeyUnknown';

  /** The key of a vector store's credentials secret is not known to this app. */
  public static readonly SECRET_KEY_UNKNOWN = 'cdk-bedrock-encryption:secretKeyUnknown';

  /**
   * A data source encrypted by `BedrockCustomerManagedKey` whose knowledge base is not a
   * `CfnKnowledgeBase` of this app: its service role is not known, so the ingestion key use the
   * knowledge base page gives that role (`kms:GenerateDataKey`, `kms:Decrypt`) is not written.
   */
  public static readonly DATA_SOURCE_ROLE_UNKNOWN = 'cdk-bedrock-encryption:dataSourceRoleUnknown';

  /** An embedding model this library does not know: its vector size was not checked. */
  public static readonly UNKNOWN_EMBEDDING_MODEL = 'cdk-bedrock-encryption:unknownEmbeddingModel';

  /**
   * An L2 given its own `kmsKey` (for example the aws-bedrockagentcore `Memory` or `Gateway`)
   * granted its role use of the key with no condition, which `BedrockCustomerManagedKey` cannot
   * remove. Give the L2 no `kmsKey` and apply the mixin to it instead.
   */
  public static readonly L2_UNCONDITIONED_KEY_GRANTS = 'cdk-bedrock-encryption:l2UnconditionedKeyGrants';

  private constructor() {}
}
