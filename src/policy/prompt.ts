import * as iam from 'aws-cdk-lib/aws-iam';
import { BEDROCK_SERVICE_PRINCIPAL, ENCRYPT_DECRYPT_ACTIONS, stringMatch } from './conditions';
import { PolicyScope } from './scope';

/** The encryption context key Bedrock Prompt management sets when it encrypts a prompt. */
const PROMPT_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock-prompts:arn';

/** Statements for prompts (Bedrock Prompt management) encrypted with a customer managed key. */
export class PromptEncryptionStatements {
  /**
   * Key-policy statement for `bedrock.amazonaws.com`: encrypt and decrypt only under the prompt
   * encryption context. Pass one prompt ARN, or a pattern such as
   * `BedrockResourceType.PROMPT.arnPattern(scope)` when the key policy cannot name the prompt.
   */
  // Source: Bedrock User Guide, "Prerequisites for prompt management" (prompt-management-prereq.html), key policy statement "EncryptFlowKMS".
  public static bedrockServiceKeyUse(promptArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: ['*'],
        conditions: stringMatch(PROMPT_CONTEXT_KEY, promptArn),
      }),
    ];
  }

  /**
   * Identity statement for a role that manages prompts encrypted with the key: use of the key
   * only when it belongs to the scope's account (`aws:ResourceAccount`).
   */
  // Source: prompt-management-prereq.html, identity policy statement "KMSPermissions".
  public static roleIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: [keyArn],
        conditions: { StringEquals: { 'aws:ResourceAccount': scope.account } },
      }),
    ];
  }

  /**
   * Key-policy statement for the principal that creates and manages prompts encrypted with the
   * key (the stack's deployment role): {@link roleIdentity} in the key policy.
   */
  // Source: prompt-management-prereq.html, identity policy statement "KMSPermissions", here in the key policy naming the creator.
  public static creatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [creator],
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: ['*'],
        conditions: { StringEquals: { 'aws:ResourceAccount': scope.account } },
      }),
    ];
  }

  private constructor() {}
}
