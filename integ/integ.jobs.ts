/**
 * Snapshot of the job constructs (no CloudFormation resource of their own): an evaluation job,
 * a model customization and a model import, each with its key, service role and buckets, and a
 * pipeline role allowed to start them.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { synthIntegCase } from './integ-case';
import { EncryptedEvaluationJob, EncryptedModelCustomization, EncryptedModelImport } from '../src';

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

synthIntegCase(app, 'integ-jobs', [stack]);
