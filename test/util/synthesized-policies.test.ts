import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { evaluatePolicies, SynthesizedPolicies, TEST_ACCOUNT, testStack } from './synthesized-policies';

/** The policy engine itself must be able to say no: these tests fail if it ignores conditions. */
describe('policy evaluation', () => {
  const KEY = `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:key/k`;
  const policy = (condition: any) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*', Condition: condition }],
  });
  const decide = (condition: any, context: Record<string, string>) => evaluatePolicies({
    principal: 'bedrock.amazonaws.com', action: 'kms:Decrypt', resource: KEY, resourceAccount: TEST_ACCOUNT, resourcePolicy: policy(condition), context,
  });

  test('evaluates kms:EncryptionContext:<key> conditions: right value allowed, wrong value and missing key denied', () => {
    const condition = { StringEquals: { 'kms:EncryptionContext:aws:bedrock:arn': 'arn:aws:bedrock:us-east-1:111111111111:agent/A' } };
    expect(decide(condition, { 'kms:EncryptionContext:aws:bedrock:arn': 'arn:aws:bedrock:us-east-1:111111111111:agent/A' })).toBe('Allowed');
    expect(decide(condition, { 'kms:EncryptionContext:aws:bedrock:arn': 'arn:aws:bedrock:us-east-1:111111111111:agent/B' })).toBe('ImplicitlyDenied');
    expect(decide(condition, {})).toBe('ImplicitlyDenied');
  });

  test('an explicit Deny wins', () => {
    const doc = policy({});
    doc.Statement.push({ Effect: 'Deny', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*', Condition: {} } as any);
    expect(evaluatePolicies({ principal: 'bedrock.amazonaws.com', action: 'kms:Decrypt', resource: KEY, resourceAccount: TEST_ACCOUNT, resourcePolicy: doc })).toBe('ExplicitlyDenied');
  });

  test('rejects a malformed policy instead of skipping it', () => {
    expect(() => evaluatePolicies({
      principal: 'bedrock.amazonaws.com',
      action: 'kms:Decrypt',
      resource: KEY,
      resourceAccount: TEST_ACCOUNT,
      resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 'kms:Decrypt', Resource: '*' }] },
    })).toThrow(/invalid policy/);
  });

  test('a role needs both its identity policy and the key policy\'s delegation to the account', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    key.grantDecrypt(role);
    const policies = SynthesizedPolicies.of(stack);
    const roleArn = policies.arn(role);
    expect(roleArn).toBe(`arn:aws:iam::${TEST_ACCOUNT}:role/${policies.logicalId(role)}`);
    expect(policies.evaluate({ principal: roleArn, action: 'kms:Decrypt' })).toBe('Allowed');
    expect(policies.evaluate({ principal: roleArn, action: 'kms:Encrypt' })).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: `arn:aws:iam::${TEST_ACCOUNT}:role/Other`, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
  });
});
