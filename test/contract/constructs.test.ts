import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  BedrockEncryptionWarnings, BedrockKey, EncryptedAgent, EncryptedHarness,
  EncryptedBatchInference, EncryptedEvaluationJob, EncryptedFlow, EncryptedInvocationLogging,
  EncryptedKnowledgeBase, EncryptedModelCustomization, EncryptedModelImport,
} from '../../src';
import { BedrockEncryptionError } from '../../src/private/validation';
import { assemblyGraph, findCycle } from '../util/assembly-graph';
import { SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

/**
 * One contract, every construct: the cases that once went wrong in one construct while its
 * siblings got them right. Adding a construct is one entry in CONSTRUCTS.
 */
interface Built {
  readonly role: iam.IRole;
  readonly encryptionKey: kms.IKey;
  /** The Bedrock resources that need the role's permissions when they are created. */
  readonly waiting: CfnResource[];
}

interface Shared {
  readonly encryptionKey?: kms.IKey;
  readonly role?: iam.IRole;
}

type Factory = (scope: Construct, id: string, shared: Shared) => Built;

const INSTRUCTION = 'You answer questions about orders, politely and briefly, in the language of the user.';
const PROMPT_FLOW = {
  nodes: [
    { name: 'In', type: 'Input', configuration: { input: {} }, outputs: [{ name: 'document', type: 'String' }] },
    {
      name: 'Ask',
      type: 'Prompt',
      configuration: {
        prompt: {
          sourceConfiguration: {
            inline: {
              modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
              templateType: 'TEXT',
              templateConfiguration: { text: { text: '{{question}}', inputVariables: [{ name: 'question' }] } },
            },
          },
        },
      },
      inputs: [{ name: 'question', type: 'String', expression: '$.data' }],
      outputs: [{ name: 'modelCompletion', type: 'String' }],
    },
    { name: 'Out', type: 'Output', configuration: { output: {} }, inputs: [{ name: 'document', type: 'String', expression: '$.data' }] },
  ],
  connections: [
    { name: 'InToAsk', type: 'Data', source: 'In', target: 'Ask', configuration: { data: { sourceOutput: 'document', targetInput: 'question' } } },
    { name: 'AskToOut', type: 'Data', source: 'Ask', target: 'Out', configuration: { data: { sourceOutput: 'modelCompletion', targetInput: 'document' } } },
  ],
};

const CONSTRUCTS: Record<string, Factory> = {
  EncryptedHarness: (scope, id, shared) => {
    const c = new EncryptedHarness(scope, id, {
      harnessName: id, foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0', instruction: INSTRUCTION, ...shared,
    });
    return { role: c.role, encryptionKey: c.encryptionKey, waiting: [c.cfnHarness] };
  },
  EncryptedAgent: (scope, id, shared) => {
    const c = new EncryptedAgent(scope, id, {
      agentName: id, foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0', instruction: INSTRUCTION, aliasName: 'live', ...shared,
    });
    return { role: c.role, encryptionKey: c.encryptionKey, waiting: [c.cfnAgent] };
  },
  EncryptedFlow: (scope, id, shared) => {
    const c = new EncryptedFlow(scope, id, { flowName: id, definition: PROMPT_FLOW, aliasName: 'live', ...shared });
    return { role: c.role, encryptionKey: c.encryptionKey, waiting: [c.cfnFlow] };
  },
  EncryptedKnowledgeBase: (scope, id, shared) => {
    const c = new EncryptedKnowledgeBase(scope, id, { embeddingModel: 'amazon.titan-embed-text-v2:0', ...shared });
    return { role: c.role, encryptionKey: c.encryptionKey, waiting: [c.cfnKnowledgeBase, c.cfnDataSource] };
  },
  EncryptedEvaluationJob: (scope, id, shared) => {
    const c = new EncryptedEvaluationJob(scope, id, { evaluatorModels: ['anthropic.claude-3-haiku-20240307-v1:0'], ...shared });
    return { role: c.role, encryptionKey: c.encryptionKey, waiting: [] };
  },
  EncryptedModelCustomization: (scope, id, shared) => {
    const c = new EncryptedModelCustomization(scope, id, { baseModel: 'amazon.titan-text-express-v1:0:8k', ...shared });
    return { role: c.role, encryptionKey: c.encryptionKey, waiting: [] };
  },
  EncryptedModelImport: (scope, id, shared) => {
    const c = new EncryptedModelImport(scope, id, shared);
    return { role: c.role, encryptionKey: c.encryptionKey, waiting: [] };
  },
  EncryptedBatchInference: (scope, id, shared) => {
    const c = new EncryptedBatchInference(scope, id, { models: ['anthropic.claude-3-haiku-20240307-v1:0'], ...shared });
    return { role: c.role, encryptionKey: c.encryptionKey, waiting: [] };
  },
  EncryptedInvocationLogging: (scope, id, shared) => {
    const c = new EncryptedInvocationLogging(scope, id, shared);
    return { role: c.role, encryptionKey: c.encryptionKey, waiting: [] };
  },
};

const EACH = Object.entries(CONSTRUCTS);
/** The constructs whose key policy names their role (the others name Bedrock only, and give their role identity statements or none). */
const KEY_POLICY_NAMES_ROLE = ['EncryptedFlow', 'EncryptedBatchInference', 'EncryptedModelCustomization', 'EncryptedModelImport'];
/** The constructs whose role gets no use of the key at all: an agent's (cmk-agent-resources, agents created after 22 January 2025). */
const ROLE_WITHOUT_KEY_USE = ['EncryptedAgent'];
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const keyArn = (partition: string, region: string, account: string) => `arn:${partition}:kms:${region}:${account}:key/${KEY_ID}`;

/** Outputs whose logical id contains `part`, with their values resolved. */
function outputsLike(stack: Stack, part: string): any[] {
  return Object.entries(Template.fromStack(stack).findOutputs('*')).filter(([id]) => id.includes(part)).map(([, o]) => stack.resolve(o.Value));
}

function warningsWithId(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(`\\[ack: ${id}\\]`)).map((w) => w.entry.data as string);
}

