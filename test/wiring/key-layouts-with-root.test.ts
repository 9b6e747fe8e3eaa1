import { App } from 'aws-cdk-lib';
import { BedrockKey, EncryptedFlow } from '../../src';
import { PASS_THROUGH_FLOW } from '../flow/definitions';
import { evaluatePolicies, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

/**
 * A key in a central stack with its whole policy, the account-root administration statement of
 * every `BedrockKey` included: what the `aws:PrincipalArn` layout holds then. The root statement
 * lets every principal of the account whose identity policy allows it use the key (the KMS default
 * key policy), so a look-alike role given the same identity policy is allowed; the key policy
 * itself still keeps out roles of other accounts, and the named role without its identity statement.
 */
const FLOW_CONTEXT = 'kms:EncryptionContext:aws:bedrock-flows:arn';
const VIA_BEDROCK = `bedrock.${TEST_REGION}.amazonaws.com`;

function layout() {
  const app = new App();
  const keyStack = testStack('KeyStack', app);
  const key = new BedrockKey(keyStack, 'Key');
  const flowStack = testStack('FlowStack', app);
  const flow = new EncryptedFlow(flowStack, 'Flow', { flowName: 'orders', definition: PASS_THROUGH_FLOW, encryptionKey: key.key });
  const [keys, flows] = SynthesizedPolicies.ofStacks(keyStack, flowStack);
  const request = (principal: string, identityPolicies: any[]) => evaluatePolicies({
    principal,
    action: 'kms:GenerateDataKey',
    resource: keys.arn(key.key),
    resourceAccount: TEST_ACCOUNT,
    resourcePolicy: keys.keyPolicy(),
    identityPolicies,
    context: { 'aws:PrincipalArn': principal, 'kms:ViaService': VIA_BEDROCK, [FLOW_CONTEXT]: flows.arn(flow.cfnFlow) },
  });
  return { roleArn: flows.arn(flow.role), identity: flows.identityPolicies(flow.role), request };
}

test('with the account-root statement: the role is allowed, and so is a look-alike role of the account given the same identity policy', () => {
  const { roleArn, identity, request } = layout();
  expect(request(roleArn, identity)).toBe('Allowed');
  // What the README says: IAM policies of the account decide for the account's other principals.
  expect(request(roleArn.replace(/role\/.*/, 'role/SomeOtherRole'), identity)).toBe('Allowed');
});

test('with the account-root statement: a look-alike without the identity policy, the role without it, and another account are denied', () => {
  const { roleArn, identity, request } = layout();
  expect(request(roleArn.replace(/role\/.*/, 'role/SomeOtherRole'), [])).toBe('ImplicitlyDenied');
  expect(request(roleArn, [])).toBe('ImplicitlyDenied');
  expect(request(roleArn.replace(TEST_ACCOUNT, OTHER_ACCOUNT), identity)).toBe('ImplicitlyDenied');
});
