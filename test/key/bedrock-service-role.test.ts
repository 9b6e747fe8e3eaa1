import { Template } from 'aws-cdk-lib/assertions';
import { BedrockServiceRole } from '../../src';
import { BedrockResourceType } from '../../src/policy';
import { evaluatePolicies, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

describe('BedrockServiceRole', () => {
  test('is trusted by Bedrock for one resource type of this account and region', () => {
    const stack = testStack();
    new BedrockServiceRole(stack, 'Role', { resourceType: BedrockResourceType.KNOWLEDGE_BASE });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'bedrock.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:knowledge-base/*`]] } },
          },
        }],
      },
    });
  });

  const assume = (type: BedrockResourceType, context: Record<string, string>) => {
    const stack = testStack();
    const role = new BedrockServiceRole(stack, 'Role', { resourceType: type });
    const policies = SynthesizedPolicies.of(stack);
    return evaluatePolicies({
      principal: 'bedrock.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: policies.arn(role),
      resourceAccount: TEST_ACCOUNT,
      resourcePolicy: policies.trustPolicy(role),
      context,
    });
  };
  const agent = (account: string) => `arn:aws:bedrock:${TEST_REGION}:${account}:agent/AGENT12345`;

  test('Bedrock assumes it for an agent of this account', () => {
    expect(assume(BedrockResourceType.AGENT, { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': agent(TEST_ACCOUNT) })).toBe('Allowed');
  });

  test.each([
    ['another account (confused deputy)', { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': agent(OTHER_ACCOUNT) }],
    ['another resource type', { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:flow/F1` }],
    ['another region', { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${TEST_ACCOUNT}:agent/A1` }],
    ['no source', {}],
  ])('Bedrock may not assume it for %s', (_, context) => {
    expect(assume(BedrockResourceType.AGENT, context)).toBe('ImplicitlyDenied');
  });

  test('takes a name and description', () => {
    const stack = testStack();
    new BedrockServiceRole(stack, 'Role', { resourceType: BedrockResourceType.FLOW, roleName: 'flows', description: 'd' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: 'flows', Description: 'd' });
  });
});
