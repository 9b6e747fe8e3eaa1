import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptedBatchInference } from '../../src/jobs';
import { BedrockEncryptionError } from '../../src/private/validation';
import { expectNoCycles } from '../util/assembly-graph';
import { SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const JOBS = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:model-invocation-job/*`;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const S3_VIA = `s3.${TEST_REGION}.amazonaws.com`;
const BEDROCK_VIA = `bedrock.${TEST_REGION}.amazonaws.com`;

type Props = ConstructorParameters<typeof EncryptedBatchInference>[2];

function setup(props: Props = {}, before: (stack: Stack, job: EncryptedBatchInference) => void = () => {}) {
  const stack = testStack();
  const job = new EncryptedBatchInference(stack, 'Batch', props);
  before(stack, job);
  const p = SynthesizedPolicies.of(stack);
  return { stack, job, p, roleArn: p.arn(job.role as iam.Role), keyArn: p.arn(job.encryptionKey as kms.Key) };
}

describe('EncryptedBatchInference: key and role', () => {
  test('key policy: the role may GenerateDataKey and Decrypt only through s3.<region>', () => {
    const { p, roleArn } = setup();
    const statements = p.keyPolicyStatements();
    expect(statements).toHaveLength(2);
    expect(statements[1]).toEqual({
      Effect: 'Allow',
      Principal: { AWS: roleArn },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': S3_VIA } },
    });
  });

  test('trust: bedrock.amazonaws.com with aws:SourceAccount and aws:SourceArn model-invocation-job/*', () => {
    const { p, job } = setup();
    expect(p.trustPolicy(job.role as iam.Role).Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT }, ArnLike: { 'aws:SourceArn': JOBS } },
    }]);
  });

  test('identity policy: key through S3, read input, write output, nothing else', () => {
    const { p, job, keyArn } = setup();
    const input = p.arn(job.inputBucket as s3.Bucket);
    const output = p.arn(job.outputBucket as s3.Bucket);
    expect(p.identityPolicies(job.role as iam.Role).flatMap((d) => d.Statement)).toEqual([
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': S3_VIA } } },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${input}/input/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: input },
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: `${output}/output/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: output },
    ]);
  });

  test('the role uses the key through S3 only, reads input, writes output', () => {
    const { p, job, roleArn } = setup();
    const decide = (action: string, context?: Record<string, string>) => p.evaluate({ principal: roleArn, action, context });
    expect(decide('kms:GenerateDataKey', { 'kms:ViaService': S3_VIA })).toBe('Allowed');
    expect(decide('kms:Decrypt', { 'kms:ViaService': S3_VIA })).toBe('Allowed');
    expect(decide('kms:Decrypt', { 'kms:ViaService': BEDROCK_VIA })).toBe('ImplicitlyDenied');
    expect(decide('kms:Decrypt', { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' })).toBe('ImplicitlyDenied');
    expect(decide('kms:Decrypt')).toBe('ImplicitlyDenied');
    expect(decide('kms:CreateGrant', { 'kms:ViaService': S3_VIA })).toBe('ImplicitlyDenied');
    const input = p.arn(job.inputBucket as s3.Bucket);
    const output = p.arn(job.outputBucket as s3.Bucket);
    const s3Decide = (action: string, resource: string) => p.evaluateIdentity({ principal: roleArn, action, resource });
    expect(s3Decide('s3:GetObject', `${input}/input/records.jsonl`)).toBe('Allowed');
    expect(s3Decide('s3:GetObject', `${input}/other/records.jsonl`)).toBe('ImplicitlyDenied');
    expect(s3Decide('s3:PutObject', `${input}/input/records.jsonl`)).toBe('ImplicitlyDenied');
    expect(s3Decide('s3:PutObject', `${output}/output/job/records.jsonl.out`)).toBe('Allowed');
    expect(s3Decide('s3:GetObject', `${output}/output/job/records.jsonl.out`)).toBe('ImplicitlyDenied');
    expect(s3Decide('bedrock:InvokeModel', `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`)).toBe('ImplicitlyDenied');
  });

  test('models: the role may invoke exactly those (inference profiles need it)', () => {
    const { p, roleArn } = setup({ models: [HAIKU] });
    const decide = (resource: string) => p.evaluateIdentity({ principal: roleArn, action: 'bedrock:InvokeModel', resource });
    expect(decide(`arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`)).toBe('Allowed');
    expect(decide(`arn:aws:bedrock:${TEST_REGION}::foundation-model/anthropic.claude-3-opus-20240229-v1:0`)).toBe('ImplicitlyDenied');
  });

  test('buckets: SSE-KMS with the job key, retained, no stack output unless asked', () => {
    const { stack, p, job } = setup();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::S3::Bucket', 2);
    t.allResources('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [p.logicalId(job.encryptionKey as kms.Key), 'Arn'] } } }] },
      },
      DeletionPolicy: 'Retain',
    });
    expect(t.toJSON().Outputs).toBeUndefined();
  });

  test('outputs: true emits the request values as stack outputs', () => {
    const { stack, job } = setup({ outputs: true });
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    expect(Object.keys(outputs)).toHaveLength(4);
    const find = (prefix: string) => (Object.entries(outputs).find(([id]) => id.startsWith(prefix))![1] as any).Value;
    expect(find('BatchS3EncryptionKeyId')).toEqual(stack.resolve(job.s3EncryptionKeyId));
    expect(find('BatchRoleArn')).toEqual(stack.resolve(job.roleArn));
    expect(find('BatchInputS3Uri')).toEqual(stack.resolve(job.inputS3Uri));
    expect(find('BatchOutputS3Uri')).toEqual(stack.resolve(job.outputS3Uri));
  });

  test('no dependency cycles', () => {
    const { stack } = setup({}, (st, job) => job.grantCreateJob(new iam.User(st, 'Pipeline')));
    expect(expectNoCycles(stack)).toBeGreaterThan(4);
  });
});

describe('EncryptedBatchInference: the request and its callers', () => {
  test('createJobParameters returns the CreateModelInvocationJob request', () => {
    const { job } = setup();
    expect(job.createJobParameters({ jobName: 'batch-1', modelId: HAIKU })).toEqual({
      jobName: 'batch-1',
      roleArn: job.roleArn,
      modelId: HAIKU,
      inputDataConfig: { s3InputDataConfig: { s3Uri: job.inputS3Uri } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: job.outputS3Uri, s3EncryptionKeyId: job.s3EncryptionKeyId } },
    });
    const full = job.createJobParameters({
      jobName: 'batch-1', modelId: HAIKU, inputFile: 'records.jsonl', s3InputFormat: 'JSONL', modelInvocationType: 'Converse', timeoutDurationInHours: 48, clientRequestToken: 't', tags: [{ key: 'k', value: 'v' }],
    });
    expect(full.inputDataConfig.s3InputDataConfig).toEqual({ s3Uri: `${job.inputS3Uri}records.jsonl`, s3InputFormat: 'JSONL' });
    expect(full.timeoutDurationInHours).toBe(48);
  });

  test('createJobParameters names every bad option at once', () => {
    const { job } = setup();
    expect(() => job.createJobParameters({ jobName: 'j', modelId: HAIKU, inputFile: 's3://b/x.jsonl', s3InputFormat: 'CSV', modelInvocationType: 'Invoke', timeoutDurationInHours: 12 }))
      .toThrow(/createJobParameters at 'TestStack\/Batch': inputFile must be a key relative to the bucket root such as 'records.jsonl'.*got "s3:\/\/b\/x.jsonl"; s3InputFormat must be 'JSONL'; got "CSV"; modelInvocationType must be 'InvokeModel' or 'Converse'; got "Invoke"; timeoutDurationInHours must be a whole number from 24 to 168 hours; got 12/);
  });

  test('grantCreateJob: CreateModelInvocationJob on jobs and models of this account and region, PassRole to Bedrock only', () => {
    let user!: iam.User;
    const { p, roleArn } = setup({}, (stack, job) => {
      user = new iam.User(stack, 'Pipeline');
      expect(job.grantCreateJob(user).success).toBe(true);
    });
    const statements = p.identityPolicies(user).flatMap((d) => d.Statement);
    expect(statements[1]).toEqual({ Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn, Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } } });
    const userArn = p.arn(user);
    const decide = (action: string, resource: string) => p.evaluateIdentity({ principal: userArn, action, resource });
    expect(decide('bedrock:CreateModelInvocationJob', JOBS.replace('*', 'job1'))).toBe('Allowed');
    expect(decide('bedrock:CreateModelInvocationJob', `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`)).toBe('Allowed');
    expect(decide('bedrock:CreateModelInvocationJob', `arn:aws:bedrock:${TEST_REGION}:222222222222:model-invocation-job/job1`)).toBe('ImplicitlyDenied');
    expect(decide('bedrock:CreateModelInvocationJob', `arn:aws:bedrock:eu-west-1:${TEST_ACCOUNT}:model-invocation-job/job1`)).toBe('ImplicitlyDenied');
    expect(evaluatePassRole(p, userArn, roleArn, 'bedrock.amazonaws.com')).toBe('Allowed');
    expect(evaluatePassRole(p, userArn, roleArn, 'sagemaker.amazonaws.com')).toBe('ImplicitlyDenied');
  });

  test.each([
    ['inputBucket', () => ({ inputBucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'data-bucket') }), /inputBucket must be a bucket encrypted with a KMS key this app knows.*fromBucketAttributes.*got bucket/],
    ['outputBucket', () => ({ outputBucket: new s3.Bucket(new Stack(), 'B') }), /outputBucket must be a bucket encrypted with a KMS key/],
    ['inputPrefix', () => ({ inputPrefix: '/input' }), /inputPrefix must be a key relative to the bucket root.*got "\/input"/],
    ['models', () => ({ models: ['claude'] }), /models\[0\] must be a foundation model id.*got "claude"/],
  ])('rejects a bad %s and creates nothing', (_, props, message) => {
    const stack = testStack();
    expect(() => new EncryptedBatchInference(stack, 'Batch', props())).toThrow(message);
    expect(() => new EncryptedBatchInference(stack, 'Batch', props())).toThrow(BedrockEncryptionError);
    expect(() => new EncryptedBatchInference(stack, 'Batch', props())).toThrow(/^\[BedrockEncryptionError\] EncryptedBatchInference 'Batch' at 'TestStack': /);
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });

  test('tokens pass unvalidated', () => {
    const stack = testStack();
    const job = new EncryptedBatchInference(stack, 'Batch', { inputPrefix: new CfnParameter(stack, 'P').valueAsString });
    expect(() => job.createJobParameters({ jobName: 'j', modelId: HAIKU, inputFile: new CfnParameter(stack, 'F').valueAsString, timeoutDurationInHours: new CfnParameter(stack, 'H', { type: 'Number' }).valueAsNumber })).not.toThrow();
  });
});

function evaluatePassRole(p: SynthesizedPolicies, userArn: string, roleArn: string, service: string) {
  return p.evaluateIdentity({ principal: userArn, action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': service } });
}
