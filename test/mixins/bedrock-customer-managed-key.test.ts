import * as alpha from '@aws-cdk/aws-bedrock-alpha';
import { App, CfnResource, Fn, Mixins, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BedrockEncryptionWarnings } from '../../src';
import { BedrockKey } from '../../src/key';
import { BedrockCustomerManagedKey } from '../../src/mixins';
import { expectNoCycles } from '../util/assembly-graph';
import { DEPLOYMENT_ROLE_ARN, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack, testStackWithoutDeploymentRole } from '../util/synthesized-policies';

const VIA_BEDROCK = `bedrock.${TEST_REGION}.amazonaws.com`;
/** `kms:ViaService` for Bedrock as the template writes it. */
const VIA = { 'Fn::Join': ['', [`bedrock.${TEST_REGION}.`, { Ref: 'AWS::URLSuffix' }]] };
const KEY_ARN = { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] };
const ROLE_ARN = { 'Fn::GetAtt': ['Role1ABCC5F0', 'Arn'] };
const pattern = (type: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:${type}/*`]] });
const bedrockArn = (account: string, type: string, id: string) => `arn:aws:bedrock:${TEST_REGION}:${account}:${type}/${id}`;

/**
 * Stands for `CfnSession` (`AWS::Bedrock::Session`, in aws-cdk-lib versions after this library's
 * minimum): a typed L1 with an `encryptionKeyArn` property, rendered the way generated L1s are.
 */
class CfnSessionLike extends CfnResource {
  public encryptionKeyArn?: string;
  constructor(scope: Construct, id: string, props: { encryptionKeyArn?: string } = {}) {
    super(scope, id, { type: 'AWS::Bedrock::Session' });
    this.encryptionKeyArn = props.encryptionKeyArn;
  }
  protected get cfnProperties(): Record<string, any> {
    return { encryptionKeyArn: this.encryptionKeyArn };
  }
  protected renderProperties(props: Record<string, any>): Record<string, any> {
    return { EncryptionKeyArn: props.encryptionKeyArn };
  }
}

interface Setup {
  readonly stack: Stack;
  readonly key: kms.Key;
  readonly role: iam.Role;
}

function setup(stack: Stack = testStackWithoutDeploymentRole()): Setup {
  const key = new kms.Key(stack, 'Key');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
  return { stack, key, role };
}

/** One factory per supported L1, with the minimum properties. */
const FACTORIES: Record<string, (s: Setup, id?: string) => CfnResource> = {
  'AWS::Bedrock::Agent': ({ stack, role }, id = 'Agent') => new bedrock.CfnAgent(stack, id, { agentName: id, agentResourceRoleArn: role.roleArn }),
  'AWS::Bedrock::Flow': ({ stack, role }, id = 'Flow') => new bedrock.CfnFlow(stack, id, { name: id, executionRoleArn: role.roleArn }),
  'AWS::Bedrock::Prompt': ({ stack }, id = 'Prompt') => new bedrock.CfnPrompt(stack, id, { name: id }),
  'AWS::Bedrock::Guardrail': ({ stack }, id = 'Guardrail') => new bedrock.CfnGuardrail(stack, id, {
    name: id, blockedInputMessaging: 'blocked', blockedOutputsMessaging: 'blocked',
  }),
  'AWS::Bedrock::Session': ({ stack }, id = 'Session') => new CfnSessionLike(stack, id),
  'AWS::Bedrock::DataSource': ({ stack }, id = 'DataSource') => new bedrock.CfnDataSource(stack, id, {
    name: id,
    knowledgeBaseId: 'KB12345678',
    dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } },
  }),
  'AWS::Bedrock::DataAutomationProject': ({ stack }, id = 'Project') => new bedrock.CfnDataAutomationProject(stack, id, { projectName: id }),
  'AWS::Bedrock::Blueprint': ({ stack }, id = 'Blueprint') => new bedrock.CfnBlueprint(stack, id, { blueprintName: id, schema: {}, type: 'DOCUMENT' }),
};

