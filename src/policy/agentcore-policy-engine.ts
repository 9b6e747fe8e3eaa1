import * as iam from 'aws-cdk-lib/aws-iam';
import { ENCRYPTION_CONTEXT_GRANTS, grantOperations, inIdentityPolicy, inKeyPolicy, Placement, viaAgentCore } from './agentcore';
import { AgentCoreResourceType } from './agentcore-resource-type';
import { allOf, GRANT_IS_FOR_AWS_RESOURCE, stringMatch } from './conditions';
import { PolicyScope } from './scope';

/** The encryption context key Policy in AgentCore sets: the policy engine's ARN. */
const POLICY_ENGINE_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn';

/** The operations of the two grants Policy in AgentCore creates (policy management and policy evaluation). */
const POLICY_ENGINE_GRANT_OPERATIONS = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo'];

/**
 * Statements for Policy in AgentCore policy engines encrypted with a customer managed key
 * (`CreatePolicyEngine` with `encryptionKeyArn`). AgentCore calls KMS with the caller's identity
 * (forward access sessions): the principal that creates the policy engine, or calls its APIs,
 * creates the grants, uses the key under the policy engine encryption context and describes it,
 * all only through AgentCore. The page's encryption-context pattern allows any partition, region
 * and account; the library narrows it to the scope's. It adds `kms:GrantIsForAWSResource` to
 * `kms:CreateGrant`.
 */
export class AgentCorePolicyEngineEncryptionStatements {
  /** Key-policy statements for the principal that creates or calls policy engines (for CloudFormation, the deployment role). */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Encrypt your AgentCore policy engine with a customer-managed KMS key",
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/policy-encryption.html, "Complete AWS KMS key policy";
  // the context pattern narrowed to the scope, kms:GrantIsForAWSResource added on CreateGrant.
  public static callerKeyUse(scope: PolicyScope, caller: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCorePolicyEngineEncryptionStatements.statements(scope, inKeyPolicy(caller), AgentCoreResourceType.POLICY_ENGINE.arnPattern(scope));
  }

  /** The same permissions as identity statements on `keyArn`, for the policy engine `policyEngineArn` (or an ARN pattern). */
  // Source: policy-encryption.html, the key-policy statements above as identity statements.
  public static callerIdentity(scope: PolicyScope, keyArn: string, policyEngineArn: string): iam.PolicyStatement[] {
    return AgentCorePolicyEngineEncryptionStatements.statements(scope, inIdentityPolicy(keyArn), policyEngineArn);
  }

  private static statements(scope: PolicyScope, placement: Placement, policyEngineArn: string): iam.PolicyStatement[] {
    const via = viaAgentCore(scope);
    const context = stringMatch(POLICY_ENGINE_CONTEXT_KEY, policyEngineArn);
    return [
      new iam.PolicyStatement({
        ...placement,
        actions: ['kms:CreateGrant'],
        conditions: allOf(via, ENCRYPTION_CONTEXT_GRANTS, context, grantOperations(...POLICY_ENGINE_GRANT_OPERATIONS), GRANT_IS_FOR_AWS_RESOURCE),
      }),
      new iam.PolicyStatement({ ...placement, actions: ['kms:Decrypt', 'kms:GenerateDataKey'], conditions: allOf(via, context) }),
      new iam.PolicyStatement({ ...placement, actions: ['kms:DescribeKey'], conditions: via }),
    ];
  }

  private constructor() {}
}
