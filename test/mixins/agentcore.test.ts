import { Aspects, Mixins, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  BedrockCustomerManagedKey, BedrockCustomerManagedKeyOptions, BedrockEncryptionChecks, BedrockEncryptionRules, BedrockEncryptionWarnings,
} from '../../src';
import { AGENTCORE_L1S, AgentCoreL1, atPath, describeIfL1 } from '../util/agentcore-l1s';
import { DEPLOYMENT_ROLE_ARN, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const VIA_AGENTCORE = `bedrock-agentcore.${TEST_REGION}.amazonaws.com`;
const VIA_BEDROCK = `bedrock.${TEST_REGION}.amazonaws.com`;
const AGENTCORE = 'bedrock-agentcore.amazonaws.com';
const KEY_ARN = { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] };
const OTHER_ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/Deployer`;
const CREATOR = `arn:aws:iam::${TEST_ACCOUNT}:role/Creator`;
const APP_USER = `arn:aws:iam::${TEST_ACCOUNT}:role/AppUser`;
const agentCoreArn = (account: string, type: string, id: string) => `arn:aws:bedrock-agentcore:${TEST_REGION}:${account}:${type}/${id}`;
const L2S = agentcore as unknown as Record<string, any>;

interface Encrypted {
  readonly stack: Stack;
  readonly policies: SynthesizedPolicies;
  readonly role: iam.Role;
}

/** The L1 with the mixin applied, in a stack with the default synthesizer (so the deployment role is named). */
function encrypted(l1: AgentCoreL1, options: BedrockCustomerManagedKeyOptions = {}): Encrypted {
  const stack = testStack();
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal(AGENTCORE) });
  l1.make(stack, { roleArn: role.roleArn }).with(new BedrockCustomerManagedKey(key, options));
  return { stack, policies: SynthesizedPolicies.of(stack), role };
}

/** The L1 with the mixin applied, naming a creator (CREATOR) and a user (APP_USER) of the key. */
const withCreatorAndUser = (l1: AgentCoreL1) => encrypted(l1, {
  keyCreators: [new iam.ArnPrincipal(CREATOR)], keyUsers: [new iam.ArnPrincipal(APP_USER)],
});

const byType = (type: string) => AGENTCORE_L1S.find((l) => l.type === type)!;

test('supportedResourceTypes lists every AgentCore type', () => {
  expect(BedrockCustomerManagedKey.supportedResourceTypes.filter((t) => t.startsWith('AWS::BedrockAgentCore::')).sort())
    .toEqual(AGENTCORE_L1S.map((l) => l.type).sort());
});

describe.each(AGENTCORE_L1S.map((l) => [l.type, l] as const))('%s', (_type, l1) => {
  describeIfL1(l1.l1)('with the L1 of the installed aws-cdk-lib', () => {
    test('the mixin sets the key property', () => {
      const { stack } = encrypted(l1);
      Template.fromStack(stack).hasResourceProperties(l1.type, atPath(l1.keyPath, KEY_ARN));
    });

    test('the key policy names no attribute of the resource (no cycle)', () => {
      const { stack } = encrypted(l1);
      const resources = Template.fromStack(stack).toJSON().Resources;
      const resourceId = Object.keys(resources).find((id) => resources[id].Type === l1.type)!;
      expect(JSON.stringify(resources.Key961B73FD.Properties.KeyPolicy)).not.toContain(`"${resourceId}"`);
    });
  });
});

describeIfL1('CfnMemory')('memory: the deployment role, through AgentCore', () => {
  test.each([
    ['kms:GenerateDataKey', {}],
    ['kms:GenerateDataKeyWithoutPlaintext', {}],
    ['kms:ReEncryptFrom', {}],
    ['kms:DescribeKey', {}],
    ['kms:CreateGrant', {}],
  ])('%s is allowed through AgentCore', (action, extra) => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::Memory'));
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action, context: { 'kms:ViaService': VIA_AGENTCORE, ...extra } })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action, context: { 'kms:ViaService': VIA_BEDROCK, ...extra } })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: OTHER_ROLE, action, context: { 'kms:ViaService': VIA_AGENTCORE, ...extra } })).toBe('ImplicitlyDenied');
  });

  test('the grant needs no kms:GrantIsForAWSResource (the page writes none), only kms:ViaService', () => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::Memory'));
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:CreateGrant', context: { 'kms:ViaService': VIA_AGENTCORE } })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:CreateGrant', context: {} })).toBe('ImplicitlyDenied');
  });

  test('grant rights to creators only: a key user uses the key through AgentCore but is denied kms:CreateGrant', () => {
    const { policies } = withCreatorAndUser(byType('AWS::BedrockAgentCore::Memory'));
    const via = { 'kms:ViaService': VIA_AGENTCORE };
    expect(policies.evaluate({ principal: CREATOR, action: 'kms:CreateGrant', context: via })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:CreateGrant', context: via })).toBe('Allowed');
    expect(policies.evaluate({ principal: APP_USER, action: 'kms:CreateGrant', context: via })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: APP_USER, action: 'kms:GenerateDataKey', context: via })).toBe('Allowed');
    expect(policies.evaluate({ principal: APP_USER, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': VIA_BEDROCK } })).toBe('ImplicitlyDenied');
  });
});

describeIfL1('CfnGateway')('gateway: the service role, through AgentCore, for this account\'s gateways', () => {
  const CONTEXT = 'kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn';
  const use = (account: string, via = VIA_AGENTCORE) => ({ 'kms:ViaService': via, [CONTEXT]: agentCoreArn(account, 'gateway', 'gateway-abc123') });
  const grant = (operations: string[], context: Record<string, string> = use(TEST_ACCOUNT)) => ({
    ...context, 'kms:GrantConstraintType': 'EncryptionContextSubset', 'kms:GrantOperations': operations,
  });

  test('data keys under the gateway context, for the service role only', () => {
    const { policies, role } = encrypted(byType('AWS::BedrockAgentCore::Gateway'));
    const roleArn = policies.arn(role);
    expect(policies.evaluate({ principal: roleArn, action: 'kms:Decrypt', context: use(TEST_ACCOUNT) })).toBe('Allowed');
    expect(policies.evaluate({ principal: roleArn, action: 'kms:GenerateDataKey', context: use(TEST_ACCOUNT) })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:Decrypt', context: use(TEST_ACCOUNT) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: OTHER_ROLE, action: 'kms:Decrypt', context: use(TEST_ACCOUNT) })).toBe('ImplicitlyDenied');
  });

  test('target encryption at CreateGateway: the service role may use data keys with no kms:ViaService and no context; another role may not', () => {
    const { policies, role } = encrypted(byType('AWS::BedrockAgentCore::Gateway'));
    const roleArn = policies.arn(role);
    expect(policies.evaluate({ principal: roleArn, action: 'kms:GenerateDataKey', context: {} })).toBe('Allowed');
    expect(policies.evaluate({ principal: roleArn, action: 'kms:Decrypt', context: {} })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: {} })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: `arn:aws:iam::${TEST_ACCOUNT}:role/AnotherRole`, action: 'kms:GenerateDataKey', context: {} })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:GenerateDataKey', context: {} })).toBe('ImplicitlyDenied');
    // Data keys and decryption only.
    expect(policies.evaluate({ principal: roleArn, action: 'kms:Encrypt', context: {} })).toBe('ImplicitlyDenied');
  });

  test('grants for Decrypt and GenerateDataKey only, encryption-context grants only, with no kms:GrantIsForAWSResource', () => {
    const { policies, role } = encrypted(byType('AWS::BedrockAgentCore::Gateway'));
    const roleArn = policies.arn(role);
    expect(policies.evaluate({ principal: roleArn, action: 'kms:CreateGrant', context: grant(['Decrypt', 'GenerateDataKey']) })).toBe('Allowed');
    expect(policies.evaluate({ principal: roleArn, action: 'kms:CreateGrant', context: grant(['Decrypt', 'GenerateDataKey'], {}) })).toBe('Allowed');
    expect(policies.evaluate({ principal: roleArn, action: 'kms:CreateGrant', context: grant(['Decrypt', 'CreateGrant']) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: roleArn, action: 'kms:CreateGrant', context: { 'kms:GrantOperations': ['Decrypt'] } })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:CreateGrant', context: grant(['Decrypt']) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: roleArn, action: 'kms:DescribeKey', context: { 'kms:ViaService': VIA_AGENTCORE } })).toBe('Allowed');
  });
});

describeIfL1('CfnPolicyEngine')('policy engine: the deployment role, through AgentCore, for this account\'s policy engines', () => {
  const CONTEXT = 'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn';
  const use = (account: string, via = VIA_AGENTCORE) => ({ 'kms:ViaService': via, [CONTEXT]: agentCoreArn(account, 'policy-engine', 'engine-abc123') });

  test('data keys and EC-bound grants', () => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::PolicyEngine'));
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: use(TEST_ACCOUNT) })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: use(OTHER_ACCOUNT) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: use(TEST_ACCOUNT, VIA_BEDROCK) })).toBe('ImplicitlyDenied');
    const grant = (operations: string[]) => ({ ...use(TEST_ACCOUNT), 'kms:GrantConstraintType': 'EncryptionContextSubset', 'kms:GrantOperations': operations });
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:CreateGrant', context: grant(['Decrypt', 'ReEncryptFrom']) })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:CreateGrant', context: grant(['Decrypt', 'RetireGrant']) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:Decrypt', context: use(TEST_ACCOUNT) })).toBe('ImplicitlyDenied');
  });

  test('grant rights to creators only: a key user calls the engine with the key but is denied kms:CreateGrant', () => {
    const { policies } = withCreatorAndUser(byType('AWS::BedrockAgentCore::PolicyEngine'));
    const grant = { ...use(TEST_ACCOUNT), 'kms:GrantConstraintType': 'EncryptionContextSubset', 'kms:GrantOperations': ['Decrypt'] };
    expect(policies.evaluate({ principal: CREATOR, action: 'kms:CreateGrant', context: grant })).toBe('Allowed');
    expect(policies.evaluate({ principal: APP_USER, action: 'kms:CreateGrant', context: grant })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: APP_USER, action: 'kms:Decrypt', context: use(TEST_ACCOUNT) })).toBe('Allowed');
    expect(policies.evaluate({ principal: APP_USER, action: 'kms:Decrypt', context: use(OTHER_ACCOUNT) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: APP_USER, action: 'kms:DescribeKey', context: { 'kms:ViaService': VIA_AGENTCORE } })).toBe('Allowed');
  });
});

describeIfL1('CfnEvaluator')('evaluator: the deployment role through AgentCore; AgentCore for this account\'s evaluators', () => {
  const CONTEXT = 'kms:EncryptionContext:aws:bedrock-agentcore:evaluatorArn';

  test('the caller, under the evaluator context', () => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::Evaluator'));
    const use = (account: string, via = VIA_AGENTCORE) => ({ 'kms:ViaService': via, [CONTEXT]: agentCoreArn(account, 'evaluator', 'evaluator-abc123') });
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: use(TEST_ACCOUNT) })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:Decrypt', context: use(OTHER_ACCOUNT) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:Decrypt', context: use(TEST_ACCOUNT, VIA_BEDROCK) })).toBe('ImplicitlyDenied');
  });

  test('the service principal decrypts for this account\'s evaluators only', () => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::Evaluator'));
    const source = (account: string, type = 'evaluator') => ({ 'aws:SourceAccount': account, 'aws:SourceArn': agentCoreArn(account, type, 'abc123') });
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:Decrypt', context: source(TEST_ACCOUNT) })).toBe('Allowed');
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:Decrypt', context: source(OTHER_ACCOUNT) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:Decrypt', context: source(TEST_ACCOUNT, 'gateway') })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:GenerateDataKey', context: source(TEST_ACCOUNT) })).toBe('ImplicitlyDenied');
  });
});

describeIfL1('CfnDataset')('dataset: the deployment role through AgentCore; AgentCore for this account\'s datasets', () => {
  const CONTEXT = 'kms:EncryptionContext:aws:bedrock-agentcore:datasetArn';
  const dataset = (account: string) => agentCoreArn(account, 'dataset', 'dataset-abc123');

  test('the service principal writes with the source and the dataset context', () => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::Dataset'));
    const write = (account: string, context = dataset(account)) => ({ 'aws:SourceAccount': account, 'aws:SourceArn': dataset(account), [CONTEXT]: context });
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:GenerateDataKey', context: write(TEST_ACCOUNT) })).toBe('Allowed');
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:GenerateDataKey', context: write(OTHER_ACCOUNT) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:GenerateDataKey', context: write(TEST_ACCOUNT, agentCoreArn(TEST_ACCOUNT, 'evaluator', 'x')) }))
      .toBe('ImplicitlyDenied');
  });

  test('the service principal reads (a presigned download sends no source) under the dataset context only', () => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::Dataset'));
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:Decrypt', context: { [CONTEXT]: dataset(TEST_ACCOUNT) } })).toBe('Allowed');
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:Decrypt', context: { [CONTEXT]: dataset(OTHER_ACCOUNT) } })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:Decrypt', context: {} })).toBe('ImplicitlyDenied');
  });

  test('the service principal describes the key with no condition (validating it at dataset creation), as the page writes it', () => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::Dataset'));
    expect(policies.evaluate({ principal: AGENTCORE, action: 'kms:DescribeKey', context: {} })).toBe('Allowed');
    expect(policies.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:DescribeKey', context: {} })).toBe('ImplicitlyDenied');
  });

  test('the caller, through AgentCore', () => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::Dataset'));
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:DescribeKey', context: { 'kms:ViaService': VIA_AGENTCORE } })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:Decrypt', context: { 'kms:ViaService': VIA_BEDROCK } })).toBe('ImplicitlyDenied');
  });
});

describeIfL1('CfnConfigurationBundle')('configuration bundle: the deployment role, through AgentCore, for this account\'s bundles', () => {
  const CONTEXT = 'kms:EncryptionContext:aws:bedrock-agentcore:configurationBundleArn';
  const use = (account: string, via = VIA_AGENTCORE) => ({ 'kms:ViaService': via, [CONTEXT]: agentCoreArn(account, 'configuration-bundle', 'bundle-abc123') });

  test.each(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'])('%s', (action) => {
    const { policies } = encrypted(byType('AWS::BedrockAgentCore::ConfigurationBundle'));
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action, context: use(TEST_ACCOUNT) })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action, context: use(OTHER_ACCOUNT) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action, context: use(TEST_ACCOUNT, VIA_BEDROCK) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: OTHER_ROLE, action, context: use(TEST_ACCOUNT) })).toBe('ImplicitlyDenied');
  });
});

describeIfL1('CfnHarness')('harness: its managed memory\'s key, for the deployment role through AgentCore', () => {
  test('as for a memory', () => {
    const { policies, role } = encrypted(byType('AWS::BedrockAgentCore::Harness'));
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': VIA_AGENTCORE } })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': VIA_BEDROCK } })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: policies.arn(role), action: 'kms:GenerateDataKey', context: { 'kms:ViaService': VIA_AGENTCORE } })).toBe('ImplicitlyDenied');
  });

  test('grant rights to creators only: a key user is denied kms:CreateGrant', () => {
    const { policies } = withCreatorAndUser(byType('AWS::BedrockAgentCore::Harness'));
    const via = { 'kms:ViaService': VIA_AGENTCORE };
    expect(policies.evaluate({ principal: CREATOR, action: 'kms:CreateGrant', context: via })).toBe('Allowed');
    expect(policies.evaluate({ principal: APP_USER, action: 'kms:CreateGrant', context: via })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: APP_USER, action: 'kms:Decrypt', context: via })).toBe('Allowed');
  });

  test('a memory configuration the user set is kept, with the key added', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const harness = byType('AWS::BedrockAgentCore::Harness').make(stack, { roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/HarnessRole` });
    (harness as any).memory = { managedMemoryConfiguration: { eventExpiryDuration: 60 } };
    harness.with(new BedrockCustomerManagedKey(key));
    Template.fromStack(stack).hasResourceProperties('AWS::BedrockAgentCore::Harness', {
      Memory: { ManagedMemoryConfiguration: { EventExpiryDuration: 60, EncryptionKeyArn: KEY_ARN } },
    });
  });
});

