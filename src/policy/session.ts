import * as iam from 'aws-cdk-lib/aws-iam';
import { allOf, stringMatch, viaService } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

/** The encryption context key Bedrock sets when it encrypts a session (session management APIs). */
const SESSION_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock:session:arn';

/** What a session creator does with the key under the session encryption context. */
const SESSION_DATA_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'];

/**
 * Statements for Bedrock sessions (`CreateSession` with `KMSKeyArn`) encrypted with a customer
 * managed key. AWS documents only the identity policy of the principal that creates the session;
 * the key-policy form is the same permissions with that principal named, for keys whose policy
 * does not delegate to IAM.
 */
export class SessionEncryptionStatements {
  /**
   * Identity statements for the principal that creates and uses sessions: data keys under the
   * session encryption context of the scope's sessions (`session/*`), and `kms:DescribeKey`,
   * both only through Bedrock.
   */
  // Source: Bedrock User Guide, "Session encryption" (sessions-encryption.html), IAM policy for the user or role creating the session.
  public static creatorIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return SessionEncryptionStatements.statements(scope, [], [keyArn]);
  }

  /** The same permissions as {@link creatorIdentity}, as key-policy statements naming `creator`. */
  // Source: sessions-encryption.html, the IAM policy above with the principal named and "Resource": "*".
  public static creatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return SessionEncryptionStatements.statements(scope, [creator], ['*']);
  }

  private static statements(scope: PolicyScope, principals: iam.IPrincipal[], resources: string[]): iam.PolicyStatement[] {
    const viaBedrock = viaService(scope, 'bedrock');
    return [
      new iam.PolicyStatement({
        principals,
        actions: SESSION_DATA_ACTIONS,
        resources,
        conditions: allOf(stringMatch(SESSION_CONTEXT_KEY, BedrockResourceType.SESSION.arnPattern(scope)), viaBedrock),
      }),
      new iam.PolicyStatement({
        principals,
        actions: ['kms:DescribeKey'],
        resources,
        conditions: viaBedrock,
      }),
    ];
  }

  private constructor() {}
}
