import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { allFindings, checkedStack, findings } from './helpers';
import { BedrockCustomerManagedKey } from '../../src';
import { BedrockEncryptionRules } from '../../src/checks';
import { AGENTCORE_L1S, describeIfL1 } from '../util/agentcore-l1s';
import { TEST_ACCOUNT } from '../util/synthesized-policies';

const R = BedrockEncryptionRules;
const ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/agentcore-role`;
const newKey = (stack: Stack) => new kms.Key(stack, 'Key', { enableKeyRotation: true });

/**
 * The types whose AWS page names a service principal or the resource's own role: the rule can
 * check their key policy (a role of the app, whose identity policies it reads).
 */
const CHECKED_FOR_STATEMENTS: Record<string, string> = {
  'AWS::BedrockAgentCore::Gateway': "the role 'Checked/GatewayRole'",
  'AWS::BedrockAgentCore::Evaluator': 'bedrock-agentcore.amazonaws.com',
  'AWS::BedrockAgentCore::Dataset': 'bedrock-agentcore.amazonaws.com',
};

/**
 * The dataset page gives AgentCore's service principal kms:DescribeKey with no condition
 * ("AllowAgentCoreDatasetRead"), and the mixin writes it so. The UnconditionedServicePrincipal rule
 * leaves a describe-only statement alone (it reads metadata, no data), so the mixin's output has
 * no finding; the statement is still there, unconditioned, as the page gives it.
 */
const UNCONDITIONED_DESCRIBE_KEY = new Set(['AWS::BedrockAgentCore::Dataset']);

/** The key-policy statements of the stack's key that name a service principal and have no condition. */
function unconditionedServiceStatements(stack: Stack): any[] {
  const [key] = Object.values<any>(Template.fromStack(stack).findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy.Statement.filter((st: any) => st.Principal?.Service !== undefined && st.Condition === undefined);
}

describe.each(AGENTCORE_L1S.map((l) => [l.type, l] as const))('%s', (type, l1) => {
  describeIfL1(l1.l1)('with the L1 of the installed aws-cdk-lib', () => {
    test(`without a key: ${R.NO_CUSTOMER_MANAGED_KEY} on the L1, naming the property`, () => {
      const stack = checkedStack();
      const resource = l1.make(stack, { roleArn: ROLE_ARN });
      expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)).toEqual([
        [`/Checked/${resource.node.id}`, expect.stringContaining(`${type} has no customer managed key`)],
      ]);
      expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)[0][1]).toContain(`Set ${l1.keyPath.join('.')} (`);
    });

    if (UNCONDITIONED_DESCRIBE_KEY.has(type)) {
      test('with a key through the mixin: no finding, and the page\'s unconditioned DescribeKey is the only unconditioned statement', () => {
        const stack = checkedStack();
        l1.make(stack, { roleArn: ROLE_ARN }).with(new BedrockCustomerManagedKey(newKey(stack)));
        expect(allFindings(stack)).toEqual([]);
        expect(unconditionedServiceStatements(stack)).toEqual([
          { Effect: 'Allow', Principal: { Service: 'bedrock-agentcore.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
        ]);
      });
    } else {
      test('with a key through the mixin: no finding at all', () => {
        const stack = checkedStack();
        l1.make(stack, { roleArn: ROLE_ARN }).with(new BedrockCustomerManagedKey(newKey(stack)));
        expect(allFindings(stack)).toEqual([]);
        expect(unconditionedServiceStatements(stack)).toEqual([]);
      });
    }

    const principal = CHECKED_FOR_STATEMENTS[type];
    if (principal !== undefined) {
      test(`with a key of the app that lacks the documented statements: ${R.KEY_POLICY_MISSING_STATEMENTS} names them`, () => {
        const stack = checkedStack();
        const key = newKey(stack);
        const role = new iam.Role(stack, 'GatewayRole', { assumedBy: new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com') });
        l1.make(stack, { roleArn: role.roleArn, keyArn: key.keyArn });
        const found = findings(stack, R.KEY_POLICY_MISSING_STATEMENTS);
        expect(found).toHaveLength(1);
        expect(found[0][1]).toContain(principal);
        expect(found[0][1]).toContain('bedrock-agentcore');
      });
    } else {
      test(`with a key of the app: ${R.KEY_POLICY_MISSING_STATEMENTS} is silent (the page names only callers, which the rule cannot know)`, () => {
        const stack = checkedStack();
        l1.make(stack, { roleArn: ROLE_ARN, keyArn: newKey(stack).keyArn });
        expect(findings(stack, R.KEY_POLICY_MISSING_STATEMENTS)).toEqual([]);
      });
    }
  });
});
