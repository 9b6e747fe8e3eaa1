import * as iam from 'aws-cdk-lib/aws-iam';
import { AGENTCORE_SERVICE_PRINCIPAL, inIdentityPolicy, inKeyPolicy, Placement, viaAgentCore } from './agentcore';
import { allOf, stringMatch } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

/** The encryption context key AgentCore Evaluations sets: the evaluator's ARN. */
const EVALUATOR_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock-agentcore:evaluatorArn';

/**
 * Statements for AgentCore Evaluations custom evaluators encrypted with a customer managed key
 * (`CreateEvaluator` with `kmsKeyArn`). The caller's identity encrypts and decrypts the
 * evaluator's instructions and rating scale through AgentCore (forward access sessions); during
 * online evaluation AgentCore decrypts them with its own service principal.
 */
export class AgentCoreEvaluatorEncryptionStatements {
  /**
   * Key-policy statements for the principal that creates, updates or reads evaluators, or runs
   * on-demand evaluations (for CloudFormation, the deployment role): describe the key, and data
   * keys under the evaluator encryption context of this account and region's evaluators, only
   * through AgentCore.
   */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Encryption at rest for AgentCore Evaluations",
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/evaluations-encryption.html, "AllowCallerAccess", "AllowCallerCryptoOps".
  public static callerKeyUse(scope: PolicyScope, caller: iam.IPrincipal): iam.PolicyStatement[] {
    const evaluators = BedrockResourceType.AGENTCORE_EVALUATOR.arnPattern(scope);
    return AgentCoreEvaluatorEncryptionStatements.callerStatements(scope, inKeyPolicy(caller), evaluators);
  }

  /** The same permissions as identity statements on `keyArn`, for the evaluator `evaluatorArn` (or an ARN pattern). */
  // Source: evaluations-encryption.html, the caller statements above as identity statements.
  public static callerIdentity(scope: PolicyScope, keyArn: string, evaluatorArn: string): iam.PolicyStatement[] {
    return AgentCoreEvaluatorEncryptionStatements.callerStatements(scope, inIdentityPolicy(keyArn), evaluatorArn);
  }

  /** Key-policy statement for AgentCore's service principal: decrypt for this account's evaluators during online evaluation. */
  // Source: evaluations-encryption.html, "AllowServicePrincipalDecrypt"; aws:SourceArn as a pattern of this account and region's evaluators.
  public static serviceKeyUse(scope: PolicyScope): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(AGENTCORE_SERVICE_PRINCIPAL)],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': scope.account },
          ArnLike: { 'aws:SourceArn': BedrockResourceType.AGENTCORE_EVALUATOR.arnPattern(scope) },
        },
      }),
    ];
  }

  private static callerStatements(scope: PolicyScope, placement: Placement, evaluatorArn: string): iam.PolicyStatement[] {
    const via = viaAgentCore(scope);
    return [
      new iam.PolicyStatement({ ...placement, actions: ['kms:DescribeKey'], conditions: via }),
      new iam.PolicyStatement({
        ...placement,
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        conditions: allOf(via, stringMatch(EVALUATOR_CONTEXT_KEY, evaluatorArn)),
      }),
    ];
  }

  private constructor() {}
}
