import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { connect, FULL_FLOW, FULL_FLOW_STATEMENTS, HAIKU, INPUT_NODE, OUTPUT_NODE, PROMPT_FLOW } from './definitions';
import { EncryptedFlow, EncryptedFlowProps } from '../../src/flow';
import { BedrockResourceType, FlowEncryptionStatements, KeyAdministrationStatements, PolicyScopes } from '../../src/policy';
import { BedrockEncryptionError } from '../../src/private/validation';
import { normalize } from '../util/statements';
import { acknowledgeCloudFormationFindings, DEPLOYMENT_ROLE_ARN, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const FLOW_CONTEXT = 'kms:EncryptionContext:aws:bedrock-flows:arn';
const VIA_BEDROCK = `bedrock.${TEST_REGION}.amazonaws.com`;
const IMPORTED_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function flowStack(props: Partial<EncryptedFlowProps> = {}) {
  const stack = testStack();
  const flow = new EncryptedFlow(stack, 'Triage', { flowName: 'triage', definition: FULL_FLOW, ...props });
  return { stack, flow };
}

/**
 * A dependency cycle among the template's resources (through Ref, GetAtt, Sub and DependsOn), if
 * there is one. (Template.fromStack refuses a template with a cycle too; this one says which.)
 */
function findCycle(stack: Stack): string[] | undefined {
  const resources: Record<string, any> = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true }).toJSON().Resources;
  const refs = (value: any, out: Set<string>): Set<string> => {
    if (Array.isArray(value)) {
      value.forEach((v) => refs(v, out));
      return out;
    }
    if (!value || typeof value !== 'object') return out;
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string' && resources[v]) {
        out.add(v);
      } else if (k === 'Fn::GetAtt') {
        out.add(Array.isArray(v) ? v[0] : String(v).split('.')[0]);
      } else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        for (const m of String(text).matchAll(/\$\{([^}.]+)/g)) {
          if (resources[m[1]]) out.add(m[1]);
        }
        refs(v, out);
      } else {
        refs(v, out);
      }
    }
    return out;
  };
  const graph = new Map(Object.entries(resources).map(([id, r]) => [id,
    new Set([...refs(r.Properties ?? {}, new Set()), ...[r.DependsOn ?? []].flat()])]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    if (state.get(id) === 'done') return undefined;
    state.set(id, 'visiting');
    for (const dep of graph.get(id) ?? []) {
      const cycle = visit(dep, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of graph.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the flow', () => {
  test('is encrypted with the key, runs as the role, waits for the role and its policy', () => {
    const { stack, flow } = flowStack({ description: 'Routes tickets' });
    const p = SynthesizedPolicies.of(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Bedrock::Flow', {
      Name: 'triage',
      Description: 'Routes tickets',
      CustomerEncryptionKeyArn: { 'Fn::GetAtt': [p.logicalId(flow.encryptionKey), 'Arn'] },
      ExecutionRoleArn: { 'Fn::GetAtt': [p.logicalId(flow.role), 'Arn'] },
      Definition: Match.objectLike({ Nodes: Match.arrayWith([Match.objectLike({ Name: 'Summarize' })]) }),
    });
    const [flowResource] = Object.values(template.findResources('AWS::Bedrock::Flow'));
    const [defaultPolicy] = Object.keys(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('DefaultPolicy') } }));
    expect(flowResource.DependsOn).toEqual(expect.arrayContaining([p.logicalId(flow.role), defaultPolicy]));
    expect(flow.flowArn).toBe(flow.cfnFlow.attrArn);
    expect(flow.flowId).toBe(flow.cfnFlow.attrId);
    expect(flow.grantPrincipal).toBe(flow.role);
  });

  test('a new key and a new execution role by default; a given role is used as it is', () => {
    const { stack } = flowStack();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);

    const other = testStack();
    const role = new iam.Role(other, 'Mine', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const flow = new EncryptedFlow(other, 'Flow', { flowName: 'f', definition: PROMPT_FLOW, role });
    expect(flow.role).toBe(role);
    Template.fromStack(other).resourceCountIs('AWS::IAM::Role', 1);
  });

  test('the execution role trusts Bedrock for this account\'s flows only', () => {
    const { stack, flow } = flowStack();
    expect(SynthesizedPolicies.of(stack).trustPolicy(flow.role).Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:flow/*` },
      },
    }]);
  });
});

describe('key policy and identity policies (seed 002)', () => {
  test('the key policy: root admin, and the execution role for this account and region\'s flows through Bedrock', () => {
    const { stack, flow } = flowStack();
    const p = SynthesizedPolicies.of(stack);
    const roleArn = p.arn(flow.role);
    // The execution role, and the deployment role that calls CreateFlow (the Flows API caller).
    expect(p.keyPolicyStatements().map(normalize)).toEqual([
      normalize({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }),
      ...[roleArn, DEPLOYMENT_ROLE_ARN].map((principal) => normalize({
        Effect: 'Allow',
        Principal: { AWS: principal },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: {
          StringLike: { [FLOW_CONTEXT]: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:flow/*` },
          StringEquals: { 'kms:ViaService': VIA_BEDROCK },
        },
      })),
    ]);
    // The same statements the builders give.
    const scope = PolicyScopes.of(stack);
    const expected = [
      ...KeyAdministrationStatements.accountRootKeyUse(scope),
      ...FlowEncryptionStatements.roleKeyUse(scope, flow.role, BedrockResourceType.FLOW.arnPattern(scope)),
      ...FlowEncryptionStatements.roleKeyUse(scope, new iam.ArnPrincipal(DEPLOYMENT_ROLE_ARN), BedrockResourceType.FLOW.arnPattern(scope)),
    ].map((s) => normalize(p.resolve(stack.resolve(s.toStatementJson()))));
    expect(p.keyPolicyStatements().map(normalize)).toEqual(expected);
  });

  test('the execution role\'s default policy holds exactly what the definition needs', () => {
    const { stack, flow } = flowStack();
    const [defaultPolicy] = SynthesizedPolicies.of(stack).identityPolicies(flow.role)
      .filter((d) => !JSON.stringify(d).includes('kms:'));
    expect(defaultPolicy.Statement.map(normalize)).toEqual(FULL_FLOW_STATEMENTS.map(normalize));
  });

  test('the execution role\'s statement on this flow\'s ARN is a separate policy that depends on the flow', () => {
    const { stack, flow } = flowStack();
    const p = SynthesizedPolicies.of(stack);
    const template = Template.fromStack(stack);
    const flowId = p.logicalId(flow.cfnFlow);
    const policyId = p.logicalId(flow.flowPolicy!);
    const policy = template.toJSON().Resources[policyId];
    expect(policy.DependsOn).toEqual([flowId]);
    expect(policy.Properties.Roles).toEqual([{ Ref: p.logicalId(flow.role) }]);
    expect(p.resolve(policy.Properties.PolicyDocument).Statement.map(normalize)).toEqual([normalize({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: p.arn(flow.encryptionKey),
      Condition: { StringEquals: { [FLOW_CONTEXT]: p.arn(flow.cfnFlow), 'kms:ViaService': VIA_BEDROCK } },
    })]);
    // The role's default policy, which the flow waits for, does not name the flow.
    const defaultPolicies = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('DefaultPolicy') } });
    expect(JSON.stringify(defaultPolicies)).not.toContain(flowId);
  });

  test('grantInvoke: InvokeFlow on the alias, and the key for this flow through Bedrock', () => {
    const { stack, flow } = flowStack({ aliasName: 'live' });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    flow.grantInvoke(caller);
    const p = SynthesizedPolicies.of(stack);
    expect(p.identityPolicies(caller)[0].Statement.map(normalize)).toEqual([
      normalize({ Effect: 'Allow', Action: 'bedrock:InvokeFlow', Resource: p.arn(flow.cfnFlowAlias!) }),
      normalize({
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: p.arn(flow.encryptionKey),
        Condition: { StringEquals: { [FLOW_CONTEXT]: p.arn(flow.cfnFlow), 'kms:ViaService': VIA_BEDROCK } },
      }),
    ]);
  });

  test('grantInvoke without an alias: every alias of this flow', () => {
    const { stack, flow } = flowStack();
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    flow.grantInvoke(caller);
    const p = SynthesizedPolicies.of(stack);
    expect(p.identityPolicies(caller)[0].Statement[0]).toEqual({ Effect: 'Allow', Action: 'bedrock:InvokeFlow', Resource: `${p.arn(flow.cfnFlow)}/alias/*` });
  });

  test('grantManage: the seed 002 caller statement, this flow\'s APIs, and passing the role to Bedrock', () => {
    const { stack, flow } = flowStack();
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = flow.grantManage(admin);
    expect(grant.success).toBe(true);
    const p = SynthesizedPolicies.of(stack);
    const flowArn = p.arn(flow.cfnFlow);
    expect(p.identityPolicies(admin)[0].Statement.map(normalize)).toEqual([
      normalize({
        Effect: 'Allow',
        Action: ['bedrock:GetFlow', 'bedrock:UpdateFlow', 'bedrock:PrepareFlow', 'bedrock:CreateFlowVersion', 'bedrock:GetFlowVersion',
          'bedrock:ListFlowVersions', 'bedrock:CreateFlowAlias', 'bedrock:ListFlowAliases'],
        Resource: flowArn,
      }),
      normalize({ Effect: 'Allow', Action: ['bedrock:GetFlowAlias', 'bedrock:UpdateFlowAlias'], Resource: `${flowArn}/alias/*` }),
      normalize({
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: p.arn(flow.role),
        Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
      }),
      normalize({
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: p.arn(flow.encryptionKey),
        Condition: { StringEquals: { [FLOW_CONTEXT]: flowArn, 'kms:ViaService': VIA_BEDROCK } },
      }),
    ]);
  });
});

describe('evaluated with the synthesized policies', () => {
  const setup = () => {
    const { stack, flow } = flowStack({ aliasName: 'live' });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    const bystander = new iam.Role(stack, 'Bystander', { assumedBy: new iam.AccountRootPrincipal() });
    flow.grantInvoke(caller);
    const p = SynthesizedPolicies.of(stack);
    const good = { [FLOW_CONTEXT]: p.arn(flow.cfnFlow), 'kms:ViaService': VIA_BEDROCK };
    return { stack, flow, p, good, role: p.arn(flow.role), caller: p.arn(caller), bystander: p.arn(bystander) };
  };

  test.each(['kms:Decrypt', 'kms:GenerateDataKey'])('the execution role and a grantInvoke grantee may %s for this flow through Bedrock', (action) => {
    const { p, good, role, caller, bystander } = setup();
    expect(p.evaluate({ principal: role, action, context: good })).toBe('Allowed');
    expect(p.evaluate({ principal: caller, action, context: good })).toBe('Allowed');
    expect(p.evaluate({ principal: bystander, action, context: good })).toBe('ImplicitlyDenied');
  });

  test('the grantee is denied for another flow, the role for a flow of another account or region', () => {
    const { p, good, role, caller } = setup();
    const otherFlow = p.bedrockArn('flow', 'OTHERFLOW1');
    expect(p.evaluate({ principal: caller, action: 'kms:Decrypt', context: { ...good, [FLOW_CONTEXT]: otherFlow } })).toBe('ImplicitlyDenied');
    // The key policy cannot name the flow: the role may use the key for the account's flows, which
    // only run as this role when they are given it (iam:PassRole).
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: { ...good, [FLOW_CONTEXT]: otherFlow } })).toBe('Allowed');
    for (const flowArn of [`arn:aws:bedrock:${TEST_REGION}:222222222222:flow/OTHERFLOW1`, `arn:aws:bedrock:eu-west-1:${TEST_ACCOUNT}:flow/OTHERFLOW1`]) {
      expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: { ...good, [FLOW_CONTEXT]: flowArn } })).toBe('ImplicitlyDenied');
      expect(p.evaluate({ principal: caller, action: 'kms:Decrypt', context: { ...good, [FLOW_CONTEXT]: flowArn } })).toBe('ImplicitlyDenied');
    }
  });

  test('both are denied through another service, or without the flows context', () => {
    const { p, good, role, caller } = setup();
    for (const principal of [role, caller]) {
      expect(p.evaluate({ principal, action: 'kms:Decrypt', context: { ...good, 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` } })).toBe('ImplicitlyDenied');
      expect(p.evaluate({ principal, action: 'kms:Decrypt', context: { 'kms:ViaService': VIA_BEDROCK } })).toBe('ImplicitlyDenied');
      expect(p.evaluate({ principal, action: 'kms:ReEncryptFrom', context: good })).toBe('ImplicitlyDenied');
    }
  });

  test('the grantee invokes this flow\'s alias and no other', () => {
    const { p, flow, caller } = setup();
    const alias = p.arn(flow.cfnFlowAlias!);
    expect(p.evaluateIdentity({ principal: caller, action: 'bedrock:InvokeFlow', resource: alias })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: caller, action: 'bedrock:InvokeFlow', resource: `${p.arn(flow.cfnFlow)}/alias/TSTALIASID` })).toBe('ImplicitlyDenied');
    expect(p.evaluateIdentity({ principal: caller, action: 'bedrock:InvokeFlow', resource: `${p.bedrockArn('flow', 'OTHERFLOW1')}/alias/ALIAS12345` })).toBe('ImplicitlyDenied');
  });

  test('the execution role invokes the definition\'s model, knowledge base, agent and function, and nothing else', () => {
    const { p, role } = setup();
    const allowed = (action: string, resource: string) => p.evaluateIdentity({ principal: role, action, resource });
    expect(allowed('bedrock:InvokeModel', `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`)).toBe('Allowed');
    expect(allowed('bedrock:InvokeModel', `arn:aws:bedrock:${TEST_REGION}::foundation-model/anthropic.claude-3-opus-20240229-v1:0`)).toBe('ImplicitlyDenied');
    // The knowledge base's model through its cross-Region profile, in any region, and only through the profile.
    const profile = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0`;
    const sonnet = 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0';
    expect(allowed('bedrock:InvokeModel', profile)).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:InvokeModel', resource: sonnet, context: { 'bedrock:InferenceProfileArn': profile } })).toBe('Allowed');
    expect(allowed('bedrock:InvokeModel', sonnet)).toBe('ImplicitlyDenied');
    expect(allowed('bedrock:Retrieve', p.bedrockArn('knowledge-base', 'KB12345678'))).toBe('Allowed');
    expect(allowed('bedrock:Retrieve', p.bedrockArn('knowledge-base', 'OTHERKB123'))).toBe('ImplicitlyDenied');
    expect(allowed('bedrock:InvokeAgent', p.bedrockArn('agent-alias', 'AGENT12345/ALIAS12345'))).toBe('Allowed');
    expect(allowed('bedrock:InvokeAgent', p.bedrockArn('agent-alias', 'AGENT12345/OTHERALIAS'))).toBe('ImplicitlyDenied');
    expect(allowed('lambda:InvokeFunction', `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:notify`)).toBe('Allowed');
    expect(allowed('lambda:InvokeFunction', `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:other`)).toBe('ImplicitlyDenied');
  });
});

describe('version and alias', () => {
  test('aliasName creates a version and an alias routed to it', () => {
    const { stack, flow } = flowStack({ aliasName: 'live' });
    const p = SynthesizedPolicies.of(stack);
    const template = Template.fromStack(stack);
    const flowArn = { 'Fn::GetAtt': [p.logicalId(flow.cfnFlow), 'Arn'] };
    template.hasResourceProperties('AWS::Bedrock::FlowVersion', { FlowArn: flowArn, Description: Match.stringLikeRegexp('^Definition [0-9a-f]{16}$') });
    template.hasResourceProperties('AWS::Bedrock::FlowAlias', {
      FlowArn: flowArn,
      Name: 'live',
      RoutingConfiguration: [{ FlowVersion: { 'Fn::GetAtt': [p.logicalId(flow.cfnFlowVersion!), 'Version'] } }],
    });
    // The version waits for the role's statement on the flow.
    const version = template.toJSON().Resources[p.logicalId(flow.cfnFlowVersion!)];
    expect(version.DependsOn).toEqual([p.logicalId(flow.flowPolicy!)]);
    expect(flow.aliasArn).toBe(flow.cfnFlowAlias!.attrArn);
    expect(flow.aliasId).toBe(flow.cfnFlowAlias!.attrId);
    expect(flow.flowVersion).toBe(flow.cfnFlowVersion!.attrVersion);
  });

  test('a new definition gives a new version (its description changes), the same one does not', () => {
    const description = (props: Partial<EncryptedFlowProps>) => {
      const { stack } = flowStack({ aliasName: 'live', ...props });
      return Object.values(Template.fromStack(stack).findResources('AWS::Bedrock::FlowVersion'))[0].Properties.Description;
    };
    expect(description({})).toEqual(description({}));
    expect(description({ definition: PROMPT_FLOW })).not.toEqual(description({}));
  });

  test('the same definition with its keys in another order (as jsii passes it from Python or Java) keeps its version', () => {
    const description = (props: Partial<EncryptedFlowProps>) => {
      const { stack } = flowStack({ aliasName: 'live', ...props });
      return Object.values(Template.fromStack(stack).findResources('AWS::Bedrock::FlowVersion'))[0].Properties.Description;
    };
    const reordered = (v: any): any => (Array.isArray(v) ? v.map(reordered)
      : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reordered(v[k])])) : v);
    expect(JSON.stringify(reordered(PROMPT_FLOW))).not.toEqual(JSON.stringify(PROMPT_FLOW));
    expect(description({ definition: reordered(PROMPT_FLOW) })).toEqual(description({ definition: PROMPT_FLOW }));
  });

  test('no aliasName: no version, no alias', () => {
    const { stack, flow } = flowStack();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Bedrock::FlowVersion', 0);
    template.resourceCountIs('AWS::Bedrock::FlowAlias', 0);
    expect(flow.aliasArn).toBeUndefined();
  });
});

describe('no dependency cycles', () => {
  test('key, role, policies, flow, version, alias and grantees', () => {
    const { stack, flow } = flowStack({ aliasName: 'live' });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    flow.grantInvoke(caller);
    flow.grantManage(caller);
    expect(findCycle(stack)).toBeUndefined();
  });

  test('granting the execution role itself puts the statements in the policy after the flow', () => {
    const { stack, flow } = flowStack();
    flow.grantInvoke(flow.role);
    expect(findCycle(stack)).toBeUndefined();
    const p = SynthesizedPolicies.of(stack);
    const after = p.resolve(Template.fromStack(stack).toJSON().Resources[p.logicalId(flow.flowPolicy!)].Properties.PolicyDocument);
    expect(after.Statement.map((s: any) => s.Action)).toContainEqual('bedrock:InvokeFlow');
  });

  test('the cycle finder finds one', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const flow = new EncryptedFlow(stack, 'F', { flowName: 'f', definition: PROMPT_FLOW, role });
    // What a single policy for both would do: the role's policy names the flow the flow waits for.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:GetFlow'], resources: [flow.flowArn] }));
    acknowledgeCloudFormationFindings(stack, ['F3004'], 'the cycle is the point of this test');
    expect(findCycle(stack)).toBeDefined();
  });
});

describe('bad input', () => {
  const noHalfConstruct = (stack: Stack) => {
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Bedrock::Flow', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
  };

  test.each<[string, Partial<EncryptedFlowProps>, RegExp]>([
    ['no definition', { definition: undefined },
      /EncryptedFlow 'Triage' at 'TestStack': definition must be given exactly once, as definition, definitionString or definitionS3Location; got none/],
    ['two definitions', { definitionString: '{}' }, /definition must be given exactly once.*; got definition and definitionString/],
    ['three definitions', { definitionString: '{}', definitionS3Location: { bucket: 'b', key: 'k' } }, /got definition and definitionString and definitionS3Location/],
    ['a connection to a node that does not exist', { definition: { nodes: [INPUT_NODE, OUTPUT_NODE], connections: [connect('FlowInput', 'document', 'Missing', 'x')] } },
      /definition.connections\[0\].target must be the name of a node of definition \('FlowInput', 'FlowOutput'\); got 'Missing'/],
    ['a flow name with a space', { flowName: 'triage flow' }, /flowName must be a flow name: 1 to 100 letters or digits, each optionally followed by one '_' or '-'.*; got "triage flow"/],
    ['a flow name with two separators in a row', { flowName: 'triage__flow' }, /flowName must be a flow name/],
    ['a flow name of 101 characters', { flowName: 'a'.repeat(101) }, /flowName must be a flow name/],
    ['an alias name with a dot', { aliasName: 'v1.0' }, /aliasName must be a flow alias name: 1 to 100 letters or digits.*; got "v1.0"/],
    ['substitutions with a literal definition', { definitionSubstitutions: { a: 'b' } }, /definitionSubstitutions must be used only with definitionString or definitionS3Location/],
    ['a description of 201 characters', { description: 'd'.repeat(201) }, /description must be 1 to 200 characters/],
    ['a key alias', { encryptionKey: kms.Key.fromKeyArn(new Stack(), 'A', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:alias/mine`) },
      /encryptionKey must be a KMS key ARN \(arn:<partition>:kms:<region>:<account>:key\/<key-id>\), not an alias; got arn:aws:kms:.*:alias\/mine/],
  ])('%s: a clear error and nothing created', (_, props, message) => {
    const stack = testStack();
    const make = (id: string) => new EncryptedFlow(stack, id, { flowName: 'triage', definition: FULL_FLOW, ...props });
    expect(() => make('Triage')).toThrow(message);
    expect(() => make('Triage2')).toThrow(BedrockEncryptionError);
    noHalfConstruct(stack);
  });

  test('every problem is reported at once', () => {
    const stack = testStack();
    expect(() => new EncryptedFlow(stack, 'Triage', { flowName: 'bad name', aliasName: 'bad alias' } as EncryptedFlowProps))
      .toThrow(/flowName must be .*; aliasName must be .*; definition must be given exactly once/);
  });
});

describe('tokens and other inputs', () => {
  test('tokens are not validated', () => {
    const stack = testStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    const alias = new CfnParameter(stack, 'Alias').valueAsString;
    const body = new CfnParameter(stack, 'Body').valueAsString;
    new EncryptedFlow(stack, 'Flow', { flowName: name, aliasName: alias, definitionString: body, description: new CfnParameter(stack, 'D').valueAsString });
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::Flow', { Name: { Ref: 'Name' }, DefinitionString: { Ref: 'Body' } });
  });

  test('a string or S3 definition is not read: no role statements, and a warning that says what to do', () => {
    const stack = testStack();
    const flow = new EncryptedFlow(stack, 'Flow', {
      flowName: 'f',
      definitionS3Location: { bucket: 'defs', key: 'flow.json' },
      definitionSubstitutions: { Model: HAIKU },
    });
    expect(flow.definitionPermissions).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::Flow', {
      DefinitionS3Location: { Bucket: 'defs', Key: 'flow.json' }, DefinitionSubstitutions: { Model: HAIKU },
    });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::IAM::Policy', { PolicyName: Match.stringLikeRegexp('DefaultPolicy') }, 0);
    Annotations.fromStack(stack).hasWarning('/TestStack/Flow', Match.stringLikeRegexp(
      'definitionS3Location, which is not read.*flow.role.addToPrincipalPolicy.*\\[ack: cdk-bedrock-encryption:flowDefinitionNotRead\\]'));
  });

  test('what the definition reader cannot derive is a warning', () => {
    const stack = testStack();
    new EncryptedFlow(stack, 'Flow', {
      flowName: 'f',
      definition: { nodes: [{ name: 'Managed', type: 'Prompt', configuration: { prompt: { sourceConfiguration: { resource: { promptArn: 'arn:aws:bedrock:us-east-1:111111111111:prompt/PROMPT1234' } } } } }] },
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/Flow', Match.stringLikeRegexp("node 'Managed': the model of prompt .* grant bedrock:InvokeModel"));
  });

  test('a full definition gives no warning', () => {
    const { stack } = flowStack();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('an imported key: the key-policy statement becomes the KeyPolicyToAdd output', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', IMPORTED_KEY_ARN);
    const flow = new EncryptedFlow(stack, 'Flow', { flowName: 'f', definition: PROMPT_FLOW, encryptionKey: key });
    expect(flow.encryptionKey).toBe(key);
    expect(flow.bedrockKey.hasUnwrittenStatements).toBe(true);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::Bedrock::Flow', { CustomerEncryptionKeyArn: IMPORTED_KEY_ARN });
    const outputs = template.findOutputs('*', { Description: Match.stringLikeRegexp('the key policy of key') });
    expect(Object.keys(outputs)).toHaveLength(1);
    const json = JSON.parse(SynthesizedPolicies.of(stack).resolve(Object.values(outputs)[0].Value));
    const statement = (principal: string, principalArn?: string) => normalize({
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        StringLike: { [FLOW_CONTEXT]: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:flow/*` },
        StringEquals: { 'kms:ViaService': VIA_BEDROCK, ...(principalArn ? { 'aws:PrincipalArn': principalArn } : {}) },
      },
    });
    // The execution role has a fixed name: the statement names it, by aws:PrincipalArn, before it exists.
    expect(json.Statement.map(normalize)).toEqual([
      statement(DEPLOYMENT_ROLE_ARN),
      statement(`arn:aws:iam::${TEST_ACCOUNT}:root`, SynthesizedPolicies.of(stack).arn(flow.role)),
    ]);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('KeyPolicyToAdd'));
  });

  test('an imported role that refuses statements: they are the RolePolicyToAdd output and one warning', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${TEST_ACCOUNT}:role/flows`, { mutable: false, addGrantsToResources: true });
    const flow = new EncryptedFlow(stack, 'Flow', { flowName: 'f', definition: PROMPT_FLOW, role });
    expect(flow.flowPolicy).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const [output] = Object.values(template.findOutputs('*', { Description: Match.stringLikeRegexp('identity policy of principal') }));
    const actions = JSON.parse(SynthesizedPolicies.of(stack).resolve(output.Value)).Statement.flatMap((s: any) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['bedrock:InvokeModel', 'kms:Decrypt', 'kms:GenerateDataKey']));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cannot be changed by this app'));
    expect(warnings.map((w) => w.entry.data)).toEqual([
      expect.stringMatching(/role\/flows cannot be changed.*RolePolicyToAdd.*\[ack: cdk-bedrock-encryption:rolePolicyNotUpdated\]/),
    ]);
  });

  test('a mutable imported role gets the statements in its own policies', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${TEST_ACCOUNT}:role/flows`);
    new EncryptedFlow(stack, 'Flow', { flowName: 'f', definition: PROMPT_FLOW, role });
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toContain('bedrock:InvokeModel');
    expect(policies).toContain(FLOW_CONTEXT);
    expect(findCycle(stack)).toBeUndefined();
  });
});
