import { bedrockResourceIdOf } from '../policy/patterns';

/**
 * A knowledge base, as agents and evaluation jobs name it: an `EncryptedKnowledgeBase` of this
 * app, or one that exists already (`KnowledgeBaseReference.fromAttributes`).
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
    const knowledgeBaseId = bedrockResourceIdOf(knowledgeBaseArn);
    return new ImportedKnowledgeBase(knowledgeBaseId, knowledgeBaseArn);
  }

  private constructor() {}
}

/** A knowledge base known by its id and ARN. */
class ImportedKnowledgeBase implements IKnowledgeBaseReference {
  constructor(public readonly knowledgeBaseId: string, public readonly knowledgeBaseArn: string) {}
}
