import * as iam from 'aws-cdk-lib/aws-iam';
import { keyStatements, viaService } from './conditions';
import { PolicyScope } from './scope';

/** What the principal that creates or uses an encrypted retrieval instruction lets Bedrock do with the key. */
const RETRIEVAL_INSTRUCTION_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'];

/**
 * Statements for Bedrock retrieval instructions (`AWS::Bedrock::RetrievalInstruction`,
 * `customerEncryptionKeyArn`) encrypted with a customer managed key.
 *
 * No AWS page documents the key use of a retrieval instruction (the CloudFormation reference
 * only names the property). These are the narrowest statements the library can defend: the
 * principal that creates or uses the resource, only through Amazon Bedrock in the stack's region,
 * with `kms:CreateGrant` only for a grant an AWS service creates for itself; no encryption
 * context, since none is documented.
 */
export class RetrievalInstructionEncryptionStatements {
  /** Key-policy statements for the principal that creates and uses retrieval instructions, only through Bedrock. */
  // Source: no AWS page documents this key use; AWS CloudFormation Template Reference, "AWS::Bedrock::RetrievalInstruction"
  // (aws-resource-bedrock-retrievalinstruction.html), CustomerEncryptionKeyArn. Shape as the guardrail creator's (guardrails-permissions-kms.html).
  public static creatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return keyStatements({
      principals: [creator],
      actions: RETRIEVAL_INSTRUCTION_ACTIONS,
      resources: ['*'],
      conditions: viaService(scope, 'bedrock'),
    });
  }

  /** The same permissions as an identity statement on the key. */
  // Source: as creatorKeyUse (undocumented).
  public static creatorIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return keyStatements({
      actions: RETRIEVAL_INSTRUCTION_ACTIONS,
      resources: [keyArn],
      conditions: viaService(scope, 'bedrock'),
    });
  }

  /**
   * Key-policy statements for a principal that only uses retrieval instructions: the same use
   * through Bedrock without `kms:CreateGrant`, which AWS pages give creators only.
   */
  // Source: as creatorKeyUse (undocumented); grant rights only to the creator, as on the guardrail page
  // (guardrails-permissions-kms.html), which separates the guardrail's creators from its users.
  public static userKeyUse(scope: PolicyScope, user: iam.IPrincipal): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [user],
        actions: RETRIEVAL_INSTRUCTION_ACTIONS.filter((a) => a !== 'kms:CreateGrant'),
        resources: ['*'],
        conditions: viaService(scope, 'bedrock'),
      }),
    ];
  }

  private constructor() {}
}
