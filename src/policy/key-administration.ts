import * as iam from 'aws-cdk-lib/aws-iam';
import { PolicyScope, PolicyScopes } from './scope';

/** Key-policy statements that keep a key manageable by its own account. */
export class KeyAdministrationStatements {
  /**
   * The account root may administer and use the key, which lets IAM policies in the account
   * grant access to it. The only statement that ever allows `kms:*`.
   */
  // Source: AWS KMS Developer Guide, "Default key policy", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
  // (the "Allow account root to modify the KMS key" statement of the agent and flow encryption pages).
  public static accountRootKeyUse(scope: PolicyScope): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ArnPrincipal(PolicyScopes.arn(scope, 'iam', 'root', ''))],
        actions: ['kms:*'],
        resources: ['*'],
      }),
    ];
  }

  private constructor() {}
}
