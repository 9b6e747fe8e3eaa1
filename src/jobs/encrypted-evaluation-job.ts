import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptedJobProps } from './encrypted-job-props';
import { bucketStatements, BucketAccess, newJobBucket, s3Uri, validateBroughtBucket, validatePrefix } from './job-buckets';
import { validateInvokableModels } from './job-models';
import { addJobOutputs } from './job-outputs';
import { JobS3Location, JobTag } from './job-parameters';
import { compact } from './job-requests';
import { IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { EvaluationJobEncryptionStatements } from '../policy/evaluation-job';
import { BedrockResourceType } from '../policy/resource-type';
import { PolicyScope, PolicyScopes } from '../policy/scope';
import { accountModelArnType, parseModel, invokeModelStatements } from '../private/model-arns';
import { passRoleToBedrock } from '../private/pass-role';
import { PropsValidator } from '../private/validation';
import { BedrockServiceRole } from '../role/bedrock-service-role';
import { writeIdentityPolicy } from '../wiring/policy-writer';

/**
 * What the role may do with judge (evaluator) models besides invoking them: run and stop the
 * batch inference jobs the evaluation uses.
 * Source: Amazon Bedrock User Guide, "Required service role permissions for creating a model evaluation job that uses a
 * judge model", https://docs.aws.amazon.com/bedrock/latest/userguide/judge-service-roles.html, statement "BedrockModelInvoke".
 * The page lists them on model ARNs; IAM matches each action only on the resource types the Service Authorization
 * Reference gives it: `CreateModelInvocationJob` on the model-invocation job and its foundation or custom model,
 * `StopModelInvocationJob` on the model-invocation job alone.
 */
function judgeJobStatements(scope: PolicyScope, judgeModels: string[]): iam.PolicyStatement[] {
  if (judgeModels.length === 0) return [];
  const models = judgeModels.flatMap((model) => {
    const parsed = parseModel(scope, model);
    if (parsed === undefined) return accountModelArnType(model) === 'custom-model' ? [model] : [];
    switch (parsed.kind) {
      case 'foundation-model': return [parsed.modelArn];
      case 'inference-profile': return [parsed.modelArns];
      case 'unresolved': return [parsed.value];
    }
  });
  const jobs = BedrockResourceType.MODEL_INVOCATION_JOB.arnPattern(scope);
  return [
    new iam.PolicyStatement({ actions: ['bedrock:CreateModelInvocationJob'], resources: [jobs, ...models] }),
    new iam.PolicyStatement({ actions: ['bedrock:StopModelInvocationJob'], resources: [jobs] }),
  ];
}

/**
 * The models an evaluation job may evaluate: `bedrock:CreateEvaluationJob` accepts foundation models,
 * custom models, prompt routers and default prompt routers (Service Authorization Reference for Amazon
 * Bedrock), never the evaluation job itself; these are every such model of the scope's account and region.
 */
function evaluableModels(scope: PolicyScope): string[] {
  return [
    PolicyScopes.arn(scope, 'bedrock', 'foundation-model/*', undefined, ''),
    ...['custom-model', 'prompt-router', 'default-prompt-router'].map((type) => BedrockResourceType.of(type).arnPattern(scope)),
  ];
}

/** Properties of an {@link EncryptedEvaluationJob}. */
export interface EncryptedEvaluationJobProps extends EncryptedJobProps {
  /**
   * The bucket that holds the prompt datasets. Its KMS key must be known to this app
   * (`bucket.encryptionKey`); the role may read it only under `datasetPrefix`.
   *
   * @default - a new bucket: SSE-KMS with the job key, public access blocked, TLS enforced
   */
  readonly datasetBucket?: s3.IBucket;

  /**
   * Key prefix of the datasets in `datasetBucket`, relative to the bucket.
   *
   * @default 'datasets/'
   */
  readonly datasetPrefix?: string;

  /**
   * The bucket the job writes its results to. Its KMS key must be known to this app; the
   * role may read and write under `outputPrefix` (judge-model jobs read their output back), list
   * the bucket and its multipart uploads, and read its location, as the evaluation service-role
   * pages give ("AllowAccessToOutputBucket").
   *
   * @default - a new bucket: SSE-KMS with the job key, public access blocked, TLS enforced
   */
  readonly outputBucket?: s3.IBucket;

  /**
   * Key prefix of the results in `outputBucket`, relative to the bucket.
   *
   * @default 'results/'
   */
  readonly outputPrefix?: string;

  /**
   * Models the job invokes: the models under evaluation and any judge (evaluator) models.
   * The role gets `bedrock:InvokeModel` on these and no others. Each is a foundation model
   * id or ARN, an inference profile id or ARN, or the ARN of a custom, provisioned or
   * imported model or application inference profile.
   *
   * @default - none: the role may invoke no model
   */
  readonly evaluatorModels?: string[];
}

/** What only the caller knows when it creates an evaluation job. */
export interface EvaluationJobParameterOptions {
  /** The job name (`jobName`). */
  readonly jobName: string;

  /**
   * `evaluationConfig` as the AWS SDK takes it, e.g. `{ automated: { datasetMetricConfigs: [...] } }`.
   * Dataset locations should be under `datasetS3Uri`, the only place the role may read.
   */
  readonly evaluationConfig: { [key: string]: any };

  /** `inferenceConfig` as the AWS SDK takes it, e.g. `{ models: [{ bedrockModel: { modelIdentifier } }] }`. */
  readonly inferenceConfig: { [key: string]: any };

  /**
   * The job description.
   *
   * @default - none
   */
  readonly jobDescription?: string;

  /**
   * Idempotency token.
   *
   * @default - none
   */
  readonly clientRequestToken?: string;

  /**
   * `ModelEvaluation`. Knowledge base evaluations (`RagEvaluation`) are rejected: their role also
   * needs `bedrock:Retrieve` and `bedrock:RetrieveAndGenerate` on the knowledge base and key
   * statements for its encryption context, which this construct does not write.
   *
   * @default - the API's default, `ModelEvaluation`
   */
  readonly applicationType?: string;

  /**
   * Tags for the job. Tagging also needs `bedrock:TagResource`, which `grantCreateJob` does not give.
   *
   * @default - none
   */
  readonly jobTags?: JobTag[];
}

/**
 * The request for `CreateEvaluationJob`, with the AWS SDK's field names
 * (`CreateEvaluationJobRequest`). Values may be tokens that resolve at deploy time.
 */
export interface EvaluationJobParameters {
  /** The job name. */
  readonly jobName: string;
  /** The job description. @default - none */
  readonly jobDescription?: string;
  /** Idempotency token. @default - none */
  readonly clientRequestToken?: string;
  /** ARN of the job's service role. */
  readonly roleArn: string;
  /** ARN of the key Bedrock encrypts the job data with. */
  readonly customerEncryptionKeyId: string;
  /** Tags for the job. @default - none */
  readonly jobTags?: JobTag[];
  /** `ModelEvaluation` or `RagEvaluation`. @default - the API's default */
  readonly applicationType?: string;
  /** What to evaluate and how, as given. */
  readonly evaluationConfig: { [key: string]: any };
  /** The models or RAG sources to run, as given. */
  readonly inferenceConfig: { [key: string]: any };
  /** Where the job writes its results: `outputS3Uri`. */
  readonly outputDataConfig: JobS3Location;
}

/**
 * Everything a Bedrock model evaluation job needs to run with a customer managed key:
 * the key, a service role, the dataset and output buckets, and the key-policy statement for
 * Bedrock. CloudFormation has no resource for evaluation jobs: create the job with the
 * parameters from `createJobParameters` (for example from a Step Functions task).
 *
 * Key policy: `bedrock.amazonaws.com` may use the key (`GenerateDataKey`, `Decrypt`,
 * `DescribeKey`) only when `kms:EncryptionContext:evaluationJobArn` and `aws:SourceArn` are
 * evaluation jobs of this account and region. Role: `Decrypt`/`GenerateDataKey` only through
 * `s3.<region>`, and `DescribeKey` (Bedrock User Guide, "Data encryption for model evaluation jobs").
 */
export class EncryptedEvaluationJob extends Construct {
  /** The key the job encrypts with. */
  public readonly encryptionKey: kms.IKey;
  /** The key with the statements added for this job. */
  public readonly bedrockKey: IBedrockKey;
  /** The job's service role. */
  public readonly role: iam.IRole;
  /** The bucket the datasets are read from. */
  public readonly datasetBucket: s3.IBucket;
  /** The bucket the results are written to. */
  public readonly outputBucket: s3.IBucket;
  /** The key ARN, for `customerEncryptionKeyId`. */
  public readonly customerEncryptionKeyId: string;
  /** The service role ARN, for `roleArn`. */
  public readonly roleArn: string;
  /** `s3://<dataset bucket>/<datasetPrefix>`: where the job may read datasets. */
  public readonly datasetS3Uri: string;
  /** `s3://<output bucket>/<outputPrefix>`, for `outputDataConfig.s3Uri`. */
  public readonly outputS3Uri: string;

  constructor(scope: Construct, id: string, props: EncryptedEvaluationJobProps = {}) {
    const policyScope = PolicyScopes.of(scope);
    const v = new PropsValidator(scope, `EncryptedEvaluationJob '${id}'`);
    v.kmsKey('encryptionKey', props.encryptionKey);
    validateBroughtBucket(v, 'datasetBucket', props.datasetBucket);
    validateBroughtBucket(v, 'outputBucket', props.outputBucket);
    validatePrefix(v, 'datasetPrefix', props.datasetPrefix);
    validatePrefix(v, 'outputPrefix', props.outputPrefix);
    validateInvokableModels(v, 'evaluatorModels', props.evaluatorModels, policyScope);
    v.throwIfInvalid();

    super(scope, id);
    const datasetPrefix = props.datasetPrefix ?? 'datasets/';
    const outputPrefix = props.outputPrefix ?? 'results/';

    this.bedrockKey = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = this.bedrockKey.key;
    this.role = props.role ?? new BedrockServiceRole(this, 'Role', { resourceType: BedrockResourceType.EVALUATION_JOB });
    this.datasetBucket = props.datasetBucket ?? newJobBucket(this, 'DatasetBucket', this.encryptionKey, props.removalPolicy);
    this.outputBucket = props.outputBucket ?? newJobBucket(this, 'OutputBucket', this.encryptionKey, props.removalPolicy);

    const keyArn = this.bedrockKey.keyArn;
    this.bedrockKey.addStatements(...EvaluationJobEncryptionStatements.bedrockServiceKeyUse(policyScope));
    writeIdentityPolicy(this.role, [
      ...EvaluationJobEncryptionStatements.serviceRoleIdentity(policyScope, keyArn),
      ...bucketStatements(policyScope, [
        { bucket: this.datasetBucket, prefix: datasetPrefix, access: BucketAccess.READ },
        { bucket: this.outputBucket, prefix: outputPrefix, access: BucketAccess.EVALUATION_OUTPUT },
      ], [keyArn]),
      ...invokeModelStatements(policyScope, props.evaluatorModels ?? []),
      ...judgeJobStatements(policyScope, props.evaluatorModels ?? []),
    ], { scope: this, subject: `the evaluation job '${this.node.path}'` });

    this.customerEncryptionKeyId = keyArn;
    this.roleArn = this.role.roleArn;
    this.datasetS3Uri = s3Uri(this.datasetBucket, datasetPrefix);
    this.outputS3Uri = s3Uri(this.outputBucket, outputPrefix);

    addJobOutputs(this, props.outputs, [
      { id: 'CustomerEncryptionKeyId', value: this.customerEncryptionKeyId, description: 'CreateEvaluationJob customerEncryptionKeyId' },
      { id: 'RoleArn', value: this.roleArn, description: 'CreateEvaluationJob roleArn' },
      { id: 'DatasetS3Uri', value: this.datasetS3Uri, description: 'Where the evaluation job may read datasets' },
      { id: 'OutputS3Uri', value: this.outputS3Uri, description: 'CreateEvaluationJob outputDataConfig.s3Uri' },
    ]);
  }

  /**
   * Lets `grantee` create evaluation jobs with this setup: `bedrock:CreateEvaluationJob` on the
   * foundation models, custom models and prompt routers of this account and region (the resource
   * types IAM authorizes the action on), `iam:PassRole` on the role (only to Bedrock),
   * and the caller's key use (`DescribeKey`, `GenerateDataKey`, `Decrypt` through Bedrock or S3).
   */
  public grantCreateJob(grantee: iam.IGrantable): iam.Grant {
    const scope = PolicyScopes.of(this);
    return writeIdentityPolicy(grantee, [
      new iam.PolicyStatement({
        actions: ['bedrock:CreateEvaluationJob'],
        resources: evaluableModels(scope),
      }),
      passRoleToBedrock(this.role),
      ...EvaluationJobEncryptionStatements.creatorIdentity(scope, this.bedrockKey.keyArn),
    ], { scope: this, subject: `callers of '${this.node.path}'` });
  }

  /**
   * The `CreateEvaluationJob` request: the caller's values plus this construct's role, key and
   * output location, with the AWS SDK's field names, ready to pass to the API.
   */
  public createJobParameters(options: EvaluationJobParameterOptions): EvaluationJobParameters {
    new PropsValidator(this, 'createJobParameters')
      .pattern('applicationType', options.applicationType, /^ModelEvaluation$/,
        "'ModelEvaluation': knowledge base evaluations (RagEvaluation) need Retrieve and RetrieveAndGenerate on the " +
        'knowledge base and key statements for its encryption context, which EncryptedEvaluationJob does not write')
      .throwIfInvalid();
    return compact({
      jobName: options.jobName,
      jobDescription: options.jobDescription,
      clientRequestToken: options.clientRequestToken,
      roleArn: this.roleArn,
      customerEncryptionKeyId: this.customerEncryptionKeyId,
      jobTags: options.jobTags,
      applicationType: options.applicationType,
      evaluationConfig: options.evaluationConfig,
      inferenceConfig: options.inferenceConfig,
      outputDataConfig: { s3Uri: this.outputS3Uri },
    });
  }
}
