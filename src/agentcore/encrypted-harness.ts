import { Duration, Fn, Token } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { BedrockCustomerManagedKey } from '../mixins/bedrock-customer-managed-key';
import { AgentCoreHarnessEncryptionStatements } from '../policy/agentcore-harness';
import { PolicyScope, PolicyScopes } from '../policy/scope';
import { AgentCoreServiceTrust } from '../policy/trust';
import { invokeModelStatements, MODEL_FORMS, parseModel } from '../private/model-arns';
import { BedrockEncryptionError, isResolved, PropsValidator } from '../private/validation';
import { IKnowledgeBaseReference } from '../references/knowledge-base-reference';
import { roleNameForKey } from '../wiring/key-policy-principals';
import { writeIdentityPolicy, writePolicyAfter } from '../wiring/policy-writer';
import { waitForRole } from '../wiring/resource-wiring';

/** Long-term and short-term memory of an {@link EncryptedHarness}: the harness's managed memory, under the key. */
export interface HarnessMemoryProps {
  /**
   * How long the memory keeps the events of a session, in days: 3 to 365.
   *
   * @default - the AgentCore default
   */
  readonly storageDays?: number;
}

/**
 * A tool of an {@link EncryptedHarness}: a Lambda function behind the harness's AgentCore Gateway
 * (what an action group is to an Agents Classic agent).
 */
export interface HarnessLambdaTool {
  /** The function the gateway invokes with its service role. */
  readonly function: lambda.IFunction;

  /**
   * The tool's name, as the model sees it: a letter or digit, then up to 63 letters, digits, `_` or `-`.
   * Its gateway target is named the same with `-` for `_`.
   */
  readonly name: string;

  /** What the tool does, as the model reads it. */
  readonly description: string;

  /**
   * The tool's input: a JSON Schema object (`type`, `properties`, `required`).
   *
   * @default - an object with no properties
   */
  readonly inputSchema?: { [key: string]: any };
}

/** Properties of an {@link EncryptedHarness}. */
export interface EncryptedHarnessProps {
  /** Name of the harness: a letter, then up to 39 letters, digits or `_` (`^[a-zA-Z][a-zA-Z0-9_]{0,39}$`). */
  readonly harnessName: string;

  /**
   * The model the harness runs its loop with: a foundation model id
   * (`anthropic.claude-3-5-sonnet-20240620-v1:0`), a foundation-model ARN, a cross-region
   * inference profile id (`us.anthropic.claude-3-5-sonnet-20240620-v1:0`; prefixes `us`,
   * `us-gov`, `eu`, `apac`, `jp`, `au`, `ca`, `global`) or an inference-profile ARN, as for
   * `EncryptedAgent`.
   *
   * The execution role may invoke this model and nothing else; an inference profile also gets its
   * model in every region the profile routes to, only through the profile. A token is not
   * parsed: the role is granted on it as given, so it must resolve to an ARN.
   */
  readonly foundationModel: string;

  /** The system prompt: what the agent should do and how it talks to users. At least one character. */
  readonly instruction: string;

  /**
   * The most iterations of the agent loop in one invocation: at least 1.
   *
   * @default - the AgentCore default
   */
  readonly maxIterations?: number;

  /**
   * The most tokens the model may generate in one invocation: at least 1.
   *
   * @default - the AgentCore default
   */
  readonly maxTokens?: number;

  /**
   * How long one invocation may run: whole seconds, at least 1 second.
   *
   * @default - the AgentCore default
   */
  readonly timeout?: Duration;

  /**
   * The harness's managed memory (short-term events and long-term records), encrypted with the key.
   *
   * @default - a managed memory with the AgentCore defaults, encrypted with the key
   */
  readonly memory?: HarnessMemoryProps;

  /**
   * Lambda functions the agent may call, behind one AgentCore Gateway encrypted with the key
   * (inbound: AWS IAM, which only the execution role is given; outbound: the gateway's service role,
   * which may invoke these functions and no others).
   *
   * @default - no tools: no gateway
   */
  readonly tools?: HarnessLambdaTool[];

  /**
   * Knowledge bases the agent retrieves from: the execution role may call `bedrock:Retrieve` on
   * these and no others. Their ids are given to the harness in the environment variable
   * `KNOWLEDGE_BASE_IDS` (comma-separated).
   *
   * @default - none
   */
  readonly knowledgeBases?: IKnowledgeBaseReference[];

