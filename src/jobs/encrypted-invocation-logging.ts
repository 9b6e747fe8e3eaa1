import { Names, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bucketStatements, BucketAccess, newJobBucket, validateBroughtBucket } from './job-buckets';
import { addJobOutputs } from './job-outputs';
import { compact } from './job-requests';
import { IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { InvocationLoggingEncryptionStatements } from '../policy/invocation-logging';
import { relativeS3Key } from '../policy/patterns';
import { PolicyScopes } from '../policy/scope';
import { BedrockServiceTrust } from '../policy/trust';
import { passRoleToBedrock } from '../private/pass-role';
import { PropsValidator } from '../private/validation';
import { writeIdentityPolicy, writeKeyPolicy, writeResourcePolicy } from '../wiring/policy-writer';

/** CloudWatch Logs' pattern for log group names. */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const LOG_GROUP_NAME_FORM = "1 to 512 letters, digits, '.', '-', '_', '/' or '#' (CloudWatch Logs log group name)";

/** The logs' key prefix: Bedrock appends '/' itself. */
const LOG_KEY_PREFIX = relativeS3Key({ minLength: 1, maxLength: 1000, noTrailingSlash: true, example: 'bedrock/invocation-logs' });

/** Properties of an {@link EncryptedInvocationLogging}. */
export interface EncryptedInvocationLoggingProps {
  /**
   * The key the log group and the log bucket are encrypted with. Its policy gets the statement for
   * CloudWatch Logs (this log group only) and for Bedrock's S3 delivery, or the `KeyPolicyToAdd`
   * stack output when the policy cannot be changed by this app.
   *
   * @default - a new BedrockKey
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The role Bedrock assumes to write to CloudWatch Logs.
   *
   * @default - a new role trusted by bedrock.amazonaws.com for this account and region
   */
  readonly role?: iam.IRole;

  /**
   * The name of the log group this construct creates. The key policy names the log group by the
   * ARN built from this name.
   *
   * @default - '/bedrock/model-invocations/' followed by a name unique to this construct's path
   */
  readonly logGroupName?: string;

  /**
   * How long CloudWatch Logs keeps the invocation logs.
   *
   * @default logs.RetentionDays.TWO_YEARS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The bucket Bedrock writes logs (and, for CloudWatch Logs, large request and response bodies)
   * to. Its KMS key must be known to this app.
   *
   * @default - a new bucket: SSE-KMS with the key, public access blocked, TLS enforced
   */
  readonly bucket?: s3.IBucket;

  /**
   * The key prefix of the logs in the bucket (`keyPrefix`), without a leading or trailing '/'.
   * Bedrock writes under `<keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/`.
   *
   * @default 'invocation-logs'
   */
  readonly keyPrefix?: string;

  /**
   * What happens to the log group and the bucket this construct creates when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Adds the values the API request needs (log group, role, bucket, prefix) as stack outputs. The
   * same values are always on the construct's attributes and in
   * {@link EncryptedInvocationLogging.putLoggingConfigurationParameters}.
   *
   * @default false
   */
  readonly outputs?: boolean;
}

/** What the caller chooses when it turns on model invocation logging. */
export interface InvocationLoggingParameterOptions {
  /**
   * Deliver logs to the CloudWatch Logs log group.
   *
   * @default true
   */
  readonly cloudWatch?: boolean;

  /**
   * With CloudWatch Logs, deliver request and response bodies larger than CloudWatch Logs takes to
   * the bucket (`largeDataDeliveryS3Config`).
   *
   * @default true
   */
  readonly largeDataDelivery?: boolean;

  /**
   * Deliver logs to the bucket (`s3Config`).
   *
   * @default true
   */
  readonly s3?: boolean;

  /** Log text data. @default - the API's default */
  readonly textDataDeliveryEnabled?: boolean;
  /** Log image data. @default - the API's default */
  readonly imageDataDeliveryEnabled?: boolean;
  /** Log embedding data. @default - the API's default */
  readonly embeddingDataDeliveryEnabled?: boolean;
  /** Log video data. @default - the API's default */
  readonly videoDataDeliveryEnabled?: boolean;
  /** Log audio data. @default - the API's default */
  readonly audioDataDeliveryEnabled?: boolean;
}

/** An S3 destination of model invocation logs (`S3Config` in the AWS SDK). */
export interface InvocationLoggingS3Config {
  /** The bucket name. */
  readonly bucketName: string;
  /** The key prefix. @default - none */
  readonly keyPrefix?: string;
}

/** The CloudWatch Logs destination of model invocation logs (`CloudWatchConfig` in the AWS SDK). */
export interface InvocationLoggingCloudWatchConfig {
  /** The log group name. */
  readonly logGroupName: string;
  /** ARN of the role Bedrock assumes to write to the log group. */
  readonly roleArn: string;
  /** Where bodies too large for CloudWatch Logs go. @default - none */
  readonly largeDataDeliveryS3Config?: InvocationLoggingS3Config;
}

/** Model invocation logging settings (`LoggingConfig` in the AWS SDK). */
export interface InvocationLoggingConfig {
  /** The CloudWatch Logs destination. @default - none */
  readonly cloudWatchConfig?: InvocationLoggingCloudWatchConfig;
  /** The S3 destination. @default - none */
  readonly s3Config?: InvocationLoggingS3Config;
  /** Log text data. @default - the API's default */
  readonly textDataDeliveryEnabled?: boolean;
  /** Log image data. @default - the API's default */
  readonly imageDataDeliveryEnabled?: boolean;
  /** Log embedding data. @default - the API's default */
  readonly embeddingDataDeliveryEnabled?: boolean;
  /** Log video data. @default - the API's default */
  readonly videoDataDeliveryEnabled?: boolean;
  /** Log audio data. @default - the API's default */
  readonly audioDataDeliveryEnabled?: boolean;
}

/**
 * The request for `PutModelInvocationLoggingConfiguration`, with the AWS SDK's field names
 * (`PutModelInvocationLoggingConfigurationRequest`). Values may be tokens that resolve at deploy time.
 */
export interface InvocationLoggingParameters {
  /** The logging settings. */
  readonly loggingConfig: InvocationLoggingConfig;
}

/**
 * Destinations for Amazon Bedrock model invocation logging, encrypted with a customer managed
 * key: a CloudWatch Logs log group and an S3 bucket, the role Bedrock uses to write to the log
 * group, the bucket policy and the key-policy statements. CloudFormation has no resource for the
 * account's logging configuration: turn it on with the parameters from
 * `putLoggingConfigurationParameters`.
 *
 * Key policy: `logs.<region>.<url suffix>` may use the key only with
 * `kms:EncryptionContext:aws:logs:arn` = this log group's ARN (CloudWatch Logs User Guide, "Encrypt
 * log data in CloudWatch Logs using AWS Key Management Service"); `bedrock.amazonaws.com` may
 * generate data keys for the bucket only on behalf of this account and region (Bedrock User Guide,
 * "Monitor model invocation using CloudWatch Logs and Amazon S3"). Role: creates the invocation
 * log stream and puts events in this log group, and writes under the key prefix of the bucket
 * (key use only through `s3.<region>`) for large data delivery.
 */
export class EncryptedInvocationLogging extends Construct {
  /** The key the log group and the bucket are encrypted with. */
  public readonly encryptionKey: kms.IKey;
  /** The key with the statements added for logging. */
  public readonly bedrockKey: IBedrockKey;
  /** The role Bedrock assumes to write to CloudWatch Logs. */
  public readonly role: iam.IRole;
  /** The encrypted log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The log group name, for `cloudWatchConfig.logGroupName`. */
  public readonly logGroupName: string;
  /** `arn:<partition>:logs:<region>:<account>:log-group:<name>`, the log group's encryption context. */
  public readonly logGroupArn: string;
  /** The log bucket. */
  public readonly bucket: s3.IBucket;
  /** The bucket name, for `s3Config.bucketName`. */
  public readonly bucketName: string;
  /** The key prefix, for `s3Config.keyPrefix`. */
  public readonly keyPrefix: string;
  /** The role ARN, for `cloudWatchConfig.roleArn`. */
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: EncryptedInvocationLoggingProps = {}) {
    const v = new PropsValidator(scope, `EncryptedInvocationLogging '${id}'`);
    v.kmsKey('encryptionKey', props.encryptionKey);
    validateBroughtBucket(v, 'bucket', props.bucket);
    v.pattern('logGroupName', props.logGroupName, LOG_GROUP_NAME, LOG_GROUP_NAME_FORM);
    v.pattern('keyPrefix', props.keyPrefix, LOG_KEY_PREFIX.pattern, LOG_KEY_PREFIX.form);
    v.throwIfInvalid();

    super(scope, id);
    const policyScope = PolicyScopes.of(this);
    const subject = `the model invocation logging of '${this.node.path}'`;
    this.keyPrefix = props.keyPrefix ?? 'invocation-logs';
    this.logGroupName = props.logGroupName
      ?? `/bedrock/model-invocations/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    this.logGroupArn = PolicyScopes.arn(policyScope, 'logs', `log-group:${this.logGroupName}`);

    this.bedrockKey = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = this.bedrockKey.key;
    // The key policy names the log group by the ARN built from its name: the log group references the key.
    this.bedrockKey.addStatements(...InvocationLoggingEncryptionStatements.cloudWatchLogsKeyUse(policyScope, this.logGroupName));
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: this.logGroupName,
      encryptionKey: this.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.TWO_YEARS,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.bucket = props.bucket ?? newJobBucket(this, 'LogBucket', this.encryptionKey, props.removalPolicy);
    this.bucketName = this.bucket.bucketName;
    const bucketKey = this.bucket.encryptionKey!;
    const deliveryKeyUse = InvocationLoggingEncryptionStatements.bedrockS3DeliveryKeyUse(policyScope);
    if (bucketKey === this.encryptionKey) {
      this.bedrockKey.addStatements(...deliveryKeyUse);
    } else {
      writeKeyPolicy(bucketKey, deliveryKeyUse, { scope: this, subject });
    }
    writeResourcePolicy(this.bucket, this.bucket.bucketArn,
      InvocationLoggingEncryptionStatements.s3DeliveryBucketPolicy(policyScope, this.bucket.bucketArn, this.keyPrefix), { scope: this, subject });

    this.role = props.role ?? new iam.Role(this, 'Role', {
      assumedBy: BedrockServiceTrust.accountPrincipal(policyScope),
      description: 'Role Amazon Bedrock assumes to deliver model invocation logs to CloudWatch Logs',
    });
    this.roleArn = this.role.roleArn;
    writeIdentityPolicy(this.role, [
      ...InvocationLoggingEncryptionStatements.roleIdentity(policyScope, this.logGroupName),
      ...bucketStatements(policyScope, [{ bucket: this.bucket, prefix: `${this.keyPrefix}/`, access: BucketAccess.WRITE }]),
    ], { scope: this, subject });

    addJobOutputs(this, props.outputs, [
      { id: 'LogGroupName', value: this.logGroupName, description: 'PutModelInvocationLoggingConfiguration loggingConfig.cloudWatchConfig.logGroupName' },
      { id: 'RoleArn', value: this.roleArn, description: 'PutModelInvocationLoggingConfiguration loggingConfig.cloudWatchConfig.roleArn' },
      { id: 'BucketName', value: this.bucketName, description: 'PutModelInvocationLoggingConfiguration loggingConfig.s3Config.bucketName' },
      { id: 'KeyPrefix', value: this.keyPrefix, description: 'PutModelInvocationLoggingConfiguration loggingConfig.s3Config.keyPrefix' },
    ]);
  }

  /**
   * Lets `grantee` turn on model invocation logging with this setup:
   * `bedrock:PutModelInvocationLoggingConfiguration` (an action without a resource type) and
   * `iam:PassRole` on the role (only to Bedrock).
   */
  public grantPutLoggingConfiguration(grantee: iam.IGrantable): iam.Grant {
    return writeIdentityPolicy(grantee, [
      new iam.PolicyStatement({ actions: ['bedrock:PutModelInvocationLoggingConfiguration'], resources: ['*'] }),
      passRoleToBedrock(this.role),
    ], { scope: this, subject: `callers of '${this.node.path}'` });
  }

  /**
   * The `PutModelInvocationLoggingConfiguration` request: this construct's log group, role, bucket
   * and key prefix, and the caller's choice of destinations and data, with the AWS SDK's field names.
   */
  public putLoggingConfigurationParameters(options: InvocationLoggingParameterOptions = {}): InvocationLoggingParameters {
    const cloudWatch = options.cloudWatch ?? true;
    const toS3 = options.s3 ?? true;
    new PropsValidator(this, 'putLoggingConfigurationParameters')
      .check(!cloudWatch && !toS3, 'cloudWatch or s3', 'both false', 'true for at least one destination')
      .check(!cloudWatch && options.largeDataDelivery === true, 'largeDataDelivery', 'true with cloudWatch false',
        'false or unset when cloudWatch is false: large data delivery is part of the CloudWatch Logs destination')
      .throwIfInvalid();
    const s3Config: InvocationLoggingS3Config = { bucketName: this.bucketName, keyPrefix: this.keyPrefix };
    return {
      loggingConfig: compact({
        cloudWatchConfig: cloudWatch ? compact({
          logGroupName: this.logGroupName,
          roleArn: this.roleArn,
          largeDataDeliveryS3Config: (options.largeDataDelivery ?? true) ? s3Config : undefined,
        }) : undefined,
        s3Config: toS3 ? s3Config : undefined,
        textDataDeliveryEnabled: options.textDataDeliveryEnabled,
        imageDataDeliveryEnabled: options.imageDataDeliveryEnabled,
        embeddingDataDeliveryEnabled: options.embeddingDataDeliveryEnabled,
        videoDataDeliveryEnabled: options.videoDataDeliveryEnabled,
        audioDataDeliveryEnabled: options.audioDataDeliveryEnabled,
      }),
    };
  }
}
