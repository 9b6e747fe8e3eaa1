import { Annotations, Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { resolveEmbeddingModel, ResolvedEmbeddingModel } from './embedding-models';
import { exampleDecryptStatement } from './example-statements';
import { VectorStore } from './vector-store';
import { BedrockKey, IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { KnowledgeBaseEncryptionStatements } from '../policy/knowledge-base';
import { BEDROCK_NAME, BEDROCK_NAME_FORM, bedrockResourceIdOf, relativeS3Key } from '../policy/patterns';
import { BedrockResourceType } from '../policy/resource-type';
import { PolicyScope, PolicyScopes } from '../policy/scope';
import { invokeModelStatements, MODEL_FORMS, parseModel } from '../private/model-arns';
import { BedrockEncryptionError, isResolved, PropsValidator } from '../private/validation';
import { IKnowledgeBaseReference } from '../references/knowledge-base-reference';
import { BedrockServiceRole } from '../role/bedrock-service-role';
import { declareDocumentedUnconditionedServiceUse } from '../wiring/declarations';
import { deployingRoleArn } from '../wiring/deploying-role';
import { writeIdentityPolicy } from '../wiring/policy-writer';
import { waitForRole } from '../wiring/resource-wiring';
import { BedrockEncryptionWarnings } from '../wiring/warnings';

/** Properties of an {@link EncryptedKnowledgeBase}. */
export interface EncryptedKnowledgeBaseProps {
  /**
   * The embedding model: a model id (`amazon.titan-embed-text-v2:0`) or a foundation-model ARN.
   * Known models: amazon.titan-embed-text-v2, amazon.titan-embed-text-v1,
   * amazon.titan-embed-g1-text-02, amazon.titan-embed-image-v1, cohere.embed-english-v3,
   * cohere.embed-multilingual-v3. Another model needs `dimensions`.
   */
  readonly embeddingModel: string;

  /**
   * Vector size, checked against the sizes the model supports.
   *
   * @default - the model's default size (1024 for amazon.titan-embed-text-v2:0)
   */
  readonly dimensions?: number;

  /**
   * Where vectors are stored.
   *
   * @default VectorStore.s3Vectors()
   */
  readonly vectorStore?: VectorStore;

  /**
   * The S3 bucket the data source reads. When the bucket's objects are SSE-KMS encrypted, give
   * a bucket whose `encryptionKey` is set (`Bucket.fromBucketAttributes({ encryptionKey })`) so
   * the role may decrypt them through S3.
   *
   * @default - a new bucket: SSE-KMS with the knowledge base's key, bucket key on, TLS enforced,
   *            public access blocked, retained on stack deletion
   */
  readonly dataSourceBucket?: s3.IBucket;

  /**
   * Key prefix the data source ingests, relative to the bucket root (`docs/`). CloudFormation
   * accepts at most one.
   *
   * @default - the whole bucket
   */
  readonly inclusionPrefixes?: string[];

  /**
   * Key for ingestion's transient storage, the default data source bucket and the vector store.
   *
   * @default - a new BedrockKey
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Service role the knowledge base runs as.
   *
   * @default - a new role trusted by bedrock.amazonaws.com for this account's knowledge bases only
   */
  readonly role?: iam.IRole;

  /**
   * Key for `RetrieveAndGenerate` sessions (`sessionConfiguration.kmsKeyArn`). Its policy gets
   * the statement the AWS page gives `bedrock.amazonaws.com`, which has no condition: use a key
   * that encrypts nothing else.
   *
   * @default - a new BedrockKey that encrypts only these sessions
   */
  readonly retrievalSessionKey?: kms.IKey;

  /**
   * Name of the knowledge base: letters and digits, single `_` or `-` between them, up to 100.
   *
   * @default - a unique name derived from the construct path
   */
  readonly knowledgeBaseName?: string;

  /**
   * Description of the knowledge base.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Name of the data source, same form as `knowledgeBaseName`.
   *
   * @default 's3-data-source'
   */
  readonly dataSourceName?: string;

  /**
   * What happens to the default data source bucket when it leaves the stack (ignored when
   * `dataSourceBucket` is given).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The role that deploys the stack and so creates the vector store: an S3 Vectors bucket is
   * created with its credentials under the key (S3 Vectors encryption page), and an OpenSearch
   * Serverless collection's vector index too, so the collection's data-access policy admits it
   * and the key policy lets it create the collection's KMS grant.
   *
   * @default - the CloudFormation execution role of the stack's `DefaultStackSynthesizer`; required
   * for an OpenSearch Serverless store with another synthesizer
   */
  readonly deploymentRole?: iam.IRole;
}

/** A Bedrock knowledge base encrypted with customer managed keys: one of this app, or one imported. */
export interface IEncryptedKnowledgeBase extends IKnowledgeBaseReference, IConstruct, iam.IGrantable {
  /** The key for ingestion, the data source and the vector store. */
  readonly encryptionKey: kms.IKey;

  /** The service role. */
  readonly role: iam.IRole;

  /** ARN of the key to pass as `sessionConfiguration.kmsKeyArn` to `RetrieveAndGenerate`. */
  readonly retrievalSessionKeyArn: string;

  /** Lets `grantee` query the knowledge base (`bedrock:Retrieve`). */
  grantRetrieve(grantee: iam.IGrantable): iam.Grant;

  /** Lets `grantee` call `RetrieveAndGenerate` with `generationModel` and the session key. */
  grantRetrieveAndGenerate(grantee: iam.IGrantable, generationModel: string): iam.Grant;

  /** Lets `grantee` start, read and list ingestion jobs of the knowledge base. */
  grantStartIngestion(grantee: iam.IGrantable): iam.Grant;
}

/** A knowledge base that exists already, for {@link EncryptedKnowledgeBase.fromKnowledgeBaseAttributes}. */
export interface EncryptedKnowledgeBaseAttributes {
  /** The ARN of the knowledge base (`arn:<partition>:bedrock:<region>:<account>:knowledge-base/<id>`). */
  readonly knowledgeBaseArn: string;

  /** The key the sessions of `RetrieveAndGenerate` are encrypted with. */
  readonly retrievalSessionKey: kms.IKey;

  /** The key for ingestion, the data source and the vector store. */
  readonly encryptionKey: kms.IKey;

  /** The knowledge base's service role (`iam.Role.fromRoleArn` for an existing one). */
  readonly role: iam.IRole;
}

/** What new and imported knowledge bases share: the grants. */
abstract class EncryptedKnowledgeBaseBase extends Construct implements IEncryptedKnowledgeBase {
  public abstract readonly knowledgeBaseId: string;
  public abstract readonly knowledgeBaseArn: string;
  public abstract readonly encryptionKey: kms.IKey;
  public abstract readonly role: iam.IRole;
  public abstract readonly grantPrincipal: iam.IPrincipal;
  public abstract readonly retrievalSessionKeyArn: string;

  /** Lets `grantee` query the knowledge base (`bedrock:Retrieve`). */
  public grantRetrieve(grantee: iam.IGrantable): iam.Grant {
    return this.grantStatements(grantee, [new iam.PolicyStatement({ actions: ['bedrock:Retrieve'], resources: [this.knowledgeBaseArn] })]);
  }

  /**
   * Lets `grantee` call `RetrieveAndGenerate` with `generationModel` and this knowledge base's
   * session key: `bedrock:Retrieve` on the knowledge base, `bedrock:RetrieveAndGenerate`
   * (an action without resource-level permissions), inference on the model, and
   * `kms:GenerateDataKey` / `kms:Decrypt` on the session key through Bedrock.
   *
   * @param generationModel model id, foundation-model ARN, inference profile id or ARN
   */
  public grantRetrieveAndGenerate(grantee: iam.IGrantable, generationModel: string): iam.Grant {
    const model = parseModel(PolicyScopes.of(this), generationModel);
    if (model === undefined) {
      throw new BedrockEncryptionError(
        `EncryptedKnowledgeBase at '${this.node.path}': generationModel must be ${MODEL_FORMS}; got ${JSON.stringify(generationModel)}`);
    }
    const statements = [
      new iam.PolicyStatement({ actions: ['bedrock:Retrieve'], resources: [this.knowledgeBaseArn] }),
      // Source: Bedrock User Guide, knowledge-base-prereq-permissions-general.html (RetrieveAndGenerate on "*").
      new iam.PolicyStatement({ actions: ['bedrock:RetrieveAndGenerate'], resources: ['*'] }),
      ...invokeModelStatements(PolicyScopes.of(this), [generationModel]),
      ...KnowledgeBaseEncryptionStatements.retrievalSessionCallerIdentity(PolicyScopes.of(this), this.retrievalSessionKeyArn),
    ];
    return this.grantStatements(grantee, statements);
  }

  /** Lets `grantee` start, read and list ingestion jobs of this knowledge base's data source. */
  public grantStartIngestion(grantee: iam.IGrantable): iam.Grant {
    return this.grantStatements(grantee, [new iam.PolicyStatement({
      actions: ['bedrock:StartIngestionJob', 'bedrock:GetIngestionJob', 'bedrock:ListIngestionJobs', 'bedrock:StopIngestionJob'],
      resources: [this.knowledgeBaseArn],
    })]);
  }

  private grantStatements(grantee: iam.IGrantable, statements: iam.PolicyStatement[]): iam.Grant {
    return writeIdentityPolicy(grantee, statements, { scope: this, subject: `callers of the knowledge base '${this.node.path}'` });
  }
}

/** A knowledge base created outside this construct. */
class ImportedEncryptedKnowledgeBase extends EncryptedKnowledgeBaseBase {
  public readonly knowledgeBaseId: string;
  public readonly knowledgeBaseArn: string;
  public readonly encryptionKey: kms.IKey;
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly retrievalSessionKeyArn: string;

  constructor(scope: Construct, id: string, attrs: EncryptedKnowledgeBaseAttributes) {
    new PropsValidator(scope, `EncryptedKnowledgeBase.fromKnowledgeBaseAttributes '${id}'`)
      .bedrockArn('knowledgeBaseArn', attrs.knowledgeBaseArn, 'knowledge-base', 'a knowledge base')
      .kmsKey('retrievalSessionKey', attrs.retrievalSessionKey)
      .kmsKey('encryptionKey', attrs.encryptionKey)
      .throwIfInvalid();
    super(scope, id);
    this.knowledgeBaseArn = attrs.knowledgeBaseArn;
    this.knowledgeBaseId = bedrockResourceIdOf(attrs.knowledgeBaseArn);
    this.encryptionKey = attrs.encryptionKey;
    this.role = attrs.role;
    this.grantPrincipal = attrs.role;
    this.retrievalSessionKeyArn = attrs.retrievalSessionKey.keyArn;
  }
}


/**
 * An Amazon Bedrock knowledge base with every stage under customer managed keys, in plain
 * CloudFormation (no custom resources):
 *
 * - an S3 data source whose bucket is SSE-KMS and whose ingestion transient storage uses the key;
 * - a vector store (S3 Vectors by default, OpenSearch Serverless, or Pinecone / MongoDB Atlas /
 *   Aurora with a secret the role may read and decrypt);
 * - retrieval sessions encrypted with a key Bedrock may use for this account only.
 */
export class EncryptedKnowledgeBase extends EncryptedKnowledgeBaseBase {
  /**
   * A knowledge base that exists already, so callers can be granted its use. It can also be
   * associated with an `EncryptedAgent`.
   */
  public static fromKnowledgeBaseAttributes(scope: Construct, id: string, attrs: EncryptedKnowledgeBaseAttributes): IEncryptedKnowledgeBase {
    return new ImportedEncryptedKnowledgeBase(scope, id, attrs);
  }

  /**
   * The knowledge base id.
   * @attribute
   */
  public readonly knowledgeBaseId: string;
  /**
   * The knowledge base ARN.
   * @attribute
   */
  public readonly knowledgeBaseArn: string;
  /**
   * The data source id.
   * @attribute
   */
  public readonly dataSourceId: string;
  /** The key for ingestion, the default data source bucket and the vector store. */
  public readonly encryptionKey: kms.IKey;
  /** The service role. */
  public readonly role: iam.IRole;
  /** The service role: granting to the knowledge base grants to its role. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** ARN of the key to pass as `sessionConfiguration.kmsKeyArn` to `RetrieveAndGenerate`. */
  public readonly retrievalSessionKeyArn: string;
  /** The knowledge base resource. */
  public readonly cfnKnowledgeBase: bedrock.CfnKnowledgeBase;
  /** The S3 data source resource. */
  public readonly cfnDataSource: bedrock.CfnDataSource;
  /** The bucket the data source reads. */
  public readonly dataSourceBucket: s3.IBucket;
  /** The vector store. */
  public readonly vectorStore: VectorStore;

  private readonly policyScope: PolicyScope;

  constructor(scope: Construct, id: string, props: EncryptedKnowledgeBaseProps) {
    const vectorStore = props.vectorStore ?? VectorStore.s3Vectors();
    const model = validateProps(scope, id, props, vectorStore);
    super(scope, id);
    this.policyScope = PolicyScopes.of(this);
    this.vectorStore = vectorStore;

    if (model.unknown && isResolved(props.embeddingModel)) {
      Annotations.of(this).addWarningV2(BedrockEncryptionWarnings.UNKNOWN_EMBEDDING_MODEL,
        `${props.embeddingModel} is not a known embedding model; its vector size (${model.dimensions}) was not checked.`);
    }

    const key = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = key.key;
    this.role = props.role ?? new BedrockServiceRole(this, 'Role', {
      resourceType: BedrockResourceType.KNOWLEDGE_BASE,
      description: `Service role of the Bedrock knowledge base ${this.node.path}`,
    });
    this.grantPrincipal = this.role;

    const sessionKey = this.sessionKey(key, props.retrievalSessionKey);
    sessionKey.addStatements(...KnowledgeBaseEncryptionStatements.retrievalSessionKeyUse());
    this.retrievalSessionKeyArn = sessionKey.keyArn;

    this.dataSourceBucket = props.dataSourceBucket ?? new s3.Bucket(this, 'DataSourceBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    const binding = vectorStore._bind(this, {
      policyScope: this.policyScope,
      key,
      role: this.role,
      dimensions: model.dimensions,
      deploymentRoleArn: deployingRoleArn(this, props.deploymentRole?.roleArn),
    });
    key.addStatements(...binding.keyStatements);

    const prefixes = props.inclusionPrefixes ?? [];
    const roleGrant = this.addRoleStatements([
      // Source: Bedrock User Guide, kb-permissions.html (bedrock:InvokeModel on the embedding model).
      ...invokeModelStatements(this.policyScope, [model.modelArn], ['bedrock:InvokeModel']),
      ...KnowledgeBaseEncryptionStatements.ingestionIdentity(key.keyArn),
      ...this.dataSourceReadStatements(prefixes),
      ...binding.roleStatements,
    ]);

    this.cfnKnowledgeBase = new bedrock.CfnKnowledgeBase(this, 'Resource', {
      name: props.knowledgeBaseName ?? Names.uniqueResourceName(this, { maxLength: 100 }),
      description: props.description,
      roleArn: this.role.roleArn,
      knowledgeBaseConfiguration: {
        type: 'VECTOR',
        vectorKnowledgeBaseConfiguration: {
          embeddingModelArn: model.modelArn,
          embeddingModelConfiguration: model.configurable && model.dimensions !== undefined
            ? { bedrockEmbeddingModelConfiguration: { dimensions: model.dimensions } }
            : undefined,
        },
      },
      storageConfiguration: binding.storageConfiguration,
    });
    waitForRole(this.role, roleGrant, this.cfnKnowledgeBase);
    for (const d of binding.dependencies) this.cfnKnowledgeBase.node.addDependency(d);
    this.knowledgeBaseId = this.cfnKnowledgeBase.attrKnowledgeBaseId;
    this.knowledgeBaseArn = this.cfnKnowledgeBase.attrKnowledgeBaseArn;

    this.cfnDataSource = new bedrock.CfnDataSource(this, 'DataSource', {
      knowledgeBaseId: this.knowledgeBaseId,
      name: props.dataSourceName ?? 's3-data-source',
      dataSourceConfiguration: {
        type: 'S3',
        s3Configuration: {
          bucketArn: this.dataSourceBucket.bucketArn,
          inclusionPrefixes: prefixes.length > 0 ? prefixes : undefined,
        },
      },
      serverSideEncryptionConfiguration: { kmsKeyArn: key.keyArn },
      // RETAIN: with DELETE, deleting the data source deletes its vectors from the store, which
      // needs the role, its policy and the keys; on stack deletion those may already be gone,
      // and the data source (and the stack) would fail to delete. The vector store is deleted
      // with the stack anyway when this construct created it.
      dataDeletionPolicy: 'RETAIN',
    });
    waitForRole(this.role, roleGrant, this.cfnDataSource);
    this.dataSourceId = this.cfnDataSource.attrDataSourceId;
  }

  /**
   * The key of retrieval sessions: the user's, or a new key that encrypts nothing else, since
   * Bedrock's statement on it has no condition (see `retrievalSessionKeyUse`).
   */
  private sessionKey(key: IBedrockKey, retrievalSessionKey: kms.IKey | undefined): IBedrockKey {
    if (retrievalSessionKey === key.key) return key;
    if (retrievalSessionKey !== undefined) return bedrockKeyFor(this, retrievalSessionKey, 'RetrievalSessionKey');
    const sessionKey = new BedrockKey(this, 'RetrievalSessionKey', {
      description: `Encrypts only the RetrieveAndGenerate sessions of the Bedrock knowledge base ${this.node.path}`,
    });
    declareDocumentedUnconditionedServiceUse(sessionKey,
      'This key encrypts only RetrieveAndGenerate sessions. The AWS knowledge base page gives Bedrock\'s statement ' +
      'for it no condition, and no condition is documented that Bedrock meets on these calls.');
    return sessionKey;
  }

  /** Read access to the data source bucket (or its prefixes) and decrypt through S3 with its key. */
  private dataSourceReadStatements(prefixes: string[]): iam.PolicyStatement[] {
    const bucket = this.dataSourceBucket;
    const account = { StringEquals: { 'aws:ResourceAccount': bucket.env.account } };
    const patterns = prefixes.length > 0 ? prefixes.map((p) => `${p}*`) : ['*'];
    // Source: Bedrock User Guide, kb-permissions.html#kb-permissions-access-s3.
    const statements = [
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: prefixes.length > 0 ? { ...account, StringLike: { 's3:prefix': patterns } } : account,
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: patterns.map((p) => bucket.arnForObjects(p)),
        conditions: account,
      }),
    ];
    if (bucket.encryptionKey) {
      statements.push(...KnowledgeBaseEncryptionStatements.s3DataSourceIdentity(this.policyScope, bucket.encryptionKey.keyArn));
    } else {
      Annotations.of(this).addWarningV2(BedrockEncryptionWarnings.DATA_SOURCE_BUCKET_KEY_UNKNOWN,
        `The key of dataSourceBucket ${describe(bucket.bucketName, bucket)} is not known to this app. If its objects are ` +
        'SSE-KMS encrypted with a customer managed key, import the bucket with ' +
        '`s3.Bucket.fromBucketAttributes(this, id, { bucketArn, encryptionKey })`, or add this statement to the ' +
        `knowledge base role: ${exampleDecryptStatement(this.policyScope, 's3', '<ARN of the bucket key>')}`);
    }
    return statements;
  }

  /** Adds statements to the role; returns them as a grant the Bedrock resources must wait for. */
  private addRoleStatements(statements: iam.PolicyStatement[]): iam.Grant {
    return writeIdentityPolicy(this.role, statements, { scope: this, subject: `the knowledge base '${this.node.path}'`, serviceRole: true });
  }
}