/** Where each type's key goes in the template. */
const KEY_PROPERTY: Record<string, (keyArn: any) => any> = {
  'AWS::Bedrock::Agent': (k) => ({ CustomerEncryptionKeyArn: k }),
  'AWS::Bedrock::Flow': (k) => ({ CustomerEncryptionKeyArn: k }),
  'AWS::Bedrock::Prompt': (k) => ({ CustomerEncryptionKeyArn: k }),
  'AWS::Bedrock::Guardrail': (k) => ({ KmsKeyArn: k }),
  'AWS::Bedrock::Session': (k) => ({ EncryptionKeyArn: k }),
  'AWS::Bedrock::DataSource': (k) => ({ ServerSideEncryptionConfiguration: { KmsKeyArn: k } }),
  'AWS::Bedrock::DataAutomationProject': (k) => ({ KmsKeyId: k }),
  'AWS::Bedrock::Blueprint': (k) => ({ KmsKeyId: k }),
};

const USER_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/Deployer`;
const keyUser = new iam.ArnPrincipal(USER_ARN);

/** The key-policy statements each type gets (keyUsers: the Deployer role), beyond the account root's. */
const EXPECTED_STATEMENTS: Record<string, any[]> = {
  'AWS::Bedrock::Agent': [
    {
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:bedrock:arn': pattern('agent') } },
    },
    {
      Effect: 'Allow',
      Principal: { AWS: USER_ARN },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:bedrock:arn': pattern('agent') } },
    },
  ],
  'AWS::Bedrock::Flow': [ROLE_ARN, USER_ARN].map((principal) => ({
    Effect: 'Allow',
    Principal: { AWS: principal },
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: '*',
    Condition: {
      StringLike: { 'kms:EncryptionContext:aws:bedrock-flows:arn': pattern('flow') },
      StringEquals: { 'kms:ViaService': VIA },
    },
  })),
  'AWS::Bedrock::Prompt': [
    {
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:bedrock-prompts:arn': pattern('prompt') } },
    },
    // the creator: prompt management prerequisites, "KMSPermissions"
    {
      Effect: 'Allow',
      Principal: { AWS: USER_ARN },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceAccount': TEST_ACCOUNT } },
    },
  ],
  'AWS::Bedrock::Guardrail': [
    {
      Effect: 'Allow',
      Principal: { AWS: USER_ARN },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': VIA } },
    },
    {
      Effect: 'Allow',
      Principal: { AWS: USER_ARN },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': VIA }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  ],
  'AWS::Bedrock::Session': [
    {
      Effect: 'Allow',
      Principal: { AWS: USER_ARN },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringLike: { 'kms:EncryptionContext:aws:bedrock:session:arn': pattern('session') },
        StringEquals: { 'kms:ViaService': VIA },
      },
    },
    { Effect: 'Allow', Principal: { AWS: USER_ARN }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': VIA } } },
  ],
  // its knowledge base is no CfnKnowledgeBase of the app: only that knowledge base's role may use the ingestion key, and it is
  // not known (a warning says so; 'knowledge base data sources' below)
  'AWS::Bedrock::DataSource': [],
  'AWS::Bedrock::DataAutomationProject': dataAutomationStatements(),
  'AWS::Bedrock::Blueprint': dataAutomationStatements(),
};

function dataAutomationStatements(): any[] {
  return [
    {
      Effect: 'Allow',
      Principal: { AWS: USER_ARN },
      Action: ['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': VIA } },
    },
    {
      Effect: 'Allow',
      Principal: { AWS: USER_ARN },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        'StringEquals': { 'kms:ViaService': VIA },
        'ForAllValues:StringEquals': { 'kms:GrantOperations': ['CreateGrant', 'GenerateDataKey', 'Decrypt', 'DescribeKey'] },
        'Bool': { 'kms:GrantIsForAWSResource': 'true' },
      },
    },
  ];
}

/** The key-policy statements other than the account root's. */
function addedKeyStatements(stack: Stack, keyId = 'Key961B73FD'): any[] {
  const policy = Template.fromStack(stack).toJSON().Resources[keyId].Properties.KeyPolicy;
  return policy.Statement.filter((s: any) => s.Action !== 'kms:*');
}

test('supportedResourceTypes lists every supported L1 (the newer types in test/mixins/bedrock-types.test.ts and test/mixins/agentcore.test.ts)', () => {
  expect(BedrockCustomerManagedKey.supportedResourceTypes).toEqual(expect.arrayContaining(Object.keys(FACTORIES)));
});

describe.each(Object.keys(FACTORIES))('%s', (type) => {
  test('gets the key property and its key-policy statements, without cycles', () => {
    const s = setup();
    const resource = FACTORIES[type](s);
    resource.with(new BedrockCustomerManagedKey(s.key, { keyCreators: [keyUser] }));

    Template.fromStack(s.stack).hasResourceProperties(type, KEY_PROPERTY[type](KEY_ARN));
    expect(addedKeyStatements(s.stack)).toEqual(EXPECTED_STATEMENTS[type]);
    expectNoCycles(s.stack);
  });

  test('a key already set to the same key is kept; the statements are added', () => {
    const s = setup();
    const resource = FACTORIES[type](s);
    const mixin = new BedrockCustomerManagedKey(s.key, { keyCreators: [keyUser] });
    resource.with(mixin);
    // Applied a second time: no change, no duplicate statements.
    resource.with(mixin, new BedrockCustomerManagedKey(s.key, { keyCreators: [keyUser] }));

    Template.fromStack(s.stack).hasResourceProperties(type, KEY_PROPERTY[type](KEY_ARN));
    expect(addedKeyStatements(s.stack)).toEqual(EXPECTED_STATEMENTS[type]);
  });

  test('a different key already set throws, naming the resource and the property', () => {
    const s = setup();
    const resource = FACTORIES[type](s);
    const other = new kms.Key(s.stack, 'Other');
    resource.with(new BedrockCustomerManagedKey(other));
    expect(() => resource.with(new BedrockCustomerManagedKey(s.key)))
      .toThrow(new RegExp(`${type} at 'TestStack/${resource.node.id}': \\S*(customerEncryptionKeyArn|kmsKeyArn|encryptionKeyArn|kmsKeyId) is already set to another key`));
  });
});

describe('allow and deny, evaluated on the synthesized key policy', () => {
  function encrypted(type: string) {
    const s = setup();
    FACTORIES[type](s).with(new BedrockCustomerManagedKey(s.key));
    return { ...s, policies: SynthesizedPolicies.of(s.stack) };
  }

  test('agent: Bedrock for this account\'s agents only, and no grants; the agent role is denied', () => {
    const { policies, role } = encrypted('AWS::Bedrock::Agent');
    const context = (account: string) => ({ 'kms:EncryptionContext:aws:bedrock:arn': bedrockArn(account, 'agent', 'AGENT12345') });
    expect(policies.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:Decrypt', context: context(TEST_ACCOUNT) })).toBe('Allowed');
    expect(policies.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:Decrypt', context: context(OTHER_ACCOUNT) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:Decrypt', context: {} })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'true' } })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: policies.arn(role), action: 'kms:GenerateDataKeyWithoutPlaintext' })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: policies.arn(role), action: 'kms:Decrypt', context: context(TEST_ACCOUNT) })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/${policies.logicalId(role)}`, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
  });

  test('flow: the execution role, through Bedrock, for this account\'s flows only', () => {
    const { policies, role } = encrypted('AWS::Bedrock::Flow');
    const request = (account: string, via = VIA_BEDROCK) => ({
      principal: policies.arn(role),
      action: 'kms:GenerateDataKey',
      context: { 'kms:EncryptionContext:aws:bedrock-flows:arn': bedrockArn(account, 'flow', 'FLOW123456'), 'kms:ViaService': via },
    });
    expect(policies.evaluate(request(TEST_ACCOUNT))).toBe('Allowed');
    expect(policies.evaluate(request(OTHER_ACCOUNT))).toBe('ImplicitlyDenied');
    expect(policies.evaluate(request(TEST_ACCOUNT, `s3.${TEST_REGION}.amazonaws.com`))).toBe('ImplicitlyDenied');
  });

  test('prompt: Bedrock for this account\'s prompts only', () => {
    const { policies } = encrypted('AWS::Bedrock::Prompt');
    const request = (account: string) => ({
      principal: 'bedrock.amazonaws.com',
      action: 'kms:GenerateDataKey',
      context: { 'kms:EncryptionContext:aws:bedrock-prompts:arn': bedrockArn(account, 'prompt', 'PROMPT1234') },
    });
    expect(policies.evaluate(request(TEST_ACCOUNT))).toBe('Allowed');
    expect(policies.evaluate(request(OTHER_ACCOUNT))).toBe('ImplicitlyDenied');
  });

  test('prompt: the creator (the deployment role) uses the key of its own account; another principal does not', () => {
    const s = setup(testStack());
    FACTORIES['AWS::Bedrock::Prompt'](s).with(new BedrockCustomerManagedKey(s.key));
    const policies = SynthesizedPolicies.of(s.stack);
    const request = (principal: string, resourceAccount: string) => ({ principal, action: 'kms:Decrypt', context: { 'aws:ResourceAccount': resourceAccount } });
    expect(policies.evaluate(request(DEPLOYMENT_ROLE_ARN, TEST_ACCOUNT))).toBe('Allowed');
    expect(policies.evaluate(request(DEPLOYMENT_ROLE_ARN, OTHER_ACCOUNT))).toBe('ImplicitlyDenied');
    expect(policies.evaluate(request(`arn:aws:iam::${TEST_ACCOUNT}:role/Other`, TEST_ACCOUNT))).toBe('ImplicitlyDenied');
  });
});

