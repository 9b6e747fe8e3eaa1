import * as iam from 'aws-cdk-lib/aws-iam';
import { allOf, ENCRYPT_DECRYPT_ACTIONS, stringMatch, viaService } from './conditions';
import { PolicyScope } from './scope';

/** The encryption context key Amazon Bedrock Flows sets when it encrypts a flow. */
const FLOW_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock-flows:arn';

/** Statements for flows encrypted with a customer managed key. */
export class FlowEncryptionStatements {
  /**
   * Identity statement for a principal that calls the Flows APIs, and for the flow's execution
   * role: use of the key only for this flow's encryption context and only through Bedrock.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of Amazon Bedrock Flows resources", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-flows.html,
  // identity policies "EncryptFlow" and "EncryptionFlows".
  public static flowsApiIdentity(scope: PolicyScope, keyArn: string, flowArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: [keyArn],
        conditions: FlowEncryptionStatements.conditions(scope, flowArn),
      }),
    ];
  }

  /**
   * Key-policy statement for a role that uses the key through Bedrock Flows. Pass one flow
   * ARN, or `BedrockResourceType.FLOW.arnPattern(scope)` when the key policy cannot name the flow.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of Amazon Bedrock Flows resources", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-flows.html, key policy statement "AllowRoleUseKMSKey".
  public static roleKeyUse(scope: PolicyScope, role: iam.IPrincipal, flowArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [role],
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: ['*'],
        conditions: FlowEncryptionStatements.conditions(scope, flowArn),
      }),
    ];
  }

  private static conditions(scope: PolicyScope, flowArn: string): iam.Conditions {
    return allOf(
      stringMatch(FLOW_CONTEXT_KEY, flowArn),
      viaService(scope, 'bedrock'),
    );
  }

  private constructor() {}
}
