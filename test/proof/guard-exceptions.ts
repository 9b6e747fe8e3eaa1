/**
 * The Control Tower (cfn-guard) rule failures the proof suite accepts, each with its reason.
 * cfn-guard.test.ts fails on any other failure, and on an exception that no longer matches one.
 */

/** One accepted failure. */
export interface GuardException {
  /** The cfn-guard rule name, for example `kms_create_grant_aws_service_check`. */
  readonly rule: string;
  /** The logical ids of the resources it covers. */
  readonly resource: RegExp;
  /** Why the failure is accepted. */
  readonly reason: string;
}

/**
 * Keys the constructs create (`EncryptionKey` of each construct, a knowledge base's
 * `RetrievalSessionKey`, the monitor's `TopicKey`), the example's `BedrockKey` for its guardrail,
 * the mixin proof stack's `BedrockKey` (`Key`), and the stand-in secret key of the Pinecone proof stack.
 */
const KEYS = /^([A-Za-z0-9]+(EncryptionKey|RetrievalSessionKey|TopicKey)|GuardrailKey|SecretKey|Key)[0-9A-F]{8}$/;
/** The S3 buckets the constructs create when the user brings none. */
const DEFAULT_BUCKETS = /^[A-Za-z0-9]+(DataSourceBucket|DatasetBucket|OutputBucket|TrainingDataBucket|ModelDataBucket|InputBucket|LogBucket)[0-9A-F]{8}$/;

/** The accepted failures. */
export const GUARD_EXCEPTIONS: GuardException[] = [
  {
    rule: 'kms_create_grant_aws_service_check',
    resource: KEYS,
    reason: 'CT.KMS.PR.3 wants an explicit Deny of kms:CreateGrant unless kms:GrantIsForAWSResource or ' +
      'aws:PrincipalIsAWSService is true. The key policy has no such Deny: its only unconditioned Allow is the ' +
      'account-root statement of the AWS KMS default key policy (kms:* for arn:<partition>:iam::<account>:root), ' +
      'which delegates to IAM. Every other statement that allows kms:CreateGrant requires kms:GrantIsForAWSResource ' +
      '(Bedrock, OpenSearch Serverless), kms:ViaService (AgentCore creates its grants through a forward access session, ' +
      'and its pages give no kms:GrantIsForAWSResource), or, for the AgentCore gateway\'s target-encryption path, ' +
      'kms:GrantConstraintType with kms:GrantOperations (test/proof/create-grant.test.ts).',
  },
  {
    rule: 's3_bucket_logging_enabled_check',
    resource: DEFAULT_BUCKETS,
    reason: 'CT.S3.PR.2: server access logs need a log bucket the account owner chooses; users who need them pass ' +
      'their own bucket. The default buckets are SSE-KMS, block public access and deny non-TLS requests.',
  },
  {
    rule: 's3_bucket_versioning_enabled_check',
    resource: DEFAULT_BUCKETS,
    reason: 'CT.S3.PR.11: the default buckets hold job inputs and outputs Bedrock reads or writes once; versioning ' +
      'is a retention choice for the user, who can pass a versioned bucket.',
  },
  {
    rule: 's3_event_notifications_enabled_check',
    resource: DEFAULT_BUCKETS,
    reason: 'CT.S3.PR.4: nothing in the constructs consumes bucket events; a notification target would be an ' +
      'unused resource.',
  },
  {
    rule: 's3_lifecycle_policy_check',
    resource: DEFAULT_BUCKETS,
    reason: 'CT.S3.PR.6: how long training data, datasets, documents and job outputs are kept is the user\'s ' +
      'retention decision; a default expiry could delete a knowledge base\'s source documents.',
  },
  {
    rule: 's3_bucket_object_lock_enabled_check',
    resource: DEFAULT_BUCKETS,
    reason: 'CT.S3.PR.9: object lock makes objects undeletable for a retention period; the default buckets hold ' +
      'working data that users replace and delete.',
  },
];
