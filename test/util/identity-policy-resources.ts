/**
 * The identity-policy statements of a synthesized template whose actions can never match their
 * resources. CloudFormation intrinsics in `Resource` are resolved to stand-in ARNs of the right
 * shape (a bucket's ARN, an agent's ARN, ...), built from the resource's type and logical id; a
 * value the resolver cannot know (an attribute of a type it has no row for, an imported value)
 * becomes `*` in that place, which keeps the check from failing on what it cannot see.
 */
import { pseudoParameter, resolveIntrinsics } from './intrinsics';
import { unusableActions } from './resource-types';

/** Stands for a value the resolver cannot know. */
const UNKNOWN = '\u0000unknown\u0000';

interface Environment { readonly account: string; readonly region: string }

/** Where each type's ARN-valued attributes point: `service` and the resource part of the ARN. */
const ARNS: Record<string, { service: string; global?: boolean; resource: (id: string) => string; attributes?: string[]; ref?: boolean }> = {
  'AWS::S3::Bucket': { service: 's3', global: true, resource: (id) => id.toLowerCase(), attributes: ['Arn'] },
  'AWS::KMS::Key': { service: 'kms', resource: (id) => `key/${id}`, attributes: ['Arn'] },
  'AWS::IAM::Role': { service: 'iam', global: true, resource: (id) => `role/${id}`, attributes: ['Arn'] },
  'AWS::IAM::ManagedPolicy': { service: 'iam', global: true, resource: (id) => `policy/${id}`, ref: true },
  'AWS::SNS::Topic': { service: 'sns', resource: (id) => id, attributes: ['TopicArn'], ref: true },
  'AWS::SecretsManager::Secret': { service: 'secretsmanager', resource: (id) => `secret:${id}`, attributes: ['Id'], ref: true },
  'AWS::Logs::LogGroup': { service: 'logs', resource: (id) => `log-group:${id}:*`, attributes: ['Arn'] },
  'AWS::Lambda::Function': { service: 'lambda', resource: (id) => `function:${id}`, attributes: ['Arn'] },
  'AWS::Events::Rule': { service: 'events', resource: (id) => `rule/${id}`, attributes: ['Arn'] },
  'AWS::Bedrock::Agent': { service: 'bedrock', resource: (id) => `agent/${id}`, attributes: ['AgentArn'] },
  'AWS::Bedrock::AgentAlias': { service: 'bedrock', resource: (id) => `agent-alias/AGENT12345/${id}`, attributes: ['AgentAliasArn'] },
  'AWS::Bedrock::Flow': { service: 'bedrock', resource: (id) => `flow/${id}`, attributes: ['Arn'] },
  'AWS::Bedrock::FlowAlias': { service: 'bedrock', resource: (id) => `flow/FLOW123456/alias/${id}`, attributes: ['Arn'] },
  'AWS::Bedrock::FlowVersion': { service: 'bedrock', resource: () => 'flow/FLOW123456', attributes: ['FlowArn'] },
  'AWS::Bedrock::KnowledgeBase': { service: 'bedrock', resource: (id) => `knowledge-base/${id}`, attributes: ['KnowledgeBaseArn'] },
  'AWS::Bedrock::Guardrail': { service: 'bedrock', resource: (id) => `guardrail/${id}`, attributes: ['GuardrailArn'] },
  'AWS::Bedrock::Prompt': { service: 'bedrock', resource: (id) => `prompt/${id}`, attributes: ['Arn'] },
  'AWS::Bedrock::ApplicationInferenceProfile': { service: 'bedrock', resource: (id) => `application-inference-profile/${id}`, attributes: ['InferenceProfileArn'] },
  'AWS::S3Vectors::VectorBucket': { service: 's3vectors', resource: (id) => `bucket/${id.toLowerCase()}`, attributes: ['VectorBucketArn'] },
  'AWS::S3Vectors::Index': { service: 's3vectors', resource: (id) => `bucket/vectors/index/${id.toLowerCase()}`, attributes: ['IndexArn'] },
  'AWS::OpenSearchServerless::Collection': { service: 'aoss', resource: (id) => `collection/${id}`, attributes: ['Arn'] },
  'AWS::BedrockAgentCore::Memory': { service: 'bedrock-agentcore', resource: (id) => `memory/${id}`, attributes: ['MemoryArn'] },
  'AWS::BedrockAgentCore::Gateway': { service: 'bedrock-agentcore', resource: (id) => `gateway/${id}`, attributes: ['GatewayArn'] },
  'AWS::BedrockAgentCore::Runtime': { service: 'bedrock-agentcore', resource: (id) => `runtime/${id}`, attributes: ['AgentRuntimeArn'] },
  'AWS::BedrockAgentCore::Harness': { service: 'bedrock-agentcore', resource: (id) => `harness/${id}`, attributes: ['HarnessArn', 'Arn'] },
  'AWS::BedrockAgentCore::PolicyEngine': { service: 'bedrock-agentcore', resource: (id) => `policy-engine/${id}`, attributes: ['PolicyEngineArn'] },
};

