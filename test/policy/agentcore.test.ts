import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AgentCoreConfigurationBundleEncryptionStatements, AgentCoreDatasetEncryptionStatements, AgentCoreEvaluatorEncryptionStatements,
  AgentCoreGatewayEncryptionStatements, AgentCoreHarnessEncryptionStatements, AgentCoreMemoryEncryptionStatements,
  AgentCorePolicyEngineEncryptionStatements, BedrockResourceType,
} from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION } from '../fixtures/seed-statements';
import { decideAsRole, normalize, policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

const VIA = `bedrock-agentcore.${REGION}.amazonaws.com`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/GatewayServiceRole`;
const USER = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/OtherRole`;
const AGENTCORE = 'bedrock-agentcore.amazonaws.com';
const arnOf = (type: string, id: string, account = ACCOUNT) => `arn:aws:bedrock-agentcore:${REGION}:${account}:${type}/${id}`;

/** Whether `principal` may call `action` on a key whose policy holds only `statements`. */
function decideInKeyPolicy(statements: iam.PolicyStatement[], principal: string, action: string, context: Record<string, string | string[]>): string {
  return evaluatePolicies({ principal, action, resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: policyDocument(...statements), context });
}

/** AWS JSON from https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/storage-encryption.html, placeholders filled in. */
const MEMORY = {
  Effect: 'Allow',
  Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'],
  Resource: KEY_ARN,
  Condition: { StringEquals: { 'kms:ViaService': VIA } },
};

/** AWS JSON from https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-encryption.html (first three statements), for every gateway of the account. */
const GATEWAY_CONTEXT = { 'kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn': `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:gateway/*` };
const GATEWAY = [
  { Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': VIA } } },
  {
    Effect: 'Allow',
    Principal: { AWS: ROLE },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': VIA }, StringLike: GATEWAY_CONTEXT },
  },
  {
    Sid: 'AllowServiceRoleCreateGrant',
    Effect: 'Allow',
    Principal: { AWS: ROLE },
    Action: 'kms:CreateGrant',
    Resource: '*',
    Condition: {
      'StringEquals': { 'kms:ViaService': VIA, 'kms:GrantConstraintType': 'EncryptionContextSubset' },
      'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'GenerateDataKey'] },
      'StringLike': GATEWAY_CONTEXT,
    },
  },
];

/**
 * The gateway role's target-encryption statements, as the deploy-tested policy of
 * aws/modern-data-architecture-accelerator (grantGatewayRoleKeyUsage) writes them, in the key policy.
 */
const GATEWAY_TARGET_ENCRYPTION = [
  { Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' },
  {
    Effect: 'Allow',
    Principal: { AWS: ROLE },
    Action: 'kms:CreateGrant',
    Resource: '*',
    Condition: {
      'StringEquals': { 'kms:GrantConstraintType': 'EncryptionContextSubset' },
      'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'GenerateDataKey'] },
    },
  },
];

/** AWS JSON from https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/policy-encryption.html, the CreateGrant statement, for the creator and this account's engines. */
const POLICY_ENGINE_CONTEXT = { 'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn': `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:policy-engine/*` };
const POLICY_ENGINE_CREATE_GRANT = {
  Effect: 'Allow',
  Principal: { AWS: USER },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: {
    'StringEquals': { 'kms:ViaService': VIA, 'kms:GrantConstraintType': 'EncryptionContextSubset' },
    'StringLike': POLICY_ENGINE_CONTEXT,
    'ForAllValues:StringEquals': {
      'kms:GrantOperations': ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo'],
    },
  },
};
const POLICY_ENGINE_USE = [
  {
    Effect: 'Allow',
    Principal: { AWS: USER },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': VIA }, StringLike: POLICY_ENGINE_CONTEXT },
  },
  { Effect: 'Allow', Principal: { AWS: USER }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': VIA } } },
];

/** AWS JSON from https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/evaluations-encryption.html, "AllowServicePrincipalDecrypt", for every evaluator of the account. */
const EVALUATOR_SERVICE = {
  Effect: 'Allow',
  Principal: { Service: AGENTCORE },
  Action: 'kms:Decrypt',
  Resource: '*',
  Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:evaluator/*` } },
};

/** AWS JSON from https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/datasets-encryption.html, "AllowAgentCoreDatasetRead": DescribeKey, no condition. */
const DATASET_SERVICE_DESCRIBE = { Effect: 'Allow', Principal: { Service: AGENTCORE }, Action: 'kms:DescribeKey', Resource: '*' };

/** AWS JSON from https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/configuration-bundles-encryption.html, "AllowCallerCryptoOps", with kms:ViaService. */
const BUNDLE_CRYPTO_OPS = {
  Effect: 'Allow',
  Principal: { AWS: USER },
  Action: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:ReEncrypt*'],
  Resource: '*',
  Condition: {
    StringEquals: { 'kms:ViaService': VIA },
    StringLike: { 'kms:EncryptionContext:aws:bedrock-agentcore:configurationBundleArn': `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:configuration-bundle/*` },
  },
};

/** Every statement of `statements` that allows kms:CreateGrant. */
const createGrants = (statements: iam.PolicyStatement[]) => rendered(statements).filter((s) => s.Action.includes('kms:creategrant'));

describe('AgentCore pages, field by field', () => {
  test('memory: creatorIdentity is the page\'s policy, as written (kms:CreateGrant in it, no kms:GrantIsForAWSResource)', () => {
    expect(rendered(AgentCoreMemoryEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN))).toEqual([normalize(MEMORY)]);
  });

  test('memory: userKeyUse is the page\'s statement without kms:CreateGrant, naming the user', () => {
    const { Action, Resource: _, ...rest } = MEMORY;
    expect(rendered(AgentCoreMemoryEncryptionStatements.userKeyUse(SCOPE, new iam.ArnPrincipal(USER))))
      .toEqual([normalize({ ...rest, Principal: { AWS: USER }, Action: Action.filter((a) => a !== 'kms:CreateGrant'), Resource: '*' })]);
  });

  test('harness: the memory\'s creator and user statements', () => {
    const user = new iam.ArnPrincipal(USER);
    expect(rendered(AgentCoreHarnessEncryptionStatements.creatorKeyUse(SCOPE, user)))
      .toEqual(rendered(AgentCoreMemoryEncryptionStatements.creatorKeyUse(SCOPE, user)));
    expect(rendered(AgentCoreHarnessEncryptionStatements.userKeyUse(SCOPE, user)))
      .toEqual(rendered(AgentCoreMemoryEncryptionStatements.userKeyUse(SCOPE, user)));
  });

  test('gateway: serviceRoleKeyUse is the page\'s key policy for this account\'s gateways, as written (no kms:GrantIsForAWSResource)', () => {
    expect(rendered(AgentCoreGatewayEncryptionStatements.serviceRoleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE)))).toEqual(GATEWAY.map(normalize));
  });

  test('gateway: serviceRoleTargetEncryptionKeyUse is the deploy-tested target-encryption policy: data keys unconditioned, EC grants for Decrypt and GenerateDataKey', () => {
    expect(rendered(AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionKeyUse(new iam.ArnPrincipal(ROLE))))
      .toEqual(GATEWAY_TARGET_ENCRYPTION.map(normalize));
    expect(rendered(AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionIdentity(KEY_ARN)))
      .toEqual(GATEWAY_TARGET_ENCRYPTION.map(({ Principal: _, ...s }) => normalize({ ...s, Resource: KEY_ARN })));
  });

  test('policy engine: creatorKeyUse is the page\'s CreateGrant statement (no kms:GrantIsForAWSResource) and the key use', () => {
    expect(rendered(AgentCorePolicyEngineEncryptionStatements.creatorKeyUse(SCOPE, new iam.ArnPrincipal(USER))))
      .toEqual([POLICY_ENGINE_CREATE_GRANT, ...POLICY_ENGINE_USE].map(normalize));
  });

  test('policy engine: callerKeyUse is the key use without kms:CreateGrant', () => {
    expect(rendered(AgentCorePolicyEngineEncryptionStatements.callerKeyUse(SCOPE, new iam.ArnPrincipal(USER))))
      .toEqual(POLICY_ENGINE_USE.map(normalize));
  });

  test('no AgentCore builder writes kms:GrantIsForAWSResource', () => {
    const principal = new iam.ArnPrincipal(USER);
    const all = [
      ...AgentCoreMemoryEncryptionStatements.creatorKeyUse(SCOPE, principal),
      ...AgentCoreMemoryEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN),
      ...AgentCoreHarnessEncryptionStatements.creatorKeyUse(SCOPE, principal),
      ...AgentCoreHarnessEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN),
      ...AgentCoreGatewayEncryptionStatements.serviceRoleKeyUse(SCOPE, principal),
      ...AgentCoreGatewayEncryptionStatements.serviceRoleIdentity(SCOPE, KEY_ARN, arnOf('gateway', 'gw-1')),
      ...AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionKeyUse(principal),
      ...AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionIdentity(KEY_ARN),
      ...AgentCorePolicyEngineEncryptionStatements.creatorKeyUse(SCOPE, principal),
      ...AgentCorePolicyEngineEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN, arnOf('policy-engine', 'engine-1')),
    ];
    expect(createGrants(all).length).toBe(10);
    expect(JSON.stringify(rendered(all))).not.toContain('GrantIsForAWSResource');
  });

  test('evaluator: serviceKeyUse is the page\'s service statement for this account\'s evaluators', () => {
    expect(rendered(AgentCoreEvaluatorEncryptionStatements.serviceKeyUse(SCOPE))).toEqual([normalize(EVALUATOR_SERVICE)]);
  });

  test('dataset: serviceKeyUse gives the service DescribeKey without condition, as "AllowAgentCoreDatasetRead"', () => {
    const statements = rendered(AgentCoreDatasetEncryptionStatements.serviceKeyUse(SCOPE));
    expect(statements).toHaveLength(3);
    expect(statements[2]).toEqual(normalize(DATASET_SERVICE_DESCRIBE));
  });

  test('configuration bundle: callerKeyUse keeps the page\'s kms:ReEncrypt* (key rotation) under the bundle context', () => {
    expect(rendered(AgentCoreConfigurationBundleEncryptionStatements.callerKeyUse(SCOPE, new iam.ArnPrincipal(USER)))[1])
      .toEqual(normalize(BUNDLE_CRYPTO_OPS));
  });
});

