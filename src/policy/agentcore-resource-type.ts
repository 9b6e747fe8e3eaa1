import { PolicyScope, PolicyScopes } from './scope';

/**
 * A kind of Amazon Bedrock AgentCore resource, as it appears in the resource part of its ARN
 * (`arn:<partition>:bedrock-agentcore:<region>:<account>:<type>/<id>`).
 */
export class AgentCoreResourceType {
  /** A memory (`memory/<memory-id>`). */
  public static readonly MEMORY = new AgentCoreResourceType('memory');
  /** A gateway (`gateway/<gateway-id>`). */
  public static readonly GATEWAY = new AgentCoreResourceType('gateway');
  /** A policy engine (`policy-engine/<policy-engine-id>`). */
  public static readonly POLICY_ENGINE = new AgentCoreResourceType('policy-engine');
  /** A custom evaluator (`evaluator/<evaluator-id>`). */
  public static readonly EVALUATOR = new AgentCoreResourceType('evaluator');
  /** An evaluation dataset (`dataset/<dataset-id>`). */
  public static readonly DATASET = new AgentCoreResourceType('dataset');
  /** A configuration bundle (`configuration-bundle/<bundle-id>`). */
  public static readonly CONFIGURATION_BUNDLE = new AgentCoreResourceType('configuration-bundle');
  /** A harness (`harness/<harness-id>`). */
  public static readonly HARNESS = new AgentCoreResourceType('harness');

  /** A resource type not listed here, by its ARN resource-type segment. */
  public static of(name: string): AgentCoreResourceType {
    return new AgentCoreResourceType(name);
  }

  /** The resource-type segment of the ARN. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /**
   * `arn:<partition>:bedrock-agentcore:<region>:<account>:<type>/*`: every resource of this type
   * in the scope's account and region. The form key policies use, since a key policy cannot name
   * a resource that itself references the key.
   */
  public arnPattern(scope: PolicyScope): string {
    return this.arn(scope, '*');
  }

  /** The ARN of one resource of this type, given its resource id (or a pattern). */
  public arn(scope: PolicyScope, resourceId: string): string {
    return PolicyScopes.arn(scope, 'bedrock-agentcore', `${this.name}/${resourceId}`);
  }
}
