import { IKnowledgeBaseReference } from '../references/knowledge-base-reference';

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
