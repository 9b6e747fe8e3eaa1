import * as alpha from '@aws-cdk/aws-bedrock-alpha';
import { App, Aspects, CfnParameter, CfnResource, Mixins, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { allFindings, checkedStack, findings, findingsExcept } from './helpers';
import { BedrockCustomerManagedKey, BedrockEncryptionWarnings, EncryptedAgent, EncryptedFlow, EncryptedKnowledgeBase } from '../../src';
import { BedrockEncryptionChecks, BedrockEncryptionRules, CheckLevel } from '../../src/checks';
import { HAIKU, INPUT_NODE, OUTPUT_NODE, inlinePromptNode } from '../flow/definitions';
import { TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const R = BedrockEncryptionRules;
const RULE = R.KEY_POLICY_MISSING_STATEMENTS;
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/${KEY_ID}`;
const ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/service-role`;
const INSTRUCTION = 'You answer questions about orders, politely and briefly, in the language of the user.';
const MODEL = alpha.BedrockFoundationModel.ANTHROPIC_CLAUDE_HAIKU_4_5_V1_0;

/**
 * How the messages name the agent statement (bedrock.amazonaws.com's, the only one an agent needs: cmk-agent-resources), and
 * the two an agent no longer needs (Bedrock's grants, the role's key use); and a flow's execution-role statement.
 */
const SERVICE_STATEMENT = 'bedrock.amazonaws.com: kms:GenerateDataKey, kms:Decrypt when StringLike kms:EncryptionContext:aws:bedrock:arn = ';
const GRANTS_STATEMENT = 'bedrock.amazonaws.com: kms:CreateGrant, kms:ListGrants, kms:RevokeGrant when Bool kms:GrantIsForAWSResource = true';
const roleStatement = (rolePath: string) => `the role '${rolePath}': kms:GenerateDataKey*, kms:Decrypt`;
const flowRoleStatement = (rolePath: string) => `the role '${rolePath}': kms:GenerateDataKey, kms:Decrypt when ` +
  `StringLike kms:EncryptionContext:aws:bedrock-flows:arn = arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:flow/* and ` +
  `StringEquals kms:ViaService = bedrock.${TEST_REGION}.amazonaws.com`;

const newKey = (scope: Stack, id = 'Key', props: kms.KeyProps = {}) => new kms.Key(scope, id, { enableKeyRotation: true, ...props });
const alphaAgent = (stack: Stack, kmsKey?: kms.IKey, id = 'Agent') => new alpha.Agent(stack, id, { foundationModel: MODEL, instruction: INSTRUCTION, kmsKey });
/** A role Bedrock may assume for this account's agents (with the conditions the other rules ask for). */
const agentRole = (stack: Stack, id = 'AgentRole') => serviceRole(stack, id, 'agent');
/** A role Bedrock may assume for this account's flows. */
const flowRole = (stack: Stack, id = 'FlowRole') => serviceRole(stack, id, 'flow');
function serviceRole(stack: Stack, id: string, type: string): iam.Role {
  return new iam.Role(stack, id, {
    assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:${type}/*` },
    }),
  });
}

/** The KeyPolicyToAdd outputs of the stack: logical id and value, rendered as JSON text (it may hold intrinsics). */
function keyPolicyOutputs(stack: Stack): Array<[string, string]> {
  return Object.entries(Template.fromStack(stack).findOutputs('*'))
    .filter(([id]) => id.includes('KeyPolicyToAdd'))
    .map(([id, o]) => [id, JSON.stringify(stack.resolve(o.Value))]);
}

describe('a key of the app', () => {
  test('an alpha Agent with a bare kms.Key: one error on its CfnAgent naming the Bedrock statement (no grants, no agent role statement), and the fix', () => {
    const stack = checkedStack();
    alphaAgent(stack, newKey(stack));
    const found = findings(stack, RULE);
    expect(found).toEqual([['/Checked/Agent/Resource', expect.stringContaining("The policy of the key 'Checked/Key', which this resource names in CustomerEncryptionKeyArn, does not allow a statement the resource needs")]]);
    const message = found[0][1];
    expect(message).toContain(SERVICE_STATEMENT);
    expect(message).not.toContain(GRANTS_STATEMENT);
    expect(message).not.toContain("the role 'Checked/Agent/Role'");
    expect(message).not.toContain('For a role, an identity policy of the role');
    expect(message).toContain('Apply BedrockCustomerManagedKey with this key to the resource');
    expect(message).toContain('or add to the key policy: [{');
    // The other rules have nothing to say about it.
    expect(findingsExcept(stack, RULE)).toEqual([]);
  });

  test('the same after Mixins.of(stack).apply(new BedrockCustomerManagedKey(key)): silent', () => {
    const stack = checkedStack();
    const key = newKey(stack);
    alphaAgent(stack, key);
    Mixins.of(stack).apply(new BedrockCustomerManagedKey(key));
    expect(allFindings(stack)).toEqual([]);
  });

  test('an alpha Guardrail with a bare key: silent, as with the mixin and named creators and users', () => {
    // The guardrail page asks nothing of the key policy for Bedrock itself: only for the principals
    // that create and use guardrails, which the rule cannot know.
    const bare = checkedStack();
    new alpha.Guardrail(bare, 'Guardrail', { guardrailName: 'guard', kmsKey: newKey(bare) });
    expect(allFindings(bare)).toEqual([]);

    const mixed = checkedStack();
    const key = newKey(mixed);
    new alpha.Guardrail(mixed, 'Guardrail', { guardrailName: 'guard', kmsKey: key });
    Mixins.of(mixed).apply(new BedrockCustomerManagedKey(key, { keyCreators: [agentRole(mixed, 'Deployer')], keyUsers: [agentRole(mixed, 'App')] }));
    expect(allFindings(mixed)).toEqual([]);
  });

  test('a hand-written CfnAgent whose key policy allows Bedrock with no encryption context: silent for this rule, UnconditionedServicePrincipal fires', () => {
    const stack = checkedStack();
    const role = agentRole(stack);
    const key = newKey(stack);
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      resources: ['*'],
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['*'] }));
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', agentResourceRoleArn: role.roleArn, customerEncryptionKeyArn: key.keyArn });
    expect(findings(stack, RULE)).toEqual([]);
    expect(findings(stack, R.UNCONDITIONED_SERVICE_PRINCIPAL)).toEqual([['/Checked/Key/Resource', expect.stringContaining('for bedrock.amazonaws.com')]]);
  });

  test('a key policy with only kms:* for the account root: flagged for the service principal, which root delegation does not cover', () => {
    const stack = checkedStack();
    const key = newKey(stack);
    const role = agentRole(stack);
    key.grantEncryptDecrypt(role); // the role's identity policy, through the root's delegation
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', agentResourceRoleArn: role.roleArn, customerEncryptionKeyArn: key.keyArn });
    const template = Template.fromStack(stack).toJSON();
    const keyPolicy = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::KMS::Key').Properties.KeyPolicy;
    expect(keyPolicy.Statement).toEqual([expect.objectContaining({ Action: 'kms:*', Principal: { AWS: expect.anything() } })]);

    const [[path, message]] = findings(stack, RULE);
    expect(path).toBe('/Checked/Agent');
    expect(message).toContain('does not allow a statement the resource needs');
    expect(message).toContain(SERVICE_STATEMENT);
    expect(message).not.toContain(GRANTS_STATEMENT);
    expect(message).not.toContain("the role 'Checked/AgentRole'");
  });

  test('a role of the app (a flow\'s) needs the root delegation and an identity policy; either alone is not enough; an agent\'s role needs neither', () => {
    const withoutMixin = (grant: boolean, delegate: boolean, type: 'flow' | 'agent' = 'flow') => {
      const stack = checkedStack();
      const role = type === 'flow' ? flowRole(stack) : agentRole(stack);
      const key = newKey(stack, 'Key', {
        policy: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            principals: [new iam.AccountRootPrincipal()],
            actions: delegate ? ['kms:*'] : ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:Put*', 'kms:Update*', 'kms:ScheduleKeyDeletion'],
            resources: ['*'],
          })],
        }),
      });
      if (grant) role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: [key.keyArn] }));
      if (type === 'flow') {
        new bedrock.CfnFlow(stack, 'Flow', { name: 'f', executionRoleArn: role.roleArn, customerEncryptionKeyArn: key.keyArn });
      } else {
        key.addToResourcePolicy(AGENT_SERVICE_STATEMENT);
        new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', agentResourceRoleArn: role.roleArn, customerEncryptionKeyArn: key.keyArn });
      }
      return findings(stack, RULE).map(([, message]) => message);
    };
    expect(withoutMixin(true, true)).toEqual([]);
    expect(withoutMixin(false, true)).toEqual([expect.stringContaining(`does not allow a statement the resource needs, so it fails with AccessDenied when it is created or used: ${flowRoleStatement('Checked/FlowRole')}.`)]);
    expect(withoutMixin(true, false)).toEqual([expect.stringContaining(flowRoleStatement('Checked/FlowRole'))]);
    expect(withoutMixin(false, true)[0]).toContain('For a role, an identity policy of the role that allows the actions on the key does too');
    // An agent's role needs no key use (cmk-agent-resources): Bedrock's statement alone is enough, with neither.
    expect(withoutMixin(false, false, 'agent')).toEqual([]);
    expect(withoutMixin(false, true, 'agent')).toEqual([]);
  });

  test('identity policies (of a flow\'s role): inline, attached managed policies, and a stricter condition that does not count', () => {
    const build = (attach: (role: iam.Role, key: kms.Key) => void) => {
      const stack = checkedStack();
      const role = flowRole(stack);
      const key = newKey(stack);
      attach(role, key);
      new bedrock.CfnFlow(stack, 'Flow', { name: 'f', executionRoleArn: role.roleArn, customerEncryptionKeyArn: key.keyArn });
      return findings(stack, RULE).length;
    };
    const use = (key: kms.IKey, conditions?: Record<string, any>) => new iam.PolicyStatement({ actions: ['kms:*'], resources: [key.keyArn], conditions });
    expect(build((role, key) => new iam.ManagedPolicy(role, 'Managed', { statements: [use(key)], roles: [role] }))).toBe(0);
    expect(build((role, key) => role.addManagedPolicy(new iam.ManagedPolicy(role.stack, 'Managed', { statements: [use(key)] })))).toBe(0);
    expect(build((role, key) => (role.node.defaultChild as iam.CfnRole).addPropertyOverride('Policies', [{
      PolicyName: 'inline', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }, { Effect: 'Allow', Action: 'kms:GenerateDataKey*', Resource: role.stack.resolve(key.keyArn) }] },
    }]))).toBe(0);
    expect(build((role, key) => role.addToPolicy(use(key, { StringEquals: { 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` } })))).toBe(1);
    expect(build((role) => role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:*'], resources: [`arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/other`] })))).toBe(1);
  });

  test('a role outside the app: the key policy\'s delegation to its account is enough (its identity policies cannot be read)', () => {
    const stack = checkedStack();
    const delegating = newKey(stack, 'Delegating');
    new bedrock.CfnFlow(stack, 'Flow', { name: 'f', executionRoleArn: ROLE_ARN, customerEncryptionKeyArn: delegating.keyArn });
    const closed = newKey(stack, 'Closed', {
      policy: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: ['kms:Describe*', 'kms:Put*'], resources: ['*'] })] }),
    });
    new bedrock.CfnFlow(stack, 'ClosedFlow', { name: 'f', executionRoleArn: ROLE_ARN, customerEncryptionKeyArn: closed.keyArn });
    expect(findings(stack, RULE)).toEqual([['/Checked/ClosedFlow', expect.stringContaining(`${ROLE_ARN}: kms:GenerateDataKey, kms:Decrypt when StringLike kms:EncryptionContext:aws:bedrock-flows:arn`)]]);
  });

  test('a Deny in the key policy: flagged even with the mixin', () => {
    const stack = checkedStack();
    const key = newKey(stack);
    alphaAgent(stack, key);
    Mixins.of(stack).apply(new BedrockCustomerManagedKey(key));
    key.addToResourcePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')], actions: ['kms:Decrypt'], resources: ['*'] }));
    expect(findings(stack, RULE)).toEqual([['/Checked/Agent/Resource', expect.stringContaining(`does not allow a statement the resource needs, so it fails with AccessDenied when it is created or used: ${SERVICE_STATEMENT}`)]]);
  });

  test('a key in another stack of the app: the reference is followed', () => {
    const app = new App();
    Aspects.of(app).add(new BedrockEncryptionChecks());
    const keys = testStack('Keys', app);
    const agents = testStack('Agents', app);
    const key = newKey(keys);
    alphaAgent(agents, key, 'Flagged');
    // (No mixin on the agent: it stays flagged; the prompt, with the mixin, is not.)
    new bedrock.CfnPrompt(agents, 'Fixed', { name: 'p' }).with(new BedrockCustomerManagedKey(key));
    expect(findings(agents, RULE)).toEqual([['/Agents/Flagged/Resource', expect.stringContaining("The policy of the key 'Keys/Key'")]]);
    expect(allFindings(keys)).toEqual([]);
  });

  test('a key property the rule cannot follow (a parameter) is skipped', () => {
    const stack = checkedStack();
    const keyArn = new CfnParameter(stack, 'KeyArn').valueAsString;
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', customerEncryptionKeyArn: keyArn });
    expect(allFindings(stack)).toEqual([]);
    expect(keyPolicyOutputs(stack)).toEqual([]);
  });

  test('a plain CfnResource of a Bedrock type is not checked: the mixin\'s builders read typed L1s', () => {
    const stack = checkedStack();
    const key = newKey(stack);
    new CfnResource(stack, 'Prompt', { type: 'AWS::Bedrock::Prompt', properties: { Name: 'p', CustomerEncryptionKeyArn: key.keyArn } });
    expect(allFindings(stack)).toEqual([]);
  });
});

/** The agent statement for Bedrock, as the mixin writes it (for hand-written key policies): no grants since cmk-agent-resources. */
const AGENT_SERVICE_STATEMENT = new iam.PolicyStatement({
  principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')],
  actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
  resources: ['*'],
  conditions: { StringLike: { 'kms:EncryptionContext:aws:bedrock:arn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent/*` } },
});

describe('the L1s the mixin supports', () => {
  const role = (stack: Stack) => agentRole(stack).roleArn;
  const L1S: Array<[string, (s: Stack, keyArn?: string) => CfnResource]> = [
    ['AWS::Bedrock::Agent', (s, k) => new bedrock.CfnAgent(s, 'R', { agentName: 'a', agentResourceRoleArn: role(s), customerEncryptionKeyArn: k })],
    ['AWS::Bedrock::Flow', (s, k) => new bedrock.CfnFlow(s, 'R', { name: 'f', executionRoleArn: role(s), customerEncryptionKeyArn: k })],
    ['AWS::Bedrock::Prompt', (s, k) => new bedrock.CfnPrompt(s, 'R', { name: 'p', customerEncryptionKeyArn: k })],
    ['AWS::Bedrock::DataSource', (s, k) => {
      const kb = new bedrock.CfnKnowledgeBase(s, 'Kb', {
        name: 'kb', roleArn: role(s), knowledgeBaseConfiguration: { type: 'KENDRA', kendraKnowledgeBaseConfiguration: { kendraIndexArn: 'arn:aws:kendra:us-east-1:111111111111:index/12345678-1234-1234-1234-123456789012' } },
      });
      return new bedrock.CfnDataSource(s, 'R', {
        name: 'd',
        knowledgeBaseId: kb.attrKnowledgeBaseId,
        dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } },
        serverSideEncryptionConfiguration: k === undefined ? undefined : { kmsKeyArn: k },
      });
    }],
  ];

  test.each(L1S)('%s with a bare key of the stack: flagged', (_type, make) => {
    const stack = checkedStack();
    make(stack, newKey(stack).keyArn);
    expect(findings(stack, RULE).map(([path]) => path)).toEqual(['/Checked/R']);
  });

  test.each(L1S)('%s with the mixin: silent', (_type, make) => {
    const stack = checkedStack();
    make(stack).with(new BedrockCustomerManagedKey(newKey(stack)));
    expect(allFindings(stack)).toEqual([]);
  });

  test.each(L1S)('%s with the mixin on an imported key: silent (the library reported the statements)', (_type, make) => {
    const stack = checkedStack();
    make(stack).with(new BedrockCustomerManagedKey(kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN)));
    expect(allFindings(stack)).toEqual([]);
    expect(keyPolicyOutputs(stack)).toHaveLength(1);
  });
});

