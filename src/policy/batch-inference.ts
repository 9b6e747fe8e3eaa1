import * as iam from 'aws-cdk-lib/aws-iam';
import { ENCRYPT_DECRYPT_ACTIONS, viaService } from './conditions';
import { PolicyScope } from './scope';

/**
 * Statements for batch inference jobs (`CreateModelInvocationJob`) that read their input from and
 * write their output to Amazon S3 under a customer managed key
 * (`outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/batch-iam-sr.html
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ModelInvocationJobS3OutputDataConfig.html
 */
export class BatchInferenceEncryptionStatements {
  /**
   * Key-policy statement for the job's service role: data keys and decryption only in requests
   * Amazon S3 makes for it, which is how the job reads SSE-KMS input and writes output encrypted
   * with `s3EncryptionKeyId`.
   */
  // Source: Amazon Bedrock User Guide, "Create a custom service role for batch inference",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/batch-iam-sr.html, "(Optional) Permissions to use a customer
  // managed key", statement "BatchInferenceCustomerManagedKey" (kms:Decrypt for SSE-KMS input, kms:GenerateDataKey for
  // s3EncryptionKeyId output, kms:ViaService s3.<region>), here in the key policy naming the role.
  public static roleKeyUse(scope: PolicyScope, role: iam.IPrincipal): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [role],
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: ['*'],
        conditions: viaService(scope, 's3'),
      }),
    ];
  }

  /** The same permissions as an identity statement on the key, for the role's own policy. */
  // Source: the same page as roleKeyUse, "BatchInferenceCustomerManagedKey", the identity statement on the key ARN.
  public static roleIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: [keyArn],
        conditions: viaService(scope, 's3'),
      }),
    ];
  }

  private constructor() {}
}
