/**
 * Snapshot of an encrypted knowledge base on OpenSearch Serverless: collection, encryption,
 * network and data-access policies, and the vector index.
 */
import { App, Stack } from 'aws-cdk-lib';
import { synthIntegCase } from './integ-case';
import { EncryptedKnowledgeBase, VectorStore } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-kb-opensearch');

new EncryptedKnowledgeBase(stack, 'Docs', {
  embeddingModel: 'amazon.titan-embed-text-v2:0',
  vectorStore: VectorStore.openSearchServerless({ collectionName: 'integ-docs', standbyReplicas: false }),
});

synthIntegCase(app, 'integ-kb-opensearch', [stack]);