describe('an imported key', () => {
  const warnings = (stack: Stack, id: string) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(`\\[ack: ${id}\\]`));

  test('an alpha Agent with Key.fromKeyArn: one warning even at ERROR level, naming Bedrock\'s statement (no grants, no role) with its JSON; nothing written', () => {
    const stack = checkedStack(CheckLevel.ERROR);
    const key = kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN);
    alphaAgent(stack, key);
    expect(findings(stack, RULE)).toEqual([]);
    const [[path, message]] = findings(stack, RULE, 'warning');
    expect(path).toBe('/Checked/Agent/Resource');
    expect(message).toContain(`The AWS::Bedrock::Agent 'Checked/Agent/Resource' names the imported key ${KEY_ARN}, whose policy this app cannot read.`);
    expect(message).toContain('it allows this statement (');
    expect(message).toContain(SERVICE_STATEMENT);
    expect(message).not.toContain(GRANTS_STATEMENT);
    expect(message).not.toContain(roleStatement('Checked/Agent/Role'));
    // the statement itself, as JSON the key's administrator adds
    const json = JSON.parse(/AccessDenied: (\[.*\])\. Applying/.exec(message)![1]);
    expect(json).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:bedrock:arn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent/*` } },
    }]);
    // The checks observe: no output, no warning of the library's writer.
    expect(keyPolicyOutputs(stack)).toEqual([]);
    expect(warnings(stack, BedrockEncryptionWarnings.KEY_POLICY_NOT_UPDATED)).toHaveLength(0);
  });

  test('two resources on one imported key: one warning naming both, no statement twice, nothing written', () => {
    const stack = checkedStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN);
    new bedrock.CfnPrompt(stack, 'First', { name: 'a', customerEncryptionKeyArn: key.keyArn });
    new bedrock.CfnPrompt(stack, 'Second', { name: 'b', customerEncryptionKeyArn: key.keyArn });
    const found = findings(stack, RULE, 'warning');
    expect(found).toEqual([
      ['/Checked/First', expect.stringContaining("The AWS::Bedrock::Prompt 'Checked/First', the AWS::Bedrock::Prompt 'Checked/Second' name the imported key")],
    ]);
    expect(found[0][1].match(/"kms:EncryptionContext:aws:bedrock-prompts:arn"/g)).toHaveLength(1);
    expect(keyPolicyOutputs(stack)).toEqual([]);
  });

  test('a key ARN written as a string: reported by its ARN; the checks add no construct and no output', () => {
    const stack = checkedStack();
    new bedrock.CfnPrompt(stack, 'Prompt', { name: 'p', customerEncryptionKeyArn: KEY_ARN });
    expect(findings(stack, RULE, 'warning')).toEqual([['/Checked/Prompt', expect.stringContaining(`names the imported key ${KEY_ARN}`)]]);
    expect(findings(stack, RULE, 'warning')[0][1]).toContain('"Service":"bedrock.amazonaws.com"');
    expect(keyPolicyOutputs(stack)).toEqual([]);
    expect(stack.node.tryFindChild(`BedrockEncryptionChecksKey-${KEY_ID}`)).toBeUndefined();
  });

  test('the template is the same with and without validation: the checks write nothing', () => {
    const build = () => {
      const stack = checkedStack(CheckLevel.WARNING);
      const key = kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN);
      alphaAgent(stack, key);
      new bedrock.CfnPrompt(stack, 'Prompt', { name: 'p', customerEncryptionKeyArn: KEY_ARN.replace(/key\/.*/, 'key/0000abcd-12ab-34cd-56ef-1234567890ab') });
      new bedrock.CfnPrompt(stack, 'Mixed', { name: 'm' }).with(new BedrockCustomerManagedKey(kms.Key.fromKeyArn(stack, 'Other', KEY_ARN)));
      alphaAgent(stack, newKey(stack), 'AppKeyAgent');
      // a suppression on a scope, and a resource added under it afterwards: its metadata is written by the aspect, not the checks
      const team = new Construct(stack, 'Team');
      BedrockEncryptionChecks.suppress(team, RULE, 'The team\'s key policy is managed elsewhere');
      new bedrock.CfnPrompt(team, 'Later', { name: 'l', customerEncryptionKeyArn: KEY_ARN });
      return stack;
    };
    const validated = build();
    const unvalidated = build();
    const templateOf = (stack: Stack, skipValidation: boolean) =>
      Stage.of(stack)!.synth({ skipValidation, force: true }).getStackByName(stack.stackName).template;
    const withChecks = templateOf(validated, false);
    expect(findings(validated, RULE, 'warning').map(([path]) => path).sort()).toEqual(['/Checked/Agent/Resource', '/Checked/AppKeyAgent/Resource', '/Checked/Prompt']);
    expect(templateOf(unvalidated, true)).toEqual(withChecks);
    expect(withChecks.Resources[validated.getLogicalId(validated.node.findChild('Team').node.findChild('Later') as CfnResource)].Metadata)
      .toEqual(expect.objectContaining({ cdk_bedrock_encryption: { rules_to_suppress: [{ id: RULE, reason: 'The team\'s key policy is managed elsewhere' }] } }));
  });

  test('two imports of one key ARN: the one the library reported to counts, nothing is reported twice', () => {
    const stack = checkedStack();
    kms.Key.fromKeyArn(stack, 'First', KEY_ARN);
    const second = kms.Key.fromKeyArn(stack, 'Second', KEY_ARN);
    new bedrock.CfnPrompt(stack, 'Prompt', { name: 'p' }).with(new BedrockCustomerManagedKey(second));
    expect(allFindings(stack)).toEqual([]);
    // the mixin's output, written at construction
    expect(keyPolicyOutputs(stack).map(([id]) => id)).toEqual([expect.stringMatching(/^SecondKeyPolicyToAdd/)]);
  });

  test('a resource that needs nothing of the key policy (a guardrail): silent, no output', () => {
    const stack = checkedStack();
    new alpha.Guardrail(stack, 'Guardrail', { guardrailName: 'guard', kmsKey: kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN) });
    expect(allFindings(stack)).toEqual([]);
    expect(Template.fromStack(stack).findOutputs('*')).toEqual({});
  });

  test('the library\'s constructs on an imported key: silent (they report their statements themselves)', () => {
    const stack = checkedStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN);
    new EncryptedAgent(stack, 'Agent', { agentName: 'support', foundationModel: HAIKU, instruction: INSTRUCTION, encryptionKey: key, memory: { storageDays: 30 } });
    new EncryptedFlow(stack, 'Flow', { flowName: 'summary', encryptionKey: key, definition: { nodes: [INPUT_NODE, inlinePromptNode('Summarize', HAIKU), OUTPUT_NODE], connections: [] } });
    new EncryptedKnowledgeBase(stack, 'Kb', { embeddingModel: 'amazon.titan-embed-text-v2:0', encryptionKey: key });
    expect(findings(stack, RULE, 'warning')).toEqual([]);
    expect(findings(stack, RULE)).toEqual([]);
    expect(warnings(stack, BedrockEncryptionWarnings.KEY_POLICY_NOT_UPDATED)).toHaveLength(1);
  });
});