  /**
   * The key that encrypts the harness's memory and its gateway. A key whose policy this app cannot
   * change (an imported key) gets its statements as the `KeyPolicyToAdd` stack output and a synth
   * warning. Must be in the stack's account and region.
   *
   * @default - a new `BedrockKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The execution role the harness assumes. Its permissions are added to it; an immutable imported
   * role gets a synth warning instead, and must be given them by hand. Its trust policy must allow
   * `bedrock-agentcore.amazonaws.com`.
   *
   * @default - a new role trusted by `bedrock-agentcore.amazonaws.com` only on behalf of this
   * account's AgentCore resources in this region (`aws:SourceAccount`, `aws:SourceArn`)
   */
  readonly role?: iam.IRole;

  /**
   * The role that deploys the stack and so creates the harness and its memory: the key policy gives
   * it the key use of the principal that sets up an AgentCore memory.
   *
   * @default - the CloudFormation execution role of the stack's `DefaultStackSynthesizer`; none
   * with another synthesizer (the deploying principal then needs the key in its identity policy)
   */
  readonly deploymentRole?: iam.IRole;
}

/** An AgentCore harness whose memory is encrypted with a customer managed key: one of this app, or one imported. */
export interface IEncryptedHarness extends IConstruct, iam.IGrantable {
  /**
   * The id of the harness.
   *
   * @attribute
   */
  readonly harnessId: string;

  /**
   * The ARN of the harness (`arn:<partition>:bedrock-agentcore:<region>:<account>:harness/<id>`).
   *
   * @attribute
   */
  readonly harnessArn: string;

  /**
   * The ARN of the AgentCore runtime the harness runs on.
   *
   * @attribute
   */
  readonly runtimeArn: string;

  /** The key that encrypts the harness's memory. */
  readonly encryptionKey: kms.IKey;

  /** The execution role the harness assumes. */
  readonly role: iam.IRole;

  /**
   * Lets `grantee` invoke the harness: `bedrock-agentcore:InvokeHarness` on the harness and
   * `bedrock-agentcore:InvokeAgentRuntime` on its runtime.
   */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
}

/** A harness that exists already, for {@link EncryptedHarness.fromHarnessAttributes}. */
export interface EncryptedHarnessAttributes {
  /** The ARN of the harness (`arn:<partition>:bedrock-agentcore:<region>:<account>:harness/<id>`). */
  readonly harnessArn: string;

  /** The ARN of the AgentCore runtime the harness runs on (`arn:<partition>:bedrock-agentcore:<region>:<account>:runtime/<id>`). */
  readonly runtimeArn: string;

  /** The key the harness's memory is encrypted with. */
  readonly encryptionKey: kms.IKey;

  /** The harness's execution role (`iam.Role.fromRoleArn` for an existing one). */
  readonly role: iam.IRole;
}

const HARNESS_ARN = /^arn:[a-z-]+:bedrock-agentcore:[a-z0-9-]+:\d{12}:harness\/([a-zA-Z][a-zA-Z0-9_]{0,39}-[a-zA-Z0-9]{10})$/;
const RUNTIME_ARN = /^arn:[a-z-]+:bedrock-agentcore:[a-z0-9-]+:\d{12}:runtime\/[a-zA-Z][a-zA-Z0-9_]{0,99}-[a-zA-Z0-9]{10}$/;

/** What new and imported harnesses share: the grants. */
abstract class EncryptedHarnessBase extends Construct implements IEncryptedHarness {
  public abstract readonly harnessId: string;
  public abstract readonly harnessArn: string;
  public abstract readonly runtimeArn: string;
  public abstract readonly encryptionKey: kms.IKey;
  public abstract readonly role: iam.IRole;
  public abstract readonly grantPrincipal: iam.IPrincipal;

