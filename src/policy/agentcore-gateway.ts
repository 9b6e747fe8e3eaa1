import * as iam from 'aws-cdk-lib/aws-iam';
import { ENCRYPTION_CONTEXT_GRANTS, grantOperations, inIdentityPolicy, inKeyPolicy, Placement, viaAgentCore } from './agentcore';
import { allOf, stringMatch } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

/** The encryption context key AgentCore Gateway sets: the gateway's ARN. */
const GATEWAY_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn';

/** The operations of the grants the gateway's service role creates. */
const GATEWAY_GRANT_OPERATIONS = ['Decrypt', 'GenerateDataKey'];

/**
 * Statements for Amazon Bedrock AgentCore gateways encrypted with a customer managed key
 * (`CreateGateway` with `kmsKeyArn`), for the gateway's service role (`roleArn`).
 *
 * The documented statements ({@link serviceRoleKeyUse}, {@link serviceRoleIdentity}): the role
 * describes the key, uses it under the gateway encryption context and creates encryption-context
 * grants for `Decrypt` and `GenerateDataKey`, all only through AgentCore, as the page writes them.
 * The page's fourth statement, for CloudWatch Logs delivery of an encrypted gateway's logs, is not
 * written: it concerns a log delivery, not the gateway.
 *
 * The target-encryption statements ({@link serviceRoleTargetEncryptionKeyUse},
 * {@link serviceRoleTargetEncryptionIdentity}) are not documented by AWS. At `CreateGateway`,
 * AgentCore assumes the service role and calls KMS directly to encrypt the gateway's target
 * configuration (role session `GenesisMCPTargetTargetEncryption`); those requests carry neither
 * `kms:ViaService` nor the gateway encryption context, so the documented statements deny them
 * ("no identity-based policy allows the kms:GenerateDataKey action"). These statements allow
 * `GenerateDataKey` and `Decrypt` to the role without condition, and `CreateGrant` only for
 * encryption-context grants for `Decrypt` and `GenerateDataKey`. They name only the service role,
 * which only AgentCore assumes, for this account's gateways.
 */
export class AgentCoreGatewayEncryptionStatements {
  /** Key-policy statements for the gateway's service role, for this account and region's gateways (`gateway/*`): the documented statements. */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Encrypt your AgentCore gateway with a customer-managed KMS key",
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-encryption.html, "AllowServiceRoleDescribeKey",
  // "AllowServiceRoleDecryptKey", "AllowServiceRoleCreateGrant", as written.
  public static serviceRoleKeyUse(scope: PolicyScope, role: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreGatewayEncryptionStatements.statements(scope, inKeyPolicy(role), BedrockResourceType.AGENTCORE_GATEWAY.arnPattern(scope));
  }

  /** The same permissions as identity statements on `keyArn`, for the gateway `gatewayArn` (or an ARN pattern). */
  // Source: gateway-encryption.html, the key-policy statements above as identity statements.
  public static serviceRoleIdentity(scope: PolicyScope, keyArn: string, gatewayArn: string): iam.PolicyStatement[] {
    return AgentCoreGatewayEncryptionStatements.statements(scope, inIdentityPolicy(keyArn), gatewayArn);
  }

  /**
   * Target-encryption statements (not documented by AWS) for the gateway's service role, which the
   * documented statements do not cover: `kms:GenerateDataKey` and `kms:Decrypt` with no
   * `kms:ViaService` and no encryption context, and `kms:CreateGrant` for encryption-context grants
   * for `Decrypt` and `GenerateDataKey` only. AgentCore makes these requests with the role at
   * `CreateGateway`, to encrypt the gateway's target configuration. Give them only to a role that
   * only AgentCore can assume.
   */
  // Not documented by AWS. Evidence: aws/modern-data-architecture-accelerator,
  // packages/constructs/L3/ai/bedrock-builder-l3-construct/lib/bedrock-builder-l3-construct.ts, grantGatewayRoleKeyUsage
  // (deploy-tested: the conditions of gateway-encryption.html both fail closed on the role session
  // .../GenesisMCPTargetTargetEncryption); its CreateGrant conditions, as written.
  public static serviceRoleTargetEncryptionKeyUse(role: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreGatewayEncryptionStatements.targetEncryptionStatements(inKeyPolicy(role));
  }

  /** The same permissions as {@link serviceRoleTargetEncryptionKeyUse}, as identity statements on `keyArn` (not documented by AWS). */
  // Not documented by AWS; the identity statements of grantGatewayRoleKeyUsage in aws/modern-data-architecture-accelerator, without DescribeKey
  // (the documented statements allow it).
  public static serviceRoleTargetEncryptionIdentity(keyArn: string): iam.PolicyStatement[] {
    return AgentCoreGatewayEncryptionStatements.targetEncryptionStatements(inIdentityPolicy(keyArn));
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
        conditions: allOf(via, ENCRYPTION_CONTEXT_GRANTS, grantOperations(...GATEWAY_GRANT_OPERATIONS), context),
      }),
    ];
  }

  private static targetEncryptionStatements(placement: Placement): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ ...placement, actions: ['kms:GenerateDataKey', 'kms:Decrypt'] }),
      new iam.PolicyStatement({
        ...placement,
        actions: ['kms:CreateGrant'],
        conditions: allOf(ENCRYPTION_CONTEXT_GRANTS, grantOperations(...GATEWAY_GRANT_OPERATIONS)),
      }),
    ];
  }

  private constructor() {}
}