describe.each(EACH)('%s', (name, build) => {
  test('an imported mutable role gets the statements in a policy of its own, and the Bedrock resources wait for it', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Given', `arn:aws:iam::${TEST_ACCOUNT}:role/given`);
    const built = build(stack, 'Subject', { role });
    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: ['given'] } });
    expect(Object.keys(policies).length).toBeGreaterThan(0);
    for (const resource of built.waiting) {
      const dependsOn: string[] = template.toJSON().Resources[stack.resolve(resource.logicalId)].DependsOn ?? [];
      expect(dependsOn).toEqual(expect.arrayContaining([Object.keys(policies)[0]]));
    }
    expect(outputsLike(stack, 'RolePolicyToAdd')).toEqual([]);
    expect(warningsWithId(stack, BedrockEncryptionWarnings.ROLE_POLICY_NOT_UPDATED)).toEqual([]);
  });

  test('an imported immutable role: nothing is dropped, the statements are one RolePolicyToAdd output and one warning', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Given', `arn:aws:iam::${TEST_ACCOUNT}:role/given`, { mutable: false });
    build(stack, 'Subject', { role });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    const outputs = outputsLike(stack, 'RolePolicyToAdd');
    expect(outputs).toHaveLength(1);
    if (ROLE_WITHOUT_KEY_USE.includes(name)) {
      // An agent's service role gets no key use: no key statement among them.
      expect(JSON.stringify(outputs[0])).not.toMatch(/kms:/);
    } else {
      // The role's key statements are among them (every other service role needs the key).
      expect(JSON.stringify(outputs[0])).toMatch(/kms:(Decrypt|GenerateDataKey)/);
    }
    expect(warningsWithId(stack, BedrockEncryptionWarnings.ROLE_POLICY_NOT_UPDATED)).toEqual([
      expect.stringMatching(/role\/given cannot be changed by this app.*RolePolicyToAdd/),
    ]);
  });

  test('an imported key: its statements are one KeyPolicyToAdd output and one warning', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', keyArn('aws', TEST_REGION, TEST_ACCOUNT));
    const built = build(stack, 'Subject', { encryptionKey: key });
    expect(built.encryptionKey).toBe(key);
    const outputs = outputsLike(stack, 'KeyPolicyToAdd');
    expect(outputs).toHaveLength(1);
    expect(JSON.stringify(outputs[0])).toMatch(/Statement/);
    expect(warningsWithId(stack, BedrockEncryptionWarnings.KEY_POLICY_NOT_UPDATED)).toHaveLength(1);
  });

  test.each([
    ['region', keyArn('aws', 'eu-west-1', TEST_ACCOUNT), /encryptionKey must be a key in the stack's region us-east-1/],
    ['account', keyArn('aws', TEST_REGION, '222222222222'), /encryptionKey must be a key in the stack's account 111111111111/],
    ['partition', keyArn('aws-iso', TEST_REGION, TEST_ACCOUNT), /encryptionKey must be a key in the stack's partition aws/],
    ['alias', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:alias/mine`, /encryptionKey must be a KMS key ARN .*not an alias/],
  ])('a key from another %s: a clear error, and nothing left behind', (_, arn, message) => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', arn);
    const before = stack.node.children.length;
    let error: unknown;
    try {
      build(stack, 'Subject', { encryptionKey: key });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BedrockEncryptionError);
    expect((error as Error).message).toMatch(new RegExp(`^\\[BedrockEncryptionError\\] ${name} 'Subject' at 'TestStack': `));
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(arn);
    expect(stack.node.tryFindChild('Subject')).toBeUndefined();
    expect(stack.node.children).toHaveLength(before);
  });

  test('one key shared by two of them: one key policy, no statement twice, no cycle', () => {
    const stack = testStack();
    const key = new BedrockKey(stack, 'Shared');
    build(stack, 'First', { encryptionKey: key.key });
    build(stack, 'Second', { encryptionKey: key.key });
    const template = Template.fromStack(stack); // throws on a dependency cycle
    const statements: unknown[] = template.toJSON().Resources[stack.resolve((key.key.node.defaultChild as CfnResource).logicalId)]
      .Properties.KeyPolicy.Statement;
    const rendered = statements.map((s) => JSON.stringify(s));
    expect(new Set(rendered).size).toBe(rendered.length);
  });

  test('a key in a central stack of the app: no cycle, and every role the key policy needs is named by aws:PrincipalArn', () => {
    const app = new App();
    const keyStack = testStack('KeyStack', app);
    const key = new BedrockKey(keyStack, 'Key');
    const stack = testStack('ResourceStack', app);
    const built = build(stack, 'Subject', { encryptionKey: key.key });
    const assembly = app.synth();
    const graph = assemblyGraph(assembly);
    expect(findCycle(graph.stacks)).toBeUndefined();
    expect(findCycle(graph.resources)).toBeUndefined();
    expect([...graph.stacks.get('KeyStack')!]).toEqual([]);
    expect([...graph.stacks.get('ResourceStack')!]).toEqual(['KeyStack']);
    // The key policy names no resource of the other stack; it names the role by its fixed name.
    const [keys, resources] = SynthesizedPolicies.ofStacks(keyStack, stack);
    const roleArn = resources.arn(built.role);
    const byName = keys.keyPolicyStatements().filter((st) => st.Condition?.StringEquals?.['aws:PrincipalArn'] !== undefined);
    if (KEY_POLICY_NAMES_ROLE.includes(name)) {
      expect(roleArn).toMatch(/^arn:aws:iam::111111111111:role\/ResourceStack-Subject-[0-9A-F]{8}-\w+-[0-9a-f]{8}$/);
      expect(byName.length).toBeGreaterThan(0);
    } else {
      // A role the key policy does not name keeps the name CloudFormation generates.
      expect(roleArn).not.toMatch(/ResourceStack-Subject-/);
      expect(byName).toEqual([]);
    }
    expect(byName.map((st) => [st.Principal, st.Condition.StringEquals['aws:PrincipalArn']]))
      .toEqual(byName.map(() => [{ AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, roleArn]));
    // Each such statement is in the role's identity policy too, on the key, with the same conditions.
    const identity = resources.identityPolicies(built.role).flatMap((d) => d.Statement);
    for (const statement of byName) {
      const { StringEquals: { 'aws:PrincipalArn': _, ...equals }, ...others } = statement.Condition;
      const conditions = Object.keys(equals).length > 0 ? { ...others, StringEquals: equals } : others;
      expect(identity).toContainEqual(expect.objectContaining({
        Action: statement.Action,
        Resource: keys.arn(key.key),
        ...(Object.keys(conditions).length > 0 ? { Condition: conditions } : {}),
      }));
    }
  });

  test('a role of a third stack without a fixed name, on a key in a central stack: no cycle, or an error naming both stacks', () => {
    const app = new App();
    const keyStack = testStack('KeyStack', app);
    const key = new BedrockKey(keyStack, 'Key');
    const roleStack = testStack('RoleStack', app);
    const role = new iam.Role(roleStack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const stack = testStack('ResourceStack', app);
    if (!KEY_POLICY_NAMES_ROLE.includes(name)) {
      build(stack, 'Subject', { encryptionKey: key.key, role });
      expect(findCycle(assemblyGraph(app.synth()).stacks)).toBeUndefined();
      return;
    }
    expect(() => build(stack, 'Subject', { encryptionKey: key.key, role })).toThrow(new RegExp(
      "The policy of the key 'KeyStack/Key/Key' \\(stack 'KeyStack'\\) must name the role 'RoleStack/Role/Resource' \\(stack 'RoleStack'\\).*" +
      "Give the role a fixed roleName, create it in stack 'KeyStack', or let the construct create its own role"));
  });

  test('an imported key: the statements are also a file of the cloud assembly, with every value filled in', () => {
    const app = new App();
    const stack = testStack('TestStack', app);
    const key = kms.Key.fromKeyArn(stack, 'Imported', keyArn('aws', TEST_REGION, TEST_ACCOUNT));
    build(stack, 'Subject', { encryptionKey: key });
    const [warning] = warningsWithId(stack, BedrockEncryptionWarnings.KEY_POLICY_NOT_UPDATED);
    const [, file, outputKey] = /in '([^']+\.json)' in the cloud assembly \(cdk\.out\) or in the stack output '([^']+)'/.exec(warning)!;
    expect(file).toBe(`TestStack.${outputKey}.json`);
    expect(Object.keys(Template.fromStack(stack).findOutputs('*'))).toContain(outputKey);
    const document = JSON.parse(fs.readFileSync(path.join(app.synth().directory, file), 'utf8'));
    expect(document.Statement.length).toBeGreaterThan(0);
    expect(JSON.stringify(document)).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
    expect(warningsWithId(stack, BedrockEncryptionWarnings.POLICY_FILE_HAS_EXPRESSIONS)).toEqual([]);
  });

  test('two of them in one stack, each with its own key and role', () => {
    const stack = testStack();
    const first = build(stack, 'First', {});
    const second = build(stack, 'Second', {});
    expect(first.encryptionKey).not.toBe(second.encryptionKey);
    expect(first.role).not.toBe(second.role);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::KMS::Key')).length).toBeGreaterThanOrEqual(2);
    expect(outputsLike(stack, 'ToAdd')).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cannot be changed'));
  });
});
