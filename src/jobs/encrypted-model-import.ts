import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptedJobProps } from './encrypted-job-props';
import { bucketStatements, BucketAccess, newJobBucket, s3Uri, validateBroughtBucket, validatePrefix } from './job-buckets';
import { addJobOutputs } from './job-outputs';
import { JobS3Location, JobTag } from './job-parameters';
import { compact } from './job-requests';
import { IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { ModelJobEncryptionStatements } from '../policy/model-job';
import { BedrockResourceType } from '../policy/resource-type';
import { PolicyScopes } from '../policy/scope';
import { passRoleToBedrock } from '../private/pass-role';
import { PropsValidator } from '../private/validation';
import { BedrockServiceRole } from '../role/bedrock-service-role';
import { writeIdentityPolicy } from '../wiring/policy-writer';

/** Properties of an {@link EncryptedModelImport}. */
export interface EncryptedModelImportProps extends EncryptedJobProps {
  /**
   * The bucket with the model files. Its KMS key must be known to this app; the role may read
   * it only under `modelDataPrefix`.
   *
   * @default - a new bucket: SSE-KMS with the job key, public access blocked, TLS enforced
   */
  readonly modelDataBucket?: s3.IBucket;

  /**
   * Key prefix of the model files, relative to the bucket.
   *
   * @default 'model/'
   */
  readonly modelDataPrefix?: string;
}

/** What only the caller knows when it creates a model import job. */
export interface ModelImportJobParameterOptions {
  /** The job name (`jobName`). */
  readonly jobName: string;

  /** The name of the imported model (`importedModelName`). */
  readonly importedModelName: string;

  /**
   * Idempotency token.
   *
   * @default - none
   */
  readonly clientRequestToken?: string;

  /**
   * Tags for the job (tagging also needs `bedrock:TagResource`).
   *
   * @default - none
   */
  readonly jobTags?: JobTag[];

  /**
   * Tags for the imported model (tagging also needs `bedrock:TagResource`).
   *
   * @default - none
   */
  readonly importedModelTags?: JobTag[];
}

/** Where an import job reads the model from (`ModelDataSource` in the AWS SDK). */
export interface ModelImportDataSource {
  /** The S3 location of the model files. */
  readonly s3DataSource: JobS3Location;
}

/**
 * The request for `CreateModelImportJob`, with the AWS SDK's field names
 * (`CreateModelImportJobRequest`). Values may be tokens that resolve at deploy time.
 */
export interface ModelImportJobParameters {
  /** The job name. */
  readonly jobName: string;
  /** The name of the imported model. */
  readonly importedModelName: string;
  /** ARN of the job's service role. */
  readonly roleArn: string;
  /** The model files: `modelDataS3Uri`. */
  readonly modelDataSource: ModelImportDataSource;
  /**
   * Tags for the job.
   *
   * @default - none
   */
  readonly jobTags?: JobTag[];
  /**
   * Tags for the imported model.
   *
   * @default - none
   */
  readonly importedModelTags?: JobTag[];
  /**
   * Idempotency token.
   *
   * @default - none
   */
  readonly clientRequestToken?: string;
  /** ARN of the key the imported model is encrypted with. */
  readonly importedModelKmsKeyId: string;
}

/**
 * Everything a Bedrock Custom Model Import job needs to produce a model encrypted with a
 * customer managed key: the key, a service role, the model-data bucket, and the key-policy
 * statement for the role. CloudFormation has no resource for import jobs: create the job with
 * the parameters from `createJobParameters`.
 *
 * The role may use the key (`Decrypt`, `GenerateDataKey`, `DescribeKey`, `CreateGrant`) only
 * through `bedrock.<region>`. Bedrock creates a grant on the key for the imported model and
 * retires it when the model is deleted.
 */
export class EncryptedModelImport extends Construct {
  /** The key the imported model is encrypted with. */
  public readonly encryptionKey: kms.IKey;
  /** The key with the statements added for this job. */
  public readonly bedrockKey: IBedrockKey;
  /** The job's service role. */
  public readonly role: iam.IRole;
  /** The bucket the model files are read from. */
  public readonly modelDataBucket: s3.IBucket;
  /** The key ARN, for `importedModelKmsKeyId`. */
  public readonly importedModelKmsKeyId: string;
  /** The service role ARN, for `roleArn`. */
  public readonly roleArn: string;
  /** `s3://<model bucket>/<modelDataPrefix>`, for `modelDataSource.s3DataSource.s3Uri`. */
  public readonly modelDataS3Uri: string;

  constructor(scope: Construct, id: string, props: EncryptedModelImportProps = {}) {
    const v = new PropsValidator(scope, `EncryptedModelImport '${id}'`);
    v.kmsKey('encryptionKey', props.encryptionKey);
    validateBroughtBucket(v, 'modelDataBucket', props.modelDataBucket);
    validatePrefix(v, 'modelDataPrefix', props.modelDataPrefix);
    v.throwIfInvalid();

    super(scope, id);
    const policyScope = PolicyScopes.of(this);
    const modelDataPrefix = props.modelDataPrefix ?? 'model/';

    this.bedrockKey = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = this.bedrockKey.key;
    this.role = props.role ?? new BedrockServiceRole(this, 'Role', { resourceType: BedrockResourceType.MODEL_IMPORT_JOB, encryptionKey: props.encryptionKey });
    this.modelDataBucket = props.modelDataBucket ?? newJobBucket(this, 'ModelDataBucket', this.encryptionKey, props.removalPolicy);

    const keyArn = this.bedrockKey.keyArn;
    this.bedrockKey.addStatements(...ModelJobEncryptionStatements.roleKeyUse(policyScope, this.role));
    writeIdentityPolicy(this.role, [
      ...ModelJobEncryptionStatements.roleIdentity(policyScope, keyArn),
      ...bucketStatements(policyScope, [{ bucket: this.modelDataBucket, prefix: modelDataPrefix, access: BucketAccess.READ }]),
    ], { scope: this, subject: `the model import job '${this.node.path}'` });

    this.importedModelKmsKeyId = keyArn;
    this.roleArn = this.role.roleArn;
    this.modelDataS3Uri = s3Uri(this.modelDataBucket, modelDataPrefix);

    addJobOutputs(this, props.outputs, [
      { id: 'ImportedModelKmsKeyId', value: this.importedModelKmsKeyId, description: 'CreateModelImportJob importedModelKmsKeyId' },
      { id: 'RoleArn', value: this.roleArn, description: 'CreateModelImportJob roleArn' },
      { id: 'ModelDataS3Uri', value: this.modelDataS3Uri, description: 'CreateModelImportJob modelDataSource.s3DataSource.s3Uri' },
    ]);
  }

  /**
   * Lets `grantee` create import jobs with this setup: `bedrock:CreateModelImportJob` (an action
   * IAM authorizes only on `*`), `iam:PassRole` on the role (only to
   * Bedrock), and the key use the AWS guide gives the identity that imports the model
   * (`Decrypt`, `GenerateDataKey`, `DescribeKey`, `CreateGrant` through `bedrock.<region>`).
   */
  public grantCreateJob(grantee: iam.IGrantable): iam.Grant {
    const scope = PolicyScopes.of(this);
    return writeIdentityPolicy(grantee, [
      new iam.PolicyStatement({
        actions: ['bedrock:CreateModelImportJob'],
        // CreateModelImportJob has no resource type in the Service Authorization Reference for Amazon Bedrock:
        // IAM authorizes it only on "*".
        resources: ['*'],
      }),
      passRoleToBedrock(this.role),
      ...ModelJobEncryptionStatements.roleIdentity(scope, this.bedrockKey.keyArn),
    ], { scope: this, subject: `callers of '${this.node.path}'` });
  }

  /**
   * The `CreateModelImportJob` request: the caller's values plus this construct's role, key and
   * model location, with the AWS SDK's field names.
   */
  public createJobParameters(options: ModelImportJobParameterOptions): ModelImportJobParameters {
    return compact({
      jobName: options.jobName,
      importedModelName: options.importedModelName,
      roleArn: this.roleArn,
      modelDataSource: { s3DataSource: { s3Uri: this.modelDataS3Uri } },
      jobTags: options.jobTags,
      importedModelTags: options.importedModelTags,
      clientRequestToken: options.clientRequestToken,
      importedModelKmsKeyId: this.importedModelKmsKeyId,
    });
  }
}
