import { CfnWaitConditionHandle } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BedrockEncryptionWarnings } from '../../src';
import { AgentEncryptionStatements } from '../../src/policy/agent';
import { unwrittenKeyPolicyJson, writeIdentityPolicy, writeKeyPolicy, writePolicyAfter, writeResourcePolicy } from '../../src/wiring/policy-writer';
import { SynthesizedPolicies, testStack } from '../util/synthesized-policies';

const statement = () => new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:us-east-1::foundation-model/m'] });
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/Existing';

describe('writeIdentityPolicy', () => {
  test('a role created in the app takes the statements: no output, no warning, one grant to wait for', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const grant = writeIdentityPolicy(role, [statement()], { scope: stack, subject: 'the thing' });
    const waiter = new CfnWaitConditionHandle(stack, 'Waiter');
    grant.applyBefore(waiter);
    const template = Template.fromStack(stack);
    expect(template.findOutputs('*')).toEqual({});
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [Match.objectLike({ Action: 'bedrock:InvokeModel' })] } });
    template.hasResource('AWS::CloudFormation::WaitConditionHandle', { DependsOn: [Match.stringLikeRegexp('RoleDefaultPolicy')] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a mutable imported role gets a policy, which the grant waits for', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN);
    const grant = writeIdentityPolicy(role, [statement()], { scope: stack, subject: 'the thing' });
    grant.applyBefore(new CfnWaitConditionHandle(stack, 'Waiter'));
    const template = Template.fromStack(stack);
    expect(template.findOutputs('*')).toEqual({});
    template.hasResourceProperties('AWS::IAM::Policy', { Roles: ['Existing'] });
    template.hasResource('AWS::CloudFormation::WaitConditionHandle', { DependsOn: [Match.stringLikeRegexp('RolePolicy')] });
  });

  test.each([
    ['an immutable imported role', (s: any) => iam.Role.fromRoleArn(s, 'Role', ROLE_ARN, { mutable: false })],
    ['an ARN principal', () => new iam.ArnPrincipal(ROLE_ARN)],
  ])('%s: the statements become one RolePolicyToAdd output and one warning', (_, principalOf) => {
    const stack = testStack();
    const principal = principalOf(stack);
    writeIdentityPolicy(principal, [statement()], { scope: stack, subject: 'the first thing' });
    writeIdentityPolicy(principal, [statement().copy({ actions: ['bedrock:GetAgent'] })], { scope: stack, subject: 'the second thing' });
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.keys(outputs)).toHaveLength(1);
    const [output] = Object.values<any>(outputs);
    expect(JSON.parse(stack.resolve(output.Value)).Statement.map((s: any) => s.Action)).toEqual(['bedrock:InvokeModel', 'bedrock:GetAgent']);
    expect(output.Description).toMatch(/for the first thing, the second thing$/);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(BedrockEncryptionWarnings.ROLE_POLICY_NOT_UPDATED));
    expect(warnings.map((w) => w.entry.data)).toEqual([expect.stringMatching(/principal arn:aws:iam::111111111111:role\/Existing cannot be changed.*RolePolicyToAdd/)]);
  });
});

describe('writeKeyPolicy', () => {
  const statements = () => AgentEncryptionStatements.bedrockServiceKeyUse('arn:aws:bedrock:us-east-1:111111111111:agent/*');

  test('a key of the app takes the statements, each once however often it is given', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    expect(writeKeyPolicy(key, statements(), { scope: stack, subject: 'a' })).toBe(true);
    expect(writeKeyPolicy(key, statements(), { scope: stack, subject: 'b' })).toBe(true);
    const policy = SynthesizedPolicies.of(stack).keyPolicyStatements();
    expect(policy.filter((s: any) => JSON.stringify(s).includes('bedrock.amazonaws.com'))).toHaveLength(1);
    expect(unwrittenKeyPolicyJson(key)).toBe('');
  });

  test('an imported key: one KeyPolicyToAdd output under the key, whoever wrote for it', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', KEY_ARN);
    expect(writeKeyPolicy(key, statements(), { scope: stack, subject: 'a' })).toBe(false);
    expect(writeKeyPolicy(key, statements(), { scope: stack, subject: 'b' })).toBe(false);
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.keys(outputs)).toEqual([expect.stringMatching(/^ImportedKeyPolicyToAdd/)]);
    expect(JSON.parse(stack.resolve(unwrittenKeyPolicyJson(key))).Statement).toHaveLength(1);
    Annotations.fromStack(stack).hasWarning('/TestStack/Imported', Match.stringLikeRegexp(`key policy of key ${KEY_ARN} cannot be changed`));
  });
});

describe('writeResourcePolicy', () => {
  test('an imported topic: one ResourcePolicyToAdd output under it', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:alerts');
    const publish = new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['sns:Publish'], resources: [topic.topicArn] });
    expect(writeResourcePolicy(topic, topic.topicArn, [publish], { scope: stack, subject: 'the monitor' })).toBe(false);
    expect(Object.keys(Template.fromStack(stack).findOutputs('*'))).toEqual([expect.stringMatching(/^TopicResourcePolicyToAdd/)]);
    Annotations.fromStack(stack).hasWarning('/TestStack/Topic', Match.stringLikeRegexp(BedrockEncryptionWarnings.RESOURCE_POLICY_NOT_UPDATED));
  });
});

describe('writePolicyAfter', () => {
  test('a policy created after the resource, attached to the role', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN);
    const resource = new CfnWaitConditionHandle(stack, 'Resource');
    const policy = writePolicyAfter(stack, 'After', resource, role, [statement()], { scope: stack, subject: 'x' });
    expect(policy).toBeDefined();
    Template.fromStack(stack).hasResource('AWS::IAM::Policy', { Properties: { Roles: ['Existing'] }, DependsOn: [Match.stringLikeRegexp('Resource')] });
  });

  test('a role that takes no policy: nothing half-made, the statements reported', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', ROLE_ARN, { mutable: false });
    const resource = new CfnWaitConditionHandle(stack, 'Resource');
    expect(writePolicyAfter(stack, 'After', resource, role, [statement()], { scope: stack, subject: 'x' })).toBeUndefined();
    expect(stack.node.tryFindChild('After')).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    expect(Object.keys(Template.fromStack(stack).findOutputs('*'))).toEqual([expect.stringMatching(/RolePolicyToAdd/)]);
  });
});