  /**
   * Lets `grantee` invoke the harness, as the AgentCore harness security page describes:
   * `bedrock-agentcore:InvokeHarness` on this harness, and `bedrock-agentcore:InvokeAgentRuntime` on
   * the runtime the harness runs on and its endpoints (the Service Authorization Reference gives
   * the action the runtime and runtime-endpoint resource types). No AWS page requires a caller's
   * use of the key: the harness reads its memory with its execution role.
   *
   * These are identity statements on the grantee. The grantee must not be the harness's own role:
   * the harness depends on that role's policy.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (grantee.grantPrincipal === this.role) {
      throw new BedrockEncryptionError(
        `EncryptedHarness at '${this.node.path}': grantInvoke(grantee) must not be given the harness's own role; ` +
        "the harness depends on that role's policy, which cannot name the harness's ARN.");
    }
    return writeIdentityPolicy(grantee, [
      // Source: Amazon Bedrock AgentCore Developer Guide, "Security and access controls" (harness-security.html),
      // "IAM permissions model": InvokeHarness requires bedrock-agentcore:InvokeHarness and bedrock-agentcore:InvokeAgentRuntime.
      new iam.PolicyStatement({ actions: ['bedrock-agentcore:InvokeHarness'], resources: [this.harnessArn] }),
      new iam.PolicyStatement({ actions: ['bedrock-agentcore:InvokeAgentRuntime'], resources: [this.runtimeArn, `${this.runtimeArn}/runtime-endpoint/*`] }),
    ], { scope: this, subject: `invoking the harness '${this.node.path}'` });
  }
}

/** A harness created outside this construct. */
class ImportedEncryptedHarness extends EncryptedHarnessBase {
  public readonly harnessId: string;
  public readonly harnessArn: string;
  public readonly runtimeArn: string;
  public readonly encryptionKey: kms.IKey;
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, attrs: EncryptedHarnessAttributes) {
    new PropsValidator(scope, `EncryptedHarness.fromHarnessAttributes '${id}'`)
      .pattern('harnessArn', attrs.harnessArn, HARNESS_ARN, 'a harness ARN (arn:<partition>:bedrock-agentcore:<region>:<account>:harness/<id>)')
      .pattern('runtimeArn', attrs.runtimeArn, RUNTIME_ARN, 'a runtime ARN (arn:<partition>:bedrock-agentcore:<region>:<account>:runtime/<id>)')
      .kmsKey('encryptionKey', attrs.encryptionKey)
      .throwIfInvalid();
    super(scope, id);
    this.harnessArn = attrs.harnessArn;
    this.harnessId = isResolved(attrs.harnessArn) ? HARNESS_ARN.exec(attrs.harnessArn)![1] : Fn.select(1, Fn.split('/', attrs.harnessArn));
    this.runtimeArn = attrs.runtimeArn;
    this.encryptionKey = attrs.encryptionKey;
    this.role = attrs.role;
    this.grantPrincipal = attrs.role;
  }
}

/**
 * An agent on the Amazon Bedrock AgentCore managed harness (`AWS::BedrockAgentCore::Harness`), the
 * successor AWS recommends to Amazon Bedrock Agents (Agents Classic), with everything it keeps at
 * rest under one customer managed key:
 * - the harness, with its model and system prompt (`instruction`), and optional limits;
 * - its managed memory (short-term and long-term), encrypted with the key (`BedrockCustomerManagedKey`);
 * - an execution role trusted by `bedrock-agentcore.amazonaws.com` only for this account, which may
 *   invoke the chosen model only, use its memory and the key only through AgentCore, invoke its
 *   gateway, retrieve from its knowledge bases, and write the runtime's logs and traces;
 * - with `tools`, an AgentCore Gateway encrypted with the key, with one Lambda target per tool and a
 *   service role that may invoke those functions only;
 * - a key policy that lets CloudWatch Logs use the key for the AgentCore runtime log groups of this
 *   account and region, so the harness's log group can be given the key once AgentCore has created it.
 *
 * The key policy names no attribute of the harness (a CloudFormation cycle); the memory's exact
 * ARN goes into a policy of the execution role created after the harness.
 *
 * @see https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/harness-security.html
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/agents-classic-maintenance-mode.html
 */
export class EncryptedHarness extends EncryptedHarnessBase {
  /** A harness that exists already, so callers can be granted its use with `grantInvoke`. */
  public static fromHarnessAttributes(scope: Construct, id: string, attrs: EncryptedHarnessAttributes): IEncryptedHarness {
    return new ImportedEncryptedHarness(scope, id, attrs);
  }

