import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EncryptedHarness, EncryptedHarnessProps } from '../../src/agentcore';
import { BedrockEncryptionError } from '../../src/private/validation';
import { KnowledgeBaseReference } from '../../src/references';
import { DEPLOYMENT_ROLE_ARN, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const MODEL_ID = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const MODEL_ARN = `arn:aws:bedrock:${TEST_REGION}::foundation-model/${MODEL_ID}`;
const INSTRUCTION = 'You answer questions about orders, politely and briefly, in the language of the user.';
const KB_ARN = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:knowledge-base/KB12345678`;
const VIA_AGENTCORE = { 'kms:ViaService': `bedrock-agentcore.${TEST_REGION}.amazonaws.com` };
const AGENTCORE = `arn:aws:bedrock-agentcore:${TEST_REGION}:${TEST_ACCOUNT}`;
const GATEWAY_CONTEXT = 'kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn';
const LOGS_CONTEXT = 'kms:EncryptionContext:aws:logs:arn';

const BASE: EncryptedHarnessProps = { harnessName: 'support_agent', foundationModel: MODEL_ID, instruction: INSTRUCTION };

function build(props: Partial<EncryptedHarnessProps> = {}, stack: Stack = testStack()) {
  const harness = new EncryptedHarness(stack, 'Support', { ...BASE, ...props });
  const p = SynthesizedPolicies.of(stack);
  return { stack, harness, p, role: `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(harness.role)}` };
}

function toolFunction(stack: Stack, id: string): lambda.IFunction {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
  });
}

describe('the harness', () => {
  test('CfnHarness: name, model, system prompt, limits, the managed memory under the key, the execution role', () => {
    const { stack, harness, p } = build({ maxIterations: 20, maxTokens: 4096, timeout: Duration.minutes(5), memory: { storageDays: 90 } });
    Template.fromStack(stack).hasResourceProperties('AWS::BedrockAgentCore::Harness', {
      HarnessName: 'support_agent',
      Model: { BedrockModelConfig: { ModelId: MODEL_ID } },
      SystemPrompt: [{ Text: INSTRUCTION }],
      MaxIterations: 20,
      MaxTokens: 4096,
      TimeoutSeconds: 300,
      Memory: { ManagedMemoryConfiguration: { EventExpiryDuration: 90, EncryptionKeyArn: { 'Fn::GetAtt': [p.logicalId(harness.bedrockKey.key), 'Arn'] } } },
      ExecutionRoleArn: { 'Fn::GetAtt': [p.logicalId(harness.role), 'Arn'] },
      Tools: Match.absent(),
    });
    expect(harness.encryptionKey).toBe(harness.bedrockKey.key);
    expect(harness.grantPrincipal).toBe(harness.role);
    expect(harness.cfnGateway).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::BedrockAgentCore::Gateway', 0);
  });

  test('the harness waits for its role and its policy; the memory policy comes after the harness', () => {
    const { harness, p } = build();
    const resource = p.template.Resources[p.logicalId(harness.cfnHarness)];
    const policies = p.idsOfType('AWS::IAM::Policy');
    const memoryPolicy = policies.find((id) => p.template.Resources[id].DependsOn?.includes(p.logicalId(harness.cfnHarness)));
    expect(memoryPolicy).toBeDefined();
    expect(resource.DependsOn).toEqual(expect.arrayContaining([p.logicalId(harness.role), ...policies.filter((id) => id !== memoryPolicy)]));
  });

  test('the execution role is trusted by AgentCore only on behalf of this account and region', () => {
    const { harness, p } = build();
    expect(p.trustPolicy(harness.role).Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'bedrock-agentcore.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
        ArnLike: { 'aws:SourceArn': `${AGENTCORE}:*` },
      },
    }]);
  });

  test('the execution role invokes its model and no other', () => {
    const { p, role } = build();
    const invoke = (resource: string, action = 'bedrock:InvokeModel') => p.evaluateIdentity({ principal: role, action, resource });
    expect(invoke(MODEL_ARN)).toBe('Allowed');
    expect(invoke(MODEL_ARN, 'bedrock:InvokeModelWithResponseStream')).toBe('Allowed');
    expect(invoke(`arn:aws:bedrock:${TEST_REGION}::foundation-model/anthropic.claude-3-opus-20240229-v1:0`)).toBe('ImplicitlyDenied');
    expect(invoke(`arn:aws:bedrock:us-west-2::foundation-model/${MODEL_ID}`)).toBe('ImplicitlyDenied');
  });

  test('an inference profile: the profile, and its model in any region only through the profile', () => {
    const { p, role } = build({ foundationModel: `us.${MODEL_ID}` });
    const profileArn = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:inference-profile/us.${MODEL_ID}`;
    const invoke = (resource: string, context?: Record<string, string>) =>
      p.evaluateIdentity({ principal: role, action: 'bedrock:InvokeModel', resource, context });
    expect(invoke(profileArn)).toBe('Allowed');
    expect(invoke(`arn:aws:bedrock:us-west-2::foundation-model/${MODEL_ID}`, { 'bedrock:InferenceProfileArn': profileArn })).toBe('Allowed');
    expect(invoke(`arn:aws:bedrock:us-west-2::foundation-model/${MODEL_ID}`)).toBe('ImplicitlyDenied');
    expect(invoke(`arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:inference-profile/eu.${MODEL_ID}`)).toBe('ImplicitlyDenied');
  });

  test('the execution role uses its memory, and no other memory', () => {
    const { harness, p, role } = build();
    const memoryArn = p.resolve(Stack.of(harness).resolve(harness.memoryArn));
    const use = (action: string, resource: string) => p.evaluateIdentity({ principal: role, action, resource });
    for (const action of ['bedrock-agentcore:CreateEvent', 'bedrock-agentcore:ListEvents', 'bedrock-agentcore:RetrieveMemoryRecords']) {
      expect([action, use(action, memoryArn)]).toEqual([action, 'Allowed']);
      expect([action, use(action, `${AGENTCORE}:memory/other-abcdefghij`)]).toEqual([action, 'ImplicitlyDenied']);
    }
    expect(use('bedrock-agentcore:DeleteMemory', memoryArn)).toBe('ImplicitlyDenied');
  });

  test('the memory key: the execution role only through AgentCore, the deployment role creates grants only through AgentCore', () => {
    const { p, role } = build();
    expect(p.evaluate({ principal: role, action: 'kms:GenerateDataKey', context: VIA_AGENTCORE })).toBe('Allowed');
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: VIA_AGENTCORE })).toBe('Allowed');
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: { 'kms:ViaService': `bedrock.${TEST_REGION}.amazonaws.com` } })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: role, action: 'kms:CreateGrant', context: VIA_AGENTCORE })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:CreateGrant', context: VIA_AGENTCORE })).toBe('Allowed');
    expect(p.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:CreateGrant' })).toBe('ImplicitlyDenied');
  });

  test('logs: CloudWatch Logs uses the key for the runtime log groups of this account and region, and no other log group', () => {
    const { p } = build();
    const logs = `logs.${TEST_REGION}.amazonaws.com`;
    const runtimeLogGroup = `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/aws/bedrock-agentcore/runtimes/support_agent-abcdefghij-DEFAULT`;
    expect(p.evaluate({ principal: logs, action: 'kms:GenerateDataKey', context: { [LOGS_CONTEXT]: runtimeLogGroup } })).toBe('Allowed');
    expect(p.evaluate({ principal: logs, action: 'kms:Decrypt', context: { [LOGS_CONTEXT]: runtimeLogGroup } })).toBe('Allowed');
    expect(p.evaluate({ principal: logs, action: 'kms:Decrypt', context: { [LOGS_CONTEXT]: `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/other` } }))
      .toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: logs, action: 'kms:Decrypt', context: { [LOGS_CONTEXT]: runtimeLogGroup.replace(TEST_ACCOUNT, '222222222222') } }))
      .toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: logs, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
  });

  test('the execution role writes the runtime logs and no other log group', () => {
    const { p, role } = build();
    const stream = `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/aws/bedrock-agentcore/runtimes/support_agent-abcdefghij-DEFAULT:log-stream:s`;
    expect(p.evaluateIdentity({ principal: role, action: 'logs:PutLogEvents', resource: stream })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 'logs:PutLogEvents', resource: `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/other:log-stream:s` }))
      .toBe('ImplicitlyDenied');
  });

  test('knowledge bases: Retrieve on those only, their ids in the environment', () => {
    const { stack, p, role } = build({ knowledgeBases: [KnowledgeBaseReference.fromAttributes({ knowledgeBaseId: 'KB12345678', knowledgeBaseArn: KB_ARN })] });
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:Retrieve', resource: KB_ARN })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:Retrieve', resource: KB_ARN.replace('KB12345678', 'KB00000000') })).toBe('ImplicitlyDenied');
    Template.fromStack(stack).hasResourceProperties('AWS::BedrockAgentCore::Harness', { EnvironmentVariables: { KNOWLEDGE_BASE_IDS: 'KB12345678' } });
  });

  test('without knowledge bases the role cannot retrieve', () => {
    const { p, role } = build();
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:Retrieve', resource: KB_ARN })).toBe('ImplicitlyDenied');
  });
});

