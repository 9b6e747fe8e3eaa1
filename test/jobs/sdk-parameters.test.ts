/**
 * The parameter objects carry the AWS SDK's field names: each must be assignable to the SDK's
 * request type (checked by the compiler, so a renamed or misspelled field fails the build), and
 * every field, nested ones included, must be a member of the SDK's runtime schema for that request,
 * with every required member present (ts-jest only transpiles here, so this runtime check is what
 * `jest` enforces; `tsc -p tsconfig.dev.json` enforces the types). Needs the devDependency
 * @aws-sdk/client-bedrock.
 */
import {
  CreateEvaluationJobRequest$, CreateModelCustomizationJobRequest$, CreateModelImportJobRequest$, CreateModelInvocationJobRequest$,
  PutModelInvocationLoggingConfigurationRequest$,
  type CreateEvaluationJobRequest, type CreateModelCustomizationJobRequest, type CreateModelImportJobRequest, type CreateModelInvocationJobRequest,
  type PutModelInvocationLoggingConfigurationRequest, type LoggingConfig,
} from '@aws-sdk/client-bedrock';
import { EncryptedBatchInference, EncryptedEvaluationJob, EncryptedInvocationLogging, EncryptedModelCustomization, EncryptedModelImport } from '../../src/jobs';
import { testStack } from '../util/synthesized-policies';

/** Every key of the request type, listed so the compiler checks the list against the type. */
type Keys<T> = { [K in keyof Required<T>]: true };
const EVALUATION_KEYS: Keys<CreateEvaluationJobRequest> = {
  jobName: true,
  jobDescription: true,
  clientRequestToken: true,
  roleArn: true,
  customerEncryptionKeyId: true,
  jobTags: true,
  applicationType: true,
  evaluationConfig: true,
  inferenceConfig: true,
  outputDataConfig: true,
};
const CUSTOMIZATION_KEYS: Keys<CreateModelCustomizationJobRequest> = {
  jobName: true,
  customModelName: true,
  roleArn: true,
  clientRequestToken: true,
  baseModelIdentifier: true,
  customizationType: true,
  customModelKmsKeyId: true,
  jobTags: true,
  customModelTags: true,
  trainingDataConfig: true,
  validationDataConfig: true,
  outputDataConfig: true,
  hyperParameters: true,
  vpcConfig: true,
  customizationConfig: true,
};
const IMPORT_KEYS: Keys<CreateModelImportJobRequest> = {
  jobName: true,
  importedModelName: true,
  roleArn: true,
  modelDataSource: true,
  jobTags: true,
  importedModelTags: true,
  clientRequestToken: true,
  vpcConfig: true,
  importedModelKmsKeyId: true,
};
const BATCH_KEYS: Keys<CreateModelInvocationJobRequest> = {
  jobName: true,
  roleArn: true,
  clientRequestToken: true,
  modelId: true,
  inputDataConfig: true,
  outputDataConfig: true,
  vpcConfig: true,
  timeoutDurationInHours: true,
  tags: true,
  modelInvocationType: true,
};
const LOGGING_CONFIG_KEYS: Keys<LoggingConfig> = {
  cloudWatchConfig: true,
  s3Config: true,
  textDataDeliveryEnabled: true,
  imageDataDeliveryEnabled: true,
  embeddingDataDeliveryEnabled: true,
  videoDataDeliveryEnabled: true,
  audioDataDeliveryEnabled: true,
};

/**
 * Problems of `value` against an SDK schema: structure `[3, ns, name, traits, members, types, requiredCount]`,
 * union `[4, ns, name, traits, members, types]`, list `[1, ns, name, traits, memberType]`; member types
 * are numbers (simple), thunks, or `[thunk, traits]`.
 */
function schemaProblems(value: any, schema: any, path: string): string[] {
  const t = Array.isArray(schema) && typeof schema[0] === 'function' ? schema[0] : schema;
  const s = typeof t === 'function' ? t() : t;
  if (!Array.isArray(s)) return [];
  if (s[0] === 1 && Array.isArray(value)) return value.flatMap((v, i) => schemaProblems(v, s[4], `${path}[${i}]`));
  if ((s[0] !== 3 && s[0] !== 4) || value === null || typeof value !== 'object') return [];
  const members: string[] = s[4];
  const problems = Object.keys(value).flatMap((k) => {
    const i = members.indexOf(k);
    return i < 0 ? [`${path}.${k} is not a member of ${s[2]}`] : schemaProblems(value[k], s[5][i], `${path}.${k}`);
  });
  const required = s[0] === 3 ? members.slice(0, s[6] ?? 0) : [];
  return [...problems, ...required.filter((k) => !(k in value)).map((k) => `${path}.${k} (required by ${s[2]}) is missing`)];
}

test('the schema check finds unknown and missing fields', () => {
  expect(schemaProblems({ jobName: 'j', roleArn: 'r', outputDataConfig: { s3uri: 'x' }, jobTags: [{ key: 'k', valu: 'v' }] }, CreateEvaluationJobRequest$, 'request')).toEqual([
    'request.outputDataConfig.s3uri is not a member of EvaluationOutputDataConfig',
    'request.outputDataConfig.s3Uri (required by EvaluationOutputDataConfig) is missing',
    'request.jobTags[0].valu is not a member of Tag',
    'request.jobTags[0].value (required by Tag) is missing',
    'request.evaluationConfig (required by CreateEvaluationJobRequest) is missing',
    'request.inferenceConfig (required by CreateEvaluationJobRequest) is missing',
  ]);
});

