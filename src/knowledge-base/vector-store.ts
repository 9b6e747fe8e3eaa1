import { Construct } from 'constructs';
import { OpenSearchServerlessBinder, OpenSearchServerlessStoreProps } from './opensearch-serverless-store';
import { S3VectorsBinder, S3VectorsStoreProps } from './s3-vectors-store';
import { MongoDbAtlasBinder, MongoDbAtlasStoreProps, PineconeBinder, PineconeStoreProps, RdsBinder, RdsStoreProps } from './secret-backed-stores';
import { IVectorStoreBinder, VectorStoreBindContext, VectorStoreBinding, VectorStoreValidationContext } from './vector-store-binding';
import { PropsValidator } from '../private/validation';

/**
 * Where an {@link EncryptedKnowledgeBase} keeps its vectors. One `VectorStore` serves one
 * knowledge base.
 *
 * - `s3Vectors()` (default): a new S3 Vectors bucket and index, SSE-KMS with the knowledge base's key.
 * - `openSearchServerless()`: a new VECTORSEARCH collection encrypted with the key, and its index.
 * - `pinecone()`, `mongoDbAtlas()`, `rds()`: an existing store reached over TLS, with credentials
 *   in a Secrets Manager secret the role may read and decrypt.
 */
export class VectorStore {
  /** A new Amazon S3 Vectors bucket and index, encrypted with the knowledge base's key. */
  public static s3Vectors(props: S3VectorsStoreProps = {}): VectorStore {
    return new VectorStore(new S3VectorsBinder(props));
  }

  /** A new Amazon OpenSearch Serverless VECTORSEARCH collection, encrypted with the knowledge base's key. */
  public static openSearchServerless(props: OpenSearchServerlessStoreProps = {}): VectorStore {
    return new VectorStore(new OpenSearchServerlessBinder(props));
  }

  /** An existing Pinecone index. */
  public static pinecone(props: PineconeStoreProps): VectorStore {
    return new VectorStore(new PineconeBinder(props));
  }

  /** An existing MongoDB Atlas collection with a vector search index. */
  public static mongoDbAtlas(props: MongoDbAtlasStoreProps): VectorStore {
    return new VectorStore(new MongoDbAtlasBinder(props));
  }

  /** An existing Amazon Aurora PostgreSQL (pgvector) table. */
  public static rds(props: RdsStoreProps): VectorStore {
    return new VectorStore(new RdsBinder(props));
  }

  /** The knowledge base's `storageConfiguration.type`, for example `S3_VECTORS`. */
  public readonly storageType: string;

  private boundTo?: string;

  private constructor(private readonly binder: IVectorStoreBinder) {
    this.storageType = binder.storageType;
  }

  /**
   * Records problems with the store's props, creating nothing.
   * @internal
   */
  public _validate(v: PropsValidator, context: VectorStoreValidationContext): void {
    if (this.boundTo !== undefined) {
      v.fail('vectorStore', `a VectorStore already used by '${this.boundTo}'`,
        'a VectorStore of its own: one knowledge base per vector store (call the VectorStore factory again)');
    }
    this.binder.validate(v, context);
  }

  /**
   * Creates the store's resources under `scope`.
   * @internal
   */
  public _bind(scope: Construct, context: VectorStoreBindContext): VectorStoreBinding {
    this.boundTo = scope.node.path;
    return this.binder.bind(scope, context);
  }
}