  /** The `AWS::BedrockAgentCore::Harness` resource. */
  public readonly cfnHarness: agentcore.CfnHarness;

  /** The `AWS::BedrockAgentCore::Gateway` resource, when there are `tools`. */
  public readonly cfnGateway?: agentcore.CfnGateway;

  /** The `AWS::BedrockAgentCore::GatewayTarget` resources, one per tool. */
  public readonly cfnGatewayTargets: agentcore.CfnGatewayTarget[];

  /** The gateway's service role, when there are `tools`. */
  public readonly gatewayRole?: iam.IRole;

  /**
   * The id of the harness.
   *
   * @attribute
   */
  public readonly harnessId: string;

  /**
   * The ARN of the harness.
   *
   * @attribute
   */
  public readonly harnessArn: string;

  /**
   * The ARN of the AgentCore runtime the harness runs on.
   *
   * @attribute
   */
  public readonly runtimeArn: string;

  /**
   * The ARN of the harness's managed memory.
   *
   * @attribute
   */
  public readonly memoryArn: string;

  /**
   * The ARN of the gateway, when there are `tools`.
   *
   * @attribute
   */
  public readonly gatewayArn?: string;

  /** The key that encrypts the harness's memory and its gateway. */
  public readonly encryptionKey: kms.IKey;

  /** The key with the statements the harness needs: written into its policy, or reported. */
  public readonly bedrockKey: IBedrockKey;

  /** The execution role the harness assumes. */
  public readonly role: iam.IRole;