function describe(value: string, construct: IConstruct): string {
  return isResolved(value) ? value : `'${construct.node.path}'`;
}

/** An inclusion prefix (CloudFormation: 1 to 300 characters). */
const INCLUSION_PREFIX = relativeS3Key({ minLength: 1, maxLength: 300, example: 'docs/' });

/** Checks every prop before anything is created; returns the resolved embedding model. */
function validateProps(scope: Construct, id: string, props: EncryptedKnowledgeBaseProps, vectorStore: VectorStore): ResolvedEmbeddingModel {
  const v = new PropsValidator(scope, `EncryptedKnowledgeBase '${id}'`);
  const model = resolveEmbeddingModel(v, PolicyScopes.of(scope), props.embeddingModel, props.dimensions);
  v.pattern('knowledgeBaseName', props.knowledgeBaseName, BEDROCK_NAME, BEDROCK_NAME_FORM);
  v.pattern('dataSourceName', props.dataSourceName, BEDROCK_NAME, BEDROCK_NAME_FORM);
  v.kmsKey('encryptionKey', props.encryptionKey);
  v.kmsKey('retrievalSessionKey', props.retrievalSessionKey);
  const prefixes = props.inclusionPrefixes ?? [];
  if (!Token.isUnresolved(prefixes) && prefixes.length > 1) {
    v.fail('inclusionPrefixes', JSON.stringify(prefixes), 'at most one prefix (a CloudFormation limit)');
  }
  for (const prefix of Token.isUnresolved(prefixes) ? [] : prefixes) {
    v.pattern('inclusionPrefixes', prefix, INCLUSION_PREFIX.pattern, INCLUSION_PREFIX.form);
  }
  vectorStore._validate(v, { scope, dimensions: model.dimensions, deploymentRole: props.deploymentRole });
  v.throwIfInvalid();
  return model;
}

