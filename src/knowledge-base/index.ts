export { EncryptedKnowledgeBase } from './encrypted-knowledge-base';
export type { EncryptedKnowledgeBaseAttributes, EncryptedKnowledgeBaseProps, IEncryptedKnowledgeBase } from './encrypted-knowledge-base';
export { VectorStore } from './vector-store';
export { S3VectorsDistanceMetric } from './s3-vectors-store';
export type { S3VectorsStoreProps } from './s3-vectors-store';
export type { OpenSearchServerlessStoreProps } from './opensearch-serverless-store';
export type { MongoDbAtlasStoreProps, PineconeStoreProps, RdsFieldMapping, RdsStoreProps } from './secret-backed-stores';
