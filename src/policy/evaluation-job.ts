import * as iam from 'aws-cdk-lib/aws-iam';
import { BEDROCK_SERVICE_PRINCIPAL, viaService } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

/**
 * Statements for model evaluation jobs that use a customer managed key.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-evaluation-security-kms.html
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-evaluation-security-data.html
 */
export class EvaluationJobEncryptionStatements {
  /**
   * Identity statements for the evaluation job's service role: decrypt and generate data keys
   * only through Amazon S3 (Bedrock keeps a temporary copy of the data in an S3 location it
   * owns), and describe the key.
   */
  // Source: Amazon Bedrock User Guide, "AWS Key Management Service support in model evaluation jobs",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/model-evaluation-security-data.html, statements
  // "CustomKMSKeyProvidedToBedrock" and "CustomKMSDescribeKeyProvidedToBedrock"; kms:ViaService S3 as the page's
  // list of required policy elements asks ("You must specify Amazon S3 as a service").
  public static serviceRoleIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [keyArn],
        conditions: viaService(scope, 's3'),
      }),
      new iam.PolicyStatement({
        actions: ['kms:DescribeKey'],
        resources: [keyArn],
      }),
    ];
  }

  /**
   * Identity statement for the principal that calls `CreateEvaluationJob`: describe the key,
   * decrypt and generate data keys, only in requests Amazon Bedrock or Amazon S3 make for it.
   */
  // Source: same page, "Setting up KMS permissions for roles calling CreateEvaluationJob API"
  // (DescribeKey, GenerateDataKey, Decrypt; no condition). kms:ViaService bedrock or s3 is added by the library:
  // Bedrock makes these calls with the caller's credentials while it creates the job.
  public static creatorIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [keyArn],
        conditions: viaService(scope, 'bedrock', 's3'),
      }),
    ];
  }

  /**
   * Key-policy statements for `bedrock.amazonaws.com`, only for evaluation jobs of this account
   * and region: data keys under the job's encryption context and as the request's source; and
   * `DescribeKey`, which carries no encryption context, as the request's source only.
   */
  // Source: Amazon Bedrock User Guide, "Required Key policy elements to encrypt your model evaluation job using AWS KMS",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/model-evaluation-security-kms.html, complete example,
  // statements "BedrockDataKeyAndDecrypt" and "BedrockDescribeKey".
  public static bedrockServiceKeyUse(scope: PolicyScope): iam.PolicyStatement[] {
    const jobs = BedrockResourceType.EVALUATION_JOB.arnPattern(scope);
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringLike: { 'kms:EncryptionContext:evaluationJobArn': jobs },
          ArnLike: { 'aws:SourceArn': jobs },
        },
      }),
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { ArnLike: { 'aws:SourceArn': jobs } },
      }),
    ];
  }

  private constructor() {}
}