  /** The execution role: granting to the harness grants to its role. */
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: EncryptedHarnessProps) {
    validateHarnessProps(scope, id, props);
    super(scope, id);
    const policyScope = PolicyScopes.of(this);

    this.bedrockKey = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = this.bedrockKey.key;
    const mixin = BedrockCustomerManagedKey.fromBedrockKey(this.bedrockKey, { deploymentRole: props.deploymentRole });

    this.role = props.role ?? new iam.Role(this, 'ExecutionRole', {
      assumedBy: AgentCoreServiceTrust.principal(policyScope),
      description: `Execution role the Amazon Bedrock AgentCore harness ${props.harnessName} assumes`,
    });
    this.grantPrincipal = this.role;

    const tools = props.tools ?? [];
    this.cfnGatewayTargets = [];
    if (tools.length > 0) {
      this.gatewayRole = new iam.Role(this, 'GatewayRole', {
        assumedBy: AgentCoreServiceTrust.principal(policyScope),
        description: `Service role of the AgentCore gateway of the harness ${props.harnessName}`,
        // the gateway's key statements name this role: a fixed name when the key's policy cannot reference it
        roleName: roleNameForKey(this, 'GatewayRole', this.encryptionKey),
      });
      const gatewayGrant = writeIdentityPolicy(this.gatewayRole, [
        // Source: Amazon Bedrock AgentCore Developer Guide, "Adding Lambda targets to your gateway"
        // (gateway-add-target-lambda.html), "Configuring permissions": lambda:InvokeFunction on the target functions.
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: tools.map((t) => t.function.functionArn) }),
      ], { scope: this, subject: `the gateway of the harness '${this.node.path}'`, serviceRole: true });
      this.cfnGateway = new agentcore.CfnGateway(this, 'Gateway', {
        name: gatewayNameOf(props.harnessName),
        authorizerType: 'AWS_IAM',
        protocolType: 'MCP',
        roleArn: this.gatewayRole.roleArn,
        description: `Tools of the harness ${props.harnessName}`,
      });
      this.cfnGateway.with(mixin);
      waitForRole(this.gatewayRole, gatewayGrant, this.cfnGateway);
      this.gatewayArn = this.cfnGateway.attrGatewayArn;
      tools.forEach((tool, i) => {
        const target = new agentcore.CfnGatewayTarget(this, `Tool${i}`, {
          gatewayIdentifier: this.cfnGateway!.attrGatewayIdentifier,
          name: targetNameOf(tool.name),
          description: tool.description,
          credentialProviderConfigurations: [{ credentialProviderType: 'GATEWAY_IAM_ROLE' }],
          targetConfiguration: {
            mcp: {
              lambda: {
                lambdaArn: tool.function.functionArn,
                toolSchema: {
                  inlinePayload: [{ name: tool.name, description: tool.description, inputSchema: (tool.inputSchema ?? { type: 'object' }) as agentcore.CfnGatewayTarget.SchemaDefinitionProperty }],
                },
              },
            },
          },
        });
        waitForRole(this.gatewayRole!, gatewayGrant, target);
        this.cfnGatewayTargets.push(target);
      });
    }

    const roleGrant = this.addRoleStatements(props, policyScope);

    const knowledgeBaseIds = (props.knowledgeBases ?? []).map((kb) => kb.knowledgeBaseId);
    this.cfnHarness = new agentcore.CfnHarness(this, 'Resource', {
      harnessName: props.harnessName,
      executionRoleArn: this.role.roleArn,
      model: { bedrockModelConfig: { modelId: props.foundationModel } },
      systemPrompt: [{ text: props.instruction }],
      maxIterations: props.maxIterations,
      maxTokens: props.maxTokens,
      timeoutSeconds: props.timeout?.toSeconds(),
      memory: { managedMemoryConfiguration: { eventExpiryDuration: props.memory?.storageDays } },
      tools: this.cfnGateway ? [{
        type: 'agentcore_gateway',
        name: 'tools',
        config: { agentCoreGateway: { gatewayArn: this.cfnGateway.attrGatewayArn, outboundAuth: { awsIam: {} } } },
      }] : undefined,
      environmentVariables: knowledgeBaseIds.length > 0 ? { KNOWLEDGE_BASE_IDS: knowledgeBaseIds.join(',') } : undefined,
    });
    // The managed memory's key property and its key policy come from the mixin (the registry row of AWS::BedrockAgentCore::Harness).
    this.cfnHarness.with(mixin);
    // AgentCore checks the role when it creates the harness.
    waitForRole(this.role, roleGrant, this.cfnHarness);
    this.harnessId = this.cfnHarness.attrHarnessId;
    this.harnessArn = this.cfnHarness.attrArn;
    this.runtimeArn = this.cfnHarness.attrEnvironmentAgentCoreRuntimeEnvironmentAgentRuntimeArn;
    this.memoryArn = this.cfnHarness.attrMemoryManagedMemoryConfigurationArn;

    // The harness's memory, by its exact ARN, in a policy created after the harness (it names the harness's attribute).
    // Source: harness-security.html, the execution role's AgentCore Memory statement, on this harness's memory only.
    writePolicyAfter(this, 'MemoryPolicy', this.cfnHarness, this.role, [
      new iam.PolicyStatement({ actions: MEMORY_ACTIONS, resources: [this.memoryArn] }),
    ], { scope: this, subject: `the memory of the harness '${this.node.path}'` });

    // CloudWatch Logs may use the key for the runtime log groups of this account and region (the harness's log group
    // is named after the runtime id AgentCore generates at deployment, so it cannot be created ahead).
    this.bedrockKey.addStatements(...AgentCoreHarnessEncryptionStatements.runtimeLogsKeyUse(policyScope));
  }

  /** The model, logs, traces, gateway, knowledge bases and key use, on the execution role's own policy. */
  private addRoleStatements(props: EncryptedHarnessProps, scope: PolicyScope): iam.Grant {
    const runtimeLogGroups = PolicyScopes.arn(scope, 'logs', `log-group:${AgentCoreHarnessEncryptionStatements.RUNTIME_LOG_GROUP_PREFIX}*`);
    // Source: Amazon Bedrock AgentCore Developer Guide, "Security and access controls" (harness-security.html), the
    // execution role policy: model invocation (narrowed to the chosen model or profile), CloudWatch Logs (narrowed to
    // the runtime log groups), X-Ray (actions without a resource type), the gateway and knowledge bases of this agent.
    const statements = [
      ...invokeModelStatements(scope, [props.foundationModel]),
      new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'], resources: [runtimeLogGroups] }),
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${runtimeLogGroups}:log-stream:*`] }),
      new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        resources: ['*'],
      }),
      ...AgentCoreHarnessEncryptionStatements.executionRoleIdentity(scope, this.encryptionKey.keyArn),
    ];
    if (this.cfnGateway) {
      statements.push(new iam.PolicyStatement({ actions: ['bedrock-agentcore:InvokeGateway'], resources: [this.cfnGateway.attrGatewayArn] }));
    }
    const knowledgeBaseArns = (props.knowledgeBases ?? []).map((kb) => kb.knowledgeBaseArn);
    if (knowledgeBaseArns.length > 0) {
      // bedrock:Retrieve accepts the knowledge-base resource type (Service Authorization Reference for Amazon Bedrock).
      statements.push(new iam.PolicyStatement({ actions: ['bedrock:Retrieve'], resources: knowledgeBaseArns }));
    }
    return writeIdentityPolicy(this.role, statements, { scope: this, subject: `the harness '${this.node.path}'`, serviceRole: true });
  }
}

/** What the execution role does with the harness's memory (harness-security.html, the AgentCore Memory statement). */
const MEMORY_ACTIONS = [
  'bedrock-agentcore:CreateEvent', 'bedrock-agentcore:GetEvent', 'bedrock-agentcore:ListEvents', 'bedrock-agentcore:ListSessions',
  'bedrock-agentcore:RetrieveMemoryRecords', 'bedrock-agentcore:ListMemoryRecords', 'bedrock-agentcore:GetMemoryRecord',
];

const HARNESS_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
const TOOL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/;

/** A gateway target's name: the tool name with `-` for `_` (`^([0-9a-zA-Z][-]?){1,100}$`). */
function targetNameOf(toolName: string): string {
  if (!isResolved(toolName)) return toolName;
  return toolName.replace(/[_-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** The gateway's name: the harness name with `-` for `_`, then `-tools` (`^([0-9a-zA-Z][-]?){1,100}$`). */
function gatewayNameOf(harnessName: string): string {
  if (!isResolved(harnessName)) return `${harnessName}-tools`;
  return `${harnessName.replace(/_+/g, '-').replace(/-+$/, '')}-tools`;
}

/** Checks every prop that is resolved, then throws all problems at once; returns the parsed model. */
function validateHarnessProps(scope: Construct, id: string, props: EncryptedHarnessProps): void {
  const v = new PropsValidator(scope, `EncryptedHarness '${id}'`);
  v.pattern('harnessName', props.harnessName, HARNESS_NAME, 'a letter, then up to 39 letters, digits or _');
  v.kmsKey('encryptionKey', props.encryptionKey);
  if (isResolved(props.instruction)) {
    v.check(props.instruction.trim().length === 0, 'instruction', JSON.stringify(props.instruction), 'at least one character that is not a space');
  }
  positiveInteger(v, 'maxIterations', props.maxIterations);
  positiveInteger(v, 'maxTokens', props.maxTokens);
  if (props.timeout && !props.timeout.isUnresolved()) {
    const seconds = props.timeout.toSeconds({ integral: false });
    v.check(!Number.isInteger(seconds) || seconds < 1, 'timeout', props.timeout.toHumanString(), 'a whole number of seconds, at least 1');
  }
  v.range('memory.storageDays', props.memory?.storageDays, 3, 365, ' days');

  if (!parseModel(PolicyScopes.of(scope), props.foundationModel)) v.fail('foundationModel', JSON.stringify(props.foundationModel), MODEL_FORMS);

  const names = new Set<string>();
  (props.tools ?? []).forEach((tool, i) => {
    v.pattern(`tools[${i}].name`, tool.name, TOOL_NAME, 'a letter or digit, then up to 63 letters, digits, _ or -');
    if (isResolved(tool.name)) {
      v.check(names.has(targetNameOf(tool.name)), `tools[${i}].name`, tool.name, 'a name no other tool has, with - for _');
      names.add(targetNameOf(tool.name));
    }
    if (isResolved(tool.description)) v.check(tool.description.length === 0, `tools[${i}].description`, '""', 'at least one character');
  });
  (props.knowledgeBases ?? []).forEach((kb, i) => {
    v.bedrockArn(`knowledgeBases[${i}].knowledgeBaseArn`, kb.knowledgeBaseArn, 'knowledge-base', 'a knowledge base');
  });
  v.throwIfInvalid();
}

function positiveInteger(v: PropsValidator, prop: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  v.check(!Number.isInteger(value) || value < 1, prop, String(value), 'a whole number, at least 1');
}
