import { PolicyScope, PolicyScopes } from './scope';

/**
 * A kind of Amazon Bedrock or Amazon Bedrock AgentCore resource, as it appears in its ARN
 * (`arn:<partition>:<service>:<region>:<account>:<type>/<id>`, where the service is `bedrock` or
 * `bedrock-agentcore`).
 */
export class BedrockResourceType {
  /** An agent (`agent/<agent-id>`). */
  public static readonly AGENT = new BedrockResourceType('bedrock', 'agent');
  /** An agent alias (`agent-alias/<agent-id>/<alias-id>`). */
  public static readonly AGENT_ALIAS = new BedrockResourceType('bedrock', 'agent-alias');
  /** A flow (`flow/<flow-id>`). */
  public static readonly FLOW = new BedrockResourceType('bedrock', 'flow');
  /** A prompt (`prompt/<prompt-id>`). */
  public static readonly PROMPT = new BedrockResourceType('bedrock', 'prompt');
  /** A guardrail (`guardrail/<guardrail-id>`). */
  public static readonly GUARDRAIL = new BedrockResourceType('bedrock', 'guardrail');
  /** A session (`session/<session-id>`). */
  public static readonly SESSION = new BedrockResourceType('bedrock', 'session');
  /** A knowledge base (`knowledge-base/<kb-id>`). */
  public static readonly KNOWLEDGE_BASE = new BedrockResourceType('bedrock', 'knowledge-base');
  /** A model evaluation job (`evaluation-job/<job-id>`). */
  public static readonly EVALUATION_JOB = new BedrockResourceType('bedrock', 'evaluation-job');
  /** A model customization (fine-tuning) job (`model-customization-job/<job-id>`). */
  public static readonly MODEL_CUSTOMIZATION_JOB = new BedrockResourceType('bedrock', 'model-customization-job');
  /** A custom model import job (`model-import-job/<job-id>`). */
  public static readonly MODEL_IMPORT_JOB = new BedrockResourceType('bedrock', 'model-import-job');
  /** A batch inference job (`model-invocation-job/<job-id>`). */
  public static readonly MODEL_INVOCATION_JOB = new BedrockResourceType('bedrock', 'model-invocation-job');

  /** An AgentCore memory (`bedrock-agentcore`, `memory/<memory-id>`). */
  public static readonly AGENTCORE_MEMORY = new BedrockResourceType('bedrock-agentcore', 'memory');
  /** An AgentCore gateway (`bedrock-agentcore`, `gateway/<gateway-id>`). */
  public static readonly AGENTCORE_GATEWAY = new BedrockResourceType('bedrock-agentcore', 'gateway');
  /** An AgentCore policy engine (`bedrock-agentcore`, `policy-engine/<policy-engine-id>`). */
  public static readonly AGENTCORE_POLICY_ENGINE = new BedrockResourceType('bedrock-agentcore', 'policy-engine');
  /** An AgentCore custom evaluator (`bedrock-agentcore`, `evaluator/<evaluator-id>`). */
  public static readonly AGENTCORE_EVALUATOR = new BedrockResourceType('bedrock-agentcore', 'evaluator');
  /** An AgentCore evaluation dataset (`bedrock-agentcore`, `dataset/<dataset-id>`). */
  public static readonly AGENTCORE_DATASET = new BedrockResourceType('bedrock-agentcore', 'dataset');
  /** An AgentCore configuration bundle (`bedrock-agentcore`, `configuration-bundle/<bundle-id>`). */
  public static readonly AGENTCORE_CONFIGURATION_BUNDLE = new BedrockResourceType('bedrock-agentcore', 'configuration-bundle');
  /** An AgentCore harness (`bedrock-agentcore`, `harness/<harness-id>`). */
  public static readonly AGENTCORE_HARNESS = new BedrockResourceType('bedrock-agentcore', 'harness');

  /** An Amazon Bedrock resource type not listed here, by its ARN resource-type segment. */
  public static of(name: string): BedrockResourceType {
    return new BedrockResourceType('bedrock', name);
  }

  /** An Amazon Bedrock AgentCore resource type not listed here, by its ARN resource-type segment. */
  public static agentCore(name: string): BedrockResourceType {
    return new BedrockResourceType('bedrock-agentcore', name);
  }

  /** The service part of the ARN: `bedrock` or `bedrock-agentcore`. */
  public readonly service: string;

  /** The resource-type segment of the ARN. */
  public readonly name: string;

  private constructor(service: string, name: string) {
    this.service = service;
    this.name = name;
  }

  /**
   * `arn:<partition>:<service>:<region>:<account>:<type>/*`: every resource of this type in the
   * scope's account and region. The form key policies use, since a key policy cannot name a
   * resource that itself references the key.
   */
  public arnPattern(scope: PolicyScope): string {
    return this.arn(scope, '*');
  }

  /** The ARN of one resource of this type, given its resource id (or a pattern). */
  public arn(scope: PolicyScope, resourceId: string): string {
    return PolicyScopes.arn(scope, this.service, `${this.name}/${resourceId}`);
  }
}