describe('tools behind a gateway', () => {
  function withTools() {
    const stack = testStack();
    const lookup = toolFunction(stack, 'LookupOrder');
    const other = toolFunction(stack, 'Other');
    const built = build({
      tools: [{ function: lookup, name: 'lookup_order', description: 'Finds an order by its number', inputSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] } }],
    }, stack);
    const gatewayRole = `arn:aws:iam::${TEST_ACCOUNT}:role/${built.p.logicalId(built.harness.gatewayRole!)}`;
    return { ...built, lookup, other, gatewayRole };
  }

  test('a gateway under the key, one Lambda target, the harness names the gateway', () => {
    const { stack, harness, p, lookup } = withTools();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::BedrockAgentCore::Gateway', {
      Name: 'support-agent-tools',
      AuthorizerType: 'AWS_IAM',
      ProtocolType: 'MCP',
      KmsKeyArn: { 'Fn::GetAtt': [p.logicalId(harness.bedrockKey.key), 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [p.logicalId(harness.gatewayRole!), 'Arn'] },
    });
    t.hasResourceProperties('AWS::BedrockAgentCore::GatewayTarget', {
      Name: 'lookup-order',
      CredentialProviderConfigurations: [{ CredentialProviderType: 'GATEWAY_IAM_ROLE' }],
      TargetConfiguration: {
        Mcp: {
          Lambda: {
            LambdaArn: { 'Fn::GetAtt': [p.logicalId(lookup), 'Arn'] },
            ToolSchema: { InlinePayload: [{ Name: 'lookup_order', InputSchema: { Type: 'object', Required: ['orderId'] } }] },
          },
        },
      },
    });
    t.hasResourceProperties('AWS::BedrockAgentCore::Harness', {
      Tools: [{ Type: 'agentcore_gateway', Config: { AgentCoreGateway: { GatewayArn: { 'Fn::GetAtt': [p.logicalId(harness.cfnGateway!), 'GatewayArn'] } } } }],
    });
  });

  test('the gateway role invokes the tool functions and no other', () => {
    const { p, gatewayRole, lookup, other } = withTools();
    expect(p.evaluateIdentity({ principal: gatewayRole, action: 'lambda:InvokeFunction', resource: p.arn(lookup) })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: gatewayRole, action: 'lambda:InvokeFunction', resource: p.arn(other) })).toBe('ImplicitlyDenied');
  });

  test('the execution role invokes its gateway and no other', () => {
    const { harness, p, role } = withTools();
    const gatewayArn = p.arn(harness.cfnGateway!, 'GatewayArn');
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock-agentcore:InvokeGateway', resource: gatewayArn })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock-agentcore:InvokeGateway', resource: `${AGENTCORE}:gateway/other-abcdefghij` }))
      .toBe('ImplicitlyDenied');
  });

  test('the gateway key: the gateway role through AgentCore in the gateway encryption context; grants bound to a context, for two operations', () => {
    const { harness, p, gatewayRole, role } = withTools();
    const gatewayArn = p.arn(harness.cfnGateway!, 'GatewayArn');
    const inContext = { ...VIA_AGENTCORE, [GATEWAY_CONTEXT]: gatewayArn };
    const grant = (operations: string[], constraint = 'EncryptionContextSubset') =>
      p.evaluate({ principal: gatewayRole, action: 'kms:CreateGrant', context: { ...inContext, 'kms:GrantConstraintType': constraint, 'kms:GrantOperations': operations } });
    expect(p.evaluate({ principal: gatewayRole, action: 'kms:GenerateDataKey', context: inContext })).toBe('Allowed');
    expect(p.evaluate({ principal: gatewayRole, action: 'kms:Decrypt', context: inContext })).toBe('Allowed');
    expect(p.evaluate({ principal: gatewayRole, action: 'kms:Encrypt', context: inContext })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: gatewayRole, action: 'kms:ReEncryptFrom', context: inContext })).toBe('ImplicitlyDenied');
    expect(grant(['Decrypt'])).toBe('Allowed');
    expect(grant(['Decrypt', 'Encrypt'])).toBe('ImplicitlyDenied');
    expect(grant(['Decrypt'], 'EncryptionContextEquals')).toBe('ImplicitlyDenied');
    // the gateway's key use is the gateway role's only: the execution role gets none of it
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: { [GATEWAY_CONTEXT]: gatewayArn } })).toBe('ImplicitlyDenied');
  });
});

