import { IResolvable, Token } from 'aws-cdk-lib';
import { CfnFlow } from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { identifierKind, modelResources } from './model-arns';
import { BedrockResourceType } from '../policy/resource-type';
import { PolicyScope, PolicyScopes } from '../policy/scope';
import { throughProfileStatement } from '../private/model-arns';

/** One problem in a definition: the property path, the value and what was expected. */
export interface FlowDefinitionProblem {
  /** Path of the property, for example `definition.connections[1].target`. */
  readonly prop: string;
  /** The value, as it appears in a message. */
  readonly value: string;
  /** What the value must be. */
  readonly expected: string;
}

/** The permission groups of an execution role, in the order their statements are written. */
interface Permission {
  readonly actions: string[];
  readonly conditions?: (scope: PolicyScope) => iam.Conditions;
}

const sameAccount = (scope: PolicyScope): iam.Conditions => ({ StringEquals: { 'aws:ResourceAccount': scope.account } });

// Source for every entry: Amazon Bedrock User Guide, "Create a service role for Amazon Bedrock
// Flows" (identity-based permissions), except where noted.
const PERMISSIONS = {
  invokeModel: { actions: ['bedrock:InvokeModel'] },
  // The guide names bedrock:RenderPrompt (flows created after 2024-11-22); bedrock:GetPrompt is
  // what earlier flows used and what the AWS managed SageMakerStudioBedrockFlowServiceRolePolicy
  // still grants. Both are read-only and scoped to the prompts the definition names.
  usePrompt: { actions: ['bedrock:GetPrompt', 'bedrock:RenderPrompt'] },
  retrieve: { actions: ['bedrock:Retrieve'] },
  // A knowledge-base node with a model retrieves and generates. RetrieveAndGenerate has no
  // resource type (Service Authorization Reference), so it can only be granted on "*"; the call
  // is still authorized against the knowledge base (Retrieve) and the model (InvokeModel), which
  // are granted on their ARNs only. The AWS managed flow service-role policy grants it the same way.
  retrieveAndGenerate: { actions: ['bedrock:RetrieveAndGenerate'] },
  invokeAgent: { actions: ['bedrock:InvokeAgent'] },
  invokeFunction: { actions: ['lambda:InvokeFunction'] },
  recognizeUtterance: { actions: ['lex:RecognizeUtterance'] },
  applyGuardrail: { actions: ['bedrock:ApplyGuardrail'] },
  readObjects: { actions: ['s3:GetObject'], conditions: sameAccount },
  writeObjects: { actions: ['s3:PutObject'], conditions: sameAccount },
} satisfies Record<string, Permission>;

type PermissionName = keyof typeof PERMISSIONS;

/** Node configurations that need no permission of the execution role. */
const NO_PERMISSION_NODES = ['input', 'output', 'condition', 'iterator', 'collector', 'inlineCode', 'loopInput', 'loopController'];

/**
 * What the execution role of a flow needs for the nodes of a literal flow definition, read from
 * the definition:
 *
 * | node | statement |
 * | --- | --- |
 * | prompt, inline | `bedrock:InvokeModel` on the model; for a cross-Region inference profile on the profile, and on its foundation model in every region only through that profile (`bedrock:InferenceProfileArn`) |
 * | prompt, from Prompt management | `bedrock:GetPrompt`, `bedrock:RenderPrompt` on the prompt ARN; the prompt's model is a gap |
 * | knowledge base | `bedrock:Retrieve` on the knowledge base; with a `modelId` also `bedrock:InvokeModel` on the model and `bedrock:RetrieveAndGenerate` (no resource type, so `*`) |
 * | agent | `bedrock:InvokeAgent` on the agent alias ARN |
 * | Lambda function | `lambda:InvokeFunction` on the function ARN |
 * | Lex | `lex:RecognizeUtterance` on the bot alias ARN |
 * | S3 retrieval / storage | `s3:GetObject` / `s3:PutObject` on `<bucket>/*`, in this account only |
 * | guardrail on a prompt or knowledge-base node | `bedrock:ApplyGuardrail` on the guardrail |
 * | loop | the nodes of its inner definition |
 *
 * Input, output, condition, iterator, collector, inline-code and loop-control nodes need
 * nothing. Values that are tokens are granted on their ARN: ARN fields as they are, id fields
 * (`knowledgeBaseId`) built into an ARN. Whatever cannot be read (a token where an object was
 * expected, a node type this class does not know, a prompt resource's model, reranking) is
 * listed in `gaps`: add those statements yourself.
 *
 * It also checks the definition: node names are unique and every connection joins two nodes of
 * the same definition (`problems`).
 */
