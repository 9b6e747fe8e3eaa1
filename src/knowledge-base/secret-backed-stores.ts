import { Annotations } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { exampleDecryptStatement } from './example-statements';
import { IVectorStoreBinder, VectorStoreBindContext, VectorStoreBinding } from './vector-store-binding';
import { KnowledgeBaseEncryptionStatements } from '../policy/knowledge-base';
import { isResolved, PropsValidator } from '../private/validation';
import { BedrockEncryptionWarnings } from '../wiring/warnings';

/** Properties of a Pinecone vector store. */
export interface PineconeStoreProps {
  /** The `https://` endpoint of the Pinecone index (its host, from the index's management page). */
  readonly connectionString: string;

  /**
   * The secret holding the Pinecone API key (`{"apiKey": "..."}`). Import it with its
   * `encryptionKey` (`Secret.fromSecretAttributes`) so the role can decrypt it.
   */
  readonly credentialsSecret: secretsmanager.ISecret;

  /**
   * Pinecone namespace to write vectors to (CloudFormation `Namespace`; `namespace` is a
   * reserved word in C#).
   *
   * @default - the index's default namespace
   */
  readonly indexNamespace?: string;

  /**
   * Metadata field that holds the chunk text.
   *
   * @default 'text'
   */
  readonly textField?: string;

  /**
   * Metadata field that holds Bedrock's metadata.
   *
   * @default 'metadata'
   */
  readonly metadataField?: string;
}

/** Properties of a MongoDB Atlas vector store. */
export interface MongoDbAtlasStoreProps {
  /**
   * Host name of the Atlas cluster, for example `cluster0.abcde.mongodb.net`. Atlas accepts
   * TLS connections only; `http://`, `mongodb://` and `host:port` forms are rejected.
   */
  readonly endpoint: string;

  /** Database name. */
  readonly databaseName: string;

  /** Collection name. */
  readonly collectionName: string;

  /** Name of the Atlas Vector Search index. */
  readonly vectorIndexName: string;

  /**
   * The secret holding the database user's credentials (`{"username": ..., "password": ...}`).
   * Import it with its `encryptionKey` so the role can decrypt it.
   */
  readonly credentialsSecret: secretsmanager.ISecret;

  /**
   * Name of the VPC endpoint service connected to the cluster (AWS PrivateLink).
   *
   * @default - the cluster is reached over its public TLS endpoint
   */
  readonly endpointServiceName?: string;

  /**
   * Name of the Atlas Search text index, for hybrid search.
   *
   * @default - no hybrid search
   */
  readonly textIndexName?: string;

  /**
   * Field that holds the embeddings.
   *
   * @default 'embedding'
   */
  readonly vectorField?: string;

  /**
   * Field that holds the chunk text.
   *
   * @default 'text'
   */
  readonly textField?: string;

  /**
   * Field that holds Bedrock's metadata.
   *
   * @default 'metadata'
   */
  readonly metadataField?: string;
}

/** Column names of an Amazon RDS (Aurora PostgreSQL, pgvector) vector table. */
export interface RdsFieldMapping {
  /**
   * Primary-key column.
   *
   * @default 'id'
   */
  readonly primaryKeyField?: string;

  /**
   * Vector column.
   *
   * @default 'embedding'
   */
  readonly vectorField?: string;

  /**
   * Chunk-text column.
   *
   * @default 'chunks'
   */
  readonly textField?: string;

  /**
   * Bedrock-metadata column.
   *
   * @default 'metadata'
   */
  readonly metadataField?: string;

  /**
   * Column for custom metadata from the data source.
   *
   * @default - none
   */
  readonly customMetadataField?: string;
}

/** Properties of an Amazon Aurora PostgreSQL (pgvector) vector store, reached through the RDS Data API (HTTPS). */
export interface RdsStoreProps {
  /** ARN of the Aurora DB cluster (`arn:<partition>:rds:<region>:<account>:cluster:<name>`), with the Data API enabled. */
  readonly clusterArn: string;

  /** Database name. */
  readonly databaseName: string;

  /** Table name, optionally schema-qualified (`bedrock_integration.bedrock_kb`). */
  readonly tableName: string;

  /**
   * The secret holding the database credentials. Import it with its `encryptionKey` so the role
   * can decrypt it.
   */
  readonly credentialsSecret: secretsmanager.ISecret;

  /**
   * Column names.
   *
   * @default - id, embedding, chunks, metadata
   */
  readonly fieldMapping?: RdsFieldMapping;
}