describe('reporting and suppression', () => {
  test('one finding per resource, with the aspect added twice and the app synthesized twice', () => {
    const app = new App();
    Aspects.of(app).add(new BedrockEncryptionChecks());
    Aspects.of(app).add(new BedrockEncryptionChecks({ level: CheckLevel.WARNING }));
    const stack = testStack('Checked', app);
    alphaAgent(stack, newKey(stack));
    new bedrock.CfnPrompt(stack, 'Prompt', { name: 'p', customerEncryptionKeyArn: KEY_ARN });
    app.synth();
    app.synth();
    expect(findings(stack, RULE).map(([path]) => path)).toEqual(['/Checked/Agent/Resource']);
    expect(findings(stack, RULE, 'warning').map(([path]) => path)).toEqual(['/Checked/Prompt']);
    expect(Object.keys(Template.fromStack(stack).findOutputs('*'))).toHaveLength(0);
  });

  test('CheckLevel.WARNING: a warning acknowledgeable by the rule id', () => {
    const stack = checkedStack(CheckLevel.WARNING);
    alphaAgent(stack, newKey(stack));
    Annotations.fromStack(stack).hasWarning('/Checked/Agent/Resource', Match.stringLikeRegexp(`^\\[${RULE}\\] .* \\[ack: ${RULE}\\]$`));
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  test('suppressed on the resource: silent, with the reason in the template', () => {
    const stack = checkedStack();
    const agent = alphaAgent(stack, newKey(stack));
    BedrockEncryptionChecks.suppress(agent, RULE, 'The key policy is managed by the platform team');
    expect(allFindings(stack)).toEqual([]);
    Template.fromStack(stack).hasResource('AWS::Bedrock::Agent', {
      Metadata: { cdk_bedrock_encryption: { rules_to_suppress: [{ id: RULE, reason: 'The key policy is managed by the platform team' }] } },
    });
  });

  test('suppressed on a resource of an imported key: no warning, and its statements are not reported', () => {
    const stack = checkedStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN);
    const suppressed = new bedrock.CfnPrompt(stack, 'Suppressed', { name: 'a', customerEncryptionKeyArn: key.keyArn });
    BedrockEncryptionChecks.suppress(suppressed, RULE, 'The key is administered elsewhere');
    expect(allFindings(stack)).toEqual([]);
    expect(Template.fromStack(stack).findOutputs('*')).toEqual({});
  });
});
