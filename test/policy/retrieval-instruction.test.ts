import * as iam from 'aws-cdk-lib/aws-iam';
import { RetrievalInstructionEncryptionStatements } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION, ROLE_ARN } from '../fixtures/seed-statements';
import { decideAsRole, policyDocument, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

/**
 * Retrieval instructions: no AWS page documents the key use, so these tests pin the narrowest
 * statements the library writes (catalog: "Not documented by AWS").
 */
const VIA = (service: string) => `${service}.${REGION}.amazonaws.com`;

function asKeyPolicy(principal: string, action: string, context: Record<string, string | string[]>): string {
  return evaluatePolicies({
    principal,
    action,
    resource: KEY_ARN,
    resourceAccount: ACCOUNT,
    resourcePolicy: policyDocument(...RetrievalInstructionEncryptionStatements.creatorKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN))),
    context,
  });
}

describe('RetrievalInstructionEncryptionStatements.creatorKeyUse', () => {
  test.each(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'])('the creator may %s through Bedrock', (action) => {
    expect(asKeyPolicy(ROLE_ARN, action, { 'kms:ViaService': VIA('bedrock') })).toBe('Allowed');
  });

  test('not through another service, not for another account\'s role, not without a service path', () => {
    expect(asKeyPolicy(ROLE_ARN, 'kms:Decrypt', { 'kms:ViaService': VIA('s3') })).toBe('ImplicitlyDenied');
    expect(asKeyPolicy(ROLE_ARN, 'kms:Decrypt', { 'kms:ViaService': 'bedrock.us-west-2.amazonaws.com' })).toBe('ImplicitlyDenied');
    expect(asKeyPolicy(ROLE_ARN, 'kms:Decrypt', {})).toBe('ImplicitlyDenied');
    expect(asKeyPolicy(`arn:aws:iam::${OTHER_ACCOUNT}:role/ServiceRole`, 'kms:Decrypt', { 'kms:ViaService': VIA('bedrock') })).toBe('ImplicitlyDenied');
  });

  test('grants only for an AWS service, through Bedrock', () => {
    expect(asKeyPolicy(ROLE_ARN, 'kms:CreateGrant', { 'kms:ViaService': VIA('bedrock'), 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(asKeyPolicy(ROLE_ARN, 'kms:CreateGrant', { 'kms:ViaService': VIA('bedrock'), 'kms:GrantIsForAWSResource': 'false' })).toBe('ImplicitlyDenied');
    expect(asKeyPolicy(ROLE_ARN, 'kms:ReEncryptFrom', { 'kms:ViaService': VIA('bedrock') })).toBe('ImplicitlyDenied');
  });
});

describe('RetrievalInstructionEncryptionStatements.creatorIdentity', () => {
  const identity = RetrievalInstructionEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN);

  test('a role holding it may use the key through Bedrock, on a key that delegates to the account', () => {
    expect(decideAsRole(identity, 'kms:GenerateDataKey', { 'kms:ViaService': VIA('bedrock') })).toBe('Allowed');
    expect(decideAsRole(identity, 'kms:GenerateDataKey', { 'kms:ViaService': VIA('s3') })).toBe('ImplicitlyDenied');
    expect(decideAsRole(identity, 'kms:CreateGrant', { 'kms:ViaService': VIA('bedrock') })).toBe('ImplicitlyDenied');
  });
});
