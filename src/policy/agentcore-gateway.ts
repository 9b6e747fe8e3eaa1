import * as iam from 'aws-cdk-lib/aws-iam';
import { ENCRYPTION_CONTEXT_GRANTS, grantOperations, inIdentityPolicy, inKeyPolicy, Placement, viaAgentCore } from './agentcore';
import { AgentCoreResourceType } from './agentcore-resource-type';
import { allOf, GRANT_IS_FOR_AWS_RESOURCE, stringMatch } from './conditions';
import { PolicyScope } from './scope';

/** The encryption context key AgentCore Gateway sets: the gateway's ARN. */
const GATEWAY_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn';

/**
 * Statements for Amazon Bedrock AgentCore gateways encrypted with a customer managed key
 * (`CreateGateway` with `kmsKeyArn`): the gateway's service role describes the key, uses it
 * under the gateway encryption context and creates encryption-context grants for `Decrypt` and
 * `GenerateDataKey`, all only through AgentCore. The library adds `kms:GrantIsForAWSResource` to
 * `kms:CreateGrant`. The page's fourth statement, for CloudWatch Logs delivery of an encrypted
 * gateway's logs, is not written: it concerns a log delivery, not the gateway.
 */
export class AgentCoreGatewayEncryptionStatements {
  /** Key-policy statements for the gateway's service role, for this account and region's gateways (`gateway/*`). */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Encrypt your AgentCore gateway with a customer-managed KMS key",
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-encryption.html, "AllowServiceRoleDescribeKey",
  // "AllowServiceRoleDecryptKey", "AllowServiceRoleCreateGrant"; kms:GrantIsForAWSResource added on CreateGrant.
  public static serviceRoleKeyUse(scope: PolicyScope, role: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreGatewayEncryptionStatements.statements(scope, inKeyPolicy(role), AgentCoreResourceType.GATEWAY.arnPattern(scope));
  }

  /** The same permissions as identity statements on `keyArn`, for the gateway `gatewayArn` (or an ARN pattern). */
  // Source: gateway-encryption.html, the key-policy statements above as identity statements.
  public static serviceRoleIdentity(scope: PolicyScope, keyArn: string, gatewayArn: string): iam.PolicyStatement[] {
    return AgentCoreGatewayEncryptionStatements.statements(scope, inIdentityPolicy(keyArn), gatewayArn);
  }

  private static statements(scope: PolicyScope, placement: Placement, gatewayArn: string): iam.PolicyStatement[] {
    const via = viaAgentCore(scope);
    const context = stringMatch(GATEWAY_CONTEXT_KEY, gatewayArn);
    return [
      new iam.PolicyStatement({ ...placement, actions: ['kms:DescribeKey'], conditions: via }),
      new iam.PolicyStatement({ ...placement, actions: ['kms:Decrypt', 'kms:GenerateDataKey'], conditions: allOf(via, context) }),
      new iam.PolicyStatement({
        ...placement,
        actions: ['kms:CreateGrant'],
        conditions: allOf(via, ENCRYPTION_CONTEXT_GRANTS, grantOperations('Decrypt', 'GenerateDataKey'), context, GRANT_IS_FOR_AWS_RESOURCE),
      }),
    ];
  }

  private constructor() {}
}
