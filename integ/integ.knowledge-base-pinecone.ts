/**
 * Snapshot of an encrypted knowledge base on Pinecone, reading the API key from a Secrets
 * Manager secret encrypted with a customer managed key.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { synthIntegCase } from './integ-case';
import { EncryptedKnowledgeBase, VectorStore } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-kb-pinecone');

const secretKey = new kms.Key(stack, 'SecretKey', { enableKeyRotation: true });
const secret = (id: string) => new secretsmanager.Secret(stack, id, { encryptionKey: secretKey });
const model = 'amazon.titan-embed-text-v2:0';

new EncryptedKnowledgeBase(stack, 'Pinecone', {
  embeddingModel: model,
  vectorStore: VectorStore.pinecone({
    connectionString: 'https://docs-abc1234.svc.aped-4627-b74a.pinecone.io',
    credentialsSecret: secret('PineconeKey'),
    indexNamespace: 'kb',
  }),
});
synthIntegCase(app, 'integ-kb-pinecone', [stack]);
