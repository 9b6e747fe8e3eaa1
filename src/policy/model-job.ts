import * as iam from 'aws-cdk-lib/aws-iam';
import { keyStatements, viaService } from './conditions';
import { PolicyScope } from './scope';

/** What a model customization or import job's role may do with the key, all through Bedrock. */
const MODEL_JOB_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'];

/**
 * Statements for model customization (fine-tuning) jobs and custom model import jobs whose
 * output model is encrypted with a customer managed key. Bedrock creates a grant on the key
 * for the model, and retires it when the model is deleted.
 */
export class ModelJobEncryptionStatements {
  /** Key-policy statement for the job's service role: key use only through Bedrock. */
  // Source: Amazon Bedrock User Guide, "Encryption of custom models", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-custom-job.html, "PermissionsEncryptDecryptModel", and
  // Amazon Bedrock User Guide, "Using customer managed key (CMK)" (imported models), https://docs.aws.amazon.com/bedrock/latest/userguide/import-model-using-cmk.html; CreateGrant apart with kms:GrantIsForAWSResource (added).
  public static roleKeyUse(scope: PolicyScope, role: iam.IPrincipal): iam.PolicyStatement[] {
    return keyStatements({
      principals: [role],
      actions: MODEL_JOB_ACTIONS,
      resources: ['*'],
      conditions: ModelJobEncryptionStatements.throughBedrock(scope),
    });
  }

  /** The same permissions as an identity statement on the key, for the role's own policy. */
  // Source: the same statements as roleKeyUse, as identity statements on the key ARN.
  public static roleIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return keyStatements({
      actions: MODEL_JOB_ACTIONS,
      resources: [keyArn],
      conditions: ModelJobEncryptionStatements.throughBedrock(scope),
    });
  }

  /**
   * Identity statement for a principal that runs inference on a model encrypted with the key:
   * decrypt only through Bedrock.
   */
  // Source: Bedrock User Guide, "Encryption of custom models" (encryption-custom-job.html), statement "PermissionsDecryptModel".
  public static modelUserIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [keyArn],
        conditions: ModelJobEncryptionStatements.throughBedrock(scope),
      }),
    ];
  }

  private static throughBedrock(scope: PolicyScope): iam.Conditions {
    return viaService(scope, 'bedrock');
  }

  private constructor() {}
}
