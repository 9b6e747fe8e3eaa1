import { DefaultStackSynthesizer, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as aoss from 'aws-cdk-lib/aws-opensearchserverless';
import { Construct } from 'constructs';
import { IVectorStoreBinder, VectorStoreBindContext, VectorStoreBinding, VectorStoreValidationContext } from './vector-store-binding';
import { KnowledgeBaseEncryptionStatements } from '../policy/knowledge-base';
import { PropsValidator } from '../private/validation';

/** Properties of an OpenSearch Serverless vector store: a new VECTORSEARCH collection under the knowledge base's key. */
export interface OpenSearchServerlessStoreProps {
  /**
   * Name of the collection: 3 to 32 lowercase letters, digits and hyphens, starting with a letter.
   * The security and access policies take the same name.
   *
   * @default - a unique name derived from the construct path
   */
  readonly collectionName?: string;

  /**
   * Name of the vector index in the collection.
   *
   * @default 'bedrock-knowledge-base-default-index'
   */
  readonly vectorIndexName?: string;

  /**
   * Whether the collection runs standby replicas in another Availability Zone.
   *
   * @default true
   */
  readonly standbyReplicas?: boolean;

  /**
   * Whether the collection's OpenSearch endpoint accepts requests from the internet. It must:
   * CloudFormation creates the vector index (`AWS::OpenSearchServerless::Index`) through that
   * endpoint, signed with the deploying role's credentials, from neither a VPC endpoint nor Amazon
   * Bedrock, and a network policy with `AllowFromPublic: false` admits only those ("Private access
   * to AWS services such as Amazon Bedrock only applies to the collection's OpenSearch endpoint",
   * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html).
   * AWS's CloudFormation sample uses public network access as well
   * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-cfn.html).
   *
   * The network policy has one rule, `AllowFromPublic: true` for the `collection` resource type;
   * the Dashboards endpoint gets none. Every request must still be SigV4-signed by a principal of
   * the data-access policy: the knowledge base role, the index creator and `dataAccessPrincipals`.
   *
   * `false` is an error. A collection reached only through a VPC endpoint and Bedrock
   * (https://docs.aws.amazon.com/bedrock/latest/userguide/kb-create-security.html) needs its index
   * created from inside the VPC before the knowledge base is, which plain CloudFormation cannot do:
   * create the collection, its index and the knowledge base outside this construct, and use
   * `EncryptedKnowledgeBase.fromKnowledgeBaseAttributes`.
   *
   * @default true
   */
  readonly allowPublicAccess?: boolean;

  /**
   * More IAM principal ARNs admitted by the data-access policy to read the collection's
   * indexes and documents (for example an operator role).
   *
   * @default - only the knowledge base's role and the index creator
   */
  readonly dataAccessPrincipals?: string[];
}

/** Field names Bedrock writes into the index. */
const VECTOR_FIELD = 'bedrock-knowledge-base-default-vector';
const TEXT_FIELD = 'AMAZON_BEDROCK_TEXT_CHUNK';
const METADATA_FIELD = 'AMAZON_BEDROCK_METADATA';

const NAME_RE = /^[a-z][a-z0-9-]{2,31}$/;

/**
 * A VECTORSEARCH collection encrypted with the knowledge base's key, its network and
 * data-access policies, and the vector index, all plain CloudFormation.
 *
 * Order: encryption and network policies -> collection -> data-access policy -> index ->
 * knowledge base. CloudFormation deletes in reverse, so the index goes before the policies that
 * let CloudFormation delete it.
 */
export class OpenSearchServerlessBinder implements IVectorStoreBinder {
  public readonly storageType = 'OPENSEARCH_SERVERLESS';

  constructor(private readonly props: OpenSearchServerlessStoreProps) {}

  public validate(v: PropsValidator, context: VectorStoreValidationContext): void {
    v.pattern('vectorStore.collectionName', this.props.collectionName, NAME_RE,
      '3 to 32 lowercase letters, digits and hyphens, starting with a letter');
    v.pattern('vectorStore.vectorIndexName', this.props.vectorIndexName, /^[a-z0-9][a-z0-9_+.-]{0,254}$/,
      'a lowercase OpenSearch index name (letters, digits, _ + . -), not starting with _ + . or -');
    for (const p of this.props.dataAccessPrincipals ?? []) {
      v.pattern('vectorStore.dataAccessPrincipals', p, /^arn:aws[a-z-]*:(iam::\d{12}:(role|user)\/.+|sts::\d{12}:assumed-role\/.+)$/,
        'IAM role or user ARNs');
    }
    if (this.props.allowPublicAccess === false) {
      v.fail('vectorStore.allowPublicAccess', 'false',
        'true or unset: CloudFormation creates the vector index (AWS::OpenSearchServerless::Index) through the collection endpoint, ' +
        'from neither a VPC endpoint nor Amazon Bedrock, and a network policy with AllowFromPublic false refuses it, so the stack ' +
        'would not deploy (the data-access policy still admits only the knowledge base role, the index creator and dataAccessPrincipals). ' +
        'For a private collection, create the collection, its index (from inside the VPC, through an OpenSearch Serverless VPC endpoint) ' +
        'and the knowledge base outside this construct, and use EncryptedKnowledgeBase.fromKnowledgeBaseAttributes');
    }
    if (context.deploymentRole === undefined && !(Stack.of(context.scope).synthesizer instanceof DefaultStackSynthesizer)) {
      v.fail('deploymentRole', 'undefined',
        'the role that deploys the stack, for an OpenSearch Serverless store when the stack does not use DefaultStackSynthesizer: ' +
        'the vector index is created with that role\'s credentials and the data-access policy must admit it, or the deployment fails with 403');
    }
    if (context.dimensions === undefined) {
      v.fail('dimensions', 'undefined', 'given when embeddingModel is a token: the vector index needs the vector size');
    }
  }

  public bind(scope: Construct, context: VectorStoreBindContext): VectorStoreBinding {
    const stack = Stack.of(scope);
    const name = this.props.collectionName
      ?? Names.uniqueResourceName(scope, { maxLength: 32 }).toLowerCase().replace(/^[^a-z]+/, 'kb');
    const indexName = this.props.vectorIndexName ?? 'bedrock-knowledge-base-default-index';
    // validated to be known: the given deployment role or the synthesizer's CloudFormation execution role
    const creator = context.deploymentRoleArn!;
    const collectionResource = [`collection/${name}`];

    const encryptionPolicy = new aoss.CfnSecurityPolicy(scope, 'EncryptionPolicy', {
      name,
      type: 'encryption',
      description: 'Encrypts the knowledge base collection with its customer managed key',
      policy: stack.toJsonString({
        Rules: [{ ResourceType: 'collection', Resource: collectionResource }],
        AWSOwnedKey: false,
        KmsARN: context.key.keyArn,
      }),
    });

    // Public OpenSearch endpoint, no Dashboards rule: CloudFormation creates the index through the
    // endpoint, which a private policy refuses (allowPublicAccess). Access is the data-access policy's.
    const networkPolicy = new aoss.CfnSecurityPolicy(scope, 'NetworkPolicy', {
      name,
      type: 'network',
      description: 'Public collection endpoint, so CloudFormation can create the index; the data-access policy limits who uses it',
      policy: stack.toJsonString([{
        Rules: [{ ResourceType: 'collection', Resource: collectionResource }],
        AllowFromPublic: true,
      }]),
    });

    const collection = new aoss.CfnCollection(scope, 'Collection', {
      name,
      type: 'VECTORSEARCH',
      standbyReplicas: (this.props.standbyReplicas ?? true) ? 'ENABLED' : 'DISABLED',
      description: 'Vector store of a Bedrock knowledge base',
    });
    collection.node.addDependency(encryptionPolicy);
    collection.node.addDependency(networkPolicy);

    const indexResource = [`index/${name}/*`];
    const accessPolicy = new aoss.CfnAccessPolicy(scope, 'DataAccessPolicy', {
      name,
      type: 'data',
      description: 'The knowledge base role reads and writes documents; the deployment role manages the index',
      policy: stack.toJsonString([
        {
          Description: 'Knowledge base role',
          Rules: [
            { ResourceType: 'collection', Resource: collectionResource, Permission: ['aoss:DescribeCollectionItems'] },
            { ResourceType: 'index', Resource: indexResource, Permission: ['aoss:DescribeIndex', 'aoss:ReadDocument', 'aoss:WriteDocument'] },
          ],
          Principal: [context.role.roleArn, ...(this.props.dataAccessPrincipals ?? [])],
        },
        {
          Description: 'Index creator (the deployment role)',
          Rules: [
            { ResourceType: 'collection', Resource: collectionResource, Permission: ['aoss:DescribeCollectionItems', 'aoss:CreateCollectionItems', 'aoss:UpdateCollectionItems'] },
            { ResourceType: 'index', Resource: indexResource, Permission: ['aoss:CreateIndex', 'aoss:DeleteIndex', 'aoss:UpdateIndex', 'aoss:DescribeIndex'] },
          ],
          Principal: [creator],
        },
      ]),
    });
    accessPolicy.node.addDependency(collection);

    const index = new aoss.CfnIndex(scope, 'VectorIndex', {
      collectionEndpoint: collection.attrCollectionEndpoint,
      indexName,
      settings: { index: { knn: true, knnAlgoParamEfSearch: 512 } },
      mappings: {
        properties: {
          [VECTOR_FIELD]: {
            type: 'knn_vector',
            dimension: context.dimensions!,
            method: { engine: 'faiss', name: 'hnsw', spaceType: 'l2', parameters: { efConstruction: 512, m: 16 } },
          },
          [TEXT_FIELD]: { type: 'text', index: true },
          [METADATA_FIELD]: { type: 'text', index: false },
        },
      },
    });
    // Created after, and deleted before, the policies that let CloudFormation reach it.
    index.node.addDependency(accessPolicy);
    index.node.addDependency(networkPolicy);
    index.node.addDependency(encryptionPolicy);

    return {
      storageConfiguration: {
        type: this.storageType,
        opensearchServerlessConfiguration: {
          collectionArn: collection.attrArn,
          vectorIndexName: indexName,
          fieldMapping: { vectorField: VECTOR_FIELD, textField: TEXT_FIELD, metadataField: METADATA_FIELD },
        },
      },
      roleStatements: [
        // Source: Bedrock User Guide, kb-permissions.html#kb-permissions-oss.
        new iam.PolicyStatement({ actions: ['aoss:APIAccessAll'], resources: [collection.attrArn] }),
      ],
      // OpenSearch Serverless uses the key through a grant its creator makes; the KB role needs no key use.
      keyStatements: KnowledgeBaseEncryptionStatements.openSearchCollectionCreatorKeyUse(
        context.policyScope, new iam.ArnPrincipal(creator)),
      dependencies: [index, accessPolicy],
    };
  }
}

