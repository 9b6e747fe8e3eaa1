/**
 * Snapshot of the job constructs (no CloudFormation resource of their own): an evaluation job,
 * a model customization, a model import and a batch inference job, each with its key, service
 * role and buckets, and a pipeline role allowed to start them; and model invocation logging to an
 * encrypted log group and bucket, with the pipeline role allowed to turn it on.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { synthIntegCase } from './integ-case';
import { EncryptedBatchInference, EncryptedEvaluationJob, EncryptedInvocationLogging, EncryptedModelCustomization, EncryptedModelImport } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-jobs');
const pipeline = new iam.Role(stack, 'Pipeline', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });

const evaluation = new EncryptedEvaluationJob(stack, 'Evaluation', {
  evaluatorModels: ['anthropic.claude-3-haiku-20240307-v1:0'],
});
evaluation.grantCreateJob(pipeline);

const customization = new EncryptedModelCustomization(stack, 'FineTune', {
  baseModel: 'amazon.titan-text-express-v1:0:8k',
  trainingDataPrefix: 'train/',
});
customization.grantCreateJob(pipeline);

const modelImport = new EncryptedModelImport(stack, 'Import', { modelDataPrefix: 'weights/' });
modelImport.grantCreateJob(pipeline);

const batch = new EncryptedBatchInference(stack, 'Batch', { inputPrefix: 'records/' });
batch.grantCreateJob(pipeline);

const logging = new EncryptedInvocationLogging(stack, 'InvocationLogging', { logGroupName: '/bedrock/model-invocations/integ' });
logging.grantPutLoggingConfiguration(pipeline);

synthIntegCase(app, 'integ-jobs', [stack]);