describe('what the mixin leaves alone', () => {
  const unsupported: Record<string, (stack: Stack) => Construct> = {
    'a knowledge base': (stack) => new bedrock.CfnKnowledgeBase(stack, 'Kb', {
      name: 'kb',
      roleArn: 'arn:aws:iam::111111111111:role/Kb',
      knowledgeBaseConfiguration: { type: 'VECTOR' },
    }),
    'an agent alias': (stack) => new bedrock.CfnAgentAlias(stack, 'Alias', { agentAliasName: 'live', agentId: 'AGENT12345' }),
    'a plain CfnResource of a supported type': (stack) => new CfnResource(stack, 'Raw', { type: 'AWS::Bedrock::Agent', properties: { AgentName: 'raw' } }),
    'an S3 bucket L1': (stack) => new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket' }),
    'an L2 (it is its L1 child that is supported)': (stack) => new alpha.Guardrail(stack, 'AlphaGuardrail', { guardrailName: 'g' }),
  };

  test.each(Object.keys(unsupported))('%s: supports() is false and the template is unchanged', (name) => {
    const build = () => {
      const stack = testStack('TestStack', new App());
      const construct = unsupported[name](stack);
      const key = new kms.Key(stack, 'Key');
      return { stack, construct, key };
    };
    const plain = build();
    const mixed = build();
    const mixin = new BedrockCustomerManagedKey(mixed.key);
    expect(mixin.supports(mixed.construct)).toBe(false);
    Mixins.of(mixed.construct, { select: (c) => [c] }).apply(mixin);
    expect(Template.fromStack(mixed.stack).toJSON()).toEqual(Template.fromStack(plain.stack).toJSON());
  });

  test('applyTo on an unsupported construct throws instead of doing nothing', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const alias = new bedrock.CfnAgentAlias(stack, 'Alias', { agentAliasName: 'live', agentId: 'AGENT12345' });
    expect(() => new BedrockCustomerManagedKey(key).applyTo(alias)).toThrow(/cannot encrypt 'TestStack\/Alias': it supports .*AWS::Bedrock::Agent, /);
  });
});

