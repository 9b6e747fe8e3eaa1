import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptedInvocationLogging } from '../../src/jobs';
import { BedrockEncryptionError } from '../../src/private/validation';
import { expectNoCycles } from '../util/assembly-graph';
import { evaluatePolicies, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const LOGS = `logs.${TEST_REGION}.amazonaws.com`;
const NAME = '/bedrock/model-invocations/prod';
const LOG_GROUP_ARN = `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:${NAME}`;
const ANY_BEDROCK = `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:*`;
const FROM_BEDROCK = { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT }, ArnLike: { 'aws:SourceArn': ANY_BEDROCK } };
const S3_VIA = `s3.${TEST_REGION}.amazonaws.com`;
/** What Bedrock sends when it writes logs for a model invocation of this account. */
const BEDROCK_SOURCE = { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:foundation-model/x` };

type Props = ConstructorParameters<typeof EncryptedInvocationLogging>[2];

function setup(props: Props = { logGroupName: NAME }, before: (stack: Stack, l: EncryptedInvocationLogging) => void = () => {}) {
  const stack = testStack();
  const logging = new EncryptedInvocationLogging(stack, 'Logging', props);
  before(stack, logging);
  const p = SynthesizedPolicies.of(stack);
  return { stack, logging, p, roleArn: p.arn(logging.role as iam.Role) };
}

describe('EncryptedInvocationLogging: key policy', () => {
  test('CloudWatch Logs for this log group only (ArnEquals on the encryption context), Bedrock data keys for this account only', () => {
    const { p } = setup();
    const statements = p.keyPolicyStatements();
    expect(statements).toHaveLength(3);
    expect(statements.slice(1)).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: LOGS },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': LOG_GROUP_ARN } },
      },
      { Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: FROM_BEDROCK },
    ]);
  });

  test.each(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom'])('CloudWatch Logs may %s for the log group, not for a look-alike', (action) => {
    const { p } = setup();
    const decide = (principal: string, arn?: string) => p.evaluate({ principal, action, context: arn ? { 'kms:EncryptionContext:aws:logs:arn': arn } : {} });
    expect(decide(LOGS, LOG_GROUP_ARN)).toBe('Allowed');
    expect(decide(LOGS, `${LOG_GROUP_ARN}-other`)).toBe('ImplicitlyDenied');
    expect(decide(LOGS, `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/aws/lambda/app`)).toBe('ImplicitlyDenied');
    expect(decide(LOGS, `arn:aws:logs:${TEST_REGION}:${OTHER_ACCOUNT}:log-group:${NAME}`)).toBe('ImplicitlyDenied');
    expect(decide(LOGS, `arn:aws:logs:eu-west-1:${TEST_ACCOUNT}:log-group:${NAME}`)).toBe('ImplicitlyDenied');
    expect(decide(LOGS)).toBe('ImplicitlyDenied');
    expect(decide('logs.eu-west-1.amazonaws.com', LOG_GROUP_ARN)).toBe('ImplicitlyDenied');
    expect(decide('delivery.logs.amazonaws.com', LOG_GROUP_ARN)).toBe('ImplicitlyDenied');
  });

  test('Bedrock may generate data keys for log objects of this account, and nothing else', () => {
    const { p } = setup();
    const decide = (action: string, context: Record<string, string>) => p.evaluate({ principal: 'bedrock.amazonaws.com', action, context });
    expect(decide('kms:GenerateDataKey', BEDROCK_SOURCE)).toBe('Allowed');
    expect(decide('kms:GenerateDataKey', { ...BEDROCK_SOURCE, 'aws:SourceAccount': OTHER_ACCOUNT })).toBe('ImplicitlyDenied');
    expect(decide('kms:GenerateDataKey', { ...BEDROCK_SOURCE, 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${OTHER_ACCOUNT}:foundation-model/x` })).toBe('ImplicitlyDenied');
    expect(decide('kms:GenerateDataKey', { ...BEDROCK_SOURCE, 'aws:SourceArn': `arn:aws:bedrock:eu-west-1:${TEST_ACCOUNT}:foundation-model/x` })).toBe('ImplicitlyDenied');
    expect(decide('kms:GenerateDataKey', {})).toBe('ImplicitlyDenied');
    expect(decide('kms:Decrypt', BEDROCK_SOURCE)).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: 's3.amazonaws.com', action: 'kms:GenerateDataKey', context: BEDROCK_SOURCE })).toBe('ImplicitlyDenied');
  });

  test('the key policy names the log group by a built ARN, never by a reference: no cycle', () => {
    const { stack, p, logging } = setup();
    const template = Template.fromStack(stack).toJSON();
    const logGroupId = p.logicalId(logging.logGroup);
    const keyId = p.logicalId(logging.encryptionKey as kms.Key);
    expect(JSON.stringify(template.Resources[keyId])).not.toContain(logGroupId);
    expect(template.Resources[logGroupId].Properties).toEqual({ LogGroupName: NAME, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 731 });
    expect(template.Resources[logGroupId].DeletionPolicy).toBe('Retain');
    expect(expectNoCycles(stack)).toBeGreaterThan(5);
  });

  test('the default log group name is deterministic, and the key policy names the same one', () => {
    const { stack, p, logging } = setup({});
    expect(logging.logGroupName).toMatch(/^\/bedrock\/model-invocations\/TestStack-Logging-[0-9A-F]{8}$/);
    expect(setup({}).logging.logGroupName).toBe(logging.logGroupName);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: logging.logGroupName });
    expect(p.keyPolicyStatements()[1].Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn'])
      .toBe(`arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:${logging.logGroupName}`);
    expect(stack.resolve(logging.logGroupArn)).toEqual(stack.resolve(`arn:${stack.partition}:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:${logging.logGroupName}`));
  });
});

