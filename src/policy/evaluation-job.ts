import * as iam from 'aws-cdk-lib/aws-iam';
import { BEDROCK_SERVICE_PRINCIPAL, viaService } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

/** Statements for model evaluation jobs that use a customer managed key. */
export class EvaluationJobEncryptionStatements {
  /**
   * Identity statements for the evaluation job's service role and for the principal that
   * creates the job: decrypt and generate data keys only through Amazon S3, and describe the key.
   */
  // Source: seed 001 (Bedrock User Guide, "Data encryption for model evaluation jobs"), IAM policy "CustomKMSKeyProvidedToBedrock" + "CustomKMSDescribeKeyProvidedToBedrock".
  public static throughS3Identity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
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
   * Key-policy statement for `bedrock.amazonaws.com`: only for evaluation jobs of this account
   * and region, both in the encryption context and as the request's source.
   */
  // Source: seed 001, "AWS KMS key policy requirements" statement for bedrock.amazonaws.com.
  public static bedrockServiceKeyUse(scope: PolicyScope): iam.PolicyStatement[] {
    const jobs = BedrockResourceType.EVALUATION_JOB.arnPattern(scope);
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          StringLike: {
            'kms:EncryptionContext:evaluationJobArn': jobs,
            'aws:SourceArn': jobs,
          },
        },
      }),
    ];
  }

  private constructor() {}
}
