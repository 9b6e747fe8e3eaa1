import { CfnParameter, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AgentKnowledgeBase, EncryptedAgent, EncryptedAgentProps } from '../../src/agent';
import { BedrockEncryptionError } from '../../src/private/validation';
import { KnowledgeBaseReference } from '../../src/references';
import { normalize } from '../util/statements';
import {
  acknowledgeCloudFormationFindings, DEPLOYMENT_ROLE_ARN, evaluatePolicies, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack,
} from '../util/synthesized-policies';

const MODEL_ID = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const MODEL_ARN = `arn:aws:bedrock:${TEST_REGION}::foundation-model/${MODEL_ID}`;
const INSTRUCTION = 'You answer questions about orders, politely and briefly, in the language of the user.';
const AGENT_CONTEXT = 'kms:EncryptionContext:aws:bedrock:arn';
const MEMORY_CONTEXT = 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn';
const IMPORTED_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const KB_ARN = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:knowledge-base/KB12345678`;
const INVOKE = ['bedrock:invokemodel', 'bedrock:invokemodelwithresponsestream'];

const BASE: EncryptedAgentProps = { agentName: 'support-agent', foundationModel: MODEL_ID, instruction: INSTRUCTION };

function build(props: Partial<EncryptedAgentProps> = {}, stack: Stack = testStack()) {
  const agent = new EncryptedAgent(stack, 'Support', { ...BASE, ...props });
  return { stack, agent };
}

/** A role of the test account that callers use, and the agent granted to it. */
function withCaller(props: Partial<EncryptedAgentProps> = {}) {
  const built = build(props);
  const caller = new iam.Role(built.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
  const grant = built.agent.grantInvoke(caller);
  const p = SynthesizedPolicies.of(built.stack);
  return { ...built, caller, grant, p, callerArn: `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(caller)}` };
}

/** The statements of resolved policy documents, normalized. */
const resolvedStatements = (docs: any[]) => docs.flatMap((d) => d.Statement).map(normalize);

describe('the agent', () => {
  test('CfnAgent: the key, the role, the model, auto-prepare', () => {
    const { stack, agent } = build({ description: 'Answers order questions', idleSessionTtl: Duration.minutes(15) });
    const p = SynthesizedPolicies.of(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::Agent', {
      AgentName: 'support-agent',
      FoundationModel: MODEL_ID,
      Instruction: INSTRUCTION,
      Description: 'Answers order questions',
      AutoPrepare: true,
      IdleSessionTTLInSeconds: 900,
      CustomerEncryptionKeyArn: { 'Fn::GetAtt': [p.logicalId(agent.bedrockKey.key), 'Arn'] },
      AgentResourceRoleArn: { 'Fn::GetAtt': [p.logicalId(agent.role), 'Arn'] },
      MemoryConfiguration: Match.absent(),
      KnowledgeBases: Match.absent(),
    });
    expect(agent.encryptionKey).toBe(agent.bedrockKey.key);
    expect(agent.grantPrincipal).toBe(agent.role);
    expect(agent.aliasArn).toBeUndefined();
    expect(agent.cfnAlias).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::Bedrock::AgentAlias', 0);
  });

  test('the agent depends on its role and the role policy', () => {
    const { stack, agent } = build();
    const p = SynthesizedPolicies.of(stack);
    const agentResource = p.template.Resources[p.logicalId(agent.cfnAgent)];
    const [rolePolicy] = p.idsOfType('AWS::IAM::Policy');
    expect(agentResource.DependsOn).toEqual(expect.arrayContaining([p.logicalId(agent.role), rolePolicy]));
  });

  test('the default role is a Bedrock service role for agents of this account and region', () => {
    const { stack, agent } = build();
    const trust = SynthesizedPolicies.of(stack).trustPolicy(agent.role);
    expect(trust.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent/*` },
      },
    }]);
  });

  test('an alias: CfnAgentAlias on the agent, with its ARN resolvable', () => {
    const { stack, agent } = build({ aliasName: 'live' });
    const p = SynthesizedPolicies.of(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::AgentAlias', {
      AgentAliasName: 'live',
      AgentId: { 'Fn::GetAtt': [p.logicalId(agent.cfnAgent), 'AgentId'] },
    });
    const aliasId = p.logicalId(agent.cfnAlias!);
    expect(p.resolve(stack.resolve(agent.aliasArn))).toBe(p.bedrockArn('agent-alias', `${p.logicalId(agent.cfnAgent)}/${aliasId}`));
    expect(p.resolve(stack.resolve(agent.aliasId))).toBe(aliasId);
  });

  test('knowledge bases: associated with a description and state', () => {
    const kbs: AgentKnowledgeBase[] = [
      { knowledgeBase: KnowledgeBaseReference.fromKnowledgeBaseArn(KB_ARN), description: 'Order history' },
      {
        knowledgeBase: KnowledgeBaseReference.fromAttributes({ knowledgeBaseId: 'KB87654321', knowledgeBaseArn: KB_ARN.replace('KB12345678', 'KB87654321') }),
        description: 'Return policy',
        enabled: false,
      },
    ];
    const { stack } = build({ knowledgeBases: kbs });
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::Agent', {
      KnowledgeBases: [
        { KnowledgeBaseId: 'KB12345678', Description: 'Order history', KnowledgeBaseState: 'ENABLED' },
        { KnowledgeBaseId: 'KB87654321', Description: 'Return policy', KnowledgeBaseState: 'DISABLED' },
      ],
    });
  });
});

