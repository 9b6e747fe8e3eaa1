import * as iam from 'aws-cdk-lib/aws-iam';
import { ENCRYPTION_CONTEXT_GRANTS, grantOperations, inIdentityPolicy, inKeyPolicy, Placement, viaAgentCore } from './agentcore';
import { allOf, stringMatch } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

/** The encryption context key Policy in AgentCore sets: the policy engine's ARN. */
const POLICY_ENGINE_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn';

/** The operations of the two grants Policy in AgentCore creates (policy management and policy evaluation). */
const POLICY_ENGINE_GRANT_OPERATIONS = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo'];

/**
 * Statements for Policy in AgentCore policy engines encrypted with a customer managed key
 * (`CreatePolicyEngine` with `encryptionKeyArn`). AgentCore calls KMS with the caller's identity
 * (forward access sessions), all only through AgentCore and, but for `DescribeKey`, under the
 * policy engine encryption context.
 *
 * Two forms. The creator form, for the principal that creates policy engines: AgentCore creates
 * the engine's two grants with its identity (`kms:CreateGrant`, encryption-context grants for the
 * page's operations), and it uses and describes the key. The caller form, for principals that call
 * the APIs of an encrypted engine: it uses and describes the key, and creates no grant.
 * The page's encryption-context pattern allows any partition, region and account; the library
 * narrows it to the scope's.
 */
export class AgentCorePolicyEngineEncryptionStatements {
  /** Key-policy statements for the principal that creates policy engines (for CloudFormation, the deployment role). */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Encrypt your AgentCore policy engine with a customer-managed KMS key",
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/policy-encryption.html, "Complete AWS KMS key policy";
  // the context pattern narrowed to the scope.
  public static creatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCorePolicyEngineEncryptionStatements.creatorStatements(scope, inKeyPolicy(creator),
      BedrockResourceType.AGENTCORE_POLICY_ENGINE.arnPattern(scope));
  }

  /** The same permissions as identity statements on `keyArn`, for the policy engine `policyEngineArn` (or an ARN pattern). */
  // Source: policy-encryption.html, the key-policy statements above as identity statements.
  public static creatorIdentity(scope: PolicyScope, keyArn: string, policyEngineArn: string): iam.PolicyStatement[] {
    return AgentCorePolicyEngineEncryptionStatements.creatorStatements(scope, inIdentityPolicy(keyArn), policyEngineArn);
  }

  /**
   * Key-policy statements for a principal that calls the APIs of encrypted policy engines but does
   * not create them: data keys under the policy engine encryption context and `DescribeKey`, only
   * through AgentCore, and no `kms:CreateGrant` (for that, {@link creatorKeyUse}).
   */
  // Source: policy-encryption.html, "Complete AWS KMS key policy", without the CreateGrant statement; the context pattern narrowed to the scope.
  public static callerKeyUse(scope: PolicyScope, caller: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCorePolicyEngineEncryptionStatements.callerStatements(scope, inKeyPolicy(caller),
      BedrockResourceType.AGENTCORE_POLICY_ENGINE.arnPattern(scope));
  }

  /** The same permissions as {@link callerKeyUse}, as identity statements on `keyArn`, for the policy engine `policyEngineArn` (or an ARN pattern). */
  // Source: policy-encryption.html, the caller statements above as identity statements.
  public static callerIdentity(scope: PolicyScope, keyArn: string, policyEngineArn: string): iam.PolicyStatement[] {
    return AgentCorePolicyEngineEncryptionStatements.callerStatements(scope, inIdentityPolicy(keyArn), policyEngineArn);
  }

  private static creatorStatements(scope: PolicyScope, placement: Placement, policyEngineArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        ...placement,
        actions: ['kms:CreateGrant'],
        conditions: allOf(viaAgentCore(scope), ENCRYPTION_CONTEXT_GRANTS, stringMatch(POLICY_ENGINE_CONTEXT_KEY, policyEngineArn),
          grantOperations(...POLICY_ENGINE_GRANT_OPERATIONS)),
      }),
      ...AgentCorePolicyEngineEncryptionStatements.callerStatements(scope, placement, policyEngineArn),
    ];
  }

  private static callerStatements(scope: PolicyScope, placement: Placement, policyEngineArn: string): iam.PolicyStatement[] {
    const via = viaAgentCore(scope);
    return [
      new iam.PolicyStatement({
        ...placement, actions: ['kms:Decrypt', 'kms:GenerateDataKey'], conditions: allOf(via, stringMatch(POLICY_ENGINE_CONTEXT_KEY, policyEngineArn)),
      }),
      new iam.PolicyStatement({ ...placement, actions: ['kms:DescribeKey'], conditions: via }),
    ];
  }

  private constructor() {}
}