describe('grantInvoke', () => {
  function withCaller() {
    const stack = testStack();
    const harness = new EncryptedHarness(stack, 'Support', BASE);
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    harness.grantInvoke(caller);
    const p = SynthesizedPolicies.of(stack);
    return { stack, harness, p, caller: `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(caller)}` };
  }

  test('the caller invokes this harness and its runtime, no other', () => {
    const { harness, p, caller } = withCaller();
    const harnessArn = p.arn(harness.cfnHarness);
    const runtimeArn = p.arn(harness.cfnHarness, 'Environment.AgentCoreRuntimeEnvironment.AgentRuntimeArn');
    const can = (action: string, resource: string) => p.evaluateIdentity({ principal: caller, action, resource });
    expect(can('bedrock-agentcore:InvokeHarness', harnessArn)).toBe('Allowed');
    expect(can('bedrock-agentcore:InvokeAgentRuntime', runtimeArn)).toBe('Allowed');
    expect(can('bedrock-agentcore:InvokeAgentRuntime', `${runtimeArn}/runtime-endpoint/DEFAULT`)).toBe('Allowed');
    expect(can('bedrock-agentcore:InvokeHarness', `${AGENTCORE}:harness/other-abcdefghij`)).toBe('ImplicitlyDenied');
    expect(can('bedrock-agentcore:InvokeAgentRuntime', `${AGENTCORE}:runtime/other-abcdefghij`)).toBe('ImplicitlyDenied');
    expect(can('bedrock-agentcore:UpdateHarness', harnessArn)).toBe('ImplicitlyDenied');
  });

  test('the exact statements', () => {
    const { p, harness } = withCaller();
    const callerPolicy = p.idsOfType('AWS::IAM::Policy').map((id) => p.resolve(p.template.Resources[id].Properties))
      .find((props) => props.Roles.some((r: any) => String(r).startsWith('Caller')));
    expect(callerPolicy.PolicyDocument.Statement).toEqual([
      { Action: 'bedrock-agentcore:InvokeHarness', Effect: 'Allow', Resource: p.arn(harness.cfnHarness) },
      {
        Action: 'bedrock-agentcore:InvokeAgentRuntime',
        Effect: 'Allow',
        Resource: [
          p.arn(harness.cfnHarness, 'Environment.AgentCoreRuntimeEnvironment.AgentRuntimeArn'),
          `${p.arn(harness.cfnHarness, 'Environment.AgentCoreRuntimeEnvironment.AgentRuntimeArn')}/runtime-endpoint/*`,
        ],
      },
    ]);
  });

  test('not to the harness\'s own role', () => {
    const stack = testStack();
    const harness = new EncryptedHarness(stack, 'Support', BASE);
    expect(() => harness.grantInvoke(harness.role)).toThrow(/must not be given the harness's own role/);
  });

  test('an imported harness: the same grant on its ARNs', () => {
    const stack = testStack();
    const harnessArn = `${AGENTCORE}:harness/support_agent-abcdefghij`;
    const runtimeArn = `${AGENTCORE}:runtime/harness_support_agent-klmnopqrst`;
    const imported = EncryptedHarness.fromHarnessAttributes(stack, 'Imported', {
      harnessArn,
      runtimeArn,
      encryptionKey: kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
      role: iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${TEST_ACCOUNT}:role/harness`),
    });
    expect(imported.harnessId).toBe('support_agent-abcdefghij');
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    imported.grantInvoke(caller);
    const p = SynthesizedPolicies.of(stack);
    const callerArn = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(caller)}`;
    expect(p.evaluateIdentity({ principal: callerArn, action: 'bedrock-agentcore:InvokeHarness', resource: harnessArn })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: callerArn, action: 'bedrock-agentcore:InvokeAgentRuntime', resource: runtimeArn })).toBe('Allowed');
  });

  test('an imported harness with a malformed ARN: a clear error', () => {
    const stack = testStack();
    expect(() => EncryptedHarness.fromHarnessAttributes(stack, 'Imported', {
      harnessArn: `${AGENTCORE}:runtime/x`,
      runtimeArn: `${AGENTCORE}:harness/y`,
      encryptionKey: kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
      role: iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${TEST_ACCOUNT}:role/harness`),
    })).toThrow(/harnessArn must be a harness ARN[\s\S]*runtimeArn must be a runtime ARN/);
  });
});

describe('validation', () => {
  test('every problem in one message, before any child exists', () => {
    const stack = testStack();
    let error: unknown;
    try {
      new EncryptedHarness(stack, 'Bad', {
        harnessName: '1-bad name',
        foundationModel: 'not a model',
        instruction: ' ',
        maxIterations: 0,
        timeout: Duration.millis(1500),
        memory: { storageDays: 400 },
        tools: [
          { function: toolFunction(stack, 'F'), name: 'same', description: 'd' },
          { function: toolFunction(stack, 'G'), name: 'same', description: '' },
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BedrockEncryptionError);
    const message = (error as Error).message;
    expect(message).toMatch(/^\[BedrockEncryptionError\] EncryptedHarness 'Bad' at 'TestStack': /);
    for (const prop of ['harnessName', 'foundationModel', 'instruction', 'maxIterations', 'timeout', 'memory.storageDays', 'tools\\[1\\].name', 'tools\\[1\\].description']) {
      expect(message).toMatch(new RegExp(`${prop} must be`));
    }
    expect(message).toContain('"1-bad name"');
    expect(stack.node.tryFindChild('Bad')).toBeUndefined();
  });

  test('tokens are not validated', () => {
    const stack = testStack();
    const name = Lazy.string({ produce: () => 'late_name' });
    expect(() => new EncryptedHarness(stack, 'Tokens', { harnessName: name, foundationModel: MODEL_ID, instruction: Lazy.string({ produce: () => '' }) }))
      .not.toThrow();
  });
});
