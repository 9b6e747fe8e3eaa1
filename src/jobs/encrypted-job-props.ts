import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/** What every job construct (evaluation, customization, import, batch inference) takes: the key, the service role, what happens to its buckets, and outputs. */
export interface EncryptedJobProps {
  /**
   * The customer managed key of the job: the one its request names and its buckets are encrypted
   * with (the construct's description says which request fields). The statements the job needs
   * go into its policy, or into the `KeyPolicyToAdd` stack output when this app cannot change the
   * policy.
   *
   * @default - a new BedrockKey
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The service role the job runs with.
   *
   * @default - a new role trusted by bedrock.amazonaws.com only for this kind of job, in this account and region
   */
  readonly role?: iam.IRole;

  /**
   * What happens to the buckets this construct creates when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Adds the values the job's API request needs (key, role, S3 URIs) as stack outputs, for a
   * pipeline outside this app that reads them from the stack. The same values are always on the
   * construct's attributes and in the request the construct returns.
   *
   * @default false
   */
  readonly outputs?: boolean;
}
