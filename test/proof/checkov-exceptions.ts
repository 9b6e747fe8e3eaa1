/**
 * The checkov failures the proof suite accepts, each with its reason. checkov.test.ts fails on any
 * other failed check and on an exception that no longer matches a failure.
 */
import { LintException } from './lint-templates';

/** The S3 buckets the constructs create when the user brings none. */
const DEFAULT_BUCKETS = /^[A-Za-z0-9]+(DataSourceBucket|DatasetBucket|OutputBucket|TrainingDataBucket|ModelDataBucket|InputBucket|LogBucket)[0-9A-F]{8}$/;

/** The accepted failures. */
export const CHECKOV_EXCEPTIONS: LintException[] = [
  {
    rule: 'CKV_AWS_18',
    resource: DEFAULT_BUCKETS,
    reason: 'S3 access logging needs a log bucket the account owner chooses (the same finding as cfn-guard CT.S3.PR.2); ' +
      'users who need server access logs pass their own bucket. The default buckets are SSE-KMS with the construct\'s ' +
      'key, block public access and deny requests without TLS.',
  },
  {
    rule: 'CKV_AWS_21',
    resource: DEFAULT_BUCKETS,
    reason: 'Versioning is a retention choice for the user (the same finding as cfn-guard CT.S3.PR.11): the default ' +
      'buckets hold documents, datasets, training data and job outputs that Bedrock reads or writes once; a user who ' +
      'needs versions passes a versioned bucket.',
  },
];
