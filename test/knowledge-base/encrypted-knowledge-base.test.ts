import { App, Aspects, CfnParameter, DefaultStackSynthesizer, LegacyStackSynthesizer, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { BedrockEncryptionChecks, BedrockEncryptionRules, CheckLevel } from '../../src/checks';
import { EncryptedKnowledgeBase, EncryptedKnowledgeBaseProps, VectorStore } from '../../src/knowledge-base';
import { BedrockEncryptionError } from '../../src/private/validation';
import { DEPLOYMENT_ROLE_ARN, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const MODEL = 'amazon.titan-embed-text-v2:0';
const CONTEXT_KEYS = ['aws:s3vectors:arn', 'aws:s3vectors:resource-id'];
const IMPORTED_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SECRET_ARN = `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:kb-creds-AbCdEf`;

function kbIn(stack: Stack, props: Partial<EncryptedKnowledgeBaseProps> = {}): EncryptedKnowledgeBase {
  return new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: MODEL, ...props });
}

function roleArn(p: SynthesizedPolicies, kb: EncryptedKnowledgeBase): string {
  return p.arn(kb.role.node.defaultChild as any);
}

/** Statements of the role's identity policies, flattened. */
function roleStatements(p: SynthesizedPolicies, kb: EncryptedKnowledgeBase): any[] {
  return p.identityPolicies(kb.role.node.defaultChild as any).flatMap((d) => d.Statement);
}

function expectCleanTemplate(stack: Stack): Template {
  const template = Template.fromStack(stack); // throws on a dependency cycle
  template.resourceCountIs('AWS::Lambda::Function', 0);
  expect(Object.values(template.toJSON().Resources).map((r: any) => r.Type)).not.toContain('Custom::AWS');
  return template;
}

