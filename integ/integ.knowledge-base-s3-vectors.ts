/**
 * Snapshot of an encrypted knowledge base on the default vector store (S3 Vectors) with an S3
 * data source, and a caller allowed to retrieve and generate.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { synthIntegCase } from './integ-case';
import { EncryptedKnowledgeBase, VectorStore } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-kb-s3-vectors');

const kb = new EncryptedKnowledgeBase(stack, 'Docs', {
  embeddingModel: 'amazon.titan-embed-text-v2:0',
  vectorStore: VectorStore.s3Vectors(),
  inclusionPrefixes: ['docs/'],
});
kb.grantRetrieveAndGenerate(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }),
  'anthropic.claude-3-5-sonnet-20240620-v1:0');

synthIntegCase(app, 'integ-kb-s3-vectors', [stack]);
