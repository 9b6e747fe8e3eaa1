import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptedJobProps } from './encrypted-job-props';
import { bucketStatements, BucketAccess, newJobBucket, s3Uri, validateBroughtBucket, validatePrefix } from './job-buckets';
import { validateInvokableModels } from './job-models';
import { addJobOutputs } from './job-outputs';
import { JobTag } from './job-parameters';
import { compact } from './job-requests';
import { IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { BatchInferenceEncryptionStatements } from '../policy/batch-inference';
import { relativeS3Key } from '../policy/patterns';
import { BedrockResourceType } from '../policy/resource-type';
import { PolicyScopes } from '../policy/scope';
import { invokeModelStatements } from '../private/model-arns';
import { passRoleToBedrock } from '../private/pass-role';
import { PropsValidator } from '../private/validation';
import { BedrockServiceRole } from '../role/bedrock-service-role';
import { writeIdentityPolicy } from '../wiring/policy-writer';

/** An input file, relative to the input prefix. */
const INPUT_FILE = relativeS3Key({ minLength: 1, maxLength: 1024, example: 'records.jsonl' });

/** Properties of an {@link EncryptedBatchInference}. */
export interface EncryptedBatchInferenceProps extends EncryptedJobProps {
  /**
   * The bucket with the input records (JSONL). Its KMS key must be known to this app; the role
   * may read it only under `inputPrefix`.
   *
   * @default - a new bucket: SSE-KMS with the job key, public access blocked, TLS enforced
   */
  readonly inputBucket?: s3.IBucket;

  /**
   * Key prefix of the input records in `inputBucket`, relative to the bucket.
   *
   * @default 'input/'
   */
  readonly inputPrefix?: string;

  /**
   * The bucket the job writes its output to. Its KMS key must be known to this app; the role
   * may write, never read, under `outputPrefix`.
   *
   * @default - a new bucket: SSE-KMS with the job key, public access blocked, TLS enforced
   */
  readonly outputBucket?: s3.IBucket;

  /**
   * Key prefix of the output in `outputBucket`, relative to the bucket.
   *
   * @default 'output/'
   */
  readonly outputPrefix?: string;

  /**
   * Models the role may invoke: needed when a job runs through an inference profile. Each is a
   * foundation model id or ARN, an inference profile id or ARN, or the ARN of a custom,
   * provisioned or imported model or application inference profile.
   *
   * @default - none: the role may invoke no model itself
   */
  readonly models?: string[];
}

/** What only the caller knows when it creates a batch inference job. */
export interface BatchInferenceJobParameterOptions {
  /** The job name (`jobName`). */
  readonly jobName: string;

  /** The model or inference profile the job runs (`modelId`). */
  readonly modelId: string;

  /**
   * One input file, relative to `inputPrefix`.
   *
   * @default - every JSONL file under `inputPrefix`
   */
  readonly inputFile?: string;

  /**
   * The format of the input (`s3InputFormat`).
   *
   * @default - the API's default, `JSONL`
   */
  readonly s3InputFormat?: string;

  /**
   * `InvokeModel` or `Converse`: the request format of the input records (`modelInvocationType`).
   *
   * @default - the API's default, `InvokeModel`
   */
  readonly modelInvocationType?: string;

  /**
   * Hours after which the job stops (`timeoutDurationInHours`), from 24 to 168.
   *
   * @default - the API's default
   */
  readonly timeoutDurationInHours?: number;

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
  readonly tags?: JobTag[];
}

/** Where a batch inference job reads its input (`ModelInvocationJobS3InputDataConfig` in the AWS SDK). */
export interface ModelInvocationJobS3InputDataConfig {
  /** `s3://<bucket>/<prefix or file>` */
  readonly s3Uri: string;
  /**
   * The format of the input.
   *
   * @default - the API's default, `JSONL`
   */
  readonly s3InputFormat?: string;
}

/** The input of a batch inference job (`ModelInvocationJobInputDataConfig` in the AWS SDK). */
export interface ModelInvocationJobInputDataConfig {
  /** The S3 location of the input. */
  readonly s3InputDataConfig: ModelInvocationJobS3InputDataConfig;
}

/** Where a batch inference job writes its output (`ModelInvocationJobS3OutputDataConfig` in the AWS SDK). */
export interface ModelInvocationJobS3OutputDataConfig {
  /** `s3://<bucket>/<prefix>` */
  readonly s3Uri: string;
  /** ARN of the key the output is encrypted with. */
  readonly s3EncryptionKeyId: string;
}

/** The output of a batch inference job (`ModelInvocationJobOutputDataConfig` in the AWS SDK). */
export interface ModelInvocationJobOutputDataConfig {
  /** The S3 location of the output and its key. */
  readonly s3OutputDataConfig: ModelInvocationJobS3OutputDataConfig;
}

/**
 * The request for `CreateModelInvocationJob`, with the AWS SDK's field names
 * (`CreateModelInvocationJobRequest`). Values may be tokens that resolve at deploy time.
 */
export interface BatchInferenceJobParameters {
  /** The job name. */
  readonly jobName: string;
  /** ARN of the job's service role. */
  readonly roleArn: string;
  /** Idempotency token. @default - none */
  readonly clientRequestToken?: string;
  /** The model or inference profile the job runs. */
  readonly modelId: string;
  /** Where the job reads its input. */
  readonly inputDataConfig: ModelInvocationJobInputDataConfig;
  /** Where the job writes its output, and the key it is encrypted with. */
  readonly outputDataConfig: ModelInvocationJobOutputDataConfig;
  /** Hours after which the job stops. @default - the API's default */
  readonly timeoutDurationInHours?: number;
  /** Tags for the job. @default - none */
  readonly tags?: JobTag[];
  /** `InvokeModel` or `Converse`. @default - the API's default */
  readonly modelInvocationType?: string;
}

/**
 * Everything a Bedrock batch inference job needs to write its output encrypted with a customer
 * managed key: the key, a service role, the input and output buckets, and the key-policy statement
 * for the role. CloudFormation has no resource for batch inference jobs: create the job with the
 * parameters from `createJobParameters`.
 *
 * Role: trusted by `bedrock.amazonaws.com` for `model-invocation-job/*` of this account and
 * region; reads the input under its prefix, writes the output under its prefix, and may use the
 * key (`GenerateDataKey`, `Decrypt`) only through `s3.<region>` (Bedrock User Guide, "Create a
 * custom service role for batch inference").
 */
export class EncryptedBatchInference extends Construct {
  /** The key the job's output is encrypted with. */
  public readonly encryptionKey: kms.IKey;
  /** The key with the statements added for this job. */
  public readonly bedrockKey: IBedrockKey;
  /** The job's service role. */
  public readonly role: iam.IRole;
  /** The bucket the input is read from. */
  public readonly inputBucket: s3.IBucket;
  /** The bucket the output is written to. */
  public readonly outputBucket: s3.IBucket;
  /** The key ARN, for `outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId`. */
  public readonly s3EncryptionKeyId: string;
  /** The service role ARN, for `roleArn`. */
  public readonly roleArn: string;
  /** `s3://<input bucket>/<inputPrefix>`, for `inputDataConfig.s3InputDataConfig.s3Uri`. */
  public readonly inputS3Uri: string;
  /** `s3://<output bucket>/<outputPrefix>`, for `outputDataConfig.s3OutputDataConfig.s3Uri`. */
  public readonly outputS3Uri: string;

  constructor(scope: Construct, id: string, props: EncryptedBatchInferenceProps = {}) {
    const policyScope = PolicyScopes.of(scope);
    const v = new PropsValidator(scope, `EncryptedBatchInference '${id}'`);
    v.kmsKey('encryptionKey', props.encryptionKey);
    validateBroughtBucket(v, 'inputBucket', props.inputBucket);
    validateBroughtBucket(v, 'outputBucket', props.outputBucket);
    validatePrefix(v, 'inputPrefix', props.inputPrefix);
    validatePrefix(v, 'outputPrefix', props.outputPrefix);
    validateInvokableModels(v, 'models', props.models, policyScope);
    v.throwIfInvalid();

    super(scope, id);
    const inputPrefix = props.inputPrefix ?? 'input/';
    const outputPrefix = props.outputPrefix ?? 'output/';

    this.bedrockKey = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = this.bedrockKey.key;
    this.role = props.role ?? new BedrockServiceRole(this, 'Role', {
      resourceType: BedrockResourceType.MODEL_INVOCATION_JOB, encryptionKey: props.encryptionKey,
    });
    this.inputBucket = props.inputBucket ?? newJobBucket(this, 'InputBucket', this.encryptionKey, props.removalPolicy);
    this.outputBucket = props.outputBucket ?? newJobBucket(this, 'OutputBucket', this.encryptionKey, props.removalPolicy);

    const keyArn = this.bedrockKey.keyArn;
    this.bedrockKey.addStatements(...BatchInferenceEncryptionStatements.roleKeyUse(policyScope, this.role));
    writeIdentityPolicy(this.role, [
      ...BatchInferenceEncryptionStatements.roleIdentity(policyScope, keyArn),
      ...bucketStatements(policyScope, [
        { bucket: this.inputBucket, prefix: inputPrefix, access: BucketAccess.READ },
        { bucket: this.outputBucket, prefix: outputPrefix, access: BucketAccess.WRITE },
      ], [keyArn]),
      ...invokeModelStatements(policyScope, props.models ?? []),
    ], { scope: this, subject: `the batch inference job '${this.node.path}'` });

    this.s3EncryptionKeyId = keyArn;
    this.roleArn = this.role.roleArn;
    this.inputS3Uri = s3Uri(this.inputBucket, inputPrefix);
    this.outputS3Uri = s3Uri(this.outputBucket, outputPrefix);

    addJobOutputs(this, props.outputs, [
      { id: 'S3EncryptionKeyId', value: this.s3EncryptionKeyId, description: 'CreateModelInvocationJob outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId' },
      { id: 'RoleArn', value: this.roleArn, description: 'CreateModelInvocationJob roleArn' },
      { id: 'InputS3Uri', value: this.inputS3Uri, description: 'CreateModelInvocationJob inputDataConfig.s3InputDataConfig.s3Uri' },
      { id: 'OutputS3Uri', value: this.outputS3Uri, description: 'CreateModelInvocationJob outputDataConfig.s3OutputDataConfig.s3Uri' },
    ]);
  }

  /**
   * Lets `grantee` create batch inference jobs with this setup: `bedrock:CreateModelInvocationJob`
   * on batch inference jobs of this account and region and on the foundation models and inference
   * profiles a job names, and `iam:PassRole` on the role (only to Bedrock).
   */
  public grantCreateJob(grantee: iam.IGrantable): iam.Grant {
    const scope = PolicyScopes.of(this);
    return writeIdentityPolicy(grantee, [
      new iam.PolicyStatement({
        actions: ['bedrock:CreateModelInvocationJob'],
        resources: [
          BedrockResourceType.MODEL_INVOCATION_JOB.arnPattern(scope),
          PolicyScopes.arn(scope, 'bedrock', 'foundation-model/*', undefined, ''),
          BedrockResourceType.of('inference-profile').arnPattern(scope),
          BedrockResourceType.of('application-inference-profile').arnPattern(scope),
        ],
      }),
      passRoleToBedrock(this.role),
    ], { scope: this, subject: `callers of '${this.node.path}'` });
  }

  /**
   * The `CreateModelInvocationJob` request: the caller's values plus this construct's role, key
   * and S3 locations, with the AWS SDK's field names.
   */
  public createJobParameters(options: BatchInferenceJobParameterOptions): BatchInferenceJobParameters {
    new PropsValidator(this, 'createJobParameters')
      .pattern('inputFile', options.inputFile, INPUT_FILE.pattern, `${INPUT_FILE.form}, under inputPrefix`)
      .pattern('s3InputFormat', options.s3InputFormat, /^JSONL$/, "'JSONL'")
      .pattern('modelInvocationType', options.modelInvocationType, /^(InvokeModel|Converse)$/, "'InvokeModel' or 'Converse'")
      .range('timeoutDurationInHours', options.timeoutDurationInHours, 24, 168, ' hours')
      .throwIfInvalid();
    return compact({
      jobName: options.jobName,
      roleArn: this.roleArn,
      clientRequestToken: options.clientRequestToken,
      modelId: options.modelId,
      inputDataConfig: {
        s3InputDataConfig: compact({
          s3Uri: options.inputFile === undefined ? this.inputS3Uri : `${this.inputS3Uri}${options.inputFile}`,
          s3InputFormat: options.s3InputFormat,
        }),
      },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: this.outputS3Uri, s3EncryptionKeyId: this.s3EncryptionKeyId } },
      timeoutDurationInHours: options.timeoutDurationInHours,
      tags: options.tags,
      modelInvocationType: options.modelInvocationType,
    });
  }
}