const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/;
const FIELD_FORM = 'a field name: a letter or underscore, then letters, digits, _ . - (at most 63)';

/**
 * What the third-party stores share: the credentials secret. The role reads the secret and
 * decrypts it through Secrets Manager with the secret's key; a secret whose key is unknown gets
 * a warning saying which statement to add.
 */
abstract class SecretBackedBinder implements IVectorStoreBinder {
  public abstract readonly storageType: string;

  protected constructor(private readonly secret: secretsmanager.ISecret) {}

  public validate(v: PropsValidator): void {
    this.validateStore(v);
  }

  public bind(scope: Construct, context: VectorStoreBindContext): VectorStoreBinding {
    const roleStatements = [
      // Source: Bedrock User Guide, kb-permissions.html (vector store secret: secretsmanager:GetSecretValue).
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secretResource()] }),
      ...this.storeRoleStatements(),
    ];
    const secretKey = this.secret.encryptionKey;
    if (secretKey) {
      roleStatements.push(...KnowledgeBaseEncryptionStatements.secretIdentity(context.policyScope, secretKey.keyArn));
    } else {
      this.warnUnknownSecretKey(scope, context);
    }
    return {
      storageConfiguration: this.storageConfiguration(this.secret.secretFullArn ?? this.secret.secretArn),
      roleStatements,
      keyStatements: [],
      dependencies: [],
    };
  }

  protected abstract validateStore(v: PropsValidator): void;
  protected abstract storageConfiguration(secretArn: string): bedrock.CfnKnowledgeBase.StorageConfigurationProperty;
  protected storeRoleStatements(): iam.PolicyStatement[] {
    return [];
  }

  /** The full ARN, or the partial ARN with Secrets Manager's 6-character suffix as a wildcard. */
  private secretResource(): string {
    return this.secret.secretFullArn ?? `${this.secret.secretArn}-??????`;
  }

  private warnUnknownSecretKey(scope: Construct, context: VectorStoreBindContext): void {
    const json = exampleDecryptStatement(context.policyScope, 'secretsmanager', '<ARN of the key that encrypts the secret>');
    const where = isResolved(this.secret.secretArn) ? this.secret.secretArn : `'${this.secret.node.path}'`;
    Annotations.of(scope).addWarningV2(BedrockEncryptionWarnings.SECRET_KEY_UNKNOWN,
      `The key that encrypts credentials secret ${where} is not known to this app. If it is the AWS managed key ` +
      'aws/secretsmanager, nothing is needed. If it is a customer managed key, import the secret with ' +
      '`secretsmanager.Secret.fromSecretAttributes(this, id, { secretCompleteArn, encryptionKey })`, ' +
      `or add this statement to the knowledge base role: ${json}`);
  }
}

/** Rejects anything but an `https://` URL. */
function requireHttps(v: PropsValidator, prop: string, value: string): void {
  v.pattern(prop, value, /^https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/\S*)?$/,
    "an https:// URL (Bedrock reaches third-party stores over TLS; http:// and bare 'host:port' are rejected)");
}

function fieldNames(v: PropsValidator, fields: Record<string, string | undefined>): void {
  for (const [prop, value] of Object.entries(fields)) v.pattern(prop, value, FIELD_RE, FIELD_FORM);
}

/** Pinecone: `credentialsSecretArn` holds the API key. */
export class PineconeBinder extends SecretBackedBinder {
  public readonly storageType = 'PINECONE';

  constructor(private readonly props: PineconeStoreProps) {
    super(props.credentialsSecret);
  }

  protected validateStore(v: PropsValidator): void {
    requireHttps(v, 'vectorStore.connectionString', this.props.connectionString);
    fieldNames(v, { 'vectorStore.textField': this.props.textField, 'vectorStore.metadataField': this.props.metadataField });
  }

  protected storageConfiguration(secretArn: string): bedrock.CfnKnowledgeBase.StorageConfigurationProperty {
    return {
      type: this.storageType,
      pineconeConfiguration: {
        connectionString: this.props.connectionString,
        credentialsSecretArn: secretArn,
        namespace: this.props.indexNamespace,
        fieldMapping: { textField: this.props.textField ?? 'text', metadataField: this.props.metadataField ?? 'metadata' },
      },
    };
  }
}

/** MongoDB Atlas: TLS-only host name, credentials in the secret. */
export class MongoDbAtlasBinder extends SecretBackedBinder {
  public readonly storageType = 'MONGO_DB_ATLAS';