// Source: Amazon Bedrock User Guide, "Create a service role for Amazon Bedrock Flows" and
// "Node types in a flow".
export class FlowDefinitionPermissions {
  /** Reads a definition. ARNs built from ids use the scope's partition, region and account. */
  public static of(scope: PolicyScope, definition: CfnFlow.FlowDefinitionProperty): FlowDefinitionPermissions {
    return new FlowDefinitionPermissions(scope, definition);
  }

  /** The identity statements the execution role needs: one per kind of access, nothing else. */
  public readonly statements: iam.PolicyStatement[];

  /** Problems in the definition, each as `<path> must be <expected>; got <value>`. */
  public readonly problems: string[];

  /**
   * What could not be derived from the definition, one sentence each naming the node: add
   * statements for these with `role.addToPrincipalPolicy`.
   */
  public readonly gaps: string[];

  /** @internal */
  public readonly _problems: FlowDefinitionProblem[] = [];

  private readonly resources = new Map<PermissionName, Set<string>>();
  private readonly profiles = new Map<string, string>();

  private constructor(private readonly scope: PolicyScope, definition: CfnFlow.FlowDefinitionProperty) {
    this.gaps = [];
    this.readDefinition(definition, 'definition');
    this.problems = this._problems.map((p) => `${p.prop} must be ${p.expected}; got ${p.value}`);
    this.statements = (Object.keys(PERMISSIONS) as PermissionName[])
      .filter((name) => this.resources.has(name))
      .flatMap((name) => {
        const permission: Permission = PERMISSIONS[name];
        const statement = new iam.PolicyStatement({
          actions: permission.actions,
          resources: [...this.resources.get(name)!],
          conditions: permission.conditions?.(this.scope),
        });
        return name === 'invokeModel' ? [statement, ...this.throughProfiles()] : [statement];
      });
  }

  /**
   * A cross-Region inference profile's model in every region, only through that profile.
   */
  // Source: Amazon Bedrock User Guide, "Prerequisites for inference profiles" (bedrock:InferenceProfileArn).
  private throughProfiles(): iam.PolicyStatement[] {
    return [...this.profiles].map(([profileArn, modelArns]) => throughProfileStatement(profileArn, modelArns, PERMISSIONS.invokeModel.actions));
  }

  private readDefinition(definition: CfnFlow.FlowDefinitionProperty | IResolvable | undefined, path: string): void {
    if (definition === undefined) return;
    if (isToken(definition)) {
      this.gaps.push(`${path} is a token and cannot be read: add the permissions its nodes need`);
      return;
    }

    const names = new Set<string>();
    let allNamesKnown = true;
    const nodes = definition.nodes;
    if (isToken(nodes)) {
      this.gaps.push(`${path}.nodes is a token and cannot be read: add the permissions its nodes need`);
      allNamesKnown = false;
    } else {
      (nodes ?? []).forEach((node, i) => {
        const nodePath = `${path}.nodes[${i}]`;
        if (isToken(node)) {
          this.gaps.push(`${nodePath} is a token and cannot be read: add the permissions it needs`);
          allNamesKnown = false;
          return;
        }
        if (isToken(node.name)) {
          allNamesKnown = false;
        } else if (names.has(node.name)) {
          this.problem(`${nodePath}.name`, quote(node.name), 'unique among the nodes of the definition');
        } else {
          names.add(node.name);
        }
        this.readNode(node, nodePath);
      });
    }

    const connections = definition.connections;
    if (connections === undefined || isToken(connections)) return;
    connections.forEach((connection, i) => {
      if (isToken(connection)) return;
      for (const end of ['source', 'target'] as const) {
        const value = connection[end];
        if (isToken(value) || names.has(value) || !allNamesKnown) continue;
        const known = names.size > 0 ? [...names].map(quote).join(', ') : 'none';
        this.problem(`${path}.connections[${i}].${end}`, quote(value), `the name of a node of ${path} (${known})`);
      }
    });
  }