test('Mixins.of(stack).apply encrypts every supported resource in scope, and nothing else', () => {
  const s = setup();
  for (const type of Object.keys(FACTORIES)) {
    FACTORIES[type](s, `${type.split('::')[2]}A`);
    FACTORIES[type](s, `${type.split('::')[2]}B`);
  }
  new bedrock.CfnAgentAlias(s.stack, 'Alias', { agentAliasName: 'live', agentId: 'AGENT12345' });
  const applied = Mixins.of(s.stack).apply(new BedrockCustomerManagedKey(s.key, { keyCreators: [keyUser] }));

  expect(applied.report).toHaveLength(2 * Object.keys(FACTORIES).length);
  const template = Template.fromStack(s.stack);
  for (const type of Object.keys(FACTORIES)) {
    expect(Object.keys(template.findResources(type, { Properties: KEY_PROPERTY[type](KEY_ARN) }))).toHaveLength(2);
  }
  template.hasResourceProperties('AWS::Bedrock::AgentAlias', { AgentAliasName: 'live' });
  expect(JSON.stringify(template.findResources('AWS::Bedrock::AgentAlias'))).not.toContain('Key961B73FD');
  // Each statement once, however many resources need it.
  const expected = Object.values(EXPECTED_STATEMENTS).flat().filter((statement, i, all) =>
    all.findIndex((o) => JSON.stringify(o) === JSON.stringify(statement)) === i);
  expect(addedKeyStatements(s.stack)).toEqual(expected);
  expectNoCycles(s.stack);
});

