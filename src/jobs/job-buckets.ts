import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { viaService } from '../policy/conditions';
import { relativeS3Key } from '../policy/patterns';
import { PolicyScope } from '../policy/scope';
import { PropsValidator } from '../private/validation';

/** A key prefix of a job's data, or one file under it (S3 keys are at most 1024 bytes). */
const JOB_KEY = relativeS3Key({ minLength: 0, maxLength: 1024, example: 'datasets/' });

/** How the job's role uses a bucket. */
export enum BucketAccess {
  /** Reads objects under the prefix. */
  READ = 'read',
  /** Writes objects under the prefix, never reads them. */
  WRITE = 'write',
  /**
   * Reads and writes objects under the prefix, and reads the bucket's location and multipart
   * uploads: what every model evaluation service-role page gives the role on its output
   * ("AllowAccessToOutputBucket"); judge-model jobs read their own output back.
   */
  EVALUATION_OUTPUT = 'evaluation-output',
}

/** What the role may do on the objects under the prefix and on the bucket, per access. */
const S3_ACTIONS: Record<BucketAccess, { objects: string[]; bucket: string[] }> = {
  [BucketAccess.READ]: { objects: ['s3:GetObject'], bucket: ['s3:ListBucket'] },
  [BucketAccess.WRITE]: { objects: ['s3:PutObject', 's3:AbortMultipartUpload'], bucket: ['s3:ListBucket'] },
  // Source: Amazon Bedrock User Guide, "Required service role permissions for creating an automatic model evaluation job",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/automatic-service-roles.html, and the judge, knowledge base
  // and human-based evaluation service-role pages: "AllowAccessToOutputBucket" (s3:GetObject, s3:ListBucket,
  // s3:PutObject, s3:GetBucketLocation, s3:AbortMultipartUpload, s3:ListBucketMultipartUploads), here split by the
  // resource type each action accepts (objects under the prefix; the bucket).
  [BucketAccess.EVALUATION_OUTPUT]: {
    objects: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
    bucket: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
  },
};

/** A bucket a job reads from or writes to, under a prefix. */
export interface JobBucket {
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly access: BucketAccess;
}

/**
 * Checks a bucket the user brought: its KMS key must be known, so the role can be given use of
 * it through S3. Records the problem on `v`; never throws itself.
 */
export function validateBroughtBucket(v: PropsValidator, prop: string, bucket: s3.IBucket | undefined): void {
  if (bucket === undefined || bucket.encryptionKey !== undefined) return;
  v.fail(prop, `bucket '${bucket.node.path}'`,
    'a bucket encrypted with a KMS key this app knows (bucket.encryptionKey is undefined, which is the case for an ' +
    'imported bucket or one on SSE-S3): import it with s3.Bucket.fromBucketAttributes(this, id, { bucketArn, encryptionKey }) ' +
    'or pass a bucket created with encryption KMS and the job key');
}

/** Checks a key prefix is relative. */
export function validatePrefix(v: PropsValidator, prop: string, prefix: string | undefined): void {
  v.pattern(prop, prefix, JOB_KEY.pattern, JOB_KEY.form);
}

/**
 * A new bucket for job data: SSE-KMS with the job key and an S3 Bucket Key, public access
 * blocked, TLS enforced, retained by default.
 */
export function newJobBucket(scope: Construct, id: string, key: kms.IKey, removalPolicy: RemovalPolicy | undefined): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: removalPolicy ?? RemovalPolicy.RETAIN,
  });
}

/** `s3://<bucket>/<prefix>` */
export function s3Uri(bucket: s3.IBucket, prefix: string): string {
  return `s3://${bucket.bucketName}/${prefix}`;
}

/**
 * Identity statements for a job's role over its buckets: read = `s3:GetObject` under the prefix
 * and `s3:ListBucket`; write = `s3:PutObject` and `s3:AbortMultipartUpload` under the prefix and
 * `s3:ListBucket`, never `s3:GetObject`; evaluation output = the evaluation pages' six actions.
 * Each bucket's key gets `kms:Decrypt` (read) or
 * `kms:GenerateDataKey` + `kms:Decrypt` (write; multipart uploads decrypt the data key) only
 * through `s3.<region>`, except keys in `coveredKeyArns` whose S3 use the caller grants already.
 */
// Sources: Amazon S3 User Guide, "Using server-side encryption with AWS KMS keys (SSE-KMS)"
// (GetObject needs kms:Decrypt; PutObject needs kms:GenerateDataKey; multipart upload also kms:Decrypt),
// the knowledge base encryption page (S3 data source: kms:Decrypt with kms:ViaService s3.<region>,
// https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html), and the Bedrock
// service-role pages for evaluation, customization and import jobs (s3:GetObject/s3:ListBucket on input,
// s3:PutObject on output).
export function bucketStatements(scope: PolicyScope, buckets: JobBucket[], coveredKeyArns: string[] = []): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const keyActions = new Map<string, Set<string>>();
  for (const { bucket, prefix, access } of buckets) {
    const read = access === BucketAccess.READ;
    const { objects, bucket: bucketActions } = S3_ACTIONS[access];
    statements.push(new iam.PolicyStatement({ actions: objects, resources: [bucket.arnForObjects(`${prefix}*`)] }));
    statements.push(new iam.PolicyStatement({ actions: bucketActions, resources: [bucket.bucketArn] }));
    const keyArn = bucket.encryptionKey?.keyArn;
    if (keyArn === undefined || coveredKeyArns.includes(keyArn)) continue;
    const actions = keyActions.get(keyArn) ?? new Set<string>();
    (read ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey']).forEach((a) => actions.add(a));
    keyActions.set(keyArn, actions);
  }
  for (const [keyArn, actions] of keyActions) {
    statements.push(new iam.PolicyStatement({
      actions: [...actions].sort(),
      resources: [keyArn],
      conditions: viaService(scope, 's3'),
    }));
  }
  return statements;
}

