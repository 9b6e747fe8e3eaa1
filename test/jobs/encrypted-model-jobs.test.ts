import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptedModelCustomization, EncryptedModelImport } from '../../src/jobs';
import { BedrockEncryptionError } from '../../src/private/validation';
import { expectNoCycles } from '../util/assembly-graph';
import { SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const BASE = 'amazon.titan-text-express-v1:0:8k';
const BEDROCK_VIA = `bedrock.${TEST_REGION}.amazonaws.com`;
const S3_VIA = `s3.${TEST_REGION}.amazonaws.com`;
const MODEL_JOB_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'];
/** The page's statement as the library writes it: CreateGrant apart, only for AWS resources. */
const KEY_USE = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];
const throughBedrock = (base: Record<string, unknown>) => [
  { ...base, Action: KEY_USE, Condition: { StringEquals: { 'kms:ViaService': BEDROCK_VIA } } },
  { ...base, Action: 'kms:CreateGrant', Condition: { StringEquals: { 'kms:ViaService': BEDROCK_VIA }, Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
];
const pattern = (type: string) => `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:${type}/*`;

function customization(before: (stack: Stack, job: EncryptedModelCustomization) => void = () => {}) {
  const stack = testStack();
  const job = new EncryptedModelCustomization(stack, 'FineTune', { baseModel: BASE });
  before(stack, job);
  const p = SynthesizedPolicies.of(stack);
  return { stack, job, p, roleArn: p.arn(job.role as iam.Role), keyArn: p.arn(job.encryptionKey as kms.Key) };
}

function modelImport(before: (stack: Stack, job: EncryptedModelImport) => void = () => {}) {
  const stack = testStack();
  const job = new EncryptedModelImport(stack, 'Import');
  before(stack, job);
  const p = SynthesizedPolicies.of(stack);
  return { stack, job, p, roleArn: p.arn(job.role as iam.Role), keyArn: p.arn(job.encryptionKey as kms.Key) };
}

describe.each([
  ['EncryptedModelCustomization', customization, 'model-customization-job'],
  ['EncryptedModelImport', modelImport, 'model-import-job'],
] as const)('%s (seed 003)', (_, setup, jobType) => {
  test('key policy: the role may Decrypt, GenerateDataKey, DescribeKey, CreateGrant only through bedrock.<region>', () => {
    const { p, roleArn } = setup();
    const statements = p.keyPolicyStatements();
    expect(statements).toHaveLength(3);
    expect(statements.slice(1)).toEqual(throughBedrock({ Effect: 'Allow', Principal: { AWS: roleArn }, Resource: '*' }));
  });

  test(`trust: bedrock.amazonaws.com for ${jobType}/* of this account`, () => {
    const { p, job } = setup();
    expect(p.trustPolicy(job.role as iam.Role).Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT }, ArnLike: { 'aws:SourceArn': pattern(jobType) } },
    }]);
  });

  test('the role creates grants through Bedrock, not through S3; it decrypts through S3 for its buckets', () => {
    const { p, roleArn } = setup();
    const decide = (action: string, via: string) => p.evaluate({ principal: roleArn, action, context: { 'kms:ViaService': via, 'kms:GrantIsForAWSResource': 'true' } });
    for (const action of MODEL_JOB_ACTIONS) expect(decide(action, BEDROCK_VIA)).toBe('Allowed');
    expect(p.evaluate({ principal: roleArn, action: 'kms:CreateGrant', context: { 'kms:ViaService': BEDROCK_VIA, 'kms:GrantIsForAWSResource': 'false' } })).toBe('ImplicitlyDenied');
    expect(decide('kms:CreateGrant', S3_VIA)).toBe('ImplicitlyDenied');
    expect(decide('kms:CreateGrant', 'bedrock.eu-west-1.amazonaws.com')).toBe('ImplicitlyDenied');
    expect(decide('kms:Decrypt', S3_VIA)).toBe('Allowed');
    expect(decide('kms:Decrypt', `secretsmanager.${TEST_REGION}.amazonaws.com`)).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: roleArn, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
  });

  test('buckets: SSE-KMS with the job key, Bucket Key, public access blocked, TLS enforced, retained', () => {
    const { stack, p, job } = setup();
    const t = Template.fromStack(stack);
    t.allResources('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [p.logicalId(job.encryptionKey as kms.Key), 'Arn'] } } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      },
      DeletionPolicy: 'Retain',
    });
    t.allResourcesProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('grantCreateJob: the create action, PassRole to Bedrock only, key use through Bedrock', () => {
    let user!: iam.User;
    const { p, keyArn, roleArn } = setup((stack, job) => {
      user = new iam.User(stack, 'Pipeline');
      expect(job.grantCreateJob(user).success).toBe(true);
    });
    const statements = p.identityPolicies(user).flatMap((d) => d.Statement);
    expect(statements[1]).toEqual({ Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn, Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } } });
    expect(statements.slice(2)).toEqual(throughBedrock({ Effect: 'Allow', Resource: keyArn }));
    const userArn = p.arn(user);
    const action = jobType === 'model-import-job' ? 'bedrock:CreateModelImportJob' : 'bedrock:CreateModelCustomizationJob';
    expect(statements[0].Action).toBe(action);
    // the request IAM receives: CreateModelImportJob is authorized on "*" only; CreateModelCustomizationJob on the
    // base (foundation or custom) model, never on the job
    if (jobType === 'model-import-job') {
      expect(statements[0].Resource).toBe('*');
      expect(p.evaluateIdentity({ principal: userArn, action, resource: '*' })).toBe('Allowed');
    } else {
      expect(p.evaluateIdentity({ principal: userArn, action, resource: `arn:aws:bedrock:${TEST_REGION}::foundation-model/${BASE}` })).toBe('Allowed');
      expect(p.evaluateIdentity({ principal: userArn, action, resource: `arn:aws:bedrock:${TEST_REGION}::foundation-model/amazon.titan-text-lite-v1` })).toBe('ImplicitlyDenied');
    }
    const grant = (via: string) => ({ 'kms:ViaService': via, 'kms:GrantIsForAWSResource': 'true' });
    expect(p.evaluate({ principal: userArn, action: 'kms:CreateGrant', context: grant(BEDROCK_VIA) })).toBe('Allowed');
    expect(p.evaluate({ principal: userArn, action: 'kms:CreateGrant', context: grant(S3_VIA) })).toBe('ImplicitlyDenied');
  });

  test('no dependency cycles', () => {
    const { stack } = setup((st, job) => job.grantCreateJob(new iam.User(st, 'Pipeline')));
    expect(expectNoCycles(stack)).toBeGreaterThan(4);
  });
});