const tags = [{ key: 'team', value: 'ml' }];

test('evaluation parameters are a CreateEvaluationJobRequest', () => {
  const job = new EncryptedEvaluationJob(testStack(), 'Eval');
  const params = job.createJobParameters({
    jobName: 'eval-1',
    jobDescription: 'd',
    clientRequestToken: 't',
    applicationType: 'ModelEvaluation',
    jobTags: tags,
    evaluationConfig: { automated: { datasetMetricConfigs: [{ taskType: 'General', dataset: { name: 'd', datasetLocation: { s3Uri: `${job.datasetS3Uri}d.jsonl` } }, metricNames: ['Builtin.Accuracy'] }] } },
    inferenceConfig: { models: [{ bedrockModel: { modelIdentifier: 'anthropic.claude-3-haiku-20240307-v1:0' } }] },
  });
  const request: CreateEvaluationJobRequest = { ...params, applicationType: 'ModelEvaluation', evaluationConfig: params.evaluationConfig as any, inferenceConfig: params.inferenceConfig as any };
  expect(Object.keys(request).filter((k) => !(k in EVALUATION_KEYS))).toEqual([]);
  expect(Object.keys(params).filter((k) => !(k in EVALUATION_KEYS))).toEqual([]);
  expect(Object.keys(params)).toHaveLength(10);
  expect(schemaProblems(params, CreateEvaluationJobRequest$, 'params')).toEqual([]);
});

test('customization parameters are a CreateModelCustomizationJobRequest', () => {
  const job = new EncryptedModelCustomization(testStack(), 'FineTune', { baseModel: 'amazon.titan-text-express-v1:0:8k' });
  const params = job.createJobParameters({
    jobName: 'ft-1',
    customModelName: 'm',
    customizationType: 'FINE_TUNING',
    hyperParameters: { epochCount: '1' },
    validationDataFiles: ['v.jsonl'],
    clientRequestToken: 't',
    jobTags: tags,
    customModelTags: tags,
  });
  const request: CreateModelCustomizationJobRequest = { ...params, customizationType: 'FINE_TUNING' };
  expect(Object.keys(request).filter((k) => !(k in CUSTOMIZATION_KEYS))).toEqual([]);
  expect(Object.keys(params)).toHaveLength(13);
  expect(schemaProblems(params, CreateModelCustomizationJobRequest$, 'params')).toEqual([]);
});

test('import parameters are a CreateModelImportJobRequest', () => {
  const job = new EncryptedModelImport(testStack(), 'Import');
  const params = job.createJobParameters({ jobName: 'imp-1', importedModelName: 'm', clientRequestToken: 't', jobTags: tags, importedModelTags: tags });
  const request: CreateModelImportJobRequest = params;
  expect(Object.keys(request).filter((k) => !(k in IMPORT_KEYS))).toEqual([]);
  expect(Object.keys(params)).toHaveLength(8);
  expect(schemaProblems(params, CreateModelImportJobRequest$, 'params')).toEqual([]);
});

test('batch inference parameters are a CreateModelInvocationJobRequest', () => {
  const job = new EncryptedBatchInference(testStack(), 'Batch');
  const params = job.createJobParameters({
    jobName: 'batch-1',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    inputFile: 'records.jsonl',
    s3InputFormat: 'JSONL',
    modelInvocationType: 'Converse',
    timeoutDurationInHours: 24,
    clientRequestToken: 't',
    tags,
  });
  const request: CreateModelInvocationJobRequest = { ...params, inputDataConfig: { s3InputDataConfig: { ...params.inputDataConfig.s3InputDataConfig, s3InputFormat: 'JSONL' } }, modelInvocationType: 'Converse' };
  expect(Object.keys(request).filter((k) => !(k in BATCH_KEYS))).toEqual([]);
  expect(Object.keys(params)).toHaveLength(9);
  expect(schemaProblems(params, CreateModelInvocationJobRequest$, 'params')).toEqual([]);
});

test('invocation logging parameters are a PutModelInvocationLoggingConfigurationRequest', () => {
  const logging = new EncryptedInvocationLogging(testStack(), 'Logging');
  const params = logging.putLoggingConfigurationParameters({
    textDataDeliveryEnabled: true,
    imageDataDeliveryEnabled: true,
    embeddingDataDeliveryEnabled: true,
    videoDataDeliveryEnabled: true,
    audioDataDeliveryEnabled: true,
  });
  const request: PutModelInvocationLoggingConfigurationRequest = params;
  expect(Object.keys(request.loggingConfig!).filter((k) => !(k in LOGGING_CONFIG_KEYS))).toEqual([]);
  expect(Object.keys(params.loggingConfig)).toHaveLength(7);
  expect(schemaProblems(params, PutModelInvocationLoggingConfigurationRequest$, 'params')).toEqual([]);
});
