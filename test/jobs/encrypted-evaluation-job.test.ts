import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptedEvaluationJob } from '../../src/jobs';
import { BedrockEncryptionError } from '../../src/private/validation';
import { expectNoCycles } from '../util/assembly-graph';
import { OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const JOBS = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:evaluation-job/*`;
const JOB = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:evaluation-job/abc123`;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const S3_VIA = `s3.${TEST_REGION}.amazonaws.com`;

function setup(before: (stack: Stack, job: EncryptedEvaluationJob) => void = () => {}) {
  const stack = testStack();
  const job = new EncryptedEvaluationJob(stack, 'Eval', { evaluatorModels: [HAIKU] });
  before(stack, job);
  const p = SynthesizedPolicies.of(stack);
  const roleArn = p.arn(job.role as iam.Role);
  return { stack, job, p, roleArn };
}

describe('EncryptedEvaluationJob: key policy (seed 001)', () => {
  test('bedrock.amazonaws.com gets GenerateDataKey and Decrypt, and DescribeKey apart, only for evaluation jobs of this account and region', () => {
    const { p } = setup();
    const statements = p.keyPolicyStatements();
    expect(statements).toHaveLength(3);
    expect(statements.slice(1)).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'bedrock.amazonaws.com' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:evaluationJobArn': JOBS }, ArnLike: { 'aws:SourceArn': JOBS } },
      },
      { Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': JOBS } } },
    ]);
  });

  test.each(['kms:GenerateDataKey', 'kms:Decrypt'])('the service principal is allowed %s for a job of this account', (action) => {
    const { p } = setup();
    expect(p.evaluate({ principal: 'bedrock.amazonaws.com', action, context: { 'kms:EncryptionContext:evaluationJobArn': JOB, 'aws:SourceArn': JOB } })).toBe('Allowed');
  });

  test('the service principal may describe the key for a job of this account, as Bedrock asks: without an encryption context', () => {
    const { p } = setup();
    expect(p.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:DescribeKey', context: { 'aws:SourceArn': JOB } })).toBe('Allowed');
    const other = `arn:aws:bedrock:${TEST_REGION}:${OTHER_ACCOUNT}:evaluation-job/abc123`;
    expect(p.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:DescribeKey', context: { 'aws:SourceArn': other } })).toBe('ImplicitlyDenied');
  });

  test('the service principal is denied for another account, another region, or without the context', () => {
    const { p } = setup();
    const other = `arn:aws:bedrock:${TEST_REGION}:${OTHER_ACCOUNT}:evaluation-job/abc123`;
    const otherRegion = `arn:aws:bedrock:eu-west-1:${TEST_ACCOUNT}:evaluation-job/abc123`;
    const decide = (context: Record<string, string>) => p.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:Decrypt', context });
    expect(decide({ 'kms:EncryptionContext:evaluationJobArn': other, 'aws:SourceArn': other })).toBe('ImplicitlyDenied');
    expect(decide({ 'kms:EncryptionContext:evaluationJobArn': otherRegion, 'aws:SourceArn': otherRegion })).toBe('ImplicitlyDenied');
    expect(decide({ 'kms:EncryptionContext:evaluationJobArn': JOB, 'aws:SourceArn': other })).toBe('ImplicitlyDenied');
    expect(decide({ 'aws:SourceArn': JOB })).toBe('ImplicitlyDenied');
    expect(decide({ 'kms:EncryptionContext:evaluationJobArn': JOB })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:CreateGrant', context: { 'kms:EncryptionContext:evaluationJobArn': JOB, 'aws:SourceArn': JOB } })).toBe('ImplicitlyDenied');
  });
});

describe('EncryptedEvaluationJob: service role', () => {
  test('trust: bedrock.amazonaws.com with aws:SourceAccount and aws:SourceArn evaluation-job/*', () => {
    const { p, job } = setup();
    expect(p.trustPolicy(job.role as iam.Role).Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT }, ArnLike: { 'aws:SourceArn': JOBS } },
    }]);
  });

  test('identity policy: key through S3, DescribeKey, read datasets, write results, invoke only the listed models', () => {
    const { p, job } = setup();
    const keyArn = p.arn(job.encryptionKey as kms.Key);
    const dataset = p.arn(job.datasetBucket as s3.Bucket);
    const output = p.arn(job.outputBucket as s3.Bucket);
    expect(p.identityPolicies(job.role as iam.Role).flatMap((d) => d.Statement)).toEqual([
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': S3_VIA } } },
      { Effect: 'Allow', Action: 'kms:DescribeKey', Resource: keyArn },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${dataset}/datasets/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: dataset },
      { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], Resource: `${output}/results/*` },
      { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: output },
      {
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`,
      },
      {
        Effect: 'Allow',
        Action: 'bedrock:CreateModelInvocationJob',
        Resource: [`arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:model-invocation-job/*`, `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`],
      },
      { Effect: 'Allow', Action: 'bedrock:StopModelInvocationJob', Resource: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:model-invocation-job/*` },
    ]);
  });

  test('the role may use the key through S3 only', () => {
    const { p, roleArn } = setup();
    expect(p.evaluate({ principal: roleArn, action: 'kms:Decrypt', context: { 'kms:ViaService': S3_VIA } })).toBe('Allowed');
    expect(p.evaluate({ principal: roleArn, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': S3_VIA } })).toBe('Allowed');
    expect(p.evaluate({ principal: roleArn, action: 'kms:Decrypt', context: { 'kms:ViaService': `bedrock.${TEST_REGION}.amazonaws.com` } })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: roleArn, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: roleArn, action: 'kms:DescribeKey' })).toBe('Allowed');
  });

  test('the judge model runs and stops its batch jobs: each action on the resource types IAM authorizes it on', () => {
    const { p, roleArn } = setup();
    const decide = (action: string, resource: string) => p.evaluateIdentity({ principal: roleArn, action, resource });
    const job = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:model-invocation-job/abc123`;
    expect(decide('bedrock:CreateModelInvocationJob', job)).toBe('Allowed');
    expect(decide('bedrock:CreateModelInvocationJob', `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`)).toBe('Allowed');
    expect(decide('bedrock:CreateModelInvocationJob', `arn:aws:bedrock:${TEST_REGION}::foundation-model/anthropic.claude-3-opus-20240229-v1:0`)).toBe('ImplicitlyDenied');
    expect(decide('bedrock:StopModelInvocationJob', job)).toBe('Allowed');
    expect(decide('bedrock:StopModelInvocationJob', `arn:aws:bedrock:${TEST_REGION}:${OTHER_ACCOUNT}:model-invocation-job/abc123`)).toBe('ImplicitlyDenied');
  });

  test('the role reads datasets, reads and writes results, and nothing else', () => {
    const { p, job, roleArn } = setup();
    const dataset = p.arn(job.datasetBucket as s3.Bucket);
    const output = p.arn(job.outputBucket as s3.Bucket);
    const decide = (action: string, resource: string) => p.evaluateIdentity({ principal: roleArn, action, resource });
    expect(decide('s3:GetObject', `${dataset}/datasets/prompts.jsonl`)).toBe('Allowed');
    expect(decide('s3:GetObject', `${dataset}/other/prompts.jsonl`)).toBe('ImplicitlyDenied');
    expect(decide('s3:PutObject', `${dataset}/datasets/prompts.jsonl`)).toBe('ImplicitlyDenied');
    expect(decide('s3:PutObject', `${output}/results/job/out.jsonl`)).toBe('Allowed');
    // every evaluation service-role page ("AllowAccessToOutputBucket"): judge-model jobs read their output back
    expect(decide('s3:GetObject', `${output}/results/job/out.jsonl`)).toBe('Allowed');
    expect(decide('s3:GetObject', `${output}/other/out.jsonl`)).toBe('ImplicitlyDenied');
    expect(decide('s3:PutObject', `${output}/other/out.jsonl`)).toBe('ImplicitlyDenied');
    expect(decide('s3:GetBucketLocation', output)).toBe('Allowed');
    expect(decide('s3:ListBucketMultipartUploads', output)).toBe('Allowed');
    expect(decide('s3:ListBucketMultipartUploads', dataset)).toBe('ImplicitlyDenied');
    expect(decide('bedrock:InvokeModel', `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`)).toBe('Allowed');
    expect(decide('bedrock:InvokeModel', `arn:aws:bedrock:${TEST_REGION}::foundation-model/anthropic.claude-3-opus-20240229-v1:0`)).toBe('ImplicitlyDenied');
  });
});

describe('EncryptedEvaluationJob: buckets', () => {
  test('SSE-KMS with the job key and a Bucket Key, public access blocked, TLS enforced, retained', () => {
    const { stack, p, job } = setup();
    const t = Template.fromStack(stack);
    const keyId = p.logicalId(job.encryptionKey as kms.Key);
    expect(Object.keys(t.findResources('AWS::S3::Bucket'))).toHaveLength(2);
    t.allResources('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    t.allResourcesProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('a brought bucket on another known key: the role gets that key through S3 as well', () => {
    const stack = testStack();
    const otherKey = new kms.Key(stack, 'DataKey');
    const bucket = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS, encryptionKey: otherKey });
    const job = new EncryptedEvaluationJob(stack, 'Eval', { datasetBucket: bucket, datasetPrefix: 'in/' });
    const p = SynthesizedPolicies.of(stack);
    expect(job.datasetBucket).toBe(bucket);
    expect(p.idsOfType('AWS::S3::Bucket')).toHaveLength(2);
    const statements = p.identityPolicies(job.role as iam.Role).flatMap((d) => d.Statement);
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: p.arn(otherKey), Condition: { StringEquals: { 'kms:ViaService': S3_VIA } } });
    expect(p.evaluate({ principal: p.arn(job.role as iam.Role), action: 'kms:Decrypt', context: { 'kms:ViaService': S3_VIA } }, otherKey)).toBe('Allowed');
    expect(p.evaluate({ principal: p.arn(job.role as iam.Role), action: 'kms:GenerateDataKey', context: { 'kms:ViaService': S3_VIA } }, otherKey)).toBe('ImplicitlyDenied');
  });
});

describe('EncryptedEvaluationJob: API', () => {
  test('exposes the values and adds no stack output unless asked', () => {
    const { stack, job } = setup();
    const r = (v: string) => stack.resolve(v);
    expect(r(job.customerEncryptionKeyId)).toEqual(r(job.encryptionKey.keyArn));
    expect(r(job.roleArn)).toEqual(r(job.role.roleArn));
    expect(JSON.stringify(r(job.datasetS3Uri))).toMatch(/s3:\/\/.*\/datasets\//);
    expect(JSON.stringify(r(job.outputS3Uri))).toMatch(/s3:\/\/.*\/results\//);
    expect(Template.fromStack(stack).toJSON().Outputs).toBeUndefined();
  });

  test('outputs: true emits the request values as stack outputs', () => {
    const stack = testStack();
    const job = new EncryptedEvaluationJob(stack, 'Eval', { evaluatorModels: [HAIKU], outputs: true });
    const r = (v: string) => stack.resolve(v);
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    expect(Object.keys(outputs)).toHaveLength(4);
    const byPrefix = (prefix: string) => Object.entries(outputs).find(([id]) => id.startsWith(prefix))![1] as any;
    expect(byPrefix('EvalCustomerEncryptionKeyId').Value).toEqual(r(job.customerEncryptionKeyId));
    expect(byPrefix('EvalRoleArn').Value).toEqual(r(job.roleArn));
    expect(byPrefix('EvalDatasetS3Uri').Value).toEqual(r(job.datasetS3Uri));
    expect(byPrefix('EvalOutputS3Uri').Value).toEqual(r(job.outputS3Uri));
  });

  test('createJobParameters returns the CreateEvaluationJob request', () => {
    const { job } = setup();
    const evaluationConfig = { automated: { datasetMetricConfigs: [{ taskType: 'General', dataset: { name: 'd', datasetLocation: { s3Uri: `${job.datasetS3Uri}p.jsonl` } }, metricNames: ['Builtin.Accuracy'] }] } };
    const inferenceConfig = { models: [{ bedrockModel: { modelIdentifier: HAIKU, inferenceParams: '{}' } }] };
    const params = job.createJobParameters({ jobName: 'eval-1', evaluationConfig, inferenceConfig });
    expect(params).toEqual({
      jobName: 'eval-1',
      roleArn: job.roleArn,
      customerEncryptionKeyId: job.customerEncryptionKeyId,
      evaluationConfig,
      inferenceConfig,
      outputDataConfig: { s3Uri: job.outputS3Uri },
    });
    expect(Object.keys(job.createJobParameters({ jobName: 'j', evaluationConfig, inferenceConfig, jobDescription: 'd', clientRequestToken: 't', applicationType: 'ModelEvaluation', jobTags: [{ key: 'k', value: 'v' }] })).sort())
      .toEqual(['applicationType', 'clientRequestToken', 'customerEncryptionKeyId', 'evaluationConfig', 'inferenceConfig', 'jobDescription', 'jobName', 'jobTags', 'outputDataConfig', 'roleArn']);
  });

  test('grantCreateJob: CreateEvaluationJob on this region\'s models and prompt routers, PassRole to Bedrock only, caller key use through Bedrock or S3', () => {
    let user!: iam.User;
    let grant!: iam.Grant;
    const { job, p } = setup((stack, j) => {
      user = new iam.User(stack, 'Pipeline');
      grant = j.grantCreateJob(user);
    });
    expect(grant.success).toBe(true);
    const keyArn = p.arn(job.encryptionKey as kms.Key);
    const roleArn = p.arn(job.role as iam.Role);
    expect(p.identityPolicies(user).flatMap((d) => d.Statement)).toEqual([
      {
        Effect: 'Allow',
        Action: 'bedrock:CreateEvaluationJob',
        Resource: [
          `arn:aws:bedrock:${TEST_REGION}::foundation-model/*`,
          `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:custom-model/*`,
          `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:prompt-router/*`,
          `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:default-prompt-router/*`,
        ],
      },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn, Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } } },
      {
        Effect: 'Allow',
        Action: ['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:ViaService': [`bedrock.${TEST_REGION}.amazonaws.com`, S3_VIA] } },
      },
    ]);
    const userArn = p.arn(user);
    // IAM authorizes CreateEvaluationJob on the models the job evaluates, never on the job
    expect(p.evaluateIdentity({ principal: userArn, action: 'bedrock:CreateEvaluationJob', resource: `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}` })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: userArn, action: 'bedrock:CreateEvaluationJob', resource: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:custom-model/abc123` })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: userArn, action: 'bedrock:CreateEvaluationJob', resource: `arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}` })).toBe('ImplicitlyDenied');
    expect(p.evaluateIdentity({ principal: userArn, action: 'bedrock:CreateEvaluationJob', resource: `arn:aws:bedrock:${TEST_REGION}:${OTHER_ACCOUNT}:custom-model/abc123` })).toBe('ImplicitlyDenied');
    expect(p.evaluateIdentity({ principal: userArn, action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': 'bedrock.amazonaws.com' } })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: userArn, action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: userArn, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': S3_VIA } })).toBe('Allowed');
    // CreateEvaluationJob: Bedrock checks the key with the caller's credentials.
    expect(p.evaluate({ principal: userArn, action: 'kms:DescribeKey', context: { 'kms:ViaService': `bedrock.${TEST_REGION}.amazonaws.com` } })).toBe('Allowed');
    expect(p.evaluate({ principal: userArn, action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
  });

  test('createJobParameters rejects a knowledge base evaluation, which needs permissions this construct does not write', () => {
    const { job } = setup();
    expect(() => job.createJobParameters({ jobName: 'j', evaluationConfig: {}, inferenceConfig: {}, applicationType: 'RagEvaluation' }))
      .toThrow(/applicationType must be 'ModelEvaluation': knowledge base evaluations \(RagEvaluation\) need Retrieve/);
  });

  test('an imported key: the Bedrock statement goes to the KeyPolicyToAdd output with a warning', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    const job = new EncryptedEvaluationJob(stack, 'Eval', { encryptionKey: key });
    expect(job.bedrockKey.hasUnwrittenStatements).toBe(true);
    const t = Template.fromStack(stack);
    expect(t.findResources('AWS::KMS::Key')).toEqual({});
    const output = Object.entries(t.toJSON().Outputs).find(([id]) => id.includes('KeyPolicyToAdd'))![1] as any;
    expect(JSON.stringify(output.Value)).toContain('kms:EncryptionContext:evaluationJobArn');
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('cannot be changed by this app'));
    t.allResourcesProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.keyArn } })] },
    });
  });

  test('a brought role gets the statements in a policy attached to it, and no new role is created', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${TEST_ACCOUNT}:role/eval`);
    const job = new EncryptedEvaluationJob(stack, 'Eval', { role });
    expect(job.roleArn).toBe(role.roleArn);
    const t = Template.fromStack(stack);
    expect(t.findResources('AWS::IAM::Role')).toEqual({});
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['eval'],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:DescribeKey' }), Match.objectLike({ Action: 's3:GetObject' })]) },
    });
  });

  test('no dependency cycles', () => {
    const { stack } = setup((st, job) => job.grantCreateJob(new iam.User(st, 'Pipeline')));
    expect(expectNoCycles(stack)).toBeGreaterThan(5);
  });
});

describe('EncryptedEvaluationJob: bad input', () => {
  test.each([
    ['datasetBucket', () => ({ datasetBucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'data') }), /datasetBucket must be a bucket encrypted with a KMS key this app knows.*Bucket\.fromBucketAttributes/],
    ['outputBucket', () => ({ outputBucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'out') }), /outputBucket must be a bucket encrypted with a KMS key/],
    ['evaluatorModels', () => ({ evaluatorModels: [HAIKU, 'not a model'] }), /evaluatorModels\[1\] must be a foundation model id.*got "not a model"/],
    ['datasetPrefix', () => ({ datasetPrefix: '/datasets/' }), /datasetPrefix must be a key relative to the bucket root.*got "\/datasets\/"/],
    ['datasetPrefix', () => ({ datasetPrefix: 's3://bucket/datasets/' }), /datasetPrefix must be a key relative to the bucket root/],
    ['outputPrefix', () => ({ outputPrefix: 'results/*' }), /outputPrefix must be a key relative to the bucket root/],
    ['outputPrefix', () => ({ outputPrefix: 'results/../other/' }), /outputPrefix must be a key relative to the bucket root.*no '\.\.' segment.*got "results\/\.\.\/other\/"/],
  ])('rejects a bad %s with a BedrockEncryptionError and creates nothing', (_, props, message) => {
    const stack = testStack();
    expect(() => new EncryptedEvaluationJob(stack, 'Eval', props())).toThrow(message);
    expect(() => new EncryptedEvaluationJob(stack, 'Eval2', props())).toThrow(BedrockEncryptionError);
    expect(stack.node.tryFindChild('Eval')).toBeUndefined();
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });

  test('reports every problem at once', () => {
    const stack = testStack();
    expect(() => new EncryptedEvaluationJob(stack, 'Eval', { datasetPrefix: '/a', outputPrefix: '/b', evaluatorModels: ['x'] }))
      .toThrow(/EncryptedEvaluationJob 'Eval' at 'TestStack': datasetPrefix .*; outputPrefix .*; evaluatorModels\[0\]/);
  });

  test('accepts every model form and passes tokens through', () => {
    const stack = testStack();
    const model = new CfnParameter(stack, 'Model').valueAsString;
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    const job = new EncryptedEvaluationJob(stack, 'Eval', {
      datasetPrefix: prefix,
      evaluatorModels: [
        model,
        HAIKU,
        `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`,
        `us.${HAIKU}`,
        `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:inference-profile/us.${HAIKU}`,
        `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:provisioned-model/abc123`,
        `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/abcdefgh`,
      ],
    });
    const statements: any[] = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId((job.role as iam.Role).node.findChild('DefaultPolicy').node.defaultChild as any)].Properties.PolicyDocument.Statement;
    const direct = statements.find((s) => Array.isArray(s.Resource) && s.Resource.some((r: any) => r.Ref === 'Model') && s.Action[0] === 'bedrock:InvokeModel');
    expect(direct.Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    // CreateModelInvocationJob: the jobs, and the judges' foundation and custom models (a profile's model in any region;
    // a provisioned model is not a type the action accepts), tokens as given
    const jobs = statements.find((s) => s.Action === 'bedrock:CreateModelInvocationJob');
    const inAwsPartition = (r: any) => (r['Fn::Join'] ? r['Fn::Join'][1].map((part: any) => (part.Ref === 'AWS::Partition' ? 'aws' : part)).join('') : r);
    expect(jobs.Resource.map(inAwsPartition)).toEqual([
      `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:model-invocation-job/*`,
      { Ref: 'Model' },
      `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`,
      `arn:aws:bedrock:${TEST_REGION}::foundation-model/${HAIKU}`,
      `arn:aws:bedrock:*::foundation-model/${HAIKU}`,
      `arn:aws:bedrock:*::foundation-model/${HAIKU}`,
      `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/abcdefgh`,
    ]);
    expect(direct.Resource).toEqual([
      { Ref: 'Model' },
      `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:provisioned-model/abc123`,
      `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/abcdefgh`,
    ]);
    expect(JSON.stringify(statements)).toContain('inference-profile/us.');
    expect(JSON.stringify(statements)).toContain('{"Ref":"Prefix"}');
  });
});

test('a stack in an app synthesizes', () => {
  const app = new App();
  const stack = testStack('S', app);
  new EncryptedEvaluationJob(stack, 'Eval');
  expect(() => app.synth()).not.toThrow();
});
