import * as cdk from 'aws-cdk-lib';
import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BedrockCustomerManagedKey, BedrockEncryptionChecks, BedrockEncryptionRules, CheckLevel } from '../../src';
import { DEPLOYMENT_ROLE_ARN, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

/**
 * AWS Agent Registry registries (`AWS::AgentRegistry::Registry`, aws-cdk-lib 2.274 and later):
 * the registry's key-policy page ("Set customer managed key policy"), through the mixin and the checks.
 */
const CfnRegistry = (cdk as unknown as Record<string, any>).aws_agentregistry?.CfnRegistry;
const describeIfRegistry = CfnRegistry ? describe : describe.skip;

const VIA_REGISTRY = `agent-registry.${TEST_REGION}.amazonaws.com`;
const VIA_AGENTCORE = `bedrock-agentcore.${TEST_REGION}.amazonaws.com`;
const APP_USER = `arn:aws:iam::${TEST_ACCOUNT}:role/AppUser`;
const ACTIONS = ['kms:DescribeKey', 'kms:CreateGrant', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKey', 'kms:Encrypt',
  'kms:ReEncrypt*', 'kms:Decrypt'];

function encryptedRegistry(options: { keyUsers?: iam.IPrincipal[] } = {}) {
  const stack = testStack();
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const registry = new CfnRegistry(stack, 'Registry', { name: 'tools' });
  registry.with(new BedrockCustomerManagedKey(key, options));
  return { stack, key, registry, policies: SynthesizedPolicies.of(stack) };
}

describeIfRegistry('AWS::AgentRegistry::Registry', () => {
  test('the mixin sets encryptionConfiguration.kmsKeyArn, and the key policy names the deployment role with the page\'s statement', () => {
    const { stack, key, policies } = encryptedRegistry();
    Template.fromStack(stack).hasResourceProperties('AWS::AgentRegistry::Registry', {
      EncryptionConfiguration: { KmsKeyArn: stack.resolve(key.keyArn) },
    });
    expect(policies.keyPolicyStatements().filter((s: any) => s.Principal?.AWS === DEPLOYMENT_ROLE_ARN)).toEqual([{
      Effect: 'Allow',
      Principal: { AWS: DEPLOYMENT_ROLE_ARN },
      Action: ACTIONS,
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': VIA_REGISTRY } },
    }]);
  });

  test.each(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:CreateGrant', 'kms:ReEncryptFrom'])(
    '%s: allowed to the creator and a named user through AWS Agent Registry only; denied to another account', (action) => {
      const { policies } = encryptedRegistry({ keyUsers: [new iam.ArnPrincipal(APP_USER)] });
      for (const principal of [DEPLOYMENT_ROLE_ARN, APP_USER]) {
        expect(policies.evaluate({ principal, action, context: { 'kms:ViaService': VIA_REGISTRY } })).toBe('Allowed');
        expect(policies.evaluate({ principal, action, context: { 'kms:ViaService': VIA_AGENTCORE } })).toBe('ImplicitlyDenied');
        expect(policies.evaluate({ principal, action, context: {} })).toBe('ImplicitlyDenied');
      }
      expect(policies.evaluate({
        principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/Deployer`, action, context: { 'kms:ViaService': VIA_REGISTRY },
      })).toBe('ImplicitlyDenied');
    });

  test('the checks flag a registry without a customer managed key, and accept one the mixin encrypted', () => {
    const stack = testStack();
    new CfnRegistry(stack, 'Plain', { name: 'plain' });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new CfnRegistry(stack, 'Encrypted', { name: 'encrypted' }).with(new BedrockCustomerManagedKey(key));
    Aspects.of(stack).add(new BedrockEncryptionChecks({ level: CheckLevel.WARNING }));
    const rule = BedrockEncryptionRules.NO_CUSTOMER_MANAGED_KEY;
    const flagged = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(rule)).map((w) => w.id);
    expect(flagged).toEqual(['/TestStack/Plain']);
  });
});

test('the registry\'s L1 is tested where aws-cdk-lib has it (2.274 and later)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version: string = require('aws-cdk-lib/package.json').version;
  const [, minor] = version.split('.').map(Number);
  expect(CfnRegistry !== undefined).toBe(minor >= 274);
});