  private readNode(node: CfnFlow.FlowNodeProperty, path: string): void {
    const label = isToken(node.name) ? path : `node '${node.name}'`;
    const configuration = node.configuration;
    if (configuration === undefined) return;
    if (isToken(configuration)) {
      this.gaps.push(`${label}: its configuration is a token and cannot be read`);
      return;
    }
    for (const [kind, value] of Object.entries(configuration)) {
      if (value === undefined || NO_PERMISSION_NODES.includes(kind)) continue;
      if (isToken(value)) {
        this.gaps.push(`${label}: its ${kind} configuration is a token and cannot be read`);
        continue;
      }
      switch (kind) {
        case 'prompt': this.readPrompt(label, value, `${path}.configuration.prompt`); break;
        case 'knowledgeBase': this.readKnowledgeBase(label, value, `${path}.configuration.knowledgeBase`); break;
        case 'agent': this.grantOn('invokeAgent', (value as CfnFlow.AgentFlowNodeConfigurationProperty).agentAliasArn, `${path}.configuration.agent.agentAliasArn`); break;
        case 'lambdaFunction': this.grantOn('invokeFunction', (value as CfnFlow.LambdaFunctionFlowNodeConfigurationProperty).lambdaArn, `${path}.configuration.lambdaFunction.lambdaArn`); break;
        case 'lex': this.grantOn('recognizeUtterance', (value as CfnFlow.LexFlowNodeConfigurationProperty).botAliasArn, `${path}.configuration.lex.botAliasArn`); break;
        case 'retrieval': this.readS3(label, 'readObjects', (value as CfnFlow.RetrievalFlowNodeConfigurationProperty).serviceConfiguration); break;
        case 'storage': this.readS3(label, 'writeObjects', (value as CfnFlow.StorageFlowNodeConfigurationProperty).serviceConfiguration); break;
        case 'loop': this.readDefinition((value as CfnFlow.LoopFlowNodeConfigurationProperty).definition, `${path}.configuration.loop.definition`); break;
        default:
          this.gaps.push(`${label}: ${kind} nodes are not read by this library: add the permissions it needs`);
      }
    }
  }

  private readPrompt(label: string, prompt: CfnFlow.PromptFlowNodeConfigurationProperty, path: string): void {
    this.readGuardrail(label, prompt.guardrailConfiguration);
    const source = prompt.sourceConfiguration;
    if (isToken(source)) {
      this.gaps.push(`${label}: its prompt source is a token and cannot be read`);
      return;
    }
    if (isToken(source.resource)) {
      this.gaps.push(`${label}: its prompt resource is a token and cannot be read`);
    } else if (source.resource !== undefined) {
      const promptArn = source.resource.promptArn;
      this.grantOn('usePrompt', promptArn, `${path}.sourceConfiguration.resource.promptArn`);
      this.gaps.push(`${label}: the model of prompt ${isToken(promptArn) ? 'resource' : promptArn} is not in the definition: grant bedrock:InvokeModel on it`);
    }
    if (isToken(source.inline)) {
      this.gaps.push(`${label}: its inline prompt is a token and cannot be read`);
    } else if (source.inline !== undefined) {
      this.grantModel(label, source.inline.modelId, `${path}.sourceConfiguration.inline.modelId`);
    }
  }

