import * as iam from 'aws-cdk-lib/aws-iam';
import { BEDROCK_SERVICE_PRINCIPAL } from './conditions';
import { PolicyScope, PolicyScopes } from './scope';

/** What CloudWatch Logs may do with the key of an encrypted log group, as its guide lists it. */
const CLOUDWATCH_LOGS_KEY_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'];

/** The log stream Bedrock writes model invocation logs to. */
const INVOCATION_LOG_STREAM = 'aws/bedrock/modelinvocations';

/**
 * Statements for Amazon Bedrock model invocation logging (`PutModelInvocationLoggingConfiguration`)
 * to a CloudWatch Logs log group and an Amazon S3 bucket, both encrypted with a customer managed key.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export class InvocationLoggingEncryptionStatements {
  /**
   * Key-policy statement for CloudWatch Logs (`logs.<region>.<url suffix>`): use of the key only
   * when the encryption context names this one log group
   * (`kms:EncryptionContext:aws:logs:arn` = `arn:<partition>:logs:<region>:<account>:log-group:<name>`).
   * The ARN is built from the name, so the key policy does not wait for the log group, which
   * itself references the key.
   */
  // Source: Amazon CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS Key Management Service",
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html, step "Set permissions on the
  // KMS key": the logs.<region> service principal, its five actions, ArnEquals on kms:EncryptionContext:aws:logs:arn.
  public static cloudWatchLogsKeyUse(scope: PolicyScope, logGroupName: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(PolicyScopes.viaService(scope, 'logs'))],
        actions: CLOUDWATCH_LOGS_KEY_ACTIONS,
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': InvocationLoggingEncryptionStatements.logGroupArn(scope, logGroupName) } },
      }),
    ];
  }

  /**
   * Key-policy statement for `bedrock.amazonaws.com` writing logs to an SSE-KMS bucket: data keys
   * only on behalf of this account and region (`aws:SourceAccount`, `aws:SourceArn`).
   */
  // Source: Amazon Bedrock User Guide, "Monitor model invocation using CloudWatch Logs and Amazon S3",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html, "Set up an Amazon S3
  // destination": the key-policy statement for a bucket with SSE-KMS (kms:GenerateDataKey, aws:SourceAccount, aws:SourceArn).
  public static bedrockS3DeliveryKeyUse(scope: PolicyScope): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: InvocationLoggingEncryptionStatements.fromThisAccount(scope),
      }),
    ];
  }

  /**
   * Bucket-policy statement that lets `bedrock.amazonaws.com` put log objects under
   * `<keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/`, only on behalf of this account
   * and region.
   *
   * @param bucketArn the bucket's ARN
   * @param keyPrefix the `keyPrefix` of the logging configuration, without a trailing '/'
   */
  // Source: Amazon Bedrock User Guide, "Monitor model invocation using CloudWatch Logs and Amazon S3",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html, "Set up an Amazon S3
  // destination", statement "AmazonBedrockLogsWrite".
  public static s3DeliveryBucketPolicy(scope: PolicyScope, bucketArn: string, keyPrefix: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: ['s3:PutObject'],
        resources: [`${bucketArn}/${keyPrefix}/AWSLogs/${scope.account}/BedrockModelInvocationLogs/*`],
        conditions: InvocationLoggingEncryptionStatements.fromThisAccount(scope),
      }),
    ];
  }

  /**
   * Identity statement for the role Bedrock assumes to deliver logs to CloudWatch Logs: create the
   * invocation log stream and put events in it, in this one log group.
   */
  // Source: Amazon Bedrock User Guide, "Monitor model invocation using CloudWatch Logs and Amazon S3",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html, "Set up a CloudWatch Logs
  // destination": logs:CreateLogStream and logs:PutLogEvents on log-group:<name>:log-stream:aws/bedrock/modelinvocations.
  public static roleIdentity(scope: PolicyScope, logGroupName: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${InvocationLoggingEncryptionStatements.logGroupArn(scope, logGroupName)}:log-stream:${INVOCATION_LOG_STREAM}`],
      }),
    ];
  }

  /** `arn:<partition>:logs:<region>:<account>:log-group:<name>`, the value CloudWatch Logs puts in the encryption context. */
  private static logGroupArn(scope: PolicyScope, logGroupName: string): string {
    return PolicyScopes.arn(scope, 'logs', `log-group:${logGroupName}`);
  }

  /** `aws:SourceAccount` = this account and `aws:SourceArn` like any Bedrock resource of this account and region. */
  private static fromThisAccount(scope: PolicyScope): iam.Conditions {
    return {
      StringEquals: { 'aws:SourceAccount': scope.account },
      ArnLike: { 'aws:SourceArn': PolicyScopes.arn(scope, 'bedrock', '*') },
    };
  }

  private constructor() {}
}