/** The identity-policy documents of a template, each with the logical id of the resource that holds it. */
function identityPolicies(template: any): { id: string; path: string; document: any }[] {
  const out: { id: string; path: string; document: any }[] = [];
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
    const path = id;
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        out.push({ id, path, document: props.PolicyDocument });
        break;
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        for (const inline of props.Policies ?? []) out.push({ id, path, document: inline.PolicyDocument });
        break;
      default:
        break;
    }
  }
  return out;
}

/** The problems of every identity-policy Allow statement in `template`, one line each, starting with the logical id. */
export function identityPolicyProblems(template: any, env: Environment): string[] {
  const resolver = new StandInResolver(template, env);
  const problems: string[] = [];
  for (const { path, document } of identityPolicies(template)) {
    if (!document || typeof document !== 'object' || !Array.isArray(document.Statement)) continue;
    for (const statement of document.Statement) {
      if (statement.Effect !== 'Allow' || statement.Action === undefined || statement.Resource === undefined) continue;
      const actions = [statement.Action].flat().map((a: any) => String(resolver.resolve(a)));
      // a resource with a part the resolver cannot know (an imported value, an unknown attribute) may be anything
      const resources = [resolver.resolve(statement.Resource)].flat().map((r: any) => (String(r).includes(UNKNOWN) ? '*' : String(r)));
      for (const problem of unusableActions(actions, resources)) problems.push(`${path}: ${problem}`);
    }
  }
  return problems;
}

class StandInResolver {
  private readonly account: string;
  private readonly region: string;

  constructor(private readonly template: any, env: Environment) {
    this.account = /^\d{12}$/.test(env.account) ? env.account : '111111111111';
    this.region = /^[a-z]{2}(-[a-z]+)+-\d$/.test(env.region) ? env.region : 'us-east-1';
  }

  public resolve(value: any): any {
    return resolveIntrinsics(value, {
      ref: (name) => this.ref(name),
      attribute: (id, attribute) => this.attribute(id, attribute),
      importValue: () => UNKNOWN,
      // Fn::If: the first branch; anything else this resolver cannot know
      unknown: (fn, arg) => (fn === 'Fn::If' ? this.resolve(arg[1]) : UNKNOWN),
    });
  }

  private ref(name: string): string {
    const pseudo = pseudoParameter(name, { account: this.account, region: this.region });
    if (pseudo !== undefined) return pseudo;
    const resource = this.template.Resources?.[name];
    if (!resource) return UNKNOWN; // a parameter or an unknown reference
    const row = ARNS[resource.Type];
    if (row?.ref) return this.arn(row, name);
    if (resource.Type === 'AWS::IAM::Role') return resource.Properties?.RoleName ?? name;
    return resource.Type === 'AWS::S3::Bucket' ? name.toLowerCase() : name;
  }

  private attribute(id: string, attribute: string): string {
    const resource = this.template.Resources?.[id];
    const row = resource ? ARNS[resource.Type] : undefined;
    if (!row || !(row.attributes ?? []).includes(attribute)) return UNKNOWN;
    return this.arn(row, id);
  }

  private arn(row: typeof ARNS[string], id: string): string {
    const region = row.global ? '' : this.region;
    const account = row.service === 's3' ? '' : this.account;
    return `arn:aws:${row.service}:${region}:${account}:${row.resource(id)}`;
  }
}
