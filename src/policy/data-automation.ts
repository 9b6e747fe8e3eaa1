import * as iam from 'aws-cdk-lib/aws-iam';
import { allOf, GRANT_IS_FOR_AWS_RESOURCE, keyStatements, viaService } from './conditions';
import { PolicyScope } from './scope';

/** What Bedrock Data Automation does with the key on the caller's behalf. */
const DATA_AUTOMATION_ACTIONS = ['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'];

/** The operations a grant Bedrock Data Automation creates may allow. */
const DATA_AUTOMATION_GRANT_OPERATIONS = ['CreateGrant', 'GenerateDataKey', 'Decrypt', 'DescribeKey'];

/**
 * Statements for Bedrock Data Automation projects, blueprints and libraries encrypted with a
 * customer managed key. Data Automation uses the key with the credentials of the principal that
 * creates a project, blueprint or library or invokes data automation, through grants it creates
 * on the key. The page's key-policy statements carry no encryption context: the caller's own
 * `kmsEncryptionContext` pairs are not documented to accompany every call Data Automation makes
 * (`DescribeKey` and `CreateGrant` carry none), so the statements are not scoped by them.
 */
export class DataAutomationEncryptionStatements {
  /**
   * Key-policy statements for a role that creates or invokes Data Automation resources: use of
   * the key, and grants limited to the operations Data Automation needs, only through Bedrock.
   */
  // Source: Bedrock User Guide, "Encryption of Amazon Bedrock Data Automation" (encryption-bda.html), key policy statements "Enable DescribeKey, Decrypt, GenerateDataKey" and "Enable CreateGrant".
  public static roleKeyUse(scope: PolicyScope, role: iam.IPrincipal): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [role],
        actions: DATA_AUTOMATION_ACTIONS,
        resources: ['*'],
        conditions: viaService(scope, 'bedrock'),
      }),
      new iam.PolicyStatement({
        principals: [role],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: allOf(viaService(scope, 'bedrock'), {
          'ForAllValues:StringEquals': { 'kms:GrantOperations': DATA_AUTOMATION_GRANT_OPERATIONS },
        }, GRANT_IS_FOR_AWS_RESOURCE),
      }),
    ];
  }

  /** Identity statement for the same role: use of the key and grants, only through Bedrock. */
  // Source: encryption-bda.html, "IAM role permissions".
  public static roleIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return keyStatements({
      actions: [...DATA_AUTOMATION_ACTIONS, 'kms:CreateGrant'],
      resources: [keyArn],
      conditions: viaService(scope, 'bedrock'),
    });
  }

  private constructor() {}
}
