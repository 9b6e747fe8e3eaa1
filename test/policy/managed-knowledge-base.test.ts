import * as iam from 'aws-cdk-lib/aws-iam';
import { KnowledgeBaseEncryptionStatements } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION, ROLE_ARN } from '../fixtures/seed-statements';
import { normalize, policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

/**
 * Managed knowledge bases (type MANAGED): the knowledge base encryption page, "Encryption of data
 * storage in fully managed knowledge base". The creator lets Bedrock create its grant and use
 * data keys, through Bedrock; the service role needs no permission on the key.
 */
const VIA = (service: string) => `${service}.${REGION}.amazonaws.com`;
const CREATOR = `arn:aws:iam::${ACCOUNT}:role/Deployer`;
const GRANT_OPERATIONS = ['CreateGrant', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'DescribeKey', 'Encrypt', 'Decrypt'];

const keyPolicy = policyDocument(...KnowledgeBaseEncryptionStatements.managedCreatorKeyUse(SCOPE, new iam.ArnPrincipal(CREATOR)));
const decide = (principal: string, action: string, context: Record<string, string | string[]>) =>
  evaluatePolicies({ principal, action, resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context });

test('the page\'s two statements, with kms:GrantIsForAWSResource on CreateGrant', () => {
  expect(rendered(KnowledgeBaseEncryptionStatements.managedCreatorKeyUse(SCOPE, new iam.ArnPrincipal(CREATOR)))).toEqual([
    normalize({
      Effect: 'Allow',
      Principal: { AWS: CREATOR },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        'StringEquals': { 'kms:ViaService': VIA('bedrock') },
        'ForAllValues:StringEquals': { 'kms:GrantOperations': GRANT_OPERATIONS },
        'Bool': { 'kms:GrantIsForAWSResource': 'true' },
      },
    }),
    normalize({
      Effect: 'Allow',
      Principal: { AWS: CREATOR },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': VIA('bedrock') } },
    }),
  ]);
});

test('the creator lets Bedrock create its grant for the listed operations, and uses data keys, through Bedrock only', () => {
  const grant = (operations: string[]) => ({ 'kms:ViaService': VIA('bedrock'), 'kms:GrantIsForAWSResource': 'true', 'kms:GrantOperations': operations });
  expect(decide(CREATOR, 'kms:CreateGrant', grant(['Decrypt', 'GenerateDataKey']))).toBe('Allowed');
  expect(decide(CREATOR, 'kms:CreateGrant', grant(['Decrypt', 'RetireGrant']))).toBe('ImplicitlyDenied');
  expect(decide(CREATOR, 'kms:CreateGrant', { 'kms:ViaService': VIA('bedrock'), 'kms:GrantOperations': ['Decrypt'] })).toBe('ImplicitlyDenied');
  expect(decide(CREATOR, 'kms:CreateGrant', { ...grant(['Decrypt']), 'kms:ViaService': VIA('s3') })).toBe('ImplicitlyDenied');
  expect(decide(CREATOR, 'kms:GenerateDataKey', { 'kms:ViaService': VIA('bedrock') })).toBe('Allowed');
  expect(decide(CREATOR, 'kms:Decrypt', { 'kms:ViaService': VIA('aoss') })).toBe('ImplicitlyDenied');
  expect(decide(`arn:aws:iam::${OTHER_ACCOUNT}:role/Deployer`, 'kms:Decrypt', { 'kms:ViaService': VIA('bedrock') })).toBe('ImplicitlyDenied');
});

test('the service role gets nothing: the page says it needs no permission on the key', () => {
  expect(decide(ROLE_ARN, 'kms:GenerateDataKey', { 'kms:ViaService': VIA('bedrock') })).toBe('ImplicitlyDenied');
  expect(decide(ROLE_ARN, 'kms:Decrypt', { 'kms:ViaService': VIA('bedrock') })).toBe('ImplicitlyDenied');
});
