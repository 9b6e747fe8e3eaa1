import * as iam from 'aws-cdk-lib/aws-iam';
import { PolicyScope, PolicyScopes } from './scope';

/** The actions the identity service performs with the key of a token vault. */
const TOKEN_VAULT_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKeyWithoutPlaintext'];

/** The encryption context key AgentCore Identity sets: the token vault's ARN. */
const TOKEN_VAULT_CONTEXT_KEY = 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn';

/**
 * Statements for the Amazon Bedrock AgentCore Identity token vault encrypted with a customer
 * managed key (`SetTokenVaultCMK`; no CloudFormation resource).
 *
 * AWS documents two key-policy statements: `kms:Encrypt`, `kms:Decrypt` and
 * `kms:GenerateDataKeyWithoutPlaintext` through the identity service (`kms:ViaService`), for
 * principals of the key's account (`aws:ResourceAccount` = `${aws:PrincipalAccount}`), under the
 * token vault encryption context; and `kms:DescribeKey` through the identity service for the same
 * principals. The page's example names no principal; the library names the key's account, so the
 * principals that use the vault need the same statements in their identity policies
 * ({@link userIdentity}).
 */
export class AgentCoreTokenVaultEncryptionStatements {
  /** Key-policy statements for the token vault `tokenVaultId` of this account and region. */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Set customer managed key policy"
  // (kms-key-policy-configuration.html), "BedrockAgentCoreIdentityKMSAccess" and "BedrockAgentCoreIdentityDescribeKeyKMSAccess",
  // with the token vault's ARN in this account and region, and the account as the principal.
  public static keyUse(scope: PolicyScope, tokenVaultId: string): iam.PolicyStatement[] {
    return AgentCoreTokenVaultEncryptionStatements.statements(scope, tokenVaultId, [new iam.AccountPrincipal(scope.account)], ['*']);
  }

  /** The same permissions as identity statements on `keyArn`, for the principals that use the token vault. */
  // Source: kms-key-policy-configuration.html, the statements above as identity statements.
  public static userIdentity(scope: PolicyScope, keyArn: string, tokenVaultId: string): iam.PolicyStatement[] {
    return AgentCoreTokenVaultEncryptionStatements.statements(scope, tokenVaultId, [], [keyArn]);
  }

  private static statements(scope: PolicyScope, tokenVaultId: string, principals: iam.IPrincipal[], resources: string[]): iam.PolicyStatement[] {
    const via = { StringEquals: { 'kms:ViaService': PolicyScopes.viaService(scope, 'bedrock-agentcore-identity') } };
    const sameAccount = { 'aws:ResourceAccount': '${aws:PrincipalAccount}' };
    return [
      new iam.PolicyStatement({
        principals,
        resources,
        actions: TOKEN_VAULT_ACTIONS,
        conditions: {
          StringEquals: { ...via.StringEquals, ...sameAccount },
          ArnLike: { [TOKEN_VAULT_CONTEXT_KEY]: tokenVaultArn(scope, tokenVaultId) },
        },
      }),
      new iam.PolicyStatement({
        principals,
        resources,
        actions: ['kms:DescribeKey'],
        conditions: { StringEquals: { ...via.StringEquals, ...sameAccount } },
      }),
    ];
  }

  private constructor() {}
}

/** `arn:<partition>:bedrock-agentcore:<region>:<account>:token-vault/<id>`. */
function tokenVaultArn(scope: PolicyScope, tokenVaultId: string): string {
  return PolicyScopes.arn(scope, 'bedrock-agentcore', `token-vault/${tokenVaultId}`);
}