  private readKnowledgeBase(label: string, kb: CfnFlow.KnowledgeBaseFlowNodeConfigurationProperty, path: string): void {
    const id = kb.knowledgeBaseId;
    this.add('retrieve', identifierKind(id) === 'arn' ? id : BedrockResourceType.KNOWLEDGE_BASE.arn(this.scope, id));
    if (kb.modelId !== undefined) {
      this.add('retrieveAndGenerate', '*');
      this.grantModel(label, kb.modelId, `${path}.modelId`);
    }
    this.readGuardrail(label, kb.guardrailConfiguration);
    if (kb.rerankingConfiguration !== undefined) {
      this.gaps.push(`${label}: reranking is not read: grant bedrock:Rerank and bedrock:InvokeModel on the reranking model`);
    }
  }

  private readGuardrail(label: string, guardrail: CfnFlow.GuardrailConfigurationProperty | IResolvable | undefined): void {
    if (guardrail === undefined) return;
    if (isToken(guardrail)) {
      this.gaps.push(`${label}: its guardrail configuration is a token and cannot be read: grant bedrock:ApplyGuardrail on the guardrail`);
      return;
    }
    const id = guardrail.guardrailIdentifier;
    if (id === undefined) return;
    const kind = identifierKind(id);
    this.add('applyGuardrail', kind === 'arn' ? id : BedrockResourceType.GUARDRAIL.arn(this.scope, id));
    if (kind === 'unknown') {
      this.gaps.push(`${label}: its guardrail is a token that may be an id or an ARN: bedrock:ApplyGuardrail is granted on it as an id; if it is an ARN, grant on it`);
    }
  }

  private readS3(label: string, permission: 'readObjects' | 'writeObjects', service: CfnFlow.RetrievalFlowNodeServiceConfigurationProperty | CfnFlow.StorageFlowNodeServiceConfigurationProperty | IResolvable): void {
    if (isToken(service) || isToken(service.s3)) {
      this.gaps.push(`${label}: its S3 configuration is a token and cannot be read`);
      return;
    }
    if (service.s3 === undefined) {
      this.gaps.push(`${label}: only S3 ${permission === 'readObjects' ? 'retrieval' : 'storage'} is read: add the permissions its service needs`);
      return;
    }
    this.add(permission, PolicyScopes.arn(this.scope, 's3', `${service.s3.bucketName}/*`, '', ''));
  }

  private grantModel(label: string, modelId: string, path: string): void {
    const model = modelResources(this.scope, modelId);
    if (model.expected) {
      this.problem(path, quote(modelId), model.expected);
      return;
    }
    this.add('invokeModel', ...model.arns);
    if (model.throughProfile) this.profiles.set(model.throughProfile.profileArn, model.throughProfile.modelArns);
    if (model.gap) this.gaps.push(`${label}: ${model.gap}`);
  }

  private grantOn(permission: PermissionName, arn: string, path: string): void {
    if (!isToken(arn) && !arn.startsWith('arn:')) {
      this.problem(path, quote(arn), 'an ARN');
      return;
    }
    this.add(permission, arn);
  }

  private add(permission: PermissionName, ...resources: string[]): void {
    const set = this.resources.get(permission) ?? new Set<string>();
    resources.forEach((r) => set.add(r));
    this.resources.set(permission, set);
  }

  private problem(prop: string, value: string, expected: string): void {
    this._problems.push({ prop, value, expected });
  }
}

/** True when `value` is a token (an IResolvable, or a string or list that encodes one): it cannot be read. */
function isToken<T>(value: T | IResolvable | undefined): value is IResolvable {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

function quote(value: string): string {
  return `'${value}'`;
}
