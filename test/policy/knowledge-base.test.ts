import * as iam from 'aws-cdk-lib/aws-iam';
import { KeyAdministrationStatements, KnowledgeBaseEncryptionStatements } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION, SEED_000 } from '../fixtures/seed-statements';
import { decideAsRole, normalize, policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

describe('seed 000 statements, field by field', () => {
  test('ingestionIdentity', () => {
    expect(rendered(KnowledgeBaseEncryptionStatements.ingestionIdentity(KEY_ARN))).toEqual([normalize(SEED_000.ingestion)]);
  });

  test('s3DataSourceIdentity (AWS prints the action as "KMS:Decrypt")', () => {
    expect(rendered(KnowledgeBaseEncryptionStatements.s3DataSourceIdentity(SCOPE, KEY_ARN))).toEqual([normalize(SEED_000.s3DataSource)]);
  });

  test('secretIdentity adds kms:ViaService secretsmanager to the seed statement', () => {
    expect(rendered(KnowledgeBaseEncryptionStatements.secretIdentity(SCOPE, KEY_ARN))).toEqual([normalize({
      ...SEED_000.secret,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } },
    })]);
  });

  test('retrievalSessionKeyUse is the page\'s statement, with no condition (in a key policy, Resource "*")', () => {
    expect(rendered(KnowledgeBaseEncryptionStatements.retrievalSessionKeyUse())).toEqual([normalize({
      ...SEED_000.retrievalSession,
      Resource: '*',
    })]);
  });
});

describe('S3 Vectors and OpenSearch Serverless statements', () => {
  test('s3VectorsIndexingKeyUse', () => {
    expect(rendered(KnowledgeBaseEncryptionStatements.s3VectorsIndexingKeyUse(SCOPE))).toEqual([normalize({
      Effect: 'Allow',
      Principal: { Service: 'indexing.s3vectors.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        'ArnLike': { 'aws:SourceArn': `arn:aws:s3vectors:${REGION}:${ACCOUNT}:bucket/*` },
        'StringEquals': { 'aws:SourceAccount': ACCOUNT },
        'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['aws:s3vectors:arn', 'aws:s3vectors:resource-id'] },
      },
    })]);
  });

  test('openSearchCollectionCreatorKeyUse: DescribeKey and CreateGrant through aoss', () => {
    const creator = new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/Deployer`);
    const [describe, grant] = rendered(KnowledgeBaseEncryptionStatements.openSearchCollectionCreatorKeyUse(SCOPE, creator));
    expect(describe).toEqual(normalize({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Deployer` },
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': `aoss.${REGION}.amazonaws.com` } },
    }));
    expect(grant.Condition).toEqual({
      'StringEquals': { 'kms:ViaService': `aoss.${REGION}.amazonaws.com` },
      'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'GenerateDataKey'] },
      'Bool': { 'kms:GrantIsForAWSResource': 'true' },
    });
  });
});

