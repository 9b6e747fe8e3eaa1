import { PolicyScope, PolicyScopes } from './scope';

/**
 * A kind of Amazon Bedrock resource, as it appears in the resource part of its ARN
 * (`arn:<partition>:bedrock:<region>:<account>:<type>/<id>`).
 */
export class BedrockResourceType {
  /** An agent (`agent/<agent-id>`). */
  public static readonly AGENT = new BedrockResourceType('agent');
  /** An agent alias (`agent-alias/<agent-id>/<alias-id>`). */
  public static readonly AGENT_ALIAS = new BedrockResourceType('agent-alias');
  /** A flow (`flow/<flow-id>`). */
  public static readonly FLOW = new BedrockResourceType('flow');
  /** A prompt (`prompt/<prompt-id>`). */
  public static readonly PROMPT = new BedrockResourceType('prompt');
  /** A guardrail (`guardrail/<guardrail-id>`). */
  public static readonly GUARDRAIL = new BedrockResourceType('guardrail');
  /** A session (`session/<session-id>`). */
  public static readonly SESSION = new BedrockResourceType('session');
  /** A knowledge base (`knowledge-base/<kb-id>`). */
  public static readonly KNOWLEDGE_BASE = new BedrockResourceType('knowledge-base');
  /** A model evaluation job (`evaluation-job/<job-id>`). */
  public static readonly EVALUATION_JOB = new BedrockResourceType('evaluation-job');
  /** A model customization (fine-tuning) job (`model-customization-job/<job-id>`). */
  public static readonly MODEL_CUSTOMIZATION_JOB = new BedrockResourceType('model-customization-job');
  /** A custom model import job (`model-import-job/<job-id>`). */
  public static readonly MODEL_IMPORT_JOB = new BedrockResourceType('model-import-job');
  /** A batch inference job (`model-invocation-job/<job-id>`). */
  public static readonly MODEL_INVOCATION_JOB = new BedrockResourceType('model-invocation-job');

  /** A resource type not listed here, by its ARN resource-type segment. */
  public static of(name: string): BedrockResourceType {
    return new BedrockResourceType(name);
  }

  /** The resource-type segment of the ARN. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /**
   * `arn:<partition>:bedrock:<region>:<account>:<type>/*`: every resource of this type in
   * the scope's account and region. The form key policies use, since a key policy cannot
   * name a resource that itself references the key.
   */
  public arnPattern(scope: PolicyScope): string {
    return this.arn(scope, '*');
  }

  /** The ARN of one resource of this type, given its resource id (or a pattern). */
  public arn(scope: PolicyScope, resourceId: string): string {
    return PolicyScopes.arn(scope, 'bedrock', `${this.name}/${resourceId}`);
  }
}
