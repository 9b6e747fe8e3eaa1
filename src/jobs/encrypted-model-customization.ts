import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptedJobProps } from './encrypted-job-props';
import { bucketStatements, BucketAccess, newJobBucket, s3Uri, validateBroughtBucket, validatePrefix } from './job-buckets';
import { baseModelArn, validateBaseModel } from './job-models';
import { addJobOutputs } from './job-outputs';
import { JobS3Location, JobTag } from './job-parameters';
import { compact } from './job-requests';
import { IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { ModelJobEncryptionStatements } from '../policy/model-job';
import { BedrockResourceType } from '../policy/resource-type';
import { PolicyScopes } from '../policy/scope';
import { invokeModelStatements } from '../private/model-arns';
import { passRoleToBedrock } from '../private/pass-role';
import { PropsValidator } from '../private/validation';
import { BedrockServiceRole } from '../role/bedrock-service-role';
import { writeIdentityPolicy } from '../wiring/policy-writer';

/** Values `customizationType` takes (CreateModelCustomizationJob). */
const CUSTOMIZATION_TYPES = ['FINE_TUNING', 'CONTINUED_PRE_TRAINING', 'DISTILLATION', 'REINFORCEMENT_FINE_TUNING'];

/** Properties of an {@link EncryptedModelCustomization}. */
export interface EncryptedModelCustomizationProps extends EncryptedJobProps {
  /**
   * The model to customize (`baseModelIdentifier`): a foundation model id or ARN, or the ARN
   * of a custom model to customize further.
   */
  readonly baseModel: string;

  /**
   * The bucket with the training (and validation) data. Its KMS key must be known to this
   * app; the role may read it only under `trainingDataPrefix`.
   *
   * @default - a new bucket: SSE-KMS with the job key, public access blocked, TLS enforced
   */
  readonly trainingDataBucket?: s3.IBucket;

  /**
   * Key prefix of the training and validation data, relative to the bucket.
   *
   * @default 'training/'
   */
  readonly trainingDataPrefix?: string;

  /**
   * The bucket the job writes its metrics to. Its KMS key must be known to this app; the role
   * may write, never read, under `outputPrefix`.
   *
   * @default - a new bucket: SSE-KMS with the job key, public access blocked, TLS enforced
   */
  readonly outputBucket?: s3.IBucket;

  /**
   * Key prefix of the job output, relative to the bucket.
   *
   * @default 'output/'
   */
  readonly outputPrefix?: string;
}

/** What only the caller knows when it creates a model customization job. */
export interface ModelCustomizationJobParameterOptions {
  /** The job name (`jobName`). */
  readonly jobName: string;

  /** The name of the custom model the job creates (`customModelName`). */
  readonly customModelName: string;

  /**
   * The training data file, relative to `trainingDataS3Uri`.
   *
   * @default 'train.jsonl'
   */
  readonly trainingDataFile?: string;

  /**
   * Validation data files, relative to `trainingDataS3Uri`.
   *
   * @default - no validation data
   */
  readonly validationDataFiles?: string[];

  /**
   * `FINE_TUNING`, `CONTINUED_PRE_TRAINING`, `DISTILLATION` or `REINFORCEMENT_FINE_TUNING`.
   *
   * @default - the API's default, `FINE_TUNING`
   */
  readonly customizationType?: string;

  /**
   * Hyperparameters, as strings.
   *
   * @default - the model's defaults
   */
  readonly hyperParameters?: { [key: string]: string };

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
   * Tags for the custom model (tagging also needs `bedrock:TagResource`).
   *
   * @default - none
   */
  readonly customModelTags?: JobTag[];
}

/** Validation data of a customization job (`ValidationDataConfig` in the AWS SDK). */
export interface ModelCustomizationValidationData {
  /** The validation data files. */
  readonly validators: JobS3Location[];
}

/**
 * The request for `CreateModelCustomizationJob`, with the AWS SDK's field names
 * (`CreateModelCustomizationJobRequest`). Values may be tokens that resolve at deploy time.
 */
export interface ModelCustomizationJobParameters {
  /** The job name. */
  readonly jobName: string;
  /** The name of the custom model. */
  readonly customModelName: string;
  /** ARN of the job's service role. */
  readonly roleArn: string;
  /**
   * Idempotency token.
   *
   * @default - none
   */
  readonly clientRequestToken?: string;
  /** The model to customize. */
  readonly baseModelIdentifier: string;
  /**
   * The kind of customization.
   *
   * @default - the API's default
   */
  readonly customizationType?: string;
  /** ARN of the key the custom model is encrypted with. */
  readonly customModelKmsKeyId: string;
  /**
   * Tags for the job.
   *
   * @default - none
   */
  readonly jobTags?: JobTag[];
  /**
   * Tags for the custom model.
   *
   * @default - none
   */
  readonly customModelTags?: JobTag[];
  /** The training data file. */
  readonly trainingDataConfig: JobS3Location;
  /**
   * The validation data files.
   *
   * @default - none
   */
  readonly validationDataConfig?: ModelCustomizationValidationData;
  /** Where the job writes its output: `outputS3Uri`. */
  readonly outputDataConfig: JobS3Location;
  /**
   * Hyperparameters.
   *
   * @default - the model's defaults
   */
  readonly hyperParameters?: { [key: string]: string };
}

/**
 * Everything a Bedrock model customization (fine-tuning) job needs to produce a custom model
 * encrypted with a customer managed key: the key, a service role, the training-data and output
 * buckets, and the key-policy statement for the role. CloudFormation has no resource for these
 * jobs: create the job with the parameters from `createJobParameters`.
 *
 * The role may use the key (`Decrypt`, `GenerateDataKey`, `DescribeKey`, `CreateGrant`) only
 * through `bedrock.<region>`. Bedrock creates a grant on the key for the custom model and
 * retires it when the model is deleted; deleting the key, or removing these statements, makes
 * the model unusable.
 */
export class EncryptedModelCustomization extends Construct {
  /** The key the custom model is encrypted with. */
  public readonly encryptionKey: kms.IKey;
  /** The key with the statements added for this job. */
  public readonly bedrockKey: IBedrockKey;
  /** The job's service role. */
  public readonly role: iam.IRole;
  /** The bucket the training data is read from. */
  public readonly trainingDataBucket: s3.IBucket;
  /** The bucket the job output is written to. */
  public readonly outputBucket: s3.IBucket;
  /** The key ARN, for `customModelKmsKeyId`. */
  public readonly customModelKmsKeyId: string;
  /** The base model, for `baseModelIdentifier`. */
  public readonly baseModelIdentifier: string;
  /** The service role ARN, for `roleArn`. */
  public readonly roleArn: string;
  /** `s3://<training bucket>/<trainingDataPrefix>`: where the job may read training data. */
  public readonly trainingDataS3Uri: string;
  /** `s3://<output bucket>/<outputPrefix>`, for `outputDataConfig.s3Uri`. */
  public readonly outputS3Uri: string;

  constructor(scope: Construct, id: string, props: EncryptedModelCustomizationProps) {
    const policyScope = PolicyScopes.of(scope);
    const v = new PropsValidator(scope, `EncryptedModelCustomization '${id}'`);
    v.kmsKey('encryptionKey', props.encryptionKey);
    validateBaseModel(v, 'baseModel', props.baseModel, policyScope);
    validateBroughtBucket(v, 'trainingDataBucket', props.trainingDataBucket);
    validateBroughtBucket(v, 'outputBucket', props.outputBucket);
    validatePrefix(v, 'trainingDataPrefix', props.trainingDataPrefix);
    validatePrefix(v, 'outputPrefix', props.outputPrefix);
    v.throwIfInvalid();

    super(scope, id);
    const trainingDataPrefix = props.trainingDataPrefix ?? 'training/';
    const outputPrefix = props.outputPrefix ?? 'output/';

    this.bedrockKey = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = this.bedrockKey.key;
    this.role = props.role ?? new BedrockServiceRole(this, 'Role', {
      resourceType: BedrockResourceType.MODEL_CUSTOMIZATION_JOB, encryptionKey: props.encryptionKey,
    });
    this.trainingDataBucket = props.trainingDataBucket ?? newJobBucket(this, 'TrainingDataBucket', this.encryptionKey, props.removalPolicy);
    this.outputBucket = props.outputBucket ?? newJobBucket(this, 'OutputBucket', this.encryptionKey, props.removalPolicy);

    const keyArn = this.bedrockKey.keyArn;
    this.bedrockKey.addStatements(...ModelJobEncryptionStatements.roleKeyUse(policyScope, this.role));
    writeIdentityPolicy(this.role, [
      ...ModelJobEncryptionStatements.roleIdentity(policyScope, keyArn),
      ...bucketStatements(policyScope, [
        { bucket: this.trainingDataBucket, prefix: trainingDataPrefix, access: BucketAccess.READ },
        { bucket: this.outputBucket, prefix: outputPrefix, access: BucketAccess.WRITE },
      ]),
    ], { scope: this, subject: `the model customization job '${this.node.path}'` });

    this.customModelKmsKeyId = keyArn;
    this.baseModelIdentifier = props.baseModel;
    this.roleArn = this.role.roleArn;
    this.trainingDataS3Uri = s3Uri(this.trainingDataBucket, trainingDataPrefix);
    this.outputS3Uri = s3Uri(this.outputBucket, outputPrefix);

    addJobOutputs(this, props.outputs, [
      { id: 'CustomModelKmsKeyId', value: this.customModelKmsKeyId, description: 'CreateModelCustomizationJob customModelKmsKeyId' },
      { id: 'RoleArn', value: this.roleArn, description: 'CreateModelCustomizationJob roleArn' },
      { id: 'TrainingDataS3Uri', value: this.trainingDataS3Uri, description: 'Where the customization job may read training data' },
      { id: 'OutputS3Uri', value: this.outputS3Uri, description: 'CreateModelCustomizationJob outputDataConfig.s3Uri' },
    ]);
  }

  /**
   * Lets `grantee` create customization jobs with this setup:
   * `bedrock:CreateModelCustomizationJob` on customization jobs and custom models of this
   * account and region and on the base model, `iam:PassRole` on the role (only to Bedrock), and
   * the key use the AWS guide gives the identity that creates the custom model (`Decrypt`,
   * `GenerateDataKey`, `DescribeKey`, `CreateGrant` through `bedrock.<region>`).
   */
  public grantCreateJob(grantee: iam.IGrantable): iam.Grant {
    const scope = PolicyScopes.of(this);
    return writeIdentityPolicy(grantee, [
      new iam.PolicyStatement({
        actions: ['bedrock:CreateModelCustomizationJob'],
        // IAM authorizes CreateModelCustomizationJob on the base model and the custom model it makes, never on
        // the job (Service Authorization Reference for Amazon Bedrock)
        resources: [
          BedrockResourceType.of('custom-model').arnPattern(scope),
          baseModelArn(scope, this.baseModelIdentifier),
        ],
      }),
      passRoleToBedrock(this.role),
      ...ModelJobEncryptionStatements.roleIdentity(scope, this.bedrockKey.keyArn),
    ], { scope: this, subject: `callers of '${this.node.path}'` });
  }

  /**
   * Lets `grantee` run inference on custom models of this account and region (through
   * provisioned throughput or a custom model deployment), and decrypt with the key only through
   * `bedrock.<region>` ("Encryption of custom models", "Allow access to an encrypted model").
   */
  public grantInvokeCustomModel(grantee: iam.IGrantable): iam.Grant {
    const scope = PolicyScopes.of(this);
    return writeIdentityPolicy(grantee, [
      ...invokeModelStatements(scope, ['custom-model', 'provisioned-model', 'custom-model-deployment']
        .map((t) => BedrockResourceType.of(t).arnPattern(scope))),
      ...ModelJobEncryptionStatements.modelUserIdentity(scope, this.bedrockKey.keyArn),
    ], { scope: this, subject: `callers of '${this.node.path}'` });
  }

  /**
   * The `CreateModelCustomizationJob` request: the caller's values plus this construct's role,
   * key, base model and data locations, with the AWS SDK's field names.
   */
  public createJobParameters(options: ModelCustomizationJobParameterOptions): ModelCustomizationJobParameters {
    const v = new PropsValidator(this, 'createJobParameters');
    v.pattern('customizationType', options.customizationType, new RegExp(`^(${CUSTOMIZATION_TYPES.join('|')})$`), CUSTOMIZATION_TYPES.join(', '));
    validatePrefix(v, 'trainingDataFile', options.trainingDataFile);
    (options.validationDataFiles ?? []).forEach((file, i) => validatePrefix(v, `validationDataFiles[${i}]`, file));
    v.throwIfInvalid();

    const validators = (options.validationDataFiles ?? []).map((file) => ({ s3Uri: `${this.trainingDataS3Uri}${file}` }));
    return compact({
      jobName: options.jobName,
      customModelName: options.customModelName,
      roleArn: this.roleArn,
      clientRequestToken: options.clientRequestToken,
      baseModelIdentifier: this.baseModelIdentifier,
      customizationType: options.customizationType,
      customModelKmsKeyId: this.customModelKmsKeyId,
      jobTags: options.jobTags,
      customModelTags: options.customModelTags,
      trainingDataConfig: { s3Uri: `${this.trainingDataS3Uri}${options.trainingDataFile ?? 'train.jsonl'}` },
      validationDataConfig: validators.length > 0 ? { validators } : undefined,
      outputDataConfig: { s3Uri: this.outputS3Uri },
      hyperParameters: options.hyperParameters,
    });
  }
}
