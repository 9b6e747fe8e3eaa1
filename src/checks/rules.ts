/** How {@link BedrockEncryptionChecks} reports a finding. */
export enum CheckLevel {
  /** An error annotation: `cdk synth` and `cdk deploy` fail. */
  ERROR = 'ERROR',
  /** A warning annotation with the rule id as its acknowledgement id: fails only `cdk synth --strict`. */
  WARNING = 'WARNING',
}

/**
 * The stable ids of the rules {@link BedrockEncryptionChecks} applies. Every finding's message
 * starts with `[<rule id>]`; pass the id to `BedrockEncryptionChecks.suppress`. Rule ids have the
 * form of the library's warning ids (`BedrockEncryptionWarnings`): `cdk-bedrock-encryption:<name>`.
 */
export class BedrockEncryptionRules {
  /**
   * A Bedrock or Bedrock AgentCore resource that can take a customer managed key has none
   * (or names an AWS managed `alias/aws/...` key).
   */
  public static readonly NO_CUSTOMER_MANAGED_KEY = 'cdk-bedrock-encryption:noCustomerManagedKey';

  /** An OpenSearch Serverless encryption policy with `AWSOwnedKey: true`. */
  public static readonly OPENSEARCH_AWS_OWNED_KEY = 'cdk-bedrock-encryption:openSearchAwsOwnedKey';

  /** An S3 Vectors vector bucket (or index) encrypted with SSE-S3 (`AES256`) instead of `aws:kms`. */
  public static readonly S3_VECTORS_SSE_S3 = 'cdk-bedrock-encryption:s3VectorsSseS3';

  /** A KMS key used by a Bedrock resource, an S3 Vectors bucket or index, or an OpenSearch Serverless encryption policy, without automatic rotation. */
  public static readonly KEY_ROTATION_OFF = 'cdk-bedrock-encryption:keyRotationOff';

  /** A key-policy statement that allows a service principal with no condition at all. */
  public static readonly UNCONDITIONED_SERVICE_PRINCIPAL = 'cdk-bedrock-encryption:unconditionedServicePrincipal';

  /** A role trusted by `bedrock.amazonaws.com` or `bedrock-agentcore.amazonaws.com` without both `aws:SourceAccount` and `aws:SourceArn` conditions. */
  public static readonly SERVICE_ROLE_TRUST_UNCONDITIONED = 'cdk-bedrock-encryption:serviceRoleTrustUnconditioned';

  /**
   * A Bedrock resource names a key whose policy does not let the resource work: a key-policy
   * statement that `BedrockCustomerManagedKey` would write for it (for a role, the key policy's
   * delegation to the account together with the role's identity policies count too) is not
   * covered. For an imported key, whose policy cannot be read, a warning (whatever the level)
   * that names the statements, with their JSON.
   */
  public static readonly KEY_POLICY_MISSING_STATEMENTS = 'cdk-bedrock-encryption:keyPolicyMissingStatements';

  /** Every rule id. */
  public static all(): string[] {
    return [
      BedrockEncryptionRules.NO_CUSTOMER_MANAGED_KEY,
      BedrockEncryptionRules.OPENSEARCH_AWS_OWNED_KEY,
      BedrockEncryptionRules.S3_VECTORS_SSE_S3,
      BedrockEncryptionRules.KEY_ROTATION_OFF,
      BedrockEncryptionRules.UNCONDITIONED_SERVICE_PRINCIPAL,
      BedrockEncryptionRules.SERVICE_ROLE_TRUST_UNCONDITIONED,
      BedrockEncryptionRules.KEY_POLICY_MISSING_STATEMENTS,
    ];
  }

  private constructor() {}
}