describe('identity statements, evaluated', () => {
  const engine = (account: string) => BedrockResourceType.AGENTCORE_POLICY_ENGINE.arn({ ...SCOPE, account }, 'engine-abc123');
  const context = (account: string, via = VIA) => ({
    'kms:ViaService': via, 'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn': engine(account),
  });
  const engines = BedrockResourceType.AGENTCORE_POLICY_ENGINE.arnPattern(SCOPE);
  const statements = AgentCorePolicyEngineEncryptionStatements.callerIdentity(SCOPE, KEY_ARN, engines);

  test('policy engine: data keys for this account\'s policy engines through AgentCore only', () => {
    expect(decideAsRole(statements, 'kms:GenerateDataKey', context(ACCOUNT))).toBe('Allowed');
    expect(decideAsRole(statements, 'kms:GenerateDataKey', context(OTHER_ACCOUNT))).toBe('ImplicitlyDenied');
    expect(decideAsRole(statements, 'kms:GenerateDataKey', context(ACCOUNT, `bedrock.${REGION}.amazonaws.com`))).toBe('ImplicitlyDenied');
  });

  test('policy engine: the creator creates the engine\'s grants through AgentCore (a forward access session, no kms:GrantIsForAWSResource); a caller cannot', () => {
    const grant = (operations: string[], account = ACCOUNT) =>
      ({ ...context(account), 'kms:GrantConstraintType': 'EncryptionContextSubset', 'kms:GrantOperations': operations });
    const creator = AgentCorePolicyEngineEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN, engines);
    expect(decideAsRole(creator, 'kms:CreateGrant', grant(['Decrypt', 'ReEncryptFrom', 'ReEncryptTo']))).toBe('Allowed');
    expect(decideAsRole(creator, 'kms:CreateGrant', grant(['Decrypt', 'RetireGrant']))).toBe('ImplicitlyDenied');
    expect(decideAsRole(creator, 'kms:CreateGrant', grant(['Decrypt'], OTHER_ACCOUNT))).toBe('ImplicitlyDenied');
    expect(decideAsRole(statements, 'kms:CreateGrant', grant(['Decrypt']))).toBe('ImplicitlyDenied');
  });

  test('memory: the creator\'s grant through AgentCore is allowed with no kms:GrantIsForAWSResource; nothing outside AgentCore', () => {
    const memory = AgentCoreMemoryEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN);
    expect(decideAsRole(memory, 'kms:GenerateDataKeyWithoutPlaintext', { 'kms:ViaService': VIA })).toBe('Allowed');
    expect(decideAsRole(memory, 'kms:GenerateDataKeyWithoutPlaintext', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
    expect(decideAsRole(memory, 'kms:CreateGrant', { 'kms:ViaService': VIA })).toBe('Allowed');
    expect(decideAsRole(memory, 'kms:CreateGrant', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });

  test('gateway: the documented statements deny the target-encryption request (no kms:ViaService, no context); the target-encryption statements allow it', () => {
    const gateways = BedrockResourceType.AGENTCORE_GATEWAY.arnPattern(SCOPE);
    const documented = AgentCoreGatewayEncryptionStatements.serviceRoleIdentity(SCOPE, KEY_ARN, gateways);
    const target = AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionIdentity(KEY_ARN);
    expect(decideAsRole(documented, 'kms:GenerateDataKey', {})).toBe('ImplicitlyDenied');
    expect(decideAsRole([...documented, ...target], 'kms:GenerateDataKey', {})).toBe('Allowed');
    expect(decideAsRole([...documented, ...target], 'kms:Decrypt', {})).toBe('Allowed');
    // Only data keys and decryption: no Encrypt, no ReEncrypt.
    expect(decideAsRole([...documented, ...target], 'kms:Encrypt', {})).toBe('ImplicitlyDenied');
    expect(decideAsRole([...documented, ...target], 'kms:ReEncryptFrom', {})).toBe('ImplicitlyDenied');
  });
});

describe('key-policy statements, evaluated', () => {
  test('gateway: the service role may use the key without kms:ViaService or context; another role may not', () => {
    const statements = [
      ...AgentCoreGatewayEncryptionStatements.serviceRoleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE)),
      ...AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionKeyUse(new iam.ArnPrincipal(ROLE)),
    ];
    expect(decideInKeyPolicy(statements, ROLE, 'kms:GenerateDataKey', {})).toBe('Allowed');
    expect(decideInKeyPolicy(statements, OTHER_ROLE, 'kms:GenerateDataKey', {})).toBe('ImplicitlyDenied');
    const grant = (operations: string[], type = 'EncryptionContextSubset') => ({ 'kms:GrantConstraintType': type, 'kms:GrantOperations': operations });
    expect(decideInKeyPolicy(statements, ROLE, 'kms:CreateGrant', grant(['Decrypt', 'GenerateDataKey']))).toBe('Allowed');
    expect(decideInKeyPolicy(statements, ROLE, 'kms:CreateGrant', grant(['Decrypt', 'Encrypt']))).toBe('ImplicitlyDenied');
    expect(decideInKeyPolicy(statements, ROLE, 'kms:CreateGrant', grant(['Decrypt'], 'EncryptionContextEquals'))).toBe('ImplicitlyDenied');
    expect(decideInKeyPolicy(statements, ROLE, 'kms:CreateGrant', { 'kms:GrantOperations': ['Decrypt'] })).toBe('ImplicitlyDenied');
    expect(decideInKeyPolicy(statements, OTHER_ROLE, 'kms:CreateGrant', grant(['Decrypt']))).toBe('ImplicitlyDenied');
  });

  test('memory and policy engine: a creator may create grants through AgentCore, a user or caller may not', () => {
    const engineContext = { 'kms:ViaService': VIA, 'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn': arnOf('policy-engine', 'engine-1') };
    const grant = { ...engineContext, 'kms:GrantConstraintType': 'EncryptionContextSubset', 'kms:GrantOperations': ['Decrypt'] };
    const engine = [
      ...AgentCorePolicyEngineEncryptionStatements.creatorKeyUse(SCOPE, new iam.ArnPrincipal(ROLE)),
      ...AgentCorePolicyEngineEncryptionStatements.callerKeyUse(SCOPE, new iam.ArnPrincipal(USER)),
    ];
    expect(decideInKeyPolicy(engine, ROLE, 'kms:CreateGrant', grant)).toBe('Allowed');
    expect(decideInKeyPolicy(engine, USER, 'kms:CreateGrant', grant)).toBe('ImplicitlyDenied');
    expect(decideInKeyPolicy(engine, USER, 'kms:Decrypt', engineContext)).toBe('Allowed');

    const memory = [
      ...AgentCoreMemoryEncryptionStatements.creatorKeyUse(SCOPE, new iam.ArnPrincipal(ROLE)),
      ...AgentCoreMemoryEncryptionStatements.userKeyUse(SCOPE, new iam.ArnPrincipal(USER)),
    ];
    expect(decideInKeyPolicy(memory, ROLE, 'kms:CreateGrant', { 'kms:ViaService': VIA })).toBe('Allowed');
    expect(decideInKeyPolicy(memory, USER, 'kms:CreateGrant', { 'kms:ViaService': VIA })).toBe('ImplicitlyDenied');
    expect(decideInKeyPolicy(memory, USER, 'kms:GenerateDataKey', { 'kms:ViaService': VIA })).toBe('Allowed');
  });

  test('dataset: the service may describe the key with no context; other statements keep their conditions', () => {
    const statements = AgentCoreDatasetEncryptionStatements.serviceKeyUse(SCOPE);
    expect(decideInKeyPolicy(statements, AGENTCORE, 'kms:DescribeKey', {})).toBe('Allowed');
    expect(decideInKeyPolicy(statements, AGENTCORE, 'kms:Decrypt', {})).toBe('ImplicitlyDenied');
    expect(decideInKeyPolicy(statements, AGENTCORE, 'kms:GenerateDataKey', {})).toBe('ImplicitlyDenied');
    expect(decideInKeyPolicy(statements, OTHER_ROLE, 'kms:DescribeKey', {})).toBe('ImplicitlyDenied');
  });
});