describeIfL1('CfnHarness')('a harness without a memory of its own', () => {
  test.each([
    ['an existing memory', { agentCoreMemoryConfiguration: { arn: `arn:aws:bedrock-agentcore:${TEST_REGION}:${TEST_ACCOUNT}:memory/mem-1234567890` } }],
    ['memory disabled', { disabled: {} }],
  ])('%s: the mixin leaves it alone, and the checks do not ask for a key', (_, memory) => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const harness = byType('AWS::BedrockAgentCore::Harness').make(stack, { roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/HarnessRole` });
    (harness as any).memory = memory;
    const mixin = new BedrockCustomerManagedKey(key);
    expect(mixin.supports(harness)).toBe(false);
    Mixins.of(stack).apply(mixin);
    const [resource] = Object.values<any>(Template.fromStack(stack).findResources('AWS::BedrockAgentCore::Harness'));
    expect(resource.Properties.Memory.ManagedMemoryConfiguration).toBeUndefined();
    Aspects.of(stack).add(new BedrockEncryptionChecks());
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp(BedrockEncryptionRules.NO_CUSTOMER_MANAGED_KEY))).toEqual([]);
  });
});

/** The aws-bedrockagentcore L2s are in the newest aws-cdk-lib only: these run in that configuration. */
const describeIfL2 = (name: string) => (typeof L2S[name] === 'function' ? describe : describe.skip);

/** The KMS actions a role's policies allow on any resource with no condition. */
function unconditionedKmsActions(stack: Stack, role: iam.IRole): string[] {
  const roleId = stack.resolve((role.node.defaultChild as iam.CfnRole).logicalId);
  const resources = Template.fromStack(stack).toJSON().Resources;
  return Object.values<any>(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement)
    .filter((s: any) => s.Condition === undefined)
    .flatMap((s: any) => [s.Action].flat())
    .filter((a: string) => a.startsWith('kms:'));
}

describeIfL2('Memory')('aws-bedrockagentcore Memory L2', () => {
  test('without kmsKey: the mixin sets the key on its CfnMemory, and no role gets unconditioned key use', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const memory = new L2S.Memory(stack, 'Memory', { memoryName: 'memory' });
    memory.with(new BedrockCustomerManagedKey(key));
    Template.fromStack(stack).hasResourceProperties('AWS::BedrockAgentCore::Memory', { EncryptionKeyArn: KEY_ARN });
    expect(unconditionedKmsActions(stack, memory.executionRole)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('was given kmsKey'));
    const policies = SynthesizedPolicies.of(stack);
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': VIA_AGENTCORE } })).toBe('Allowed');
  });

  test('with kmsKey: the unconditioned grants the L2 wrote stay, and a warning names them', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const memory = new L2S.Memory(stack, 'Memory', { memoryName: 'memory', kmsKey: key });
    Mixins.of(stack).apply(new BedrockCustomerManagedKey(key));
    const actions = unconditionedKmsActions(stack, memory.executionRole);
    expect(actions).toEqual(expect.arrayContaining(['kms:CreateGrant', 'kms:Decrypt']));
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Memory', Match.stringLikeRegexp('was given kmsKey'));
    expect(warnings).toHaveLength(1);
    const message = String(warnings[0].entry.data);
    for (const action of actions) expect(message).toContain(action);
    expect(message).toContain(BedrockEncryptionWarnings.L2_UNCONDITIONED_KEY_GRANTS);
    expect(message).toContain(`role '${memory.executionRole.node.path}'`);
  });
});

describeIfL2('Gateway')('aws-bedrockagentcore Gateway L2', () => {
  const gateway = (stack: Stack, kmsKey?: kms.IKey) => new L2S.Gateway(stack, 'Gateway', {
    gatewayName: 'gateway', authorizerConfiguration: L2S.GatewayAuthorizer.usingAwsIam(), kmsKey,
  });

  test('without kmsKey: the mixin sets the key on its CfnGateway and names the gateway role in the key policy', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const gw = gateway(stack);
    gw.with(new BedrockCustomerManagedKey(key));
    Template.fromStack(stack).hasResourceProperties('AWS::BedrockAgentCore::Gateway', { KmsKeyArn: KEY_ARN });
    expect(unconditionedKmsActions(stack, gw.role)).toEqual([]);
    const policies = SynthesizedPolicies.of(stack);
    const context = {
      'kms:ViaService': VIA_AGENTCORE,
      'kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn': agentCoreArn(TEST_ACCOUNT, 'gateway', 'gateway-abc123'),
    };
    expect(policies.evaluate({ principal: policies.arn(gw.role), action: 'kms:Decrypt', context })).toBe('Allowed');
    // The target-encryption statements: the gateway role's requests at CreateGateway carry no kms:ViaService and no context.
    expect(policies.evaluate({ principal: policies.arn(gw.role), action: 'kms:GenerateDataKey', context: {} })).toBe('Allowed');
    expect(policies.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: {} })).toBe('ImplicitlyDenied');
  });

  test('with kmsKey: a warning names the unconditioned grants of the gateway role', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const gw = gateway(stack, key);
    gw.with(new BedrockCustomerManagedKey(key));
    const actions = unconditionedKmsActions(stack, gw.role);
    expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:CreateGrant']));
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Gateway', Match.stringLikeRegexp('was given kmsKey'));
    expect(warnings).toHaveLength(1);
    for (const action of actions) expect(String(warnings[0].entry.data)).toContain(action);
  });
});

describeIfL2('PolicyEngine')('aws-bedrockagentcore PolicyEngine L2', () => {
  test('the mixin sets the key on its CfnPolicyEngine; the L2 writes no key grants, so nothing to warn about', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new L2S.PolicyEngine(stack, 'Engine', { policyEngineName: 'engine', kmsKey: key }).with(new BedrockCustomerManagedKey(key));
    Template.fromStack(stack).hasResourceProperties('AWS::BedrockAgentCore::PolicyEngine', { EncryptionKeyArn: KEY_ARN });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('was given kmsKey'));
  });
});