describe('EncryptedInvocationLogging: bucket and role', () => {
  test('bucket policy: Bedrock may put objects under <prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/ for this account only', () => {
    const { p, logging } = setup();
    const bucketArn = p.arn(logging.bucket as s3.Bucket);
    const [policyId] = p.idsOfType('AWS::S3::BucketPolicy');
    const policy = p.resolve(p.template.Resources[policyId].Properties.PolicyDocument);
    expect(policy.Statement[1]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/invocation-logs/AWSLogs/${TEST_ACCOUNT}/BedrockModelInvocationLogs/*`,
      Condition: FROM_BEDROCK,
    });
    const decide = (resource: string, context: Record<string, string>, principal = 'bedrock.amazonaws.com') => evaluatePolicies({
      principal, action: 's3:PutObject', resource, resourceAccount: TEST_ACCOUNT, resourcePolicy: policy, context: { 'aws:SecureTransport': 'true', ...context },
    });
    const logObject = `${bucketArn}/invocation-logs/AWSLogs/${TEST_ACCOUNT}/BedrockModelInvocationLogs/us-east-1/2025/01/01/00/log.json.gz`;
    expect(decide(logObject, BEDROCK_SOURCE)).toBe('Allowed');
    expect(decide(`${bucketArn}/other/AWSLogs/${TEST_ACCOUNT}/BedrockModelInvocationLogs/x`, BEDROCK_SOURCE)).toBe('ImplicitlyDenied');
    expect(decide(logObject, { ...BEDROCK_SOURCE, 'aws:SourceAccount': OTHER_ACCOUNT })).toBe('ImplicitlyDenied');
    expect(decide(logObject, BEDROCK_SOURCE, 'logs.amazonaws.com')).toBe('ImplicitlyDenied');
  });

  test('trust: bedrock.amazonaws.com with aws:SourceAccount and aws:SourceArn of any Bedrock resource of this account and region', () => {
    const { p, logging } = setup();
    expect(p.trustPolicy(logging.role as iam.Role).Statement).toEqual([{
      Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: FROM_BEDROCK,
    }]);
  });

  test('role: the invocation log stream of this log group; the key prefix of the bucket, key through S3', () => {
    const { p, logging, roleArn } = setup();
    const bucketArn = p.arn(logging.bucket as s3.Bucket);
    const keyArn = p.arn(logging.encryptionKey as kms.Key);
    expect(p.identityPolicies(logging.role as iam.Role).flatMap((d) => d.Statement)).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${LOG_GROUP_ARN}:log-stream:aws/bedrock/modelinvocations` },
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: `${bucketArn}/invocation-logs/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': S3_VIA } } },
    ]);
    const decide = (action: string, resource: string) => p.evaluateIdentity({ principal: roleArn, action, resource });
    expect(decide('logs:PutLogEvents', `${LOG_GROUP_ARN}:log-stream:aws/bedrock/modelinvocations`)).toBe('Allowed');
    expect(decide('logs:PutLogEvents', `${LOG_GROUP_ARN}:log-stream:other`)).toBe('ImplicitlyDenied');
    expect(decide('logs:PutLogEvents', `arn:aws:logs:${TEST_REGION}:${TEST_ACCOUNT}:log-group:/aws/lambda/app:log-stream:aws/bedrock/modelinvocations`)).toBe('ImplicitlyDenied');
    expect(decide('logs:DeleteLogGroup', LOG_GROUP_ARN)).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: roleArn, action: 'kms:Decrypt', context: { 'kms:ViaService': `logs.${TEST_REGION}.amazonaws.com` } })).toBe('ImplicitlyDenied');
  });

  test('a brought bucket on another key: that key gets the Bedrock statement; the job key only the CloudWatch Logs one', () => {
    const stack = testStack();
    const bucketKey = new kms.Key(stack, 'BucketKey', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Logs', { encryptionKey: bucketKey });
    const logging = new EncryptedInvocationLogging(stack, 'Logging', { bucket, logGroupName: NAME });
    const p = SynthesizedPolicies.of(stack);
    expect(p.keyPolicyStatements(bucketKey).slice(1)).toEqual([
      { Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: FROM_BEDROCK },
    ]);
    expect(p.keyPolicyStatements(logging.encryptionKey as kms.Key).slice(1).map((s: any) => s.Principal)).toEqual([{ Service: LOGS }]);
    expect(p.idsOfType('AWS::S3::Bucket')).toHaveLength(1);
  });

  test('an imported bucket: its policy statement is reported in ResourcePolicyToAdd with one warning', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'BucketKey', { enableKeyRotation: true });
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Logs', { bucketArn: 'arn:aws:s3:::central-logs', encryptionKey: key });
    new EncryptedInvocationLogging(stack, 'Logging', { bucket, logGroupName: NAME });
    const outputs = Object.entries(Template.fromStack(stack).findOutputs('*')).filter(([id]) => id.includes('ResourcePolicyToAdd'));
    expect(outputs).toHaveLength(1);
    expect(JSON.stringify(stack.resolve(outputs[0][1].Value))).toContain('BedrockModelInvocationLogs');
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('central-logs.*cannot be changed by this app'));
  });
});

describe('EncryptedInvocationLogging: the request and its callers', () => {
  test('putLoggingConfigurationParameters returns the PutModelInvocationLoggingConfiguration request', () => {
    const { logging } = setup();
    const s3Config = { bucketName: logging.bucketName, keyPrefix: 'invocation-logs' };
    expect(logging.putLoggingConfigurationParameters()).toEqual({
      loggingConfig: {
        cloudWatchConfig: { logGroupName: NAME, roleArn: logging.roleArn, largeDataDeliveryS3Config: s3Config },
        s3Config,
      },
    });
    const cloudWatchOnly = logging.putLoggingConfigurationParameters({
      s3: false, largeDataDelivery: false, textDataDeliveryEnabled: true, imageDataDeliveryEnabled: false,
    });
    expect(cloudWatchOnly).toEqual({
      loggingConfig: {
        cloudWatchConfig: { logGroupName: NAME, roleArn: logging.roleArn },
        textDataDeliveryEnabled: true,
        imageDataDeliveryEnabled: false,
      },
    });
    expect(logging.putLoggingConfigurationParameters({ cloudWatch: false })).toEqual({ loggingConfig: { s3Config } });
  });

  test('putLoggingConfigurationParameters rejects no destination, and large data delivery without CloudWatch Logs', () => {
    const { logging } = setup();
    expect(() => logging.putLoggingConfigurationParameters({ cloudWatch: false, s3: false }))
      .toThrow(/putLoggingConfigurationParameters at 'TestStack\/Logging': cloudWatch or s3 must be true for at least one destination; got both false/);
    expect(() => logging.putLoggingConfigurationParameters({ cloudWatch: false, largeDataDelivery: true })).toThrow(/largeDataDelivery must be false or unset when cloudWatch is false/);
  });

  test('grantPutLoggingConfiguration: the action and PassRole to Bedrock only', () => {
    let user!: iam.User;
    const { p, roleArn } = setup(undefined, (stack, logging) => {
      user = new iam.User(stack, 'Admin');
      logging.grantPutLoggingConfiguration(user);
    });
    expect(p.identityPolicies(user).flatMap((d) => d.Statement)).toEqual([
      { Effect: 'Allow', Action: 'bedrock:PutModelInvocationLoggingConfiguration', Resource: '*' },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn, Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } } },
    ]);
  });

  test('outputs: true emits the request values as stack outputs; none otherwise', () => {
    expect(Template.fromStack(setup().stack).toJSON().Outputs).toBeUndefined();
    const { stack, logging } = setup({ outputs: true });
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    expect(Object.keys(outputs)).toHaveLength(4);
    const find = (prefix: string) => (Object.entries(outputs).find(([id]) => id.startsWith(prefix))![1] as any).Value;
    expect(find('LoggingLogGroupName')).toEqual(stack.resolve(logging.logGroupName));
    expect(find('LoggingRoleArn')).toEqual(stack.resolve(logging.roleArn));
    expect(find('LoggingBucketName')).toEqual(stack.resolve(logging.bucketName));
    expect(find('LoggingKeyPrefix')).toBe('invocation-logs');
  });

  test.each([
    ['logGroupName', () => ({ logGroupName: 'bedrock logs' }), /logGroupName must be 1 to 512 letters, digits.*got "bedrock logs"/],
    ['keyPrefix', () => ({ keyPrefix: 'logs/' }), /keyPrefix must be a key relative to the bucket root such as 'bedrock\/invocation-logs' \(no leading or trailing '\/'.*got "logs\/"/],
    ['keyPrefix', () => ({ keyPrefix: 's3://b/logs' }), /keyPrefix must be a key relative to the bucket root.*got "s3:\/\/b\/logs"/],
    ['bucket', () => ({ bucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'log-bucket') }), /bucket must be a bucket encrypted with a KMS key this app knows/],
  ])('rejects a bad %s and creates nothing', (_, props, message) => {
    const stack = testStack();
    expect(() => new EncryptedInvocationLogging(stack, 'Logging', props())).toThrow(message);
    expect(() => new EncryptedInvocationLogging(stack, 'Logging', props())).toThrow(BedrockEncryptionError);
    expect(() => new EncryptedInvocationLogging(stack, 'Logging', props())).toThrow(/^\[BedrockEncryptionError\] EncryptedInvocationLogging 'Logging' at 'TestStack': /);
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });
});
