import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IDependable } from 'constructs';
import { IBedrockKey } from '../key/bedrock-key';
import { PolicyScope } from '../policy/scope';
import { PropsValidator } from '../private/validation';

/** What a vector store checks before the knowledge base creates anything. */
export interface VectorStoreValidationContext {
  /** The construct that will hold the store's resources (not created yet: use for the stack only). */
  readonly scope: Construct;
  /** The vector size of the embedding model; undefined when it cannot be known at synth time. */
  readonly dimensions?: number;
  /** The role the user named as the one that deploys the stack, if any. */
  readonly deploymentRole?: iam.IRole;
}

/** What the knowledge base hands its vector store when it binds it. */
export interface VectorStoreBindContext {
  /** Partition, account and region of the knowledge base. */
  readonly policyScope: PolicyScope;
  /** The knowledge base's key. */
  readonly key: IBedrockKey;
  /** The knowledge base's service role. */
  readonly role: iam.IRole;
  /** The vector size of the embedding model, when known. */
  readonly dimensions?: number;
  /**
   * The ARN of the role that deploys the stack: the knowledge base's `deploymentRole`, or the
   * synthesizer's CloudFormation execution role; undefined when neither is known.
   */
  readonly deploymentRoleArn?: string;
}

/** What a vector store gives back to the knowledge base. */
export interface VectorStoreBinding {
  /** The `storageConfiguration` of the knowledge base. */
  readonly storageConfiguration: bedrock.CfnKnowledgeBase.StorageConfigurationProperty;
  /** Identity statements the knowledge base's role needs before the knowledge base is created. */
  readonly roleStatements: iam.PolicyStatement[];
  /** Key-policy statements the knowledge base's key needs. */
  readonly keyStatements: iam.PolicyStatement[];
  /** Resources the knowledge base must be created after (and deleted before). */
  readonly dependencies: IDependable[];
}

/** One kind of vector store: validates its props, then creates its resources and statements. */
export interface IVectorStoreBinder {
  /** The `storageConfiguration.type` of the knowledge base, e.g. `S3_VECTORS`. */
  readonly storageType: string;
  /** Records problems with the store's props; creates nothing. */
  validate(v: PropsValidator, context: VectorStoreValidationContext): void;
  /** Creates the store's resources under `scope`. */
  bind(scope: Construct, context: VectorStoreBindContext): VectorStoreBinding;
}
