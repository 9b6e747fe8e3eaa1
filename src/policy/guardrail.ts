import * as iam from 'aws-cdk-lib/aws-iam';
import { keyStatements, viaService } from './conditions';
import { PolicyScope } from './scope';

/** What the principal that creates or updates an encrypted guardrail does with the key. */
const GUARDRAIL_CREATOR_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'];

/** The encryption context key Bedrock sets when it decrypts a guardrail during inference. */
const GUARDRAIL_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock:guardrail-id';

/**
 * Statements for guardrails encrypted with a customer managed key.
 *
 * The AWS guardrails page gives these statements without any condition. This library adds
 * `kms:ViaService` = `bedrock.<region>.<url suffix>` to each, so the key is usable for them only
 * through Amazon Bedrock in the stack's region, and `kms:GrantIsForAWSResource` to the creator's
 * `kms:CreateGrant` (Bedrock creates the grant for itself); the guardrail user's `kms:Decrypt` also requires
 * the guardrail encryption context key to be present, as the AWS managed policy
 * `SageMakerStudioBedrockFlowServiceRolePolicy` does for the same call.
 */
export class GuardrailEncryptionStatements {
  /**
   * Key-policy statement for the principal that creates and manages guardrails encrypted with
   * the key (for CloudFormation, the deployment role): only through Bedrock.
   */
  // Source: Amazon Bedrock User Guide, "(Optional) Create a customer managed key for your guardrail for additional security",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-kms.html, "PermissionsForGuardrailsCreators"; kms:ViaService and, on CreateGrant, kms:GrantIsForAWSResource added.
  public static creatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return keyStatements({
      principals: [creator],
      actions: GUARDRAIL_CREATOR_ACTIONS,
      resources: ['*'],
      conditions: GuardrailEncryptionStatements.throughBedrock(scope),
    });
  }

  /** The creator's permissions as an identity statement on the key. */
  // Source: guardrails-permissions-kms.html, identity policy "AllowRoleToCreateAndManageGuardrails"; kms:ViaService and kms:GrantIsForAWSResource added.
  public static creatorIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return keyStatements({
      actions: GUARDRAIL_CREATOR_ACTIONS,
      resources: [keyArn],
      conditions: GuardrailEncryptionStatements.throughBedrock(scope),
    });
  }

  /**
   * Key-policy statement for a principal that uses an encrypted guardrail during model
   * inference or agent invocation: decrypt only through Bedrock and only for a guardrail.
   */
  // Source: guardrails-permissions-kms.html, "PermissionsForGuardrailsUsers"; conditions from AWS managed policy SageMakerStudioBedrockFlowServiceRolePolicy, "BedrockGuardrailKmsPermissions".
  public static userKeyUse(scope: PolicyScope, user: iam.IPrincipal): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [user],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: GuardrailEncryptionStatements.userConditions(scope),
      }),
    ];
  }

  /** The guardrail user's permission as an identity statement on the key. */
  // Source: guardrails-permissions-kms.html, identity policy "AllowRoleToUseEncryptedGuardrailDuringInference"; conditions as in userKeyUse.
  public static userIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [keyArn],
        conditions: GuardrailEncryptionStatements.userConditions(scope),
      }),
    ];
  }

  private static throughBedrock(scope: PolicyScope): iam.Conditions {
    return viaService(scope, 'bedrock');
  }

  private static userConditions(scope: PolicyScope): iam.Conditions {
    return {
      ...GuardrailEncryptionStatements.throughBedrock(scope),
      Null: { [GUARDRAIL_CONTEXT_KEY]: 'false' },
    };
  }

  private constructor() {}
}
