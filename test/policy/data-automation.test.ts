import * as iam from 'aws-cdk-lib/aws-iam';
import { DataAutomationEncryptionStatements } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION, ROLE_ARN } from '../fixtures/seed-statements';
import { decideAsRole, policyDocument, rendered, SCOPE, withGrantsForAwsResources } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

const VIA_BEDROCK = `bedrock.${REGION}.amazonaws.com`;

/**
 * AWS JSON from https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-bda.html,
 * placeholders filled in (the page's key policy uses account 111122223333 and role "Role").
 */
const AWS = {
  keyPolicy: [
    {
      Sid: 'Enable DescribeKey, Decrypt, GenerateDataKey',
      Effect: 'Allow',
      Principal: { AWS: ROLE_ARN },
      Action: ['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': VIA_BEDROCK } },
    },
    {
      Sid: 'Enable CreateGrant',
      Effect: 'Allow',
      Principal: { AWS: ROLE_ARN },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        'StringEquals': { 'kms:ViaService': VIA_BEDROCK },
        'ForAllValues:StringEquals': { 'kms:GrantOperations': ['CreateGrant', 'GenerateDataKey', 'Decrypt', 'DescribeKey'] },
      },
    },
  ],
  roleIdentity: {
    Effect: 'Allow',
    Action: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'],
    Resource: KEY_ARN,
    Condition: { StringLike: { 'kms:ViaService': [VIA_BEDROCK] } },
  },
};

describe('Data Automation page statements, field by field', () => {
  test('roleKeyUse is the key policy', () => {
    expect(rendered(DataAutomationEncryptionStatements.roleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN))))
      .toEqual(AWS.keyPolicy.flatMap(withGrantsForAwsResources));
  });
  test('roleIdentity is the IAM role permissions', () => {
    expect(rendered(DataAutomationEncryptionStatements.roleIdentity(SCOPE, KEY_ARN))).toEqual(withGrantsForAwsResources(AWS.roleIdentity));
  });
});

describe('evaluated', () => {
  const keyPolicy = policyDocument(...DataAutomationEncryptionStatements.roleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN)));
  const decide = (principal: string, action: string, context: Record<string, string | string[]>) => evaluatePolicies({
    principal, action, resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context,
  });

  test('the role uses the key through Bedrock only', () => {
    expect(decide(ROLE_ARN, 'kms:GenerateDataKey', { 'kms:ViaService': VIA_BEDROCK })).toBe('Allowed');
    expect(decide(ROLE_ARN, 'kms:GenerateDataKey', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
    expect(decide(`arn:aws:iam::${OTHER_ACCOUNT}:role/ServiceRole`, 'kms:Decrypt', { 'kms:ViaService': VIA_BEDROCK })).toBe('ImplicitlyDenied');
  });

  test('grants only for the operations Data Automation needs', () => {
    const grant = (ops: string[], forAwsResource = 'true') => decide(ROLE_ARN, 'kms:CreateGrant', {
      'kms:ViaService': VIA_BEDROCK, 'kms:GrantOperations': ops, 'kms:GrantIsForAWSResource': forAwsResource,
    });
    expect(grant(['Decrypt', 'GenerateDataKey'])).toBe('Allowed');
    expect(grant(['Decrypt', 'ReEncryptFrom'])).toBe('ImplicitlyDenied');
    expect(grant(['Decrypt', 'GenerateDataKey'], 'false')).toBe('ImplicitlyDenied');
  });

  test('the identity statement: through Bedrock only', () => {
    const statements = DataAutomationEncryptionStatements.roleIdentity(SCOPE, KEY_ARN);
    expect(decideAsRole(statements, 'kms:CreateGrant', { 'kms:ViaService': VIA_BEDROCK, 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(decideAsRole(statements, 'kms:CreateGrant', { 'kms:ViaService': VIA_BEDROCK, 'kms:GrantIsForAWSResource': 'false' })).toBe('ImplicitlyDenied');
    expect(decideAsRole(statements, 'kms:Decrypt', { 'kms:ViaService': `sqs.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });
});
