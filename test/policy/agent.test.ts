import * as iam from 'aws-cdk-lib/aws-iam';
import { AgentEncryptionStatements, BedrockResourceType, KeyAdministrationStatements, PolicyScopes } from '../../src/policy';
import { ACCOUNT, AGENT_ARN, KEY_ARN, REGION, ROLE_ARN, SEED_004 } from '../fixtures/seed-statements';
import { normalize, policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT, testStack } from '../util/synthesized-policies';

const role = new iam.ArnPrincipal(ROLE_ARN);
const AGENT_CONTEXT = 'kms:EncryptionContext:aws:bedrock:arn';
const MEMORY_CONTEXT = 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn';
const ALIAS_ARN = `arn:aws:bedrock:${REGION}:${ACCOUNT}:agent-alias/AGENT12345/ALIAS12345`;

describe('seed 004 statements, field by field', () => {
  test('invokeAgentCallerIdentity is the InvokeAgent identity statement', () => {
    expect(rendered(AgentEncryptionStatements.invokeAgentCallerIdentity(KEY_ARN, AGENT_ARN)))
      .toEqual([normalize(SEED_004.invokeAgentIdentity)]);
  });

  // In a key policy, "Resource": "*" means "this key"; naming the key's own ARN there would
  // make the key depend on itself in CloudFormation. Everything else is as AWS prints it.
  const inKeyPolicy = (seed: any) => normalize({ ...seed, Resource: '*' });

  test('accountRootKeyUse is the root statement', () => {
    expect(rendered(KeyAdministrationStatements.accountRootKeyUse(SCOPE))).toEqual([inKeyPolicy(SEED_004.rootAdmin)]);
  });

  test('bedrockServiceKeyUse with one agent ARN is the Bedrock service statement', () => {
    expect(rendered(AgentEncryptionStatements.bedrockServiceKeyUse(AGENT_ARN))).toEqual([inKeyPolicy(SEED_004.bedrockService)]);
  });

  test('bedrockServiceKeyUse with the account pattern uses StringLike', () => {
    const pattern = BedrockResourceType.AGENT.arnPattern(SCOPE);
    expect(pattern).toBe(`arn:aws:bedrock:${REGION}:${ACCOUNT}:agent/*`);
    expect(rendered(AgentEncryptionStatements.bedrockServiceKeyUse(pattern))[0].Condition)
      .toEqual({ StringLike: { [AGENT_CONTEXT]: pattern } });
  });

  test('serviceRoleKeyUse is the service role statement', () => {
    expect(rendered(AgentEncryptionStatements.serviceRoleKeyUse(role))).toEqual([inKeyPolicy(SEED_004.serviceRole)]);
  });

  test('persistentResourceGrantsKeyUse is the grant statement', () => {
    expect(rendered(AgentEncryptionStatements.persistentResourceGrantsKeyUse())).toEqual([normalize(SEED_004.persistentResources)]);
  });
});