describe('evaluated', () => {
  const keyPolicy = policyDocument(
    ...KeyAdministrationStatements.accountRootKeyUse(SCOPE),
    ...KnowledgeBaseEncryptionStatements.retrievalSessionKeyUse(),
    ...KnowledgeBaseEncryptionStatements.s3VectorsIndexingKeyUse(SCOPE),
  );
  const role = `arn:aws:iam::${ACCOUNT}:role/KnowledgeBaseRole`;
  const asRole = (action: string, statements: iam.PolicyStatement[], context: Record<string, string | string[]>) => evaluatePolicies({
    principal: role,
    action,
    resource: KEY_ARN,
    resourceAccount: ACCOUNT,
    resourcePolicy: keyPolicy,
    identityPolicies: [policyDocument(...statements)],
    context,
  });

  test('the role decrypts S3 data-source objects through S3 only', () => {
    const statements = KnowledgeBaseEncryptionStatements.s3DataSourceIdentity(SCOPE, KEY_ARN);
    expect(asRole('kms:Decrypt', statements, { 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('Allowed');
    expect(asRole('kms:Decrypt', statements, { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' })).toBe('ImplicitlyDenied');
    expect(asRole('kms:Decrypt', statements, { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });

  test('the role decrypts a vector store secret through Secrets Manager only', () => {
    const statements = KnowledgeBaseEncryptionStatements.secretIdentity(SCOPE, KEY_ARN);
    expect(asRole('kms:Decrypt', statements, { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` })).toBe('Allowed');
    expect(asRole('kms:Decrypt', statements, { 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });

  test('the role uses the key through S3 Vectors, under its encryption context only', () => {
    const statements = KnowledgeBaseEncryptionStatements.s3VectorsIdentity(SCOPE, KEY_ARN);
    const good = { 'kms:ViaService': `s3vectors.${REGION}.amazonaws.com`, 'kms:EncryptionContextKeys': ['aws:s3vectors:arn', 'aws:s3vectors:resource-id'] };
    expect(asRole('kms:GenerateDataKey', statements, good)).toBe('Allowed');
    expect(asRole('kms:GenerateDataKey', statements, { ...good, 'kms:EncryptionContextKeys': ['aws:bedrock:arn'] })).toBe('ImplicitlyDenied');
    expect(asRole('kms:GenerateDataKey', statements, { ...good, 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });

  const service = (principal: string, action: string, context: Record<string, string | string[]>) => evaluatePolicies({
    principal, action, resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context,
  });

  test('Bedrock encrypts retrieval sessions with the key as RetrieveAndGenerate asks it: no context, no source', () => {
    expect(service('bedrock.amazonaws.com', 'kms:GenerateDataKey', {})).toBe('Allowed');
    expect(service('bedrock.amazonaws.com', 'kms:Decrypt', {})).toBe('Allowed');
    expect(service('bedrock.amazonaws.com', 'kms:CreateGrant', {})).toBe('ImplicitlyDenied');
    expect(service('lambda.amazonaws.com', 'kms:GenerateDataKey', {})).toBe('ImplicitlyDenied');
  });

  test('S3 Vectors indexing decrypts for this account\'s vector buckets only', () => {
    const good = {
      'aws:SourceAccount': ACCOUNT,
      'aws:SourceArn': `arn:aws:s3vectors:${REGION}:${ACCOUNT}:bucket/docs`,
      'kms:EncryptionContextKeys': ['aws:s3vectors:arn', 'aws:s3vectors:resource-id'],
    };
    expect(service('indexing.s3vectors.amazonaws.com', 'kms:Decrypt', good)).toBe('Allowed');
    expect(service('indexing.s3vectors.amazonaws.com', 'kms:Decrypt', { ...good, 'aws:SourceAccount': OTHER_ACCOUNT })).toBe('ImplicitlyDenied');
    expect(service('indexing.s3vectors.amazonaws.com', 'kms:Decrypt', { ...good, 'aws:SourceArn': `arn:aws:s3vectors:${REGION}:${OTHER_ACCOUNT}:bucket/docs` })).toBe('ImplicitlyDenied');
    expect(service('indexing.s3vectors.amazonaws.com', 'kms:GenerateDataKey', good)).toBe('ImplicitlyDenied');
  });
});

test('retrievalSessionCallerIdentity: the session key through Bedrock only', () => {
  const statements = KnowledgeBaseEncryptionStatements.retrievalSessionCallerIdentity(SCOPE, KEY_ARN);
  expect(rendered(statements)).toEqual([normalize({
    Effect: 'Allow',
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: KEY_ARN,
    Condition: { StringEquals: { 'kms:ViaService': `bedrock.${REGION}.amazonaws.com` } },
  })]);
  const decide = (via: string) => decideAsRole(statements, 'kms:Decrypt', { 'kms:ViaService': via });
  expect(decide(`bedrock.${REGION}.amazonaws.com`)).toBe('Allowed');
  expect(decide(`s3.${REGION}.amazonaws.com`)).toBe('ImplicitlyDenied');
});