describe('EncryptedModelCustomization', () => {
  test('role: reads training data, writes output, key through S3 for both', () => {
    const { p, job, roleArn, keyArn } = customization();
    const training = p.arn(job.trainingDataBucket as s3.Bucket);
    const output = p.arn(job.outputBucket as s3.Bucket);
    expect(p.identityPolicies(job.role as iam.Role).flatMap((d) => d.Statement)).toEqual([
      ...throughBedrock({ Effect: 'Allow', Resource: keyArn }),
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${training}/training/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: training },
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: `${output}/output/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: output },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': S3_VIA } } },
    ]);
    const decide = (action: string, resource: string) => p.evaluateIdentity({ principal: roleArn, action, resource });
    expect(decide('s3:GetObject', `${training}/training/train.jsonl`)).toBe('Allowed');
    expect(decide('s3:PutObject', `${training}/training/train.jsonl`)).toBe('ImplicitlyDenied');
    expect(decide('s3:PutObject', `${output}/output/metrics.csv`)).toBe('Allowed');
    expect(decide('s3:GetObject', `${output}/output/metrics.csv`)).toBe('ImplicitlyDenied');
  });

  test('createJobParameters returns the CreateModelCustomizationJob request', () => {
    const { job } = customization();
    expect(job.createJobParameters({ jobName: 'ft-1', customModelName: 'my-model' })).toEqual({
      jobName: 'ft-1',
      customModelName: 'my-model',
      roleArn: job.roleArn,
      baseModelIdentifier: BASE,
      customModelKmsKeyId: job.customModelKmsKeyId,
      trainingDataConfig: { s3Uri: `${job.trainingDataS3Uri}train.jsonl` },
      outputDataConfig: { s3Uri: job.outputS3Uri },
    });
    const full = job.createJobParameters({
      jobName: 'ft-1',
      customModelName: 'm',
      trainingDataFile: 'a.jsonl',
      validationDataFiles: ['v.jsonl'],
      customizationType: 'FINE_TUNING',
      hyperParameters: { epochCount: '2' },
      clientRequestToken: 't',
      jobTags: [{ key: 'k', value: 'v' }],
      customModelTags: [{ key: 'k', value: 'v' }],
    });
    expect(full.validationDataConfig).toEqual({ validators: [{ s3Uri: `${job.trainingDataS3Uri}v.jsonl` }] });
    expect(full.trainingDataConfig.s3Uri).toBe(`${job.trainingDataS3Uri}a.jsonl`);
    expect(() => job.createJobParameters({ jobName: 'j', customModelName: 'm', customizationType: 'FINETUNING', trainingDataFile: '/x' }))
      .toThrow(/customizationType must be FINE_TUNING, .*trainingDataFile must be a key relative to the bucket root/);
  });

  test('grantInvokeCustomModel: InvokeModel on custom models of this account, Decrypt through Bedrock', () => {
    let user!: iam.User;
    const { p, keyArn } = customization((stack, job) => {
      user = new iam.User(stack, 'App');
      job.grantInvokeCustomModel(user);
    });
    expect(p.identityPolicies(user).flatMap((d) => d.Statement)).toEqual([
      { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: ['custom-model', 'provisioned-model', 'custom-model-deployment'].map(pattern) },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': BEDROCK_VIA } } },
    ]);
    const userArn = p.arn(user);
    expect(p.evaluate({ principal: userArn, action: 'kms:Decrypt', context: { 'kms:ViaService': BEDROCK_VIA } })).toBe('Allowed');
    expect(p.evaluate({ principal: userArn, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': BEDROCK_VIA } })).toBe('ImplicitlyDenied');
    expect(p.evaluateIdentity({ principal: userArn, action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:provisioned-model/abc` })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: userArn, action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:${TEST_REGION}::foundation-model/${BASE}` })).toBe('ImplicitlyDenied');
  });

  test('no stack output unless asked', () => {
    const { stack } = customization();
    expect(Template.fromStack(stack).toJSON().Outputs).toBeUndefined();
  });

  test('outputs: true emits the request values as stack outputs', () => {
    const stack = testStack();
    const job = new EncryptedModelCustomization(stack, 'FineTune', { baseModel: BASE, outputs: true });
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    expect(Object.keys(outputs)).toHaveLength(4);
    const find = (prefix: string) => (Object.entries(outputs).find(([id]) => id.startsWith(prefix))![1] as any).Value;
    expect(find('FineTuneCustomModelKmsKeyId')).toEqual(stack.resolve(job.customModelKmsKeyId));
    expect(find('FineTuneRoleArn')).toEqual(stack.resolve(job.roleArn));
    expect(find('FineTuneTrainingDataS3Uri')).toEqual(stack.resolve(job.trainingDataS3Uri));
    expect(find('FineTuneOutputS3Uri')).toEqual(stack.resolve(job.outputS3Uri));
  });

  test.each([
    ['baseModel', () => ({ baseModel: 'claude' }), /baseModel must be a foundation model id.*custom-model ARN.*got "claude"/],
    ['baseModel', () => ({ baseModel: 'us.anthropic.claude-3-haiku-20240307-v1:0' }), /baseModel must be a foundation model id/],
    ['trainingDataBucket', () => ({ baseModel: BASE, trainingDataBucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'data-bucket') }), /trainingDataBucket must be a bucket encrypted with a KMS key this app knows.*fromBucketAttributes/],
    ['outputBucket', () => ({ baseModel: BASE, outputBucket: new s3.Bucket(new Stack(), 'B') }), /outputBucket must be a bucket encrypted with a KMS key/],
    ['trainingDataPrefix', () => ({ baseModel: BASE, trainingDataPrefix: '/training' }), /trainingDataPrefix must be a key relative to the bucket root/],
  ])('rejects a bad %s and creates nothing', (_, props, message) => {
    const stack = testStack();
    expect(() => new EncryptedModelCustomization(stack, 'FineTune', props())).toThrow(message);
    expect(() => new EncryptedModelCustomization(stack, 'FineTune', props())).toThrow(BedrockEncryptionError);
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });

  test('accepts foundation-model ARNs, custom-model ARNs and tokens', () => {
    const stack = testStack();
    new EncryptedModelCustomization(stack, 'A', { baseModel: `arn:aws:bedrock:${TEST_REGION}::foundation-model/${BASE}` });
    new EncryptedModelCustomization(stack, 'B', { baseModel: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:custom-model/${BASE}/abcdefgh` });
    const c = new EncryptedModelCustomization(stack, 'C', { baseModel: new CfnParameter(stack, 'Base').valueAsString, trainingDataPrefix: new CfnParameter(stack, 'P').valueAsString });
    expect(stack.resolve(c.baseModelIdentifier)).toEqual({ Ref: 'Base' });
  });

  test('a brought bucket with the job key gets no second key statement', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'K');
    const bucket = new s3.Bucket(stack, 'Data', { encryptionKey: key });
    const job = new EncryptedModelCustomization(stack, 'FineTune', { baseModel: BASE, encryptionKey: key, trainingDataBucket: bucket, outputBucket: bucket });
    const p = SynthesizedPolicies.of(stack);
    const kmsS3 = p.identityPolicies(job.role as iam.Role).flatMap((d) => d.Statement).filter((s) => s.Condition?.StringEquals?.['kms:ViaService'] === S3_VIA);
    expect(kmsS3).toEqual([{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: p.arn(key), Condition: { StringEquals: { 'kms:ViaService': S3_VIA } } }]);
    expect(p.idsOfType('AWS::S3::Bucket')).toHaveLength(1);
  });
});