describe('key policy', () => {
  // The current agent page (cmk-agent-resources, agents created after 22 January 2025): seed 004's root,
  // deployment-role and Bedrock statements; no statement for the service role, no grants for Bedrock.
  const root = {
    Effect: 'Allow',
    Principal: { AWS: [`arn:aws:iam::${TEST_ACCOUNT}:root`] },
    Action: ['kms:*'],
    Resource: ['*'],
  };
  const bedrockStatement = {
    Effect: 'Allow',
    Principal: { Service: ['bedrock.amazonaws.com'] },
    Action: ['kms:decrypt', 'kms:generatedatakey'],
    Resource: ['*'],
    Condition: { StringLike: { [AGENT_CONTEXT]: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent/*` } },
  };
  const deploymentStatement = {
    // The deployment role calls CreateAgent: the current agent encryption page's key-policy permission.
    Effect: 'Allow',
    Principal: { AWS: [DEPLOYMENT_ROLE_ARN] },
    Action: ['kms:decrypt', 'kms:generatedatakey'],
    Resource: ['*'],
    Condition: { StringLike: { [AGENT_CONTEXT]: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent/*` } },
  };
  const memoryStatement = {
    Effect: 'Allow',
    Principal: { Service: ['bedrock.amazonaws.com'] },
    Action: ['kms:generatedatakeywithoutplaintext', 'kms:reencrypt*'],
    Resource: ['*'],
    Condition: {
      StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent-alias/*` },
    },
  };
  // The deployment role sets the key on an agent with memory: the control-plane memory statement (ltm-permissions).
  const deploymentMemoryStatement = {
    Effect: 'Allow',
    Principal: { AWS: [DEPLOYMENT_ROLE_ARN] },
    Action: ['kms:generatedatakeywithoutplaintext', 'kms:reencrypt*'],
    Resource: ['*'],
    Condition: { StringLike: { [MEMORY_CONTEXT]: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent-alias/*` } },
  };

  test('without memory: the current agent page, scoped to this account and region; nothing for the service role, no grants, nothing for memory', () => {
    const { stack, agent } = build();
    const p = SynthesizedPolicies.of(stack);
    const roleArn = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(agent.role)}`;
    expect(p.keyPolicyStatements().map(normalize)).toEqual([root, bedrockStatement, deploymentStatement]);
    expect(JSON.stringify(p.keyPolicy())).not.toContain(roleArn);
    expect(JSON.stringify(p.keyPolicy())).not.toMatch(/Grant/);
    expect(JSON.stringify(p.keyPolicy())).not.toMatch(/ReEncrypt|WithoutPlaintext/i);
  });

  test('with memory: the current agent page and the long-term memory statements; nothing for the service role, no grants', () => {
    const { stack, agent } = build({ memory: {} });
    const p = SynthesizedPolicies.of(stack);
    const roleArn = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(agent.role)}`;
    expect(p.keyPolicyStatements().map(normalize)).toEqual([root, bedrockStatement, memoryStatement, deploymentStatement, deploymentMemoryStatement]);
    expect(JSON.stringify(p.keyPolicy())).not.toContain(roleArn);
    expect(JSON.stringify(p.keyPolicy())).not.toMatch(/Grant/);
  });

  test('names no attribute of the agent or the alias (no cycle)', () => {
    const { stack } = build({ memory: {}, aliasName: 'live' });
    const template = Template.fromStack(stack).toJSON();
    const [keyId] = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::KMS::Key');
    expect(JSON.stringify(template.Resources[keyId].Properties.KeyPolicy)).not.toMatch(/Agent|Alias/);
  });

  describe('evaluated', () => {
    const { stack, agent } = build({ memory: {}, aliasName: 'live' });
    const p = SynthesizedPolicies.of(stack);
    const agentArn = p.bedrockArn('agent', p.logicalId(agent.cfnAgent));
    const bedrock = (action: string, context: Record<string, string>) =>
      p.evaluate({ principal: 'bedrock.amazonaws.com', action, context });

    test.each([
      ['this agent', agentArn, 'Allowed'],
      ['another agent of this account', p.bedrockArn('agent', 'OTHERAGENT'), 'Allowed'],
      ['an agent of another account', `arn:aws:bedrock:${TEST_REGION}:${OTHER_ACCOUNT}:agent/AGENT12345`, 'ImplicitlyDenied'],
      ['an agent in another region', `arn:aws:bedrock:eu-west-1:${TEST_ACCOUNT}:agent/AGENT12345`, 'ImplicitlyDenied'],
      ['a flow of this account', p.bedrockArn('flow', 'FLOW123456'), 'ImplicitlyDenied'],
    ])('Bedrock encrypts and decrypts for %s', (_, arn, decision) => {
      expect(bedrock('kms:Decrypt', { [AGENT_CONTEXT]: arn })).toBe(decision);
      expect(bedrock('kms:GenerateDataKey', { [AGENT_CONTEXT]: arn })).toBe(decision);
    });

    test('Bedrock without an encryption context is denied', () => {
      expect(bedrock('kms:Decrypt', {})).toBe('ImplicitlyDenied');
    });

    test('Bedrock is denied CreateGrant, ListGrants and RevokeGrant, even for AWS resources', () => {
      expect(bedrock('kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' })).toBe('ImplicitlyDenied');
      expect(bedrock('kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' })).toBe('ImplicitlyDenied');
      expect(bedrock('kms:ListGrants', { 'kms:GrantIsForAWSResource': 'true' })).toBe('ImplicitlyDenied');
      expect(bedrock('kms:RevokeGrant', { 'kms:GrantIsForAWSResource': 'true' })).toBe('ImplicitlyDenied');
    });

    test('memory data keys only for this account\'s agent aliases', () => {
      const alias = p.resolve(stack.resolve(agent.aliasArn));
      expect(bedrock('kms:ReEncryptFrom', { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': alias })).toBe('Allowed');
      expect(bedrock('kms:GenerateDataKeyWithoutPlaintext', { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': alias })).toBe('Allowed');
      expect(bedrock('kms:ReEncryptFrom', { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': alias })).toBe('ImplicitlyDenied');
    });

    test('the service role is denied the key, even under this agent\'s encryption context', () => {
      const role = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(agent.role)}`;
      expect(p.evaluate({ principal: role, action: 'kms:GenerateDataKey' })).toBe('ImplicitlyDenied');
      expect(p.evaluate({ principal: role, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
      expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: { [AGENT_CONTEXT]: agentArn } })).toBe('ImplicitlyDenied');
      expect(p.evaluate({ principal: role, action: 'kms:ScheduleKeyDeletion' })).toBe('ImplicitlyDenied');
    });
  });
});

describe('service role policy', () => {
  test('the model, and not the key', () => {
    const { stack, agent } = build();
    const p = SynthesizedPolicies.of(stack);
    const keyArn = p.arn(agent.bedrockKey.key);
    expect(resolvedStatements(p.identityPolicies(agent.role))).toEqual([
      { Effect: 'Allow', Action: INVOKE, Resource: [MODEL_ARN] },
    ]);
    expect(JSON.stringify(p.identityPolicies(agent.role))).not.toContain(keyArn);
  });

  test('knowledge bases: Retrieve and RetrieveAndGenerate on those only', () => {
    const other = KB_ARN.replace('KB12345678', 'KB87654321');
    const { stack, agent } = build({
      knowledgeBases: [
        { knowledgeBase: KnowledgeBaseReference.fromKnowledgeBaseArn(KB_ARN), description: 'Order history' },
        { knowledgeBase: KnowledgeBaseReference.fromKnowledgeBaseArn(other), description: 'Returns' },
      ],
    });
    const p = SynthesizedPolicies.of(stack);
    const statements = resolvedStatements(p.identityPolicies(agent.role));
    expect(statements).toContainEqual({ Effect: 'Allow', Action: ['bedrock:retrieve'], Resource: [KB_ARN, other] });
    // RetrieveAndGenerate has no resource type: IAM matches it only on "*"
    expect(statements).toContainEqual({ Effect: 'Allow', Action: ['bedrock:retrieveandgenerate'], Resource: ['*'] });
    const role = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(agent.role)}`;
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:Retrieve', resource: KB_ARN })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:Retrieve', resource: KB_ARN.replace('KB12345678', 'KB00000000') }))
      .toBe('ImplicitlyDenied');
  });

  test('without knowledge bases the role cannot retrieve', () => {
    const { stack, agent } = build();
    const p = SynthesizedPolicies.of(stack);
    const role = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(agent.role)}`;
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:Retrieve', resource: KB_ARN })).toBe('ImplicitlyDenied');
  });

  test('a foundation model: invoke that model, not another', () => {
    const { stack, agent } = build();
    const p = SynthesizedPolicies.of(stack);
    const role = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(agent.role)}`;
    const invoke = (resource: string) => p.evaluateIdentity({ principal: role, action: 'bedrock:InvokeModel', resource });
    expect(invoke(MODEL_ARN)).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:InvokeModelWithResponseStream', resource: MODEL_ARN })).toBe('Allowed');
    expect(invoke(`arn:aws:bedrock:${TEST_REGION}::foundation-model/anthropic.claude-3-opus-20240229-v1:0`)).toBe('ImplicitlyDenied');
    expect(invoke(`arn:aws:bedrock:us-west-2::foundation-model/${MODEL_ID}`)).toBe('ImplicitlyDenied');
  });

  test('an inference profile: the profile, and its model in any region only through the profile', () => {
    const { stack, agent } = build({ foundationModel: `us.${MODEL_ID}` });
    const p = SynthesizedPolicies.of(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::Agent', { FoundationModel: `us.${MODEL_ID}` });
    const role = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(agent.role)}`;
    const profileArn = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:inference-profile/us.${MODEL_ID}`;
    const invoke = (resource: string, context: Record<string, string> = {}) =>
      p.evaluateIdentity({ principal: role, action: 'bedrock:InvokeModel', resource, context });
    expect(invoke(profileArn)).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:GetInferenceProfile', resource: profileArn })).toBe('Allowed');
    const viaProfile = { 'bedrock:InferenceProfileArn': profileArn };
    expect(invoke(`arn:aws:bedrock:us-west-2::foundation-model/${MODEL_ID}`, viaProfile)).toBe('Allowed');
    expect(invoke(`arn:aws:bedrock:us-east-2::foundation-model/${MODEL_ID}`, viaProfile)).toBe('Allowed');
    expect(invoke(`arn:aws:bedrock:us-west-2::foundation-model/${MODEL_ID}`)).toBe('ImplicitlyDenied');
    expect(invoke('arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-opus-20240229-v1:0', viaProfile)).toBe('ImplicitlyDenied');
    expect(invoke(`arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:inference-profile/eu.${MODEL_ID}`)).toBe('ImplicitlyDenied');
  });
});

describe('grantInvoke', () => {
  test('identity statements: InvokeAgent on the alias, the key for this agent only', () => {
    const { agent, caller, grant, p } = withCaller({ aliasName: 'live' });
    const agentArn = p.bedrockArn('agent', p.logicalId(agent.cfnAgent));
    const aliasArn = p.bedrockArn('agent-alias', `${p.logicalId(agent.cfnAgent)}/${p.logicalId(agent.cfnAlias!)}`);
    expect(resolvedStatements(p.identityPolicies(caller))).toEqual([
      { Effect: 'Allow', Action: ['bedrock:invokeagent'], Resource: [aliasArn] },
      {
        Effect: 'Allow',
        Action: ['kms:decrypt', 'kms:generatedatakey'],
        Resource: [p.arn(agent.bedrockKey.key)],
        Condition: { StringEquals: { [AGENT_CONTEXT]: agentArn } },
      },
    ]);
    expect(grant.success).toBe(true);
    expect(grant.principalStatements).toHaveLength(2);
  });

  test('the caller decrypts for this agent and is denied for another agent', () => {
    const { agent, p, callerArn } = withCaller({ aliasName: 'live' });
    const decrypt = (agentArn: string) => p.evaluate({ principal: callerArn, action: 'kms:Decrypt', context: { [AGENT_CONTEXT]: agentArn } });
    expect(decrypt(p.bedrockArn('agent', p.logicalId(agent.cfnAgent)))).toBe('Allowed');
    expect(decrypt(p.bedrockArn('agent', 'OTHERAGENT'))).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: callerArn, action: 'kms:GenerateDataKey', context: { [AGENT_CONTEXT]: p.bedrockArn('agent', p.logicalId(agent.cfnAgent)) } }))
      .toBe('Allowed');
  });

  test('the caller invokes the alias and no other', () => {
    const { agent, p, callerArn } = withCaller({ aliasName: 'live' });
    const agentId = p.logicalId(agent.cfnAgent);
    const invoke = (resource: string) => p.evaluateIdentity({ principal: callerArn, action: 'bedrock:InvokeAgent', resource });
    expect(invoke(p.bedrockArn('agent-alias', `${agentId}/${p.logicalId(agent.cfnAlias!)}`))).toBe('Allowed');
    expect(invoke(p.bedrockArn('agent-alias', `${agentId}/TSTALIASID`))).toBe('ImplicitlyDenied');
    expect(invoke(p.bedrockArn('agent-alias', 'OTHERAGENT/ALIAS12345'))).toBe('ImplicitlyDenied');
  });

  test('without an alias: every alias of this agent, the test alias included', () => {
    const { agent, p, callerArn } = withCaller();
    const agentId = p.logicalId(agent.cfnAgent);
    const invoke = (resource: string) => p.evaluateIdentity({ principal: callerArn, action: 'bedrock:InvokeAgent', resource });
    expect(invoke(p.bedrockArn('agent-alias', `${agentId}/TSTALIASID`))).toBe('Allowed');
    expect(invoke(p.bedrockArn('agent-alias', 'OTHERAGENT/TSTALIASID'))).toBe('ImplicitlyDenied');
  });

  test('without memory the caller gets no memory permissions', () => {
    const { agent, p, callerArn } = withCaller({ aliasName: 'live' });
    const aliasArn = p.bedrockArn('agent-alias', `${p.logicalId(agent.cfnAgent)}/${p.logicalId(agent.cfnAlias!)}`);
    expect(JSON.stringify(p.identityPolicies(p.logicalId(agent.role)))).not.toMatch(/ReEncrypt/);
    expect(p.evaluate({ principal: callerArn, action: 'kms:ReEncryptFrom', context: { [MEMORY_CONTEXT]: aliasArn } })).toBe('ImplicitlyDenied');
  });

  test('with memory: control plane and data plane statements under the alias memory context', () => {
    const { agent, caller, p, callerArn } = withCaller({ aliasName: 'live', memory: { storageDays: 7 } });
    const aliasArn = p.bedrockArn('agent-alias', `${p.logicalId(agent.cfnAgent)}/${p.logicalId(agent.cfnAlias!)}`);
    const keyArn = p.arn(agent.bedrockKey.key);
    const statements = resolvedStatements(p.identityPolicies(caller));
    expect(statements).toEqual(expect.arrayContaining([
      {
        Effect: 'Allow',
        Action: ['kms:generatedatakeywithoutplaintext', 'kms:reencrypt*'],
        Resource: [keyArn],
        Condition: { StringEquals: { [MEMORY_CONTEXT]: aliasArn } },
      },
      {
        Effect: 'Allow',
        Action: ['kms:decrypt'],
        Resource: [keyArn],
        Condition: { StringEquals: { [MEMORY_CONTEXT]: aliasArn, 'kms:ViaService': `bedrock.${TEST_REGION}.amazonaws.com` } },
      },
    ]));
    expect(statements).toHaveLength(4);

    const memory = (action: string, alias: string, extra: Record<string, string> = {}) =>
      p.evaluate({ principal: callerArn, action, context: { [MEMORY_CONTEXT]: alias, ...extra } });
    expect(memory('kms:ReEncryptFrom', aliasArn)).toBe('Allowed');
    expect(memory('kms:GenerateDataKeyWithoutPlaintext', aliasArn)).toBe('Allowed');
    expect(memory('kms:ReEncryptFrom', p.bedrockArn('agent-alias', 'OTHERAGENT/ALIAS12345'))).toBe('ImplicitlyDenied');
    expect(memory('kms:Decrypt', aliasArn, { 'kms:ViaService': `bedrock.${TEST_REGION}.amazonaws.com` })).toBe('Allowed');
    expect(memory('kms:Decrypt', aliasArn, { 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');

    Template.fromStack(agent.node.scope as Stack).hasResourceProperties('AWS::Bedrock::Agent', {
      MemoryConfiguration: { EnabledMemoryTypes: ['SESSION_SUMMARY'], StorageDays: 7 },
    });
  });

  test('with memory and no alias: the memory context is any alias of this agent', () => {
    const { agent, p, callerArn } = withCaller({ memory: {} });
    const agentId = p.logicalId(agent.cfnAgent);
    const memory = (alias: string) => p.evaluate({ principal: callerArn, action: 'kms:ReEncryptFrom', context: { [MEMORY_CONTEXT]: alias } });
    expect(memory(p.bedrockArn('agent-alias', `${agentId}/TSTALIASID`))).toBe('Allowed');
    expect(memory(p.bedrockArn('agent-alias', 'OTHERAGENT/TSTALIASID'))).toBe('ImplicitlyDenied');
    Template.fromStack(agent.node.scope as Stack).hasResourceProperties('AWS::Bedrock::Agent', {
      MemoryConfiguration: { EnabledMemoryTypes: ['SESSION_SUMMARY'], StorageDays: 30 },
    });
  });

  test('the agent\'s own role cannot be granted', () => {
    const { agent } = build();
    expect(() => agent.grantInvoke(agent.role)).toThrow(BedrockEncryptionError);
    expect(() => agent.grantInvoke(agent)).toThrow(/own role/);
  });

  test('a caller in another stack of the same app', () => {
    const { stack, agent } = build({ aliasName: 'live' });
    const other = new Stack(stack.node.scope as any, 'Callers', { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
    const caller = new iam.Role(other, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    agent.grantInvoke(caller);
    expect(() => Template.fromStack(other)).not.toThrow();
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('an imported key', () => {
  function importedKeyStack(props: Partial<EncryptedAgentProps> = {}) {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'ImportedKey', IMPORTED_KEY_ARN);
    const { agent } = build({ encryptionKey: key, ...props }, stack);
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    agent.grantInvoke(caller);
    const p = SynthesizedPolicies.of(stack);
    const outputs = p.template.Outputs ?? {};
    const outputId = Object.keys(outputs).find((id) => id.includes('KeyPolicyToAdd'));
    const keyPolicy = outputId ? JSON.parse(p.resolve(outputs[outputId].Value)) : undefined;
    return { stack, agent, caller, p, keyPolicy };
  }

  test('the agent and its caller are wired to the key, the service role is not, and no key is created', () => {
    const { stack, agent, caller, p } = importedKeyStack();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::Bedrock::Agent', { CustomerEncryptionKeyArn: IMPORTED_KEY_ARN });
    expect(agent.encryptionKey.keyArn).toBe(IMPORTED_KEY_ARN);
    expect(resolvedStatements(p.identityPolicies(agent.role))).toEqual([{ Effect: 'Allow', Action: INVOKE, Resource: [MODEL_ARN] }]);
    expect(JSON.stringify(p.identityPolicies(agent.role))).not.toContain(IMPORTED_KEY_ARN);
    expect(resolvedStatements(p.identityPolicies(caller))).toContainEqual(expect.objectContaining({ Resource: [IMPORTED_KEY_ARN] }));
  });

  test('the key-policy statements are emitted as KeyPolicyToAdd, never dropped; none names the service role, none is a grant', () => {
    const { agent, p, keyPolicy } = importedKeyStack({ memory: {} });
    const roleArn = p.arn(agent.role);
    expect(keyPolicy.Version).toBe('2012-10-17');
    const statements = keyPolicy.Statement.map(normalize);
    expect(statements).toHaveLength(4);
    expect(statements).toEqual([
      expect.objectContaining({
        Principal: { Service: ['bedrock.amazonaws.com'] },
        Action: ['kms:decrypt', 'kms:generatedatakey'],
        Condition: { StringLike: { [AGENT_CONTEXT]: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent/*` } },
      }),
      expect.objectContaining({ Principal: { Service: ['bedrock.amazonaws.com'] }, Action: ['kms:generatedatakeywithoutplaintext', 'kms:reencrypt*'] }),
      expect.objectContaining({ Principal: { AWS: [DEPLOYMENT_ROLE_ARN] }, Action: ['kms:decrypt', 'kms:generatedatakey'] }),
      expect.objectContaining({ Principal: { AWS: [DEPLOYMENT_ROLE_ARN] }, Action: ['kms:generatedatakeywithoutplaintext', 'kms:reencrypt*'] }),
    ]);
    expect(JSON.stringify(keyPolicy)).not.toContain(roleArn);
    expect(JSON.stringify(keyPolicy)).not.toMatch(/aws:PrincipalArn|Grant/);
  });

  test('the emitted policy, once added, lets Bedrock use the key for this account\'s agents', () => {
    const { keyPolicy, p, agent } = importedKeyStack();
    const bedrock = (agentArn: string) => evaluatePolicies({
      principal: 'bedrock.amazonaws.com',
      action: 'kms:Decrypt',
      resource: IMPORTED_KEY_ARN,
      resourceAccount: TEST_ACCOUNT,
      resourcePolicy: keyPolicy,
      context: { [AGENT_CONTEXT]: agentArn },
    });
    expect(bedrock(p.bedrockArn('agent', p.logicalId(agent.cfnAgent)))).toBe('Allowed');
    expect(bedrock(`arn:aws:bedrock:${TEST_REGION}:${OTHER_ACCOUNT}:agent/AGENT12345`)).toBe('ImplicitlyDenied');
  });

  test('a synth warning names the output', () => {
    const { stack } = importedKeyStack();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp(`${IMPORTED_KEY_ARN}.*KeyPolicyToAdd`));
  });

  test.each([
    ['region', `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ['account', `arn:aws:kms:${TEST_REGION}:${OTHER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
  ])('a key in another %s throws and leaves nothing behind', (_, arn) => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'ImportedKey', arn);
    expect(() => build({ encryptionKey: key }, stack)).toThrow(BedrockEncryptionError);
    expect(stack.node.tryFindChild('Support')).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Bedrock::Agent', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('a key ARN that is a token is not checked', () => {
    const stack = testStack();
    const arn = new CfnParameter(stack, 'KeyArn').valueAsString;
    const { agent } = build({ encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', arn) }, stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::Agent', { CustomerEncryptionKeyArn: { Ref: 'KeyArn' } });
    expect(agent.bedrockKey.hasUnwrittenStatements).toBe(true);
  });
});

describe('a role given by the user', () => {
  test('an iam.Role gets the model statement and not the key, and no role is created', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const { agent } = build({ role }, stack);
    const p = SynthesizedPolicies.of(stack);
    expect(agent.role).toBe(role);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 1);
    expect(resolvedStatements(p.identityPolicies(role))).toEqual([
      { Effect: 'Allow', Action: INVOKE, Resource: [MODEL_ARN] },
    ]);
    expect(JSON.stringify(p.identityPolicies(role))).not.toContain(p.arn(agent.bedrockKey.key));
    expect(p.template.Resources[p.logicalId(agent.cfnAgent)].DependsOn).toEqual(expect.arrayContaining([p.logicalId(role)]));
  });

  test('an imported mutable role gets a policy the agent waits for, and the key policy does not name it', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', `arn:aws:iam::${TEST_ACCOUNT}:role/AgentRole`);
    const { agent } = build({ role }, stack);
    const p = SynthesizedPolicies.of(stack);
    const [policyId] = p.idsOfType('AWS::IAM::Policy');
    expect(p.template.Resources[policyId].Properties.Roles).toEqual(['AgentRole']);
    expect(p.template.Resources[p.logicalId(agent.cfnAgent)].DependsOn).toEqual(expect.arrayContaining([policyId]));
    expect(p.keyPolicyStatements()).toHaveLength(3);
    expect(JSON.stringify(p.keyPolicy())).not.toContain(`arn:aws:iam::${TEST_ACCOUNT}:role/AgentRole`);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cannot be changed'));
  });

  test('an immutable role: the model statement (not the key) is emitted as RolePolicyToAdd, with a synth warning', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Imported', `arn:aws:iam::${TEST_ACCOUNT}:role/AgentRole`, { mutable: false });
    const { agent } = build({ role }, stack);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    const p = SynthesizedPolicies.of(stack);
    const outputId = Object.keys(p.template.Outputs).find((id) => id.includes('RolePolicyToAdd'))!;
    const rolePolicy = JSON.parse(p.resolve(p.template.Outputs[outputId].Value));
    expect(rolePolicy.Statement.map(normalize)).toEqual([
      { Effect: 'Allow', Action: INVOKE, Resource: [MODEL_ARN] },
    ]);
    expect(JSON.stringify(rolePolicy)).not.toContain(p.arn(agent.bedrockKey.key));
    Annotations.fromStack(stack).hasWarning('/TestStack/Imported', Match.stringLikeRegexp(
      `identity policy of principal arn:aws:iam::${TEST_ACCOUNT}:role/AgentRole cannot be changed.*RolePolicyToAdd`));
  });
});

describe('bad input', () => {
  test.each<[string, string, Partial<EncryptedAgentProps>, RegExp]>([
    ['agentName', 'a space', { agentName: 'support agent' }, /agentName must be 1 to 100 letters or digits.*got "support agent"/],
    ['agentName', 'a leading separator', { agentName: '-support' }, /agentName must be/],
    ['agentName', 'two separators in a row', { agentName: 'a__b' }, /agentName must be/],
    ['agentName', '101 characters', { agentName: 'a'.repeat(101) }, /agentName must be/],
    ['instruction', '10 characters', { instruction: 'Too short.' }, /instruction must be at least 40 characters; got 10 characters/],
    ['description', 'empty', { description: '' }, /description must be 1 to 200 characters/],
    ['description', '201 characters', { description: 'x'.repeat(201) }, /description must be 1 to 200 characters/],
    ['idleSessionTtl', '59 seconds', { idleSessionTtl: Duration.seconds(59) }, /idleSessionTtl must be a duration from 1 minute to 1 hour; got 59 seconds/],
    ['idleSessionTtl', '2 hours', { idleSessionTtl: Duration.hours(2) }, /idleSessionTtl must be a duration from 1 minute to 1 hour/],
    ['idleSessionTtl', '60.5 seconds', { idleSessionTtl: Duration.millis(60500) }, /idleSessionTtl must be a whole number of seconds/],
    ['memory.storageDays', '0', { memory: { storageDays: 0 } }, /memory.storageDays must be a whole number from 1 to 365 days; got 0/],
    ['memory.storageDays', '366', { memory: { storageDays: 366 } }, /memory.storageDays must be/],
    ['memory.storageDays', '1.5', { memory: { storageDays: 1.5 } }, /memory.storageDays must be/],
    ['aliasName', 'a space', { aliasName: 'my alias' }, /aliasName must be 1 to 100 letters or digits.*got "my alias"/],
    ['aliasName', 'empty', { aliasName: '' }, /aliasName must be/],
    ['foundationModel', 'a bare name', { foundationModel: 'claude' }, /foundationModel must be a foundation model id .*got "claude"/],
    ['foundationModel', 'an application inference profile', { foundationModel: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:application-inference-profile/abc123def456` },
      /foundationModel must be/],
    ['knowledgeBases', 'bad id, ARN and description', {
      knowledgeBases: [{ knowledgeBase: KnowledgeBaseReference.fromAttributes({ knowledgeBaseId: 'short', knowledgeBaseArn: 'kb' }), description: '' }],
    }, /knowledgeBases\[0\].description must be 1 to 200.*knowledgeBases\[0\].knowledgeBase.knowledgeBaseId must be 10 letters or digits.*knowledgeBases\[0\].knowledgeBase.knowledgeBaseArn must be a knowledge base ARN/],
    ['knowledgeBases', 'the same knowledge base twice', {
      knowledgeBases: [
        { knowledgeBase: KnowledgeBaseReference.fromKnowledgeBaseArn(KB_ARN), description: 'a' },
        { knowledgeBase: KnowledgeBaseReference.fromKnowledgeBaseArn(KB_ARN), description: 'b' },
      ],
    }, /knowledgeBases\[1\].knowledgeBase must be a knowledge base not associated already; got KB12345678/],
  ])('%s: %s throws a BedrockEncryptionError and creates nothing', (_prop, _case, props, message) => {
    const stack = testStack();
    let error: unknown;
    try {
      build(props, stack);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BedrockEncryptionError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^\[BedrockEncryptionError\] EncryptedAgent 'Support' at 'TestStack': /);
    expect(stack.node.tryFindChild('Support')).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Bedrock::Agent', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('every problem is reported at once', () => {
    expect(() => build({ agentName: 'bad name', instruction: 'short', aliasName: 'bad alias' }))
      .toThrow(/agentName must be.*; aliasName must be.*; instruction must be/);
  });

  test('a failed construct can be retried with the same id', () => {
    const stack = testStack();
    expect(() => build({ agentName: 'bad name' }, stack)).toThrow(BedrockEncryptionError);
    expect(() => build({}, stack)).not.toThrow();
  });
});

describe('tokens pass', () => {
  test('unresolved values are passed through, not validated', () => {
    const stack = testStack();
    const name = new CfnParameter(stack, 'AgentName').valueAsString;
    const model = new CfnParameter(stack, 'ModelArn').valueAsString;
    const days = new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber;
    build({
      agentName: name,
      aliasName: Lazy.string({ produce: () => 'x y' }),
      instruction: Lazy.string({ produce: () => 'short' }),
      description: Lazy.string({ produce: () => '' }),
      foundationModel: model,
      memory: { storageDays: days },
      idleSessionTtl: Duration.seconds(Token.asNumber(new CfnParameter(stack, 'Ttl', { type: 'Number' }).valueAsNumber)),
      knowledgeBases: [{ knowledgeBase: KnowledgeBaseReference.fromKnowledgeBaseArn(new CfnParameter(stack, 'Kb').valueAsString), description: 'Docs' }],
    }, stack);
    // The Lazy values are invalid on purpose; CloudFormation's schema check catches them at synth, the library must not.
    acknowledgeCloudFormationFindings(stack.node.findChild('Support'), ['F3031', 'F3033'], 'invalid values behind tokens, on purpose');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Bedrock::Agent', {
      AgentName: { Ref: 'AgentName' },
      FoundationModel: { Ref: 'ModelArn' },
      MemoryConfiguration: { StorageDays: { Ref: 'Days' } },
      IdleSessionTTLInSeconds: { Ref: 'Ttl' },
      KnowledgeBases: [{ KnowledgeBaseId: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'Kb' }] }] }] }] } }],
    });
    // A model given as a token is granted as given.
    const p = SynthesizedPolicies.of(stack);
    expect(p.template.Resources[p.idsOfType('AWS::IAM::Policy')[0]].Properties.PolicyDocument.Statement[0]).toEqual({
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Effect: 'Allow', Resource: { Ref: 'ModelArn' },
    });
  });

  test('an environment-agnostic stack synthesizes', () => {
    const stack = new Stack();
    const agent = new EncryptedAgent(stack, 'Support', { ...BASE, memory: {}, aliasName: 'live' });
    agent.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Bedrock::Agent', 1);
    const key = Object.values(template.toJSON().Resources).find((r: any) => r.Type === 'AWS::KMS::Key') as any;
    const service = key.Properties.KeyPolicy.Statement.find((s: any) => JSON.stringify(s).includes('aws:bedrock:arn'));
    expect(Object.keys(service.Condition)).toEqual(['StringLike']);
  });
});
