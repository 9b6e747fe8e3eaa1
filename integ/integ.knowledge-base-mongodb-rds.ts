/**
 * Snapshot of encrypted knowledge bases on MongoDB Atlas and Aurora PostgreSQL (RDS), each
 * reading its credentials from a Secrets Manager secret encrypted with a customer managed key.
 */
import { App, ArnFormat, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { synthIntegCase } from './integ-case';
import { EncryptedKnowledgeBase, VectorStore } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-kb-mongodb-rds');

const secretKey = new kms.Key(stack, 'SecretKey', { enableKeyRotation: true });
const secret = (id: string) => new secretsmanager.Secret(stack, id, { encryptionKey: secretKey });
const model = 'amazon.titan-embed-text-v2:0';

new EncryptedKnowledgeBase(stack, 'MongoDb', {
  embeddingModel: model,
  vectorStore: VectorStore.mongoDbAtlas({
    endpoint: 'cluster0.abcde.mongodb.net',
    databaseName: 'kb',
    collectionName: 'docs',
    vectorIndexName: 'vector_index',
    credentialsSecret: secret('MongoDbCredentials'),
  }),
});
new EncryptedKnowledgeBase(stack, 'Rds', {
  embeddingModel: model,
  vectorStore: VectorStore.rds({
    clusterArn: stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: 'kb-cluster', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    databaseName: 'kb',
    tableName: 'bedrock_integration.bedrock_kb',
    credentialsSecret: secret('RdsCredentials'),
  }),
});

synthIntegCase(app, 'integ-kb-mongodb-rds', [stack]);
