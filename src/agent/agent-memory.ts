/**
 * Long-term memory of an agent (`SESSION_SUMMARY`): Bedrock summarizes each session and keeps
 * the summaries, encrypted with the agent's key, for the agent's later sessions with the same
 * memory id.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/agents-memory.html
 */
export interface AgentMemoryProps {
  /**
   * How many days Bedrock keeps session summaries: 1 to 365.
   *
   * @default 30
   */
  readonly storageDays?: number;
}