describe('S3 Vectors (default)', () => {
  const stack = testStack();
  const kb = kbIn(stack);
  const template = expectCleanTemplate(stack);
  const p = SynthesizedPolicies.of(stack);
  const role = roleArn(p, kb);
  const keyArn = p.arn(kb.encryptionKey.node.defaultChild as any);
  const dataKey = kb.encryptionKey as kms.Key;
  const indexArn = p.arn(p.idsOfType('AWS::S3Vectors::Index')[0], 'IndexArn');

  test('a vector bucket under the key and an index with Bedrock\'s non-filterable keys', () => {
    template.hasResourceProperties('AWS::S3Vectors::VectorBucket', {
      EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DocsEncryptionKey'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::S3Vectors::Index', {
      DataType: 'float32',
      Dimension: 1024,
      DistanceMetric: 'cosine',
      MetadataConfiguration: { NonFilterableMetadataKeys: ['AMAZON_BEDROCK_TEXT', 'AMAZON_BEDROCK_METADATA'] },
    });
  });

  test('the knowledge base: VECTOR, the embedding model ARN and size, S3_VECTORS storage, the role', () => {
    template.hasResource('AWS::Bedrock::KnowledgeBase', {
      Properties: {
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DocsRole'), 'Arn'] },
        KnowledgeBaseConfiguration: {
          Type: 'VECTOR',
          VectorKnowledgeBaseConfiguration: {
            EmbeddingModelArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:${TEST_REGION}::foundation-model/${MODEL}`]] },
            EmbeddingModelConfiguration: { BedrockEmbeddingModelConfiguration: { Dimensions: 1024 } },
          },
        },
        StorageConfiguration: {
          Type: 'S3_VECTORS',
          S3VectorsConfiguration: {
            IndexArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DocsVectorIndex'), 'IndexArn'] },
            VectorBucketArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DocsVectorBucket'), 'VectorBucketArn'] },
          },
        },
      },
      // The role, its policy and the index exist first.
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('DocsRoleDefaultPolicy'), Match.stringLikeRegexp('DocsRole'), Match.stringLikeRegexp('DocsVectorIndex')]),
    });
  });

  test('the data source: the key for transient storage, RETAIN on delete, after the role policy', () => {
    template.hasResource('AWS::Bedrock::DataSource', {
      Properties: {
        DataDeletionPolicy: 'RETAIN',
        ServerSideEncryptionConfiguration: { KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DocsEncryptionKey'), 'Arn'] } },
        DataSourceConfiguration: { Type: 'S3', S3Configuration: { BucketArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DocsDataSourceBucket'), 'Arn'] } } },
      },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('DocsRoleDefaultPolicy')]),
    });
  });

  test('the default bucket: SSE-KMS with the key and a bucket key, TLS only, no public access, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('DocsEncryptionKey'), 'Arn'] } },
          }],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the role: exactly these statements', () => {
    const viaS3 = `s3.${TEST_REGION}.amazonaws.com`;
    const bucketArn = p.arn(kb.dataSourceBucket.node.defaultChild as any);
    expect(roleStatements(p, kb)).toEqual([
      { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: `arn:aws:bedrock:${TEST_REGION}::foundation-model/${MODEL}` },
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringEquals: { 'aws:ResourceAccount': TEST_ACCOUNT } } },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/*`, Condition: { StringEquals: { 'aws:ResourceAccount': TEST_ACCOUNT } } },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': viaS3 } } },
      {
        Effect: 'Allow',
        Action: ['s3vectors:PutVectors', 's3vectors:GetVectors', 's3vectors:DeleteVectors', 's3vectors:QueryVectors', 's3vectors:GetIndex'],
        Resource: indexArn,
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: keyArn,
        Condition: {
          'StringEquals': { 'kms:ViaService': `s3vectors.${TEST_REGION}.amazonaws.com` },
          'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': CONTEXT_KEYS },
        },
      },
    ]);
  });

  test('the role trust: bedrock.amazonaws.com for this account\'s knowledge bases only', () => {
    expect(p.trustPolicy(kb.role.node.defaultChild as any).Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:knowledge-base/*` },
      },
    }]);
  });

  test('the key policy: root, the S3 Vectors indexing statement and the creator\'s data keys through S3 Vectors; no unconditioned service statement', () => {
    const statements = p.keyPolicyStatements(dataKey);
    expect(statements).toHaveLength(3);
    // "Data protection and encryption in S3 Vectors": kms:GenerateDataKey is required to create a vector bucket with the key
    expect(statements[2]).toEqual({
      Effect: 'Allow',
      Principal: { AWS: DEPLOYMENT_ROLE_ARN },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': `s3vectors.${TEST_REGION}.amazonaws.com` } },
    });
    const creates = (principal: string, via: string) => p.evaluate({ principal, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': via } }, dataKey);
    expect(creates(DEPLOYMENT_ROLE_ARN, `s3vectors.${TEST_REGION}.amazonaws.com`)).toBe('Allowed');
    expect(creates(DEPLOYMENT_ROLE_ARN, `s3.${TEST_REGION}.amazonaws.com`)).toBe('ImplicitlyDenied');
    expect(creates(`arn:aws:iam::${TEST_ACCOUNT}:role/Other`, `s3vectors.${TEST_REGION}.amazonaws.com`)).toBe('ImplicitlyDenied');
    expect(statements[1]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'indexing.s3vectors.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        'ArnLike': { 'aws:SourceArn': `arn:aws:s3vectors:${TEST_REGION}:${TEST_ACCOUNT}:bucket/*` },
        'StringEquals': { 'aws:SourceAccount': TEST_ACCOUNT },
        'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': CONTEXT_KEYS },
      },
    });
  });

  test('simulated: the role decrypts with the key through S3 and, for transient storage as AWS documents it, directly', () => {
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: { 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` } }, dataKey)).toBe('Allowed');
    // The ingestion (transient storage) statement has no condition, as the AWS page gives it: the
    // S3-only data-source statement restricts nothing more on the same key (README says so).
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: {} }, dataKey)).toBe('Allowed');
    expect(p.evaluate({ principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/Docs`, action: 'kms:Decrypt', context: { 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` } }, dataKey))
      .toBe('ImplicitlyDenied');
  });

  test('simulated: the role reads and writes only its index', () => {
    expect(p.evaluateIdentity({ principal: role, action: 's3vectors:PutVectors', resource: indexArn })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 's3vectors:PutVectors', resource: `${indexArn}-other` })).toBe('ImplicitlyDenied');
    expect(p.evaluateIdentity({ principal: role, action: 's3vectors:DeleteIndex', resource: indexArn })).toBe('ImplicitlyDenied');
  });

  test('simulated: the role invokes the embedding model only', () => {
    const model = (id: string) => `arn:aws:bedrock:${TEST_REGION}::foundation-model/${id}`;
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:InvokeModel', resource: model(MODEL) })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 'bedrock:InvokeModel', resource: model('anthropic.claude-3-haiku-20240307-v1:0') })).toBe('ImplicitlyDenied');
  });

  test('simulated: S3 Vectors indexing decrypts for this account\'s vector buckets only', () => {
    const good = {
      'aws:SourceAccount': TEST_ACCOUNT,
      'aws:SourceArn': `arn:aws:s3vectors:${TEST_REGION}:${TEST_ACCOUNT}:bucket/docs`,
      'kms:EncryptionContextKeys': CONTEXT_KEYS,
    };
    const indexing = 'indexing.s3vectors.amazonaws.com';
    expect(p.evaluate({ principal: indexing, action: 'kms:Decrypt', context: good }, dataKey)).toBe('Allowed');
    expect(p.evaluate({ principal: indexing, action: 'kms:Decrypt', context: { ...good, 'aws:SourceAccount': OTHER_ACCOUNT } }, dataKey)).toBe('ImplicitlyDenied');
    expect(p.evaluate({
      principal: indexing,
      action: 'kms:Decrypt',
      context: { ...good, 'aws:SourceArn': `arn:aws:s3vectors:${TEST_REGION}:${OTHER_ACCOUNT}:bucket/docs` },
    }, dataKey)).toBe('ImplicitlyDenied');
  });

  test('simulated: Bedrock encrypts retrieval sessions with a key of their own, never with the data key', () => {
    const sessionKey = p.idsOfType('AWS::KMS::Key').find((id) => id.includes('RetrievalSessionKey'))!;
    expect(sessionKey).toBeDefined();
    expect(stack.resolve(kb.retrievalSessionKeyArn)).toEqual({ 'Fn::GetAtt': [sessionKey, 'Arn'] });
    expect(p.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:GenerateDataKey', context: {} }, sessionKey)).toBe('Allowed');
    expect(p.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:GenerateDataKey', context: {} }, dataKey)).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:Decrypt', context: {} }, dataKey)).toBe('ImplicitlyDenied');
  });

  test('the session key\'s unconditioned Bedrock statement is declared to the checks, which accept it; nothing is written into the template', () => {
    const sessionKey = p.idsOfType('AWS::KMS::Key').find((id) => id.includes('RetrievalSessionKey'))!;
    expect(template.toJSON().Resources[sessionKey].Metadata).toBeUndefined();
    const checked = testStack();
    kbIn(checked);
    // the same statement in a key of the user's own gets the finding
    new kms.Key(checked, 'UserKey', { enableKeyRotation: true }).addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')], actions: ['kms:Decrypt'], resources: ['*'],
    }));
    Aspects.of(checked).add(new BedrockEncryptionChecks({ level: CheckLevel.WARNING }));
    const rule = BedrockEncryptionRules.UNCONDITIONED_SERVICE_PRINCIPAL;
    const findings = Annotations.fromStack(checked).findWarning('*', Match.stringLikeRegexp(rule)).map((w) => w.id);
    expect(findings).toEqual([expect.stringMatching(/\/UserKey\/Resource$/)]);
  });

  test('exposes ids, ARNs, the key, the role and the session key', () => {
    expect(stack.resolve(kb.knowledgeBaseId)).toEqual({ 'Fn::GetAtt': [p.logicalId(kb.cfnKnowledgeBase), 'KnowledgeBaseId'] });
    expect(stack.resolve(kb.knowledgeBaseArn)).toEqual({ 'Fn::GetAtt': [p.logicalId(kb.cfnKnowledgeBase), 'KnowledgeBaseArn'] });
    expect(stack.resolve(kb.dataSourceId)).toEqual({ 'Fn::GetAtt': [p.logicalId(kb.cfnDataSource), 'DataSourceId'] });
    expect(stack.resolve(kb.retrievalSessionKeyArn)).not.toEqual(stack.resolve(kb.encryptionKey.keyArn));
    expect(kb.vectorStore.storageType).toBe('S3_VECTORS');
  });
});

describe('data source bucket', () => {
  test('inclusion prefixes narrow ListBucket and GetObject', () => {
    const stack = testStack();
    const kb = kbIn(stack, { inclusionPrefixes: ['docs/'] });
    const p = SynthesizedPolicies.of(stack);
    const bucketArn = p.arn(kb.dataSourceBucket.node.defaultChild as any);
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::DataSource', {
      DataSourceConfiguration: { S3Configuration: { InclusionPrefixes: ['docs/'] } },
    });
    const role = roleArn(p, kb);
    const here = { 'aws:ResourceAccount': TEST_ACCOUNT };
    const get = (key: string, context = here) => p.evaluateIdentity({ principal: role, action: 's3:GetObject', resource: `${bucketArn}/${key}`, context });
    const list = (prefix: string, context = here) => p.evaluateIdentity({ principal: role, action: 's3:ListBucket', resource: bucketArn, context: { ...context, 's3:prefix': prefix } });
    expect(get('docs/a.pdf')).toBe('Allowed');
    expect(get('private/a.pdf')).toBe('ImplicitlyDenied');
    expect(get('docs/a.pdf', { 'aws:ResourceAccount': OTHER_ACCOUNT })).toBe('ImplicitlyDenied');
    expect(list('docs/')).toBe('Allowed');
    expect(list('private/')).toBe('ImplicitlyDenied');
    expect(list('docs/', { 'aws:ResourceAccount': OTHER_ACCOUNT })).toBe('ImplicitlyDenied');
  });

  test('a brought bucket with a key: the role decrypts with that key through S3 only', () => {
    const stack = testStack();
    const bucketKey = new kms.Key(stack, 'BucketKey');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: bucketKey });
    const kb = kbIn(stack, { dataSourceBucket: bucket });
    const p = SynthesizedPolicies.of(stack);
    const role = roleArn(p, kb);
    expect(kb.dataSourceBucket).toBe(bucket);
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: { 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` } }, bucketKey)).toBe('Allowed');
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: { 'kms:ViaService': `s3vectors.${TEST_REGION}.amazonaws.com` } }, bucketKey))
      .toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: { 'kms:ViaService': `secretsmanager.${TEST_REGION}.amazonaws.com` } }, bucketKey))
      .toBe('ImplicitlyDenied');
    expect(p.idsOfType('AWS::S3::Bucket')).toHaveLength(1);
    expectCleanTemplate(stack);
  });

  test('a brought bucket whose key is unknown: a warning says what to add', () => {
    const stack = testStack();
    kbIn(stack, { dataSourceBucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'my-docs') });
    Annotations.fromStack(stack).hasWarning('/TestStack/Docs',
      Match.stringLikeRegexp('dataSourceBucket my-docs is not known.*fromBucketAttributes.*kms:ViaService'));
  });
});

describe('grants', () => {
  const stack = testStack();
  const kb = kbIn(stack);
  const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
  kb.grantRetrieveAndGenerate(caller, 'anthropic.claude-3-haiku-20240307-v1:0');
  kb.grantStartIngestion(caller);
  const p = SynthesizedPolicies.of(stack);
  const callerArn = p.arn(caller);
  const kbArn = p.arn(kb.cfnKnowledgeBase, 'KnowledgeBaseArn');

  test('retrieve, retrieve-and-generate, the generation model and the session key', () => {
    expect(p.evaluateIdentity({ principal: callerArn, action: 'bedrock:Retrieve', resource: kbArn })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: callerArn, action: 'bedrock:Retrieve', resource: p.bedrockArn('knowledge-base', 'OTHER') })).toBe('ImplicitlyDenied');
    expect(p.evaluateIdentity({ principal: callerArn, action: 'bedrock:RetrieveAndGenerate', resource: '*' })).toBe('Allowed');
    expect(p.evaluateIdentity({
      principal: callerArn,
      action: 'bedrock:InvokeModel',
      resource: `arn:aws:bedrock:${TEST_REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`,
    })).toBe('Allowed');
    const sessionKey = p.idsOfType('AWS::KMS::Key').find((id) => id.includes('RetrievalSessionKey'))!;
    const viaBedrock = { 'kms:ViaService': `bedrock.${TEST_REGION}.amazonaws.com` };
    expect(p.evaluate({ principal: callerArn, action: 'kms:GenerateDataKey', context: viaBedrock }, sessionKey)).toBe('Allowed');
    expect(p.evaluate({ principal: callerArn, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` } }, sessionKey)).toBe('ImplicitlyDenied');
    // The caller gets the session key, not the data key.
    expect(p.evaluate({ principal: callerArn, action: 'kms:Decrypt', context: viaBedrock }, kb.encryptionKey as kms.Key)).toBe('ImplicitlyDenied');
  });

  test('ingestion jobs on this knowledge base', () => {
    expect(p.evaluateIdentity({ principal: callerArn, action: 'bedrock:StartIngestionJob', resource: kbArn })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: callerArn, action: 'bedrock:StartIngestionJob', resource: p.bedrockArn('knowledge-base', 'OTHER') }))
      .toBe('ImplicitlyDenied');
  });

  test('grantRetrieve gives Retrieve only', () => {
    const s = testStack();
    const k = kbIn(s);
    const user = new iam.User(s, 'User');
    k.grantRetrieve(user);
    const sp = SynthesizedPolicies.of(s);
    const arn = sp.arn(user);
    expect(sp.evaluateIdentity({ principal: arn, action: 'bedrock:Retrieve', resource: sp.arn(k.cfnKnowledgeBase, 'KnowledgeBaseArn') })).toBe('Allowed');
    expect(sp.evaluateIdentity({ principal: arn, action: 'bedrock:RetrieveAndGenerate', resource: '*' })).toBe('ImplicitlyDenied');
  });

  test('a malformed generation model throws naming the prop', () => {
    expect(() => kb.grantRetrieveAndGenerate(caller, 'not a model')).toThrow(/generationModel must be/);
  });

  test('a separate retrieval session key carries the session statement', () => {
    const s = testStack();
    const sessionKey = new kms.Key(s, 'SessionKey');
    const k = kbIn(s, { retrievalSessionKey: sessionKey });
    const sp = SynthesizedPolicies.of(s);
    expect(s.resolve(k.retrievalSessionKeyArn)).toEqual(s.resolve(sessionKey.keyArn));
    expect(sp.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:GenerateDataKey', context: { 'aws:SourceAccount': TEST_ACCOUNT } }, sessionKey))
      .toBe('Allowed');
  });
});

describe('imported keys and roles', () => {
  test('an imported key: its statements go to KeyPolicyToAdd with a warning', () => {
    const stack = testStack();
    kbIn(stack, { encryptionKey: kms.Key.fromKeyArn(stack, 'Imported', IMPORTED_KEY_ARN) });
    const template = expectCleanTemplate(stack);
    // Only the retrieval-session key is created.
    expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual([expect.stringMatching(/RetrievalSessionKey/)]);
    const outputs = template.findOutputs('*');
    const output = Object.entries(outputs).find(([id]) => id.includes('KeyPolicyToAdd'));
    expect(output).toBeDefined();
    const json = JSON.stringify(stack.resolve(output![1].Value));
    expect(json).toContain('indexing.s3vectors.amazonaws.com');
    // Bedrock's session statement is on the session key, never on the data key.
    expect(json).not.toContain('"bedrock.amazonaws.com');
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('cannot be changed by this app'));
  });

  test('a given role is used and gets the statements', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const kb = kbIn(stack, { role });
    expect(kb.role).toBe(role);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 1);
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::KnowledgeBase', { RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MyRole'), 'Arn'] } });
  });
});

describe('an immutable imported role', () => {
  test('its statements go to RolePolicyToAdd with a warning', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Given', `arn:aws:iam::${TEST_ACCOUNT}:role/KbRole`, { mutable: false });
    kbIn(stack, { role });
    const template = expectCleanTemplate(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const [, output] = Object.entries(template.findOutputs('*')).find(([id]) => id.includes('RolePolicyToAdd'))!;
    const json = JSON.stringify(stack.resolve(output.Value));
    expect(json).toContain('s3vectors:PutVectors');
    expect(json).toContain('bedrock:InvokeModel');
    Annotations.fromStack(stack).hasWarning('/TestStack/Given', Match.stringLikeRegexp('KbRole cannot be changed by this app.*RolePolicyToAdd'));
  });
});

describe('bad input', () => {
  const cases: Array<[string, Partial<EncryptedKnowledgeBaseProps>, RegExp]> = [
    ['malformed embedding model', { embeddingModel: 'titan embed' }, /embeddingModel must be a Bedrock embedding model id/],
    ['unknown embedding model without dimensions', { embeddingModel: 'acme.embed-v9' }, /embeddingModel must be .*give its vector size in 'dimensions'/],
    ['an inference profile as embedding model', { embeddingModel: 'us.amazon.titan-embed-text-v2:0' }, /embeddingModel must be/],
    ['dimensions the model does not support', { dimensions: 1536 }, /dimensions must be one of 256, 512, 1024 for amazon.titan-embed-text-v2:0; got 1536/],
    ['an absolute prefix', { inclusionPrefixes: ['/docs/'] }, /inclusionPrefixes must be a key relative to the bucket root/],
    ['an s3:// prefix', { inclusionPrefixes: ['s3://bucket/docs/'] }, /inclusionPrefixes must be a key relative to the bucket root/],
    ['a .. prefix', { inclusionPrefixes: ['docs/../secret/'] }, /inclusionPrefixes must be a key relative to the bucket root/],
    ['two prefixes', { inclusionPrefixes: ['a/', 'b/'] }, /inclusionPrefixes must be at most one prefix/],
    ['a bad knowledge base name', { knowledgeBaseName: 'my kb' }, /knowledgeBaseName must be 1 to 100 letters or digits/],
  ];

  test.each(cases)('%s: a BedrockEncryptionError naming the prop, and nothing created', (_, props, message) => {
    const stack = testStack();
    expect(() => kbIn(stack, props)).toThrow(BedrockEncryptionError);
    expect(() => kbIn(stack, props)).toThrow(message);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Bedrock::KnowledgeBase', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(stack.node.tryFindChild('Docs')).toBeUndefined();
  });

  test('problems are reported together', () => {
    expect(() => kbIn(testStack(), { dimensions: 7, inclusionPrefixes: ['/x'] })).toThrow(/dimensions must be .*; inclusionPrefixes must be/);
  });

  test('a vector store used by two knowledge bases', () => {
    const stack = testStack();
    const store = VectorStore.s3Vectors();
    new EncryptedKnowledgeBase(stack, 'A', { embeddingModel: MODEL, vectorStore: store });
    expect(() => new EncryptedKnowledgeBase(stack, 'B', { embeddingModel: MODEL, vectorStore: store }))
      .toThrow(/vectorStore must be a VectorStore of its own.*; got a VectorStore already used by 'TestStack\/A'/);
    expect(stack.node.tryFindChild('B')).toBeUndefined();
  });

  test('an unknown embedding model with dimensions is accepted with a warning', () => {
    const stack = testStack();
    kbIn(stack, { embeddingModel: 'acme.embed-v9', dimensions: 768 });
    Template.fromStack(stack).hasResourceProperties('AWS::S3Vectors::Index', { Dimension: 768 });
    Annotations.fromStack(stack).hasWarning('/TestStack/Docs', Match.stringLikeRegexp('not a known embedding model'));
  });

  test('known fixed-size models leave the size to Bedrock', () => {
    const stack = testStack();
    kbIn(stack, { embeddingModel: 'cohere.embed-english-v3' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3Vectors::Index', { Dimension: 1024 });
    template.hasResourceProperties('AWS::Bedrock::KnowledgeBase', {
      KnowledgeBaseConfiguration: { VectorKnowledgeBaseConfiguration: { EmbeddingModelConfiguration: Match.absent() } },
    });
  });
});

describe('tokens pass', () => {
  test('token model ARN, dimensions and prefixes are not validated', () => {
    const stack = testStack();
    kbIn(stack, {
      embeddingModel: new CfnParameter(stack, 'ModelArn').valueAsString,
      dimensions: 1024,
      inclusionPrefixes: [new CfnParameter(stack, 'Prefix').valueAsString],
      knowledgeBaseName: new CfnParameter(stack, 'Name').valueAsString,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Bedrock::KnowledgeBase', {
      KnowledgeBaseConfiguration: { VectorKnowledgeBaseConfiguration: { EmbeddingModelArn: { Ref: 'ModelArn' } } },
    });
  });

  test('a token model without dimensions cannot size the index', () => {
    expect(() => kbIn(testStack(), { embeddingModel: Token.asString({ Ref: 'ModelArn' }) })).toThrow(/dimensions must be given when embeddingModel is a token/);
  });

  test('an environment-agnostic stack synthesizes', () => {
    const stack = new Stack(new App(), 'Agnostic');
    kbIn(stack, { vectorStore: VectorStore.openSearchServerless() });
    expectCleanTemplate(stack);
  });
});

export { DefaultStackSynthesizer, LegacyStackSynthesizer, secretsmanager, SECRET_ARN };
