import * as iam from 'aws-cdk-lib/aws-iam';
import { EvaluationJobEncryptionStatements, KeyAdministrationStatements, ModelJobEncryptionStatements } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION, ROLE_ARN, SEED_001, SEED_003 } from '../fixtures/seed-statements';
import { decideAsRole, normalize, policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

describe('seed 001: model evaluation jobs', () => {
  test('throughS3Identity is the service role policy', () => {
    expect(rendered(EvaluationJobEncryptionStatements.throughS3Identity(SCOPE, KEY_ARN)))
      .toEqual([normalize(SEED_001.roleKeyUse), normalize(SEED_001.roleDescribeKey)]);
  });

  test('bedrockServiceKeyUse is the key policy statement', () => {
    expect(rendered(EvaluationJobEncryptionStatements.bedrockServiceKeyUse(SCOPE))).toEqual([normalize(SEED_001.bedrockService)]);
  });

  const keyPolicy = policyDocument(
    ...KeyAdministrationStatements.accountRootKeyUse(SCOPE),
    ...EvaluationJobEncryptionStatements.bedrockServiceKeyUse(SCOPE),
  );
  const job = `arn:aws:bedrock:${REGION}:${ACCOUNT}:evaluation-job/abc123`;
  const bedrock = (context: Record<string, string>) => evaluatePolicies({
    principal: 'bedrock.amazonaws.com', action: 'kms:GenerateDataKey', resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context,
  });

  test('Bedrock is allowed for an evaluation job of this account', () => {
    expect(bedrock({ 'kms:EncryptionContext:evaluationJobArn': job, 'aws:SourceArn': job })).toBe('Allowed');
  });

  test('Bedrock is denied for another account\'s job, another resource type, or without the context', () => {
    const other = `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:evaluation-job/abc123`;
    expect(bedrock({ 'kms:EncryptionContext:evaluationJobArn': other, 'aws:SourceArn': other })).toBe('ImplicitlyDenied');
    expect(bedrock({ 'kms:EncryptionContext:evaluationJobArn': job, 'aws:SourceArn': other })).toBe('ImplicitlyDenied');
    const agent = `arn:aws:bedrock:${REGION}:${ACCOUNT}:agent/abc123`;
    expect(bedrock({ 'kms:EncryptionContext:evaluationJobArn': agent, 'aws:SourceArn': agent })).toBe('ImplicitlyDenied');
    expect(bedrock({ 'aws:SourceArn': job })).toBe('ImplicitlyDenied');
  });
});

describe('seed 003: model customization and import', () => {
  test('roleKeyUse is the key policy statement', () => {
    expect(rendered(ModelJobEncryptionStatements.roleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN)))).toEqual([normalize(SEED_003.modelRoleKeyUse)]);
  });

  test('roleIdentity: the same actions and condition on the key ARN', () => {
    const { Principal, ...rest } = normalize(SEED_003.modelRoleKeyUse);
    expect(Principal).toBeDefined();
    expect(rendered(ModelJobEncryptionStatements.roleIdentity(SCOPE, KEY_ARN))).toEqual([{ ...rest, Resource: [KEY_ARN] }]);
  });

  test('the job role creates grants through Bedrock only', () => {
    const keyPolicy = policyDocument(
      ...KeyAdministrationStatements.accountRootKeyUse(SCOPE),
      ...ModelJobEncryptionStatements.roleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN)),
    );
    const decide = (via: string) => evaluatePolicies({
      principal: ROLE_ARN,
      action: 'kms:CreateGrant',
      resource: KEY_ARN,
      resourceAccount: ACCOUNT,
      resourcePolicy: keyPolicy,
      context: { 'kms:ViaService': via },
    });
    expect(decide(`bedrock.${REGION}.amazonaws.com`)).toBe('Allowed');
    expect(decide(`s3.${REGION}.amazonaws.com`)).toBe('ImplicitlyDenied');
    expect(decide('bedrock.eu-west-1.amazonaws.com')).toBe('ImplicitlyDenied');
  });
});

test('modelUserIdentity: decrypt an encrypted model through Bedrock only (PermissionsDecryptModel)', () => {
  const statements = ModelJobEncryptionStatements.modelUserIdentity(SCOPE, KEY_ARN);
  expect(rendered(statements)).toEqual([normalize({
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: KEY_ARN,
    Condition: { StringLike: { 'kms:ViaService': `bedrock.${REGION}.amazonaws.com` } },
  })]);
  const decide = (via: string) => decideAsRole(statements, 'kms:Decrypt', { 'kms:ViaService': via });
  expect(decide(`bedrock.${REGION}.amazonaws.com`)).toBe('Allowed');
  expect(decide(`s3.${REGION}.amazonaws.com`)).toBe('ImplicitlyDenied');
});
