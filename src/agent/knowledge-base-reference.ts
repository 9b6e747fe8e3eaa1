import { Arn, ArnFormat } from 'aws-cdk-lib';

/**
 * A knowledge base an agent can be associated with: one created in this app (a future
 * `EncryptedKnowledgeBase` implements this interface) or one that exists already
 * (`KnowledgeBaseReference.fromAttributes`).
 */
export interface IKnowledgeBaseReference {
  /**
   * The id of the knowledge base (10 letters and digits).
   *
   * @attribute
   */
  readonly knowledgeBaseId: string;

  /**
   * The ARN of the knowledge base
   * (`arn:<partition>:bedrock:<region>:<account>:knowledge-base/<id>`).
   *
   * @attribute
   */
  readonly knowledgeBaseArn: string;
}

/** The id and ARN of an existing knowledge base. */
export interface KnowledgeBaseReferenceAttributes {
  /** The id of the knowledge base (10 letters and digits). */
  readonly knowledgeBaseId: string;

  /** The ARN of the knowledge base. */
  readonly knowledgeBaseArn: string;
}

/** References to knowledge bases that exist outside this app, or as plain L1 resources. */
export class KnowledgeBaseReference {
  /** A knowledge base given by its id and ARN. */
  public static fromAttributes(attrs: KnowledgeBaseReferenceAttributes): IKnowledgeBaseReference {
    return new ImportedKnowledgeBase(attrs.knowledgeBaseId, attrs.knowledgeBaseArn);
  }

  /**
   * A knowledge base given by its ARN; the id is the last part of the ARN (a CloudFormation
   * function when the ARN is a token).
   */
  public static fromKnowledgeBaseArn(knowledgeBaseArn: string): IKnowledgeBaseReference {
    const knowledgeBaseId = Arn.split(knowledgeBaseArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? '';
    return new ImportedKnowledgeBase(knowledgeBaseId, knowledgeBaseArn);
  }

  private constructor() {}
}

/** A knowledge base known by its id and ARN. */
class ImportedKnowledgeBase implements IKnowledgeBaseReference {
  constructor(public readonly knowledgeBaseId: string, public readonly knowledgeBaseArn: string) {}
}

/** A knowledge base associated with an agent, and what the agent should use it for. */
export interface AgentKnowledgeBase {
  /** The knowledge base. */
  readonly knowledgeBase: IKnowledgeBaseReference;

  /**
   * What the agent should use the knowledge base for (1 to 200 characters). Bedrock
   * encrypts it with the agent's key.
   */
  readonly description: string;

  /**
   * Whether the agent queries the knowledge base when it is invoked.
   *
   * @default true
   */
  readonly enabled?: boolean;
}
