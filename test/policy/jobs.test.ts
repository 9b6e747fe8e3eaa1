import * as iam from 'aws-cdk-lib/aws-iam';
import { EvaluationJobEncryptionStatements, KeyAdministrationStatements, ModelJobEncryptionStatements } from '../../src/policy';
import { ACCOUNT, EVALUATION_KMS_PAGE, KEY_ARN, REGION, ROLE_ARN, SEED_001, SEED_003 } from '../fixtures/seed-statements';
import { decideAsRole, normalize, policyDocument, rendered, SCOPE, withGrantsForAwsResources } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

describe('model evaluation jobs', () => {
  test('serviceRoleIdentity is the service role policy, with kms:ViaService S3 as the page\'s list asks', () => {
    expect(rendered(EvaluationJobEncryptionStatements.serviceRoleIdentity(SCOPE, KEY_ARN)))
      .toEqual([normalize(SEED_001.roleKeyUse), normalize(SEED_001.roleDescribeKey)]);
  });

  test('creatorIdentity: the CreateEvaluationJob caller statement, through Bedrock or S3 only', () => {
    const [statement] = rendered(EvaluationJobEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN));
    const { Condition, ...rest } = statement;
    expect(rest).toEqual(normalize(EVALUATION_KMS_PAGE.creatorIdentity));
    expect(Condition).toEqual({ StringEquals: { 'kms:ViaService': [`bedrock.${REGION}.amazonaws.com`, `s3.${REGION}.amazonaws.com`] } });
    const ask = (action: string, via: string) => decideAsRole(EvaluationJobEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN), action, { 'kms:ViaService': via });
    expect(ask('kms:DescribeKey', `bedrock.${REGION}.amazonaws.com`)).toBe('Allowed');
    expect(ask('kms:GenerateDataKey', `s3.${REGION}.amazonaws.com`)).toBe('Allowed');
    expect(ask('kms:Decrypt', `secretsmanager.${REGION}.amazonaws.com`)).toBe('ImplicitlyDenied');
  });

  test('bedrockServiceKeyUse is the page\'s complete example: DescribeKey apart, on aws:SourceArn only', () => {
    expect(rendered(EvaluationJobEncryptionStatements.bedrockServiceKeyUse(SCOPE))).toEqual([
      normalize({
        ...EVALUATION_KMS_PAGE.bedrockDataKeyAndDecrypt,
        Condition: {
          StringLike: { 'kms:EncryptionContext:evaluationJobArn': EVALUATION_KMS_PAGE.bedrockDataKeyAndDecrypt.Condition.ArnLike['kms:EncryptionContext:evaluationJobArn'] },
          ArnLike: { 'aws:SourceArn': EVALUATION_KMS_PAGE.bedrockDataKeyAndDecrypt.Condition.ArnLike['aws:SourceArn'] },
        },
      }),
      normalize(EVALUATION_KMS_PAGE.bedrockDescribeKey),
    ]);
  });

  const keyPolicy = policyDocument(
    ...KeyAdministrationStatements.accountRootKeyUse(SCOPE),
    ...EvaluationJobEncryptionStatements.bedrockServiceKeyUse(SCOPE),
  );
  const job = `arn:aws:bedrock:${REGION}:${ACCOUNT}:evaluation-job/abc123`;
  const bedrock = (context: Record<string, string>, action = 'kms:GenerateDataKey') => evaluatePolicies({
    principal: 'bedrock.amazonaws.com', action, resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context,
  });

  test('Bedrock is allowed for an evaluation job of this account', () => {
    expect(bedrock({ 'kms:EncryptionContext:evaluationJobArn': job, 'aws:SourceArn': job })).toBe('Allowed');
  });

  test('Bedrock may describe the key for a job of this account: DescribeKey carries no encryption context', () => {
    expect(bedrock({ 'aws:SourceArn': job }, 'kms:DescribeKey')).toBe('Allowed');
    expect(bedrock({ 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:evaluation-job/abc123` }, 'kms:DescribeKey')).toBe('ImplicitlyDenied');
    expect(bedrock({ 'aws:SourceArn': job }, 'kms:Decrypt')).toBe('ImplicitlyDenied');
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
    expect(rendered(ModelJobEncryptionStatements.roleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN))))
      .toEqual(withGrantsForAwsResources(SEED_003.modelRoleKeyUse));
  });

  test('roleIdentity: the same actions and condition on the key ARN', () => {
    const { Principal, ...rest } = SEED_003.modelRoleKeyUse;
    expect(Principal).toBeDefined();
    expect(rendered(ModelJobEncryptionStatements.roleIdentity(SCOPE, KEY_ARN))).toEqual(withGrantsForAwsResources({ ...rest, Resource: [KEY_ARN] }));
  });

  test('the job role creates grants through Bedrock only', () => {
    const keyPolicy = policyDocument(
      ...KeyAdministrationStatements.accountRootKeyUse(SCOPE),
      ...ModelJobEncryptionStatements.roleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN)),
    );
    const decide = (via: string, forAwsResource = 'true') => evaluatePolicies({
      principal: ROLE_ARN,
      action: 'kms:CreateGrant',
      resource: KEY_ARN,
      resourceAccount: ACCOUNT,
      resourcePolicy: keyPolicy,
      context: { 'kms:ViaService': via, 'kms:GrantIsForAWSResource': forAwsResource },
    });
    expect(decide(`bedrock.${REGION}.amazonaws.com`)).toBe('Allowed');
    expect(decide(`bedrock.${REGION}.amazonaws.com`, 'false')).toBe('ImplicitlyDenied');
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