describe('aws-bedrock-alpha constructs', () => {
  test('an alpha Agent gets the key on its CfnAgent, and its role is not in the key policy', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const agent = new alpha.Agent(stack, 'Agent', {
      foundationModel: alpha.BedrockFoundationModel.ANTHROPIC_CLAUDE_HAIKU_4_5_V1_0,
      instruction: 'You answer questions about the encrypted documents of this account.',
    });
    agent.with(new BedrockCustomerManagedKey(key));

    const template = Template.fromStack(stack);
    const roleId = stack.resolve((agent.role.node.defaultChild as iam.CfnRole).logicalId);
    template.hasResourceProperties('AWS::Bedrock::Agent', { CustomerEncryptionKeyArn: KEY_ARN, AgentResourceRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'bedrock.amazonaws.com' }, Condition: { StringLike: { 'kms:EncryptionContext:aws:bedrock:arn': pattern('agent') } } }),
        ]),
      },
    });
    const keyPolicy = JSON.stringify(Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy);
    expect(keyPolicy).not.toContain(roleId);
    expect(keyPolicy).not.toMatch(/Grant/);
    expectNoCycles(stack);
    const policies = SynthesizedPolicies.of(stack);
    expect(policies.evaluate({ principal: policies.arn(agent.role), action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
  });

  test('an alpha Agent with memory also lets Bedrock handle memory data keys', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    new alpha.Agent(stack, 'Agent', {
      foundationModel: alpha.BedrockFoundationModel.ANTHROPIC_CLAUDE_HAIKU_4_5_V1_0,
      instruction: 'You answer questions about the encrypted documents of this account.',
      memory: alpha.Memory.SESSION_SUMMARY,
    });
    Mixins.of(stack).apply(new BedrockCustomerManagedKey(key));
    const policies = SynthesizedPolicies.of(stack);
    const memory = (account: string) => policies.evaluate({
      principal: 'bedrock.amazonaws.com',
      action: 'kms:ReEncryptFrom',
      context: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${account}:agent-alias/AGENT12345/ALIAS12345` },
    });
    expect(memory(TEST_ACCOUNT)).toBe('Allowed');
    expect(memory(OTHER_ACCOUNT)).toBe('ImplicitlyDenied');
  });

  test('an alpha Guardrail gets the key on its CfnGuardrail, and the named creator in the key policy', () => {
    const stack = testStackWithoutDeploymentRole();
    const key = new kms.Key(stack, 'Key');
    const guardrail = new alpha.Guardrail(stack, 'Guardrail', { guardrailName: 'guardrail' });
    guardrail.with(new BedrockCustomerManagedKey(key, { keyCreators: [keyUser] }));

    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::Guardrail', { Name: 'guardrail', KmsKeyArn: KEY_ARN });
    expect(addedKeyStatements(stack)).toEqual(EXPECTED_STATEMENTS['AWS::Bedrock::Guardrail']);
    const policies = SynthesizedPolicies.of(stack);
    expect(policies.evaluate({ principal: USER_ARN, action: 'kms:CreateGrant', context: { 'kms:ViaService': VIA_BEDROCK, 'kms:GrantIsForAWSResource': 'true' } })).toBe('Allowed');
    expect(policies.evaluate({ principal: USER_ARN, action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'true' } })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: USER_ARN, action: 'kms:CreateGrant', context: { 'kms:ViaService': VIA_BEDROCK } })).toBe('ImplicitlyDenied');
  });

  test('guardrail users may only decrypt a guardrail through Bedrock; creators may create and manage', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const creator = `arn:aws:iam::${TEST_ACCOUNT}:role/Deployer`;
    const user = `arn:aws:iam::${TEST_ACCOUNT}:role/App`;
    new alpha.Guardrail(stack, 'Guardrail', { guardrailName: 'guardrail' })
      .with(new BedrockCustomerManagedKey(key, { keyCreators: [new iam.ArnPrincipal(creator)], keyUsers: [new iam.ArnPrincipal(user)] }));
    const policies = SynthesizedPolicies.of(stack);
    const guardrailUse = { 'kms:ViaService': VIA_BEDROCK, 'kms:EncryptionContext:aws:bedrock:guardrail-id': 'abcd1234efgh' };
    expect(policies.evaluate({ principal: user, action: 'kms:Decrypt', context: guardrailUse })).toBe('Allowed');
    expect(policies.evaluate({ principal: user, action: 'kms:GenerateDataKey', context: guardrailUse })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: user, action: 'kms:CreateGrant', context: { ...guardrailUse, 'kms:GrantIsForAWSResource': 'true' } })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: creator, action: 'kms:GenerateDataKey', context: guardrailUse })).toBe('Allowed');
    expect(policies.evaluate({ principal: creator, action: 'kms:CreateGrant', context: { ...guardrailUse, 'kms:GrantIsForAWSResource': 'true' } })).toBe('Allowed');
  });
});

describe('imported keys', () => {
  test('one KeyPolicyToAdd output and one warning for several resources', () => {
    const s = setup();
    const imported = kms.Key.fromKeyArn(s.stack, 'Imported', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    for (const id of ['A', 'B', 'C']) FACTORIES['AWS::Bedrock::Agent'](s, `Agent${id}`);
    FACTORIES['AWS::Bedrock::Prompt'](s);
    Mixins.of(s.stack).apply(new BedrockCustomerManagedKey(imported));
    FACTORIES['AWS::Bedrock::Flow'](s).with(new BedrockCustomerManagedKey(imported));

    const template = Template.fromStack(s.stack);
    template.hasResourceProperties('AWS::Bedrock::Agent', { CustomerEncryptionKeyArn: imported.keyArn });
    const outputs = Object.entries(template.findOutputs('*')).filter(([id]) => id.includes('KeyPolicyToAdd'));
    expect(outputs).toHaveLength(1);
    const policy = JSON.parse(JSON.stringify(s.stack.resolve(outputs[0][1].Value)));
    const rendered = SynthesizedPolicies.of(s.stack).resolve(policy);
    const statements = JSON.parse(rendered).Statement;
    const conditionKeys = (st: any): string[] => Object.values((st.Condition ?? {}) as Record<string, object>).flatMap((block) => Object.keys(block));
    expect(statements.flatMap(conditionKeys)).toEqual(expect.arrayContaining([
      'kms:EncryptionContext:aws:bedrock:arn', 'kms:EncryptionContext:aws:bedrock-prompts:arn', 'kms:EncryptionContext:aws:bedrock-flows:arn',
    ]));
    expect(statements.flatMap(conditionKeys)).not.toContain('kms:GrantIsForAWSResource');
    // Agent statements once, though three agents need them: 1 agent (Bedrock's; no grants, no role) + 1 prompt + 1 flow statements.
    expect(statements).toHaveLength(3);
    Annotations.fromStack(s.stack).hasWarning('*', Match.stringLikeRegexp('cannot be changed by this app'));
    expect(Annotations.fromStack(s.stack).findWarning('*', Match.stringLikeRegexp('cannot be changed by this app'))).toHaveLength(1);
  });

  test('a key in another region throws before the resource changes', () => {
    const s = setup();
    const agent = FACTORIES['AWS::Bedrock::Agent'](s) as bedrock.CfnAgent;
    const foreign = kms.Key.fromKeyArn(s.stack, 'Foreign', `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    expect(() => agent.with(new BedrockCustomerManagedKey(foreign))).toThrow(/key must be a key in the stack's region us-east-1/);
    expect(agent.customerEncryptionKeyArn).toBeUndefined();
  });
});

describe('tokens', () => {
  test('an environment-agnostic stack and a key ARN from an import', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const key = kms.Key.fromKeyArn(stack, 'Imported', Fn.importValue('SharedKeyArn'));
    const flow = new bedrock.CfnFlow(stack, 'Flow', { name: 'flow', executionRoleArn: role.roleArn }).with(new BedrockCustomerManagedKey(key));

    expect(flow).toBeInstanceOf(bedrock.CfnFlow);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Bedrock::Flow', { CustomerEncryptionKeyArn: { 'Fn::ImportValue': 'SharedKeyArn' } });
    const output = Object.values(template.findOutputs('*'))[0];
    expect(JSON.stringify(output.Value)).toContain('AWS::Region');
  });

  test('a pre-set key id of the same key is the same key', () => {
    const s = setup();
    const project = new bedrock.CfnDataAutomationProject(s.stack, 'Project', { projectName: 'p', kmsKeyId: s.key.keyId });
    project.with(new BedrockCustomerManagedKey(s.key, { keyCreators: [keyUser] }));
    Template.fromStack(s.stack).hasResourceProperties('AWS::Bedrock::DataAutomationProject', { KmsKeyId: { Ref: 'Key961B73FD' } });
    expect(addedKeyStatements(s.stack)).toEqual(EXPECTED_STATEMENTS['AWS::Bedrock::DataAutomationProject']);
  });

  test('a data source encryption configuration that is a token cannot be read, and says so', () => {
    const s = setup();
    const ds = new bedrock.CfnDataSource(s.stack, 'Ds', {
      name: 'ds',
      knowledgeBaseId: 'KB12345678',
      dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } },
      serverSideEncryptionConfiguration: Fn.getAtt('Elsewhere', 'Config'),
    });
    expect(() => ds.with(new BedrockCustomerManagedKey(s.key))).toThrow(/serverSideEncryptionConfiguration is a token/);
  });
});

