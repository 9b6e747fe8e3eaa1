import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BedrockKey } from '../../src';
import { AgentEncryptionStatements, KeyAdministrationStatements, PolicyScopes } from '../../src/policy';
import { BedrockEncryptionError } from '../../src/private/validation';
import { SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const IMPORTED_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

describe('a new BedrockKey', () => {
  test('has rotation on, an alias, a 30-day pending window and is retained', () => {
    const stack = testStack();
    new BedrockKey(stack, 'Key');
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: Match.stringLikeRegexp('^alias/bedrock/') });
  });

  test('its key policy holds exactly the account-root admin statement', () => {
    const stack = testStack();
    new BedrockKey(stack, 'Key');
    const statements = SynthesizedPolicies.of(stack).keyPolicyStatements();
    const expected = stack.resolve(KeyAdministrationStatements.accountRootKeyUse(PolicyScopes.of(stack))[0].toStatementJson());
    expect(statements).toEqual([{ ...expected, Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` } }]);
  });

  test('takes alias, description, removal policy, pending window and rotation period', () => {
    const stack = testStack();
    new BedrockKey(stack, 'Key', {
      alias: 'support-agent',
      description: 'agents',
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
      rotationPeriod: Duration.days(90),
    });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      Properties: { Description: 'agents', PendingWindowInDays: 7, RotationPeriodInDays: 90, EnableKeyRotation: true },
      DeletionPolicy: 'Delete',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/support-agent' });
  });

  test('addStatements writes into the key policy', () => {
    const stack = testStack();
    const key = new BedrockKey(stack, 'Key');
    expect(key.addStatements(...AgentEncryptionStatements.persistentResourceGrantsKeyUse())).toBe(true);
    expect(key.hasUnwrittenStatements).toBe(false);
    expect(key.unwrittenPolicyJson).toBe('');
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'] })]) },
    });
  });

  test('the same statement added through two wrappers of one key appears once', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Shared');
    BedrockKey.fromKey(stack, 'A', key).addStatements(...AgentEncryptionStatements.persistentResourceGrantsKeyUse());
    BedrockKey.fromKey(stack, 'B', key).addStatements(...AgentEncryptionStatements.persistentResourceGrantsKeyUse());
    const grants = SynthesizedPolicies.of(stack).keyPolicyStatements().filter((s) => JSON.stringify(s).includes('kms:CreateGrant'));
    expect(grants).toHaveLength(1);
  });

  test.each([
    ['pendingWindow', { pendingWindow: Duration.days(6) }, /pendingWindow must be a whole number of days from 7 to 30; got 6 days/],
    ['pendingWindow', { pendingWindow: Duration.days(31) }, /pendingWindow must be a whole number of days from 7 to 30; got 31 days/],
    ['rotationPeriod', { rotationPeriod: Duration.days(30) }, /rotationPeriod must be a whole number of days from 90 to 2560/],
    ['alias', { alias: 'alias/aws/bedrock' }, /alias must be a KMS alias name.*not in the reserved 'alias\/aws\/' namespace; got "alias\/aws\/bedrock"/],
    ['alias', { alias: 'has spaces' }, /alias must be a KMS alias name/],
  ])('rejects a bad %s before creating anything', (_, props, message) => {
    const stack = testStack();
    expect(() => new BedrockKey(stack, 'Key', props)).toThrow(message);
    expect(() => new BedrockKey(stack, 'Key2', props)).toThrow(BedrockEncryptionError);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::KMS::Key'))).toHaveLength(0);
  });

  test('lists every problem in one error naming the construct path', () => {
    const stack = testStack();
    expect(() => new BedrockKey(stack, 'Key', { alias: 'alias/aws/x', pendingWindow: Duration.days(1) }))
      .toThrow(/BedrockKey 'Key' at 'TestStack': alias must be .*; pendingWindow must be/);
  });

  test('does not validate tokens', () => {
    const stack = testStack();
    const alias = new CfnParameter(stack, 'Alias').valueAsString;
    new BedrockKey(stack, 'Key', { alias });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Alias', { AliasName: { Ref: 'Alias' } });
  });
});

describe('BedrockKey.fromKey', () => {
  test('a key created in the app takes the statements into its policy', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Mine');
    const wrapped = BedrockKey.fromKey(stack, 'Wrapped', key);
    expect(wrapped.addStatements(...AgentEncryptionStatements.persistentResourceGrantsKeyUse())).toBe(true);
    expect(wrapped.keyArn).toBe(key.keyArn);
    expect(Template.fromStack(stack).findOutputs('*')).toEqual({});
  });

  test('an imported key: statements go to the KeyPolicyToAdd output and a warning, never dropped', () => {
    const stack = testStack();
    const wrapped = BedrockKey.fromKey(stack, 'Imported', kms.Key.fromKeyArn(stack, 'K', IMPORTED_ARN));
    const statements = [
      ...AgentEncryptionStatements.bedrockServiceKeyUse('arn:aws:bedrock:us-east-1:111111111111:agent/*'),
      ...AgentEncryptionStatements.persistentResourceGrantsKeyUse(),
    ];
    expect(wrapped.addStatements(...statements)).toBe(false);
    expect(wrapped.hasUnwrittenStatements).toBe(true);

    const outputs = Template.fromStack(stack).findOutputs('*');
    const [output] = Object.values(outputs) as any[];
    expect(Object.keys(outputs)).toHaveLength(1);
    expect(output.Description).toContain(IMPORTED_ARN);
    const policy = JSON.parse(new SynthesizedPolicies({}, stack).resolve(output.Value));
    expect(policy).toEqual({ Version: '2012-10-17', Statement: statements.map((s) => stack.resolve(s.toStatementJson())) });

    // One report per key: under the imported key, whichever wrapper or construct wrote for it.
    expect(Object.keys(outputs)[0]).toMatch(/^KKeyPolicyToAdd/);
    Annotations.fromStack(stack).hasWarning('/TestStack/K', Match.stringLikeRegexp(
      `The key policy of key ${IMPORTED_ARN} cannot be changed by this app.*'KKeyPolicyToAdd[0-9A-F]{8}' \\(TestStack/K/KeyPolicyToAdd\\)`));
  });

  test.each([
    ['another region', `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/abc`, /a key in the stack's region us-east-1/],
    ['another account', `arn:aws:kms:${TEST_REGION}:222222222222:key/abc`, /a key in the stack's account 111111111111/],
    ['another service', `arn:aws:s3:${TEST_REGION}:${TEST_ACCOUNT}:key/abc`, /a KMS key ARN/],
  ])('rejects a key from %s', (_, arn, message) => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'K', arn);
    expect(() => BedrockKey.fromKey(stack, 'Wrapped', key)).toThrow(message);
    expect(stack.node.tryFindChild('Wrapped')).toBeUndefined();
  });

  test('cannot compare with an environment-agnostic stack, so accepts the key', () => {
    const stack = new Stack();
    const key = kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:eu-west-1:222222222222:key/abc');
    expect(BedrockKey.fromKey(stack, 'Wrapped', key).keyArn).toBe('arn:aws:kms:eu-west-1:222222222222:key/abc');
  });

  test('a statement for an IAM principal on an imported key is reported too', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    const wrapped = BedrockKey.fromKey(stack, 'Imported', kms.Key.fromKeyArn(stack, 'K', IMPORTED_ARN));
    expect(wrapped.addStatements(...AgentEncryptionStatements.serviceRoleKeyUse(role))).toBe(false);
    expect(stack.resolve(wrapped.unwrittenPolicyJson)).toBeTruthy();
  });
});
