import * as iam from 'aws-cdk-lib/aws-iam';
import { KnowledgeBaseEncryptionStatements } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION, ROLE_ARN } from '../fixtures/seed-statements';
import { policyDocument, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

/**
 * Managed knowledge bases (type MANAGED): no AWS page documents the key use, so these tests pin
 * the narrowest statements the library writes (catalog: "Not documented by AWS").
 */
const VIA = (service: string) => `${service}.${REGION}.amazonaws.com`;
const CREATOR = `arn:aws:iam::${ACCOUNT}:role/Deployer`;

const keyPolicy = policyDocument(
  ...KnowledgeBaseEncryptionStatements.managedCreatorKeyUse(SCOPE, new iam.ArnPrincipal(CREATOR)),
  ...KnowledgeBaseEncryptionStatements.managedServiceRoleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN)),
);
const decide = (principal: string, action: string, context: Record<string, string | string[]>) =>
  evaluatePolicies({ principal, action, resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context });

test('the service role gets data keys through Bedrock only', () => {
  expect(decide(ROLE_ARN, 'kms:GenerateDataKey', { 'kms:ViaService': VIA('bedrock') })).toBe('Allowed');
  expect(decide(ROLE_ARN, 'kms:Decrypt', { 'kms:ViaService': VIA('bedrock') })).toBe('Allowed');
  expect(decide(ROLE_ARN, 'kms:Decrypt', { 'kms:ViaService': VIA('s3') })).toBe('ImplicitlyDenied');
  expect(decide(ROLE_ARN, 'kms:CreateGrant', { 'kms:ViaService': VIA('bedrock'), 'kms:GrantIsForAWSResource': 'true' })).toBe('ImplicitlyDenied');
  expect(decide(`arn:aws:iam::${OTHER_ACCOUNT}:role/ServiceRole`, 'kms:Decrypt', { 'kms:ViaService': VIA('bedrock') })).toBe('ImplicitlyDenied');
});

test('the creator describes the key and lets Bedrock create its grant, through Bedrock only', () => {
  expect(decide(CREATOR, 'kms:DescribeKey', { 'kms:ViaService': VIA('bedrock') })).toBe('Allowed');
  expect(decide(CREATOR, 'kms:CreateGrant', { 'kms:ViaService': VIA('bedrock'), 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
  expect(decide(CREATOR, 'kms:CreateGrant', { 'kms:ViaService': VIA('bedrock') })).toBe('ImplicitlyDenied');
  expect(decide(CREATOR, 'kms:DescribeKey', { 'kms:ViaService': VIA('aoss') })).toBe('ImplicitlyDenied');
});