describe('knowledge base data sources', () => {
  test('the knowledge base role is named when the data source references a CfnKnowledgeBase', () => {
    const s = setup();
    const kb = new bedrock.CfnKnowledgeBase(s.stack, 'Kb', { name: 'kb', roleArn: s.role.roleArn, knowledgeBaseConfiguration: { type: 'VECTOR' } });
    const ds = new bedrock.CfnDataSource(s.stack, 'Ds', {
      name: 'ds',
      knowledgeBaseId: kb.attrKnowledgeBaseId,
      dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } },
      dataDeletionPolicy: 'RETAIN',
    });
    ds.with(new BedrockCustomerManagedKey(s.key));

    Template.fromStack(s.stack).hasResourceProperties('AWS::Bedrock::DataSource', {
      DataDeletionPolicy: 'RETAIN', ServerSideEncryptionConfiguration: { KmsKeyArn: KEY_ARN },
    });
    expect(addedKeyStatements(s.stack)).toEqual([
      { Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' },
    ]);
    expectNoCycles(s.stack);
  });

  test('only the knowledge base role: key creators and key users get nothing from a data source', () => {
    const s = setup();
    const kb = new bedrock.CfnKnowledgeBase(s.stack, 'Kb', { name: 'kb', roleArn: s.role.roleArn, knowledgeBaseConfiguration: { type: 'VECTOR' } });
    new bedrock.CfnDataSource(s.stack, 'Ds', {
      name: 'ds',
      knowledgeBaseId: kb.attrKnowledgeBaseId,
      dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } },
    }).with(new BedrockCustomerManagedKey(s.key, { keyCreators: [new iam.ArnPrincipal(`arn:aws:iam::${TEST_ACCOUNT}:role/Deployer`)], keyUsers: [keyUser] }));
    expect(addedKeyStatements(s.stack)).toEqual([
      { Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' },
    ]);
  });

  test('a data source whose knowledge base is not in the app: no statement, and a warning that names the role to give the key use', () => {
    const s = setup();
    FACTORIES['AWS::Bedrock::DataSource'](s).with(new BedrockCustomerManagedKey(s.key, { keyUsers: [keyUser] }));
    expect(addedKeyStatements(s.stack)).toEqual([]);
    Annotations.fromStack(s.stack).hasWarning('/TestStack/DataSource', Match.stringLikeRegexp(
      `is not a CfnKnowledgeBase of this app.*kms:GenerateDataKey and kms:Decrypt.*\\[ack: ${BedrockEncryptionWarnings.DATA_SOURCE_ROLE_UNKNOWN}\\]`));
  });

  test('a key user of a guardrail and a data source on one key may only decrypt a guardrail: allows add up, and nothing is added', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const role = new iam.Role(stack, 'KbRole', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com'), roleName: 'KbRole' });
    const user = `arn:aws:iam::${TEST_ACCOUNT}:role/App`;
    const cmk = new BedrockCustomerManagedKey(key, { keyUsers: [new iam.ArnPrincipal(user)] });
    new alpha.Guardrail(stack, 'Guardrail', { guardrailName: 'guardrail' }).with(cmk);
    const kb = new bedrock.CfnKnowledgeBase(stack, 'Kb', { name: 'kb', roleArn: role.roleArn, knowledgeBaseConfiguration: { type: 'VECTOR' } });
    new bedrock.CfnDataSource(stack, 'Ds', {
      name: 'ds',
      knowledgeBaseId: kb.attrKnowledgeBaseId,
      dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } },
    }).with(cmk);
    // only the account root's statement delegates to IAM; the user has no identity policy: the key policy alone decides
    const policies = SynthesizedPolicies.of(stack);
    const guardrailUse = { 'kms:ViaService': VIA_BEDROCK, 'kms:EncryptionContext:aws:bedrock:guardrail-id': 'abcd1234efgh' };
    expect(policies.evaluate({ principal: user, action: 'kms:Decrypt', context: guardrailUse })).toBe('Allowed');
    expect(policies.evaluate({ principal: user, action: 'kms:Decrypt', context: {} })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: user, action: 'kms:Decrypt', context: { 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` } })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: user, action: 'kms:GenerateDataKey', context: {} })).toBe('ImplicitlyDenied');
    // the knowledge base role uses the ingestion key, as the page gives it
    expect(policies.evaluate({ principal: `arn:aws:iam::${TEST_ACCOUNT}:role/KbRole`, action: 'kms:GenerateDataKey', context: {} })).toBe('Allowed');
  });
});

describe('fromBedrockKey', () => {
  test('statements go to the given BedrockKey, and an imported key\'s one output is under the key', () => {
    const s = setup();
    const imported = kms.Key.fromKeyArn(s.stack, 'Imported', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    const bedrockKey = BedrockKey.fromKey(s.stack, 'Shared', imported);
    FACTORIES['AWS::Bedrock::Prompt'](s).with(BedrockCustomerManagedKey.fromBedrockKey(bedrockKey));

    expect(bedrockKey.hasUnwrittenStatements).toBe(true);
    const outputs = Object.keys(Template.fromStack(s.stack).findOutputs('*'));
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatch(/^ImportedKeyPolicyToAdd/);
  });

  test('a new BedrockKey takes the statements in its policy', () => {
    const stack = testStack();
    const bedrockKey = new BedrockKey(stack, 'BedrockKey');
    new bedrock.CfnPrompt(stack, 'Prompt', { name: 'p' }).with(BedrockCustomerManagedKey.fromBedrockKey(bedrockKey));
    const policies = SynthesizedPolicies.of(stack);
    expect(policies.evaluate({
      principal: 'bedrock.amazonaws.com',
      action: 'kms:Decrypt',
      context: { 'kms:EncryptionContext:aws:bedrock-prompts:arn': bedrockArn(TEST_ACCOUNT, 'prompt', 'PROMPT1234') },
    })).toBe('Allowed');
    expect(bedrockKey.hasUnwrittenStatements).toBe(false);
  });
});

describe('the deployment role', () => {
  const VIA_BEDROCK_LITERAL = `bedrock.${TEST_REGION}.amazonaws.com`;
  const agentArn = (account: string) => `arn:aws:bedrock:${TEST_REGION}:${account}:agent/AGENT12345`;

  test('by default the CloudFormation execution role gets what AWS documents for the principal that creates each resource', () => {
    const s = setup(testStack());
    FACTORIES['AWS::Bedrock::Agent'](s);
    FACTORIES['AWS::Bedrock::Guardrail'](s);
    Mixins.of(s.stack).apply(new BedrockCustomerManagedKey(s.key));
    const p = SynthesizedPolicies.of(s.stack);
    const agentContext = (account: string) => ({ 'kms:EncryptionContext:aws:bedrock:arn': agentArn(account) });
    // CreateAgent (the agent API caller, cmk-agent-resources.html) and CreateGuardrail (guardrail creators).
    expect(p.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: agentContext(TEST_ACCOUNT) }, s.key)).toBe('Allowed');
    expect(p.evaluate({ principal: DEPLOYMENT_ROLE_ARN, action: 'kms:GenerateDataKey', context: agentContext('222222222222') }, s.key)).toBe('ImplicitlyDenied');
    expect(p.evaluate({
      principal: DEPLOYMENT_ROLE_ARN, action: 'kms:CreateGrant', context: { 'kms:ViaService': VIA_BEDROCK_LITERAL, 'kms:GrantIsForAWSResource': 'true' },
    }, s.key)).toBe('Allowed');
    // Another role of the account gets nothing from the key policy itself.
    expect(p.evaluate({ principal: `arn:aws:iam::${TEST_ACCOUNT}:role/Other`, action: 'kms:GenerateDataKey', context: agentContext(TEST_ACCOUNT) }, s.key))
      .toBe('ImplicitlyDenied');
  });

  test('a given deployment role replaces the default; a synthesizer without an execution role names none', () => {
    const given = setup(testStack());
    FACTORIES['AWS::Bedrock::Agent'](given).with(new BedrockCustomerManagedKey(given.key, {
      deploymentRole: iam.Role.fromRoleArn(given.stack, 'Deployer', USER_ARN),
    }));
    const principals = JSON.stringify(addedKeyStatements(given.stack).map((st) => st.Principal));
    expect(principals).toContain(USER_ARN);
    expect(principals).not.toContain('cfn-exec-role');

    const none = setup();
    FACTORIES['AWS::Bedrock::Agent'](none).with(new BedrockCustomerManagedKey(none.key));
    expect(JSON.stringify(addedKeyStatements(none.stack).map((st) => st.Principal))).not.toContain('cfn-exec-role');
  });
});