describe('agent memory statements (ltm-permissions)', () => {
  test('memoryServiceKeyUse: Bedrock, agent aliases of this account only', () => {
    expect(rendered(AgentEncryptionStatements.memoryServiceKeyUse(SCOPE))).toEqual([normalize({
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:agent-alias/*` },
      },
    })]);
  });

  test('memoryCallerIdentity: control plane and data plane under the memory context', () => {
    expect(rendered(AgentEncryptionStatements.memoryCallerIdentity(SCOPE, KEY_ARN, ALIAS_ARN))).toEqual([
      normalize({
        Effect: 'Allow',
        Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'],
        Resource: KEY_ARN,
        Condition: { StringEquals: { [MEMORY_CONTEXT]: ALIAS_ARN } },
      }),
      normalize({
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: KEY_ARN,
        Condition: { StringEquals: { [MEMORY_CONTEXT]: ALIAS_ARN, 'kms:ViaService': `bedrock.${REGION}.amazonaws.com` } },
      }),
    ]);
  });

  test('memoryCallerKeyUse puts the caller in the principal', () => {
    const statements = rendered(AgentEncryptionStatements.memoryCallerKeyUse(SCOPE, role, BedrockResourceType.AGENT_ALIAS.arnPattern(SCOPE)));
    expect(statements.map((s) => s.Principal)).toEqual([{ AWS: [ROLE_ARN] }, { AWS: [ROLE_ARN] }]);
    expect(statements[1].Condition.StringLike).toEqual({ [MEMORY_CONTEXT]: `arn:aws:bedrock:${REGION}:${ACCOUNT}:agent-alias/*` });
  });
});

describe('evaluated', () => {
  const keyPolicy = policyDocument(
    ...KeyAdministrationStatements.accountRootKeyUse(SCOPE),
    ...AgentEncryptionStatements.bedrockServiceKeyUse(BedrockResourceType.AGENT.arnPattern(SCOPE)),
    ...AgentEncryptionStatements.persistentResourceGrantsKeyUse(),
    ...AgentEncryptionStatements.memoryServiceKeyUse(SCOPE),
  );
  const bedrock = (action: string, context: Record<string, string>) => evaluatePolicies({
    principal: 'bedrock.amazonaws.com', action, resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context,
  });

  test.each([
    ['an agent of this account', AGENT_ARN, 'Allowed'],
    ['an agent of another account', `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:agent/AGENT12345`, 'ImplicitlyDenied'],
    ['an agent in another region', `arn:aws:bedrock:eu-west-1:${ACCOUNT}:agent/AGENT12345`, 'ImplicitlyDenied'],
    ['a flow of this account', `arn:aws:bedrock:${REGION}:${ACCOUNT}:flow/FLOW123456`, 'ImplicitlyDenied'],
  ])('Bedrock decrypts for %s: %s', (_, arn, decision) => {
    expect(bedrock('kms:Decrypt', { [AGENT_CONTEXT]: arn })).toBe(decision);
  });

  test('Bedrock without the agent encryption context is denied', () => {
    expect(bedrock('kms:GenerateDataKey', {})).toBe('ImplicitlyDenied');
  });

  test('grants only for AWS resources', () => {
    expect(bedrock('kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(bedrock('kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' })).toBe('ImplicitlyDenied');
  });

  test('memory re-encryption only for this account\'s agent aliases', () => {
    const ok = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': ALIAS_ARN };
    expect(bedrock('kms:ReEncryptFrom', ok)).toBe('Allowed');
    expect(bedrock('kms:GenerateDataKeyWithoutPlaintext', ok)).toBe('Allowed');
    expect(bedrock('kms:ReEncryptFrom', { ...ok, 'aws:SourceAccount': OTHER_ACCOUNT })).toBe('ImplicitlyDenied');
    expect(bedrock('kms:ReEncryptFrom', { ...ok, 'aws:SourceArn': AGENT_ARN })).toBe('ImplicitlyDenied');
  });

  test('an InvokeAgent caller decrypts for its agent and not for another', () => {
    const caller = `arn:aws:iam::${ACCOUNT}:role/Caller`;
    const decide = (agentArn: string) => evaluatePolicies({
      principal: caller,
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      resourceAccount: ACCOUNT,
      resourcePolicy: keyPolicy,
      identityPolicies: [policyDocument(...AgentEncryptionStatements.invokeAgentCallerIdentity(KEY_ARN, AGENT_ARN))],
      context: { [AGENT_CONTEXT]: agentArn },
    });
    expect(decide(AGENT_ARN)).toBe('Allowed');
    expect(decide(`arn:aws:bedrock:${REGION}:${ACCOUNT}:agent/OTHERAGENT`)).toBe('ImplicitlyDenied');
  });
});

test('a pattern built from stack tokens still uses StringLike', () => {
  const stack = testStack();
  const pattern = BedrockResourceType.AGENT.arnPattern(PolicyScopes.of(stack));
  const [statement] = AgentEncryptionStatements.bedrockServiceKeyUse(pattern);
  expect(Object.keys(stack.resolve(statement.toStatementJson()).Condition)).toEqual(['StringLike']);
});

test('serviceRoleIdentity is the service role statement as an identity statement on the key', () => {
  const { Principal, ...statement } = normalize({ ...SEED_004.serviceRole, Resource: KEY_ARN });
  expect(Principal).toBeDefined();
  expect(rendered(AgentEncryptionStatements.serviceRoleIdentity(KEY_ARN))).toEqual([statement]);
});