describe('EncryptedModelImport', () => {
  test('role: reads model data only, key through S3 for reading', () => {
    const { p, job, roleArn, keyArn } = modelImport();
    const data = p.arn(job.modelDataBucket as s3.Bucket);
    expect(p.identityPolicies(job.role as iam.Role).flatMap((d) => d.Statement)).toEqual([
      ...throughBedrock({ Effect: 'Allow', Resource: keyArn }),
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${data}/model/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: data },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': S3_VIA } } },
    ]);
    expect(p.evaluateIdentity({ principal: roleArn, action: 's3:PutObject', resource: `${data}/model/x` })).toBe('ImplicitlyDenied');
  });

  test('createJobParameters returns the CreateModelImportJob request', () => {
    const { job } = modelImport();
    expect(job.createJobParameters({ jobName: 'imp-1', importedModelName: 'llama' })).toEqual({
      jobName: 'imp-1',
      importedModelName: 'llama',
      roleArn: job.roleArn,
      modelDataSource: { s3DataSource: { s3Uri: job.modelDataS3Uri } },
      importedModelKmsKeyId: job.importedModelKmsKeyId,
    });
  });

  test('outputs and an imported key reported in KeyPolicyToAdd', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    const job = new EncryptedModelImport(stack, 'Import', { encryptionKey: key, outputs: true });
    expect(job.importedModelKmsKeyId).toBe(key.keyArn);
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    expect(Object.keys(outputs).filter((id) => !id.includes('KeyPolicyToAdd'))).toHaveLength(3);
    const find = (part: string) => (Object.entries(outputs).find(([id]) => id.includes(part))![1] as any).Value;
    expect(find('ImportedModelKmsKeyId')).toBe(key.keyArn);
    expect(find('ModelDataS3Uri')).toEqual(stack.resolve(job.modelDataS3Uri));
    expect(JSON.stringify(find('KeyPolicyToAdd'))).toContain('kms:CreateGrant');
  });

  test('no stack output of its own unless asked', () => {
    const { stack } = modelImport();
    expect(Template.fromStack(stack).toJSON().Outputs).toBeUndefined();
  });

  test('rejects a non-relative prefix and an unknown-key bucket together', () => {
    const stack = testStack();
    expect(() => new EncryptedModelImport(stack, 'Import', { modelDataPrefix: 's3://b/model/', modelDataBucket: s3.Bucket.fromBucketName(stack, 'B', 'data-bucket') }))
      .toThrow(/modelDataBucket must be a bucket encrypted.*; modelDataPrefix must be a key relative to the bucket root/);
    expect(stack.node.tryFindChild('Import')).toBeUndefined();
  });
});
