import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BedrockCustomerManagedKey, BedrockEncryptionWarnings, BedrockKey, EncryptedAgent, EncryptedFlow } from '../../src';
import { KEY_POLICY_LIMIT_BYTES, keyPolicyBytes, MAX_STATEMENT_BYTES } from '../../src/wiring/key-policy-size';
import { PASS_THROUGH_FLOW } from '../flow/definitions';
import { proofApp } from '../proof/stacks';
import { assemblyGraph, findCycle } from '../util/assembly-graph';
import { evaluatePolicies, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const INSTRUCTION = 'You answer questions about orders, politely and briefly, in the language of the user.';
const AGENT_CONTEXT = 'kms:EncryptionContext:aws:bedrock:arn';
const FLOW_CONTEXT = 'kms:EncryptionContext:aws:bedrock-flows:arn';
const VIA_BEDROCK = `bedrock.${TEST_REGION}.amazonaws.com`;
const IMPORTED_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/**
 * The key policy without its administration statements (the account root, for every principal
 * of the account that an IAM policy allows): what is left is what the library wrote, and it
 * alone must let the intended role in and keep a look-alike out.
 */
function libraryStatements(keyPolicy: any): any {
  const administration = (s: any) => s.Principal?.AWS === `arn:aws:iam::${TEST_ACCOUNT}:root` && s.Condition?.StringEquals?.['aws:PrincipalArn'] === undefined;
  return { ...keyPolicy, Statement: keyPolicy.Statement.filter((s: any) => !administration(s)) };
}

/** A role of the same account with the same identity policies as `roleArn`: a look-alike. */
function lookAlike(roleArn: string): string {
  return roleArn.replace(/role\/.*/, 'role/SomeOtherRole');
}

describe('a key in a central stack, the Bedrock resources in others', () => {
  function layout() {
    const app = new App();
    const keyStack = testStack('KeyStack', app);
    const key = new BedrockKey(keyStack, 'Key');
    const agentStack = testStack('AgentStack', app);
    const agent = new EncryptedAgent(agentStack, 'Agent', {
      agentName: 'orders', foundationModel: MODEL, instruction: INSTRUCTION, encryptionKey: key.key, aliasName: 'live',
    });
    const flowStack = testStack('FlowStack', app);
    const flow = new EncryptedFlow(flowStack, 'Flow', { flowName: 'orders', definition: PASS_THROUGH_FLOW, encryptionKey: key.key });
    return { app, keyStack, key, agentStack, agent, flowStack, flow };
  }

  test('synthesizes with no cycle: the resource stacks need the key stack, and the key stack needs nothing', () => {
    const { app } = layout();
    const graph = assemblyGraph(app.synth());
    expect(findCycle(graph.stacks)).toBeUndefined();
    expect(findCycle(graph.resources)).toBeUndefined();
    expect(Object.fromEntries([...graph.stacks].map(([s, needs]) => [s, [...needs]]))).toEqual({
      KeyStack: [], AgentStack: ['KeyStack'], FlowStack: ['KeyStack'],
    });
  });

  test("the agent's role may not use the key (cmk-agent-resources gives it none), nor may a look-alike role of the account or another account's role", () => {
    const { keyStack, key, agentStack, agent } = layout();
    const [keys, agents] = SynthesizedPolicies.ofStacks(keyStack, agentStack);
    const roleArn = agents.arn(agent.role);
    const decrypt = (principal: string, identityPolicies: any[]) => evaluatePolicies({
      principal,
      action: 'kms:Decrypt',
      resource: keys.arn(key.key),
      resourceAccount: TEST_ACCOUNT,
      resourcePolicy: libraryStatements(keys.keyPolicy()),
      identityPolicies,
      context: { 'aws:PrincipalArn': principal },
    });
    const identity = agents.identityPolicies(agent.role);
    expect(decrypt(roleArn, identity)).toBe('ImplicitlyDenied');
    expect(decrypt(lookAlike(roleArn), identity)).toBe('ImplicitlyDenied');
    expect(decrypt(roleArn.replace(TEST_ACCOUNT, OTHER_ACCOUNT), identity)).toBe('ImplicitlyDenied');
    // Without identity policies the role is denied too: no statement the library wrote names it or its account.
    expect(decrypt(roleArn, [])).toBe('ImplicitlyDenied');
    // Nor does the account root's delegation help: the role's identity policy has no key statement.
    expect(evaluatePolicies({
      principal: roleArn,
      action: 'kms:Decrypt',
      resource: keys.arn(key.key),
      resourceAccount: TEST_ACCOUNT,
      resourcePolicy: keys.keyPolicy(),
      identityPolicies: identity,
      context: { 'aws:PrincipalArn': roleArn },
    })).toBe('ImplicitlyDenied');
    expect(JSON.stringify(keys.keyPolicy())).not.toContain(roleArn);
  });

  test("the flow's execution role may use the key through Bedrock for this account's flows only", () => {
    const { keyStack, key, flowStack, flow } = layout();
    const [keys, flows] = SynthesizedPolicies.ofStacks(keyStack, flowStack);
    const roleArn = flows.arn(flow.role);
    const request = (principal: string, context: Record<string, string>) => evaluatePolicies({
      principal,
      action: 'kms:GenerateDataKey',
      resource: keys.arn(key.key),
      resourceAccount: TEST_ACCOUNT,
      resourcePolicy: libraryStatements(keys.keyPolicy()),
      identityPolicies: flows.identityPolicies(flow.role),
      context: { 'aws:PrincipalArn': principal, 'kms:ViaService': VIA_BEDROCK, [FLOW_CONTEXT]: flows.arn(flow.cfnFlow), ...context },
    });
    expect(request(roleArn, {})).toBe('Allowed');
    expect(request(lookAlike(roleArn), {})).toBe('ImplicitlyDenied');
    expect(request(roleArn, { [FLOW_CONTEXT]: `arn:aws:bedrock:${TEST_REGION}:${OTHER_ACCOUNT}:flow/FLOW123456` })).toBe('ImplicitlyDenied');
    expect(request(roleArn, { 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });

  test('the mixin on an L1 whose role has a fixed name works the same way: no statement names the role, and the role gets no key use', () => {
    const app = new App();
    const keyStack = testStack('KeyStack', app);
    const key = new BedrockKey(keyStack, 'Key');
    const stack = testStack('AgentStack', app);
    const role = new iam.Role(stack, 'Role', { roleName: 'orders-agent', assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'orders', agentResourceRoleArn: role.roleArn })
      .with(new BedrockCustomerManagedKey(key.key));
    expect(findCycle(assemblyGraph(app.synth()).stacks)).toBeUndefined();
    const [keys, agents] = SynthesizedPolicies.ofStacks(keyStack, stack);
    expect(keys.keyPolicyStatements()).not.toContainEqual(expect.objectContaining({
      Condition: expect.objectContaining({ StringEquals: expect.objectContaining({ 'aws:PrincipalArn': expect.anything() }) }),
    }));
    expect(JSON.stringify(keys.keyPolicy())).not.toContain(`arn:aws:iam::${TEST_ACCOUNT}:role/orders-agent`);
    expect(agents.identityPolicies(role)).toEqual([]);
  });

  test('the L1 waits for the role policy the mixin writes (a flow\'s); a CfnAgent gets none, so waits for none', () => {
    const app = new App();
    const keyStack = testStack('KeyStack', app);
    const key = new BedrockKey(keyStack, 'Key');
    const stack = testStack('FlowStack', app);
    const role = new iam.Role(stack, 'Role', { roleName: 'orders-flow', assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const flow = new bedrock.CfnFlow(stack, 'Flow', { name: 'orders', executionRoleArn: role.roleArn });
    flow.with(new BedrockCustomerManagedKey(key.key));
    const agentStack = testStack('AgentStack', app);
    const agentRole = new iam.Role(agentStack, 'Role', { roleName: 'orders-agent', assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const agent = new bedrock.CfnAgent(agentStack, 'Agent', { agentName: 'orders', agentResourceRoleArn: agentRole.roleArn });
    agent.with(new BedrockCustomerManagedKey(key.key));

    const template = SynthesizedPolicies.of(stack).template;
    const [policyId] = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::IAM::Policy');
    expect(policyId).toBeDefined();
    expect(template.Resources[stack.resolve(flow.logicalId)].DependsOn).toContain(policyId);
    const agentTemplate = SynthesizedPolicies.of(agentStack).template;
    expect(Object.keys(agentTemplate.Resources).filter((id) => agentTemplate.Resources[id].Type === 'AWS::IAM::Policy')).toEqual([]);
    expect(agentTemplate.Resources[agentStack.resolve(agent.logicalId)].DependsOn).toBeUndefined();
  });
});

describe('an imported key', () => {
  function imported() {
    const app = new App();
    const stack = testStack('AgentStack', app);
    const key = kms.Key.fromKeyArn(stack, 'Imported', IMPORTED_KEY_ARN);
    const agent = new EncryptedAgent(stack, 'Agent', { agentName: 'orders', foundationModel: MODEL, instruction: INSTRUCTION, encryptionKey: key });
    const warning = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(BedrockEncryptionWarnings.KEY_POLICY_NOT_UPDATED));
    const file = /in '([^']+\.json)' in the cloud assembly/.exec(warning[0].entry.data as string)![1];
    const document = JSON.parse(fs.readFileSync(path.join(app.synth().directory, file), 'utf8'));
    return { stack, agent, file, document };
  }

  test('the file the warning names holds the statements with every principal a concrete ARN, and none for the agent\'s role', () => {
    const { file, document } = imported();
    expect(file).toMatch(/^AgentStack\.ImportedKeyPolicyToAdd[0-9A-F]{8}\.json$/);
    const principals = document.Statement.map((s: any) => s.Principal.AWS ?? s.Principal.Service);
    expect(principals).toEqual([
      'bedrock.amazonaws.com', `arn:aws:iam::${TEST_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${TEST_ACCOUNT}-${TEST_REGION}`,
    ]);
    expect(JSON.stringify(document)).not.toMatch(/aws:PrincipalArn|Grant/);
    expect(JSON.stringify(document)).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
  });

  test('once added, the file lets Bedrock use the key for the agent, and neither the agent\'s role nor a look-alike', () => {
    const { stack, agent, document } = imported();
    const p = SynthesizedPolicies.of(stack);
    const roleArn = p.arn(agent.role);
    const request = (principal: string, action: string, context: Record<string, string>, identityPolicies: any[] = []) => evaluatePolicies({
      principal, action, resource: IMPORTED_KEY_ARN, resourceAccount: TEST_ACCOUNT, resourcePolicy: document, identityPolicies, context,
    });
    const agentArn = p.bedrockArn('agent', p.logicalId(agent.cfnAgent));
    expect(request('bedrock.amazonaws.com', 'kms:Decrypt', { [AGENT_CONTEXT]: agentArn })).toBe('Allowed');
    expect(request('bedrock.amazonaws.com', 'kms:Decrypt', { [AGENT_CONTEXT]: agentArn.replace(TEST_ACCOUNT, OTHER_ACCOUNT) })).toBe('ImplicitlyDenied');
    const identity = p.identityPolicies(agent.role);
    expect(request(roleArn, 'kms:Decrypt', { 'aws:PrincipalArn': roleArn }, identity)).toBe('ImplicitlyDenied');
    expect(request(lookAlike(roleArn), 'kms:Decrypt', { 'aws:PrincipalArn': lookAlike(roleArn) }, identity)).toBe('ImplicitlyDenied');
  });

  test('a role without a fixed name keeps its reference, and a second warning says the file holds an expression (a flow\'s role; an agent\'s is not in the file)', () => {
    const app = new App();
    const stack = testStack('FlowStack', app);
    const key = kms.Key.fromKeyArn(stack, 'Imported', IMPORTED_KEY_ARN);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    new bedrock.CfnFlow(stack, 'Flow', { name: 'orders', executionRoleArn: role.roleArn }).with(new BedrockCustomerManagedKey(key));
    Annotations.fromStack(stack).hasWarning('/FlowStack/Imported', Match.stringLikeRegexp(
      `FlowStack\\.ImportedKeyPolicyToAdd[0-9A-F]{8}\\.json' in the cloud assembly still holds CloudFormation expressions.*${BedrockEncryptionWarnings.POLICY_FILE_HAS_EXPRESSIONS}`));

    const agentStack = testStack('AgentStack', app);
    const agentKey = kms.Key.fromKeyArn(agentStack, 'Imported', IMPORTED_KEY_ARN);
    const agentRole = new iam.Role(agentStack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    new bedrock.CfnAgent(agentStack, 'Agent', { agentName: 'orders', agentResourceRoleArn: agentRole.roleArn }).with(new BedrockCustomerManagedKey(agentKey));
    Annotations.fromStack(agentStack).hasWarning('/AgentStack/Imported', Match.stringLikeRegexp(BedrockEncryptionWarnings.KEY_POLICY_NOT_UPDATED));
    Annotations.fromStack(agentStack).hasNoWarning('*', Match.stringLikeRegexp(BedrockEncryptionWarnings.POLICY_FILE_HAS_EXPRESSIONS));
  });
});

describe('a key policy near the KMS size limit', () => {
  const warnings = (stack: Stack) => Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(BedrockEncryptionWarnings.KEY_POLICY_NEAR_SIZE_LIMIT)).map((w) => [w.id, w.entry.data]);

  /**
   * `count` flows, each with its own role, on one key in a central stack, in stacks of 60. (Flows, not agents: an agent's
   * role is not in the key policy, so agents on one key add no statement each.)
   */
  function flowsOnOneKey(count: number) {
    const app = new App();
    const keyStack = testStack('KeyStack', app);
    const key = new BedrockKey(keyStack, 'Key');
    for (let i = 0; i < count; i++) {
      const stack = app.node.tryFindChild(`Flows${Math.floor(i / 60)}`) as Stack ?? testStack(`Flows${Math.floor(i / 60)}`, app);
      const role = new iam.Role(stack, `Role${i}`, { roleName: `flow-${i}`, assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
      new bedrock.CfnFlow(stack, `Flow${i}`, { name: `f${i}`, executionRoleArn: role.roleArn }).with(new BedrockCustomerManagedKey(key.key));
    }
    return { keyStack, key };
  }

  test('past 80% of 32 KB, one warning names the key, its size and how to split', () => {
    const { keyStack, key } = flowsOnOneKey(75);
    const bytes = keyPolicyBytes(key.key)!;
    expect(bytes).toBeGreaterThan(0.8 * KEY_POLICY_LIMIT_BYTES);
    expect(warnings(keyStack)).toEqual([[
      '/KeyStack/Key/Key',
      expect.stringMatching(new RegExp(`The policy of the key 'KeyStack/Key/Key' is about ${(bytes / 1024).toFixed(1)} KB, \\d+% of the 32 KB AWS KMS accepts.*Split it`)),
    ]]);
  });

  test('below 80%, no warning', () => {
    const { keyStack, key } = flowsOnOneKey(20);
    expect(keyPolicyBytes(key.key)).toBeLessThan(0.8 * KEY_POLICY_LIMIT_BYTES);
    expect(warnings(keyStack)).toEqual([]);
  });

  test('no key-policy statement of the proof stacks comes near MAX_STATEMENT_BYTES, below which small policies are not measured', () => {
    const { stacks } = proofApp();
    const sizes = stacks.flatMap((stack) => Object.values<any>(Template.fromStack(stack).findResources('AWS::KMS::Key'))
      .flatMap((key) => SynthesizedPolicies.of(stack).resolve(key.Properties.KeyPolicy).Statement)
      .map((statement: unknown) => Buffer.byteLength(JSON.stringify(statement))));
    expect(sizes.length).toBeGreaterThan(50);
    expect(Math.max(...sizes)).toBeLessThan(MAX_STATEMENT_BYTES / 2);
  });

  test('the measured size is the policy as the template holds it, with the environment filled in', () => {
    const { keyStack, key } = flowsOnOneKey(3);
    const resolved = SynthesizedPolicies.of(keyStack).keyPolicy(key.key);
    expect(keyPolicyBytes(key.key)).toBe(Buffer.byteLength(JSON.stringify(resolved)));
  });
});