  constructor(private readonly props: MongoDbAtlasStoreProps) {
    super(props.credentialsSecret);
  }

  protected validateStore(v: PropsValidator): void {
    // CloudFormation's pattern for AWS::Bedrock::KnowledgeBase MongoDbAtlasConfiguration.Endpoint.
    v.pattern('vectorStore.endpoint', this.props.endpoint, /^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+\.mongodb\.net$/,
      "the Atlas cluster host name, <cluster>.<id>.mongodb.net ('cluster0.abcde.mongodb.net'): Atlas accepts TLS only, " +
      'so no http://, mongodb:// or host:port');
    v.pattern('vectorStore.databaseName', this.props.databaseName, /^[^/\\. "$]{1,63}$/, 'a MongoDB database name');
    v.pattern('vectorStore.collectionName', this.props.collectionName, /^[^$\s][^$]{0,254}$/, 'a MongoDB collection name');
    fieldNames(v, {
      'vectorStore.vectorField': this.props.vectorField,
      'vectorStore.textField': this.props.textField,
      'vectorStore.metadataField': this.props.metadataField,
    });
  }

  protected storageConfiguration(secretArn: string): bedrock.CfnKnowledgeBase.StorageConfigurationProperty {
    return {
      type: this.storageType,
      mongoDbAtlasConfiguration: {
        endpoint: this.props.endpoint,
        databaseName: this.props.databaseName,
        collectionName: this.props.collectionName,
        vectorIndexName: this.props.vectorIndexName,
        credentialsSecretArn: secretArn,
        endpointServiceName: this.props.endpointServiceName,
        textIndexName: this.props.textIndexName,
        fieldMapping: {
          vectorField: this.props.vectorField ?? 'embedding',
          textField: this.props.textField ?? 'text',
          metadataField: this.props.metadataField ?? 'metadata',
        },
      },
    };
  }
}

/** Aurora PostgreSQL through the RDS Data API (always HTTPS). */
export class RdsBinder extends SecretBackedBinder {
  public readonly storageType = 'RDS';

  constructor(private readonly props: RdsStoreProps) {
    super(props.credentialsSecret);
  }

  protected validateStore(v: PropsValidator): void {
    v.pattern('vectorStore.clusterArn', this.props.clusterArn, /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:[a-z][a-z0-9-]{0,62}$/,
      'an Aurora DB cluster ARN (arn:<partition>:rds:<region>:<account>:cluster:<name>)');
    v.pattern('vectorStore.databaseName', this.props.databaseName, /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, 'a PostgreSQL database name');
    v.pattern('vectorStore.tableName', this.props.tableName, /^[A-Za-z_][A-Za-z0-9_$]{0,62}(?:\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/,
      "a PostgreSQL table name, optionally schema-qualified ('bedrock_integration.bedrock_kb')");
    const m = this.props.fieldMapping ?? {};
    fieldNames(v, {
      'vectorStore.fieldMapping.primaryKeyField': m.primaryKeyField,
      'vectorStore.fieldMapping.vectorField': m.vectorField,
      'vectorStore.fieldMapping.textField': m.textField,
      'vectorStore.fieldMapping.metadataField': m.metadataField,
      'vectorStore.fieldMapping.customMetadataField': m.customMetadataField,
    });
  }

  protected storeRoleStatements(): iam.PolicyStatement[] {
    // Source: Bedrock User Guide, kb-permissions.html#kb-permissions-rds.
    return [
      new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.props.clusterArn] }),
      new iam.PolicyStatement({ actions: ['rds-data:BatchExecuteStatement', 'rds-data:ExecuteStatement'], resources: [this.props.clusterArn] }),
    ];
  }

  protected storageConfiguration(secretArn: string): bedrock.CfnKnowledgeBase.StorageConfigurationProperty {
    const m = this.props.fieldMapping ?? {};
    return {
      type: this.storageType,
      rdsConfiguration: {
        resourceArn: this.props.clusterArn,
        databaseName: this.props.databaseName,
        tableName: this.props.tableName,
        credentialsSecretArn: secretArn,
        fieldMapping: {
          primaryKeyField: m.primaryKeyField ?? 'id',
          vectorField: m.vectorField ?? 'embedding',
          textField: m.textField ?? 'chunks',
          metadataField: m.metadataField ?? 'metadata',
          customMetadataField: m.customMetadataField,
        },
      },
    };
  }
}
