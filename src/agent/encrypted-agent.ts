import { Duration } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { AgentKnowledgeBase } from './agent-knowledge-base';
import { AgentMemoryProps } from './agent-memory';
import { IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { BedrockCustomerManagedKey } from '../mixins/bedrock-customer-managed-key';
import { AgentEncryptionStatements } from '../policy/agent';
import { BEDROCK_NAME, BEDROCK_NAME_FORM, bedrockResourceIdOf } from '../policy/patterns';
import { BedrockResourceType } from '../policy/resource-type';
import { PolicyScopes } from '../policy/scope';
import { invokeModelStatements, MODEL_FORMS, parseModel } from '../private/model-arns';
import { BedrockEncryptionError, isResolved, PropsValidator } from '../private/validation';
import { BedrockServiceRole } from '../role/bedrock-service-role';
import { writeIdentityPolicy } from '../wiring/policy-writer';
import { waitForRole } from '../wiring/resource-wiring';

/** Properties of an {@link EncryptedAgent}. */
export interface EncryptedAgentProps {
  /**
   * Name of the agent: 1 to 100 letters or digits, each optionally followed by one `_` or `-`
   * (`^([0-9a-zA-Z][_-]?){1,100}$`).
   */
  readonly agentName: string;

  /**
   * The model the agent orchestrates with: a foundation model id
   * (`anthropic.claude-3-5-sonnet-20240620-v1:0`), a foundation-model ARN, a cross-region
   * inference profile id (`us.anthropic.claude-3-5-sonnet-20240620-v1:0`; prefixes `us`,
   * `us-gov`, `eu`, `apac`, `jp`, `au`, `ca`, `global`) or an inference-profile ARN.
   *
   * The service role may invoke this model and nothing else; an inference profile also gets its
   * model in every region the profile routes to, only through the profile. A token is not
   * parsed: the role is granted on it as given, so it must resolve to an ARN.
   */
  readonly foundationModel: string;

  /** What the agent should do and how it talks to users: at least 40 characters. Encrypted with the key. */
  readonly instruction: string;

  /**
   * Description of the agent: 1 to 200 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * How long Bedrock keeps a session's data after the last interaction: 60 seconds to 1 hour,
   * whole seconds.
   *
   * @default - the Bedrock default
   */
  readonly idleSessionTtl?: Duration;

  /**
   * Long-term memory (`SESSION_SUMMARY`). With memory, the key policy also lets Bedrock create
   * and re-encrypt memory data keys for this account's agent aliases, and `grantInvoke` adds the
   * caller's memory permissions.
   *
   * @default - no memory: the agent keeps context within a session only
   */
  readonly memory?: AgentMemoryProps;

  /**
   * The key that encrypts the agent, its sessions and its memory. A key whose policy this app
   * cannot change (an imported key) gets its statements as the `KeyPolicyToAdd` stack output
   * and a synth warning. Must be in the stack's account and region.
   *
   * @default - a new `BedrockKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The service role Bedrock assumes for the agent. The model and knowledge base permissions
   * are added to it (an agent created after 22 January 2025 gives its role no key use); an immutable imported role gets a synth warning instead, and
   * must be given them by hand. Its trust policy must allow `bedrock.amazonaws.com`.
   *
   * @default - a new `BedrockServiceRole` for agents (`aws:SourceAccount` and `aws:SourceArn` conditions)
   */
  readonly role?: iam.IRole;

  /**
   * Name of an alias to create: same pattern as `agentName`. The alias points to a version
   * Bedrock creates from the prepared draft when the alias is created.
   *
   * @default - no alias
   */
  readonly aliasName?: string;

  /**
   * Knowledge bases the agent queries. The service role may call `bedrock:Retrieve` on these and
   * no others, and `bedrock:RetrieveAndGenerate`, an action IAM authorizes only on `*` (the
   * knowledge base it names is authorized by `bedrock:Retrieve`).
   *
   * @default - none
   */
  readonly knowledgeBases?: AgentKnowledgeBase[];

  /**
   * The role that deploys the stack and so creates the agent: the key policy gives it the
   * key use the AWS page documents for the principal that calls the agent APIs, so the stack deploys with a least-privilege
   * CloudFormation execution role.
   *
   * @default - the CloudFormation execution role of the stack's `DefaultStackSynthesizer`; none
   * with another synthesizer (the deploying principal then needs the key in its identity policy)
   */
  readonly deploymentRole?: iam.IRole;
}

/** A Bedrock agent encrypted with a customer managed key: one of this app, or one imported. */
export interface IEncryptedAgent extends IConstruct, iam.IGrantable {
  /**
   * The id of the agent.
   *
   * @attribute
   */
  readonly agentId: string;

  /**
   * The ARN of the agent.
   *
   * @attribute
   */
  readonly agentArn: string;

  /**
   * The ARN of the alias callers invoke, when there is one.
   *
   * @attribute
   */
  readonly aliasArn?: string;

  /** The key that encrypts the agent, its sessions and its memory. */
  readonly encryptionKey: kms.IKey;

  /** The service role Bedrock assumes for the agent. */
  readonly role: iam.IRole;

  /** True when long-term memory is on. */
  readonly memoryEnabled: boolean;

  /**
   * Lets `grantee` invoke the agent: `bedrock:InvokeAgent` on its alias, and use of the key
   * for this agent's encryption context (and, with memory, for its memory).
   */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
}

/** An agent that exists already, for {@link EncryptedAgent.fromAgentAttributes}. */
export interface EncryptedAgentAttributes {
  /** The ARN of the agent (`arn:<partition>:bedrock:<region>:<account>:agent/<agent-id>`). */
  readonly agentArn: string;

  /** The key the agent is encrypted with. */
  readonly encryptionKey: kms.IKey;

  /**
   * The ARN of the alias callers invoke.
   *
   * @default - callers may invoke every alias of the agent
   */
  readonly aliasArn?: string;

  /** The agent's service role (`iam.Role.fromRoleArn` for an existing one). */
  readonly role: iam.IRole;

  /**
   * Whether the agent has long-term memory, so callers get the memory key permissions too.
   *
   * @default false
   */
  readonly memoryEnabled?: boolean;
}

/** What new and imported agents share: the grants. */
abstract class EncryptedAgentBase extends Construct implements IEncryptedAgent {
  public abstract readonly agentId: string;
  public abstract readonly agentArn: string;
  public abstract readonly aliasArn?: string;
  public abstract readonly encryptionKey: kms.IKey;
  public abstract readonly role: iam.IRole;
  public abstract readonly grantPrincipal: iam.IPrincipal;
  public abstract readonly memoryEnabled: boolean;

  /**
   * Lets `grantee` invoke the agent, as the AWS pages on agent encryption describe:
   * - `bedrock:InvokeAgent` on the alias, or, without an alias, on every alias of this agent
   *   (`agent-alias/<agent-id>/*`, which includes the draft test alias `TSTALIASID`);
   * - `kms:GenerateDataKey` and `kms:Decrypt` on the key with
   *   `kms:EncryptionContext:aws:bedrock:arn` equal to this agent's ARN;
   * - with memory, `kms:GenerateDataKeyWithoutPlaintext` and `kms:ReEncrypt*`, and
   *   `kms:Decrypt` through Bedrock, under the memory context of the same alias ARN (or pattern).
   *
   * These are identity statements on the grantee; the key policy must let IAM policies grant
   * use of the key (a new `BedrockKey` does, through its account-root statement). The grantee
   * must not be the agent's own role: the agent depends on that role's policy.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (grantee.grantPrincipal === this.role) {
      throw new BedrockEncryptionError(
        `EncryptedAgent at '${this.node.path}': grantInvoke(grantee) must not be given the agent's own role; ` +
        "the agent depends on that role's policy, which cannot name the agent's ARN.");
    }
    const scope = PolicyScopes.of(this);
    const aliases = this.aliasArn ?? BedrockResourceType.AGENT_ALIAS.arn(scope, `${this.agentId}/*`);
    const keyArn = this.encryptionKey.keyArn;
    const statements = [
      new iam.PolicyStatement({ actions: ['bedrock:InvokeAgent'], resources: [aliases] }),
      ...AgentEncryptionStatements.invokeAgentCallerIdentity(keyArn, this.agentArn),
      ...(this.memoryEnabled ? AgentEncryptionStatements.memoryCallerIdentity(scope, keyArn, aliases) : []),
    ];
    return writeIdentityPolicy(grantee, statements, { scope: this, subject: `invoking the agent '${this.node.path}'` });
  }
}

/** An agent created outside this construct. */
class ImportedEncryptedAgent extends EncryptedAgentBase {
  public readonly agentId: string;
  public readonly agentArn: string;
  public readonly aliasArn?: string;
  public readonly encryptionKey: kms.IKey;
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly memoryEnabled: boolean;

  constructor(scope: Construct, id: string, attrs: EncryptedAgentAttributes) {
    new PropsValidator(scope, `EncryptedAgent.fromAgentAttributes '${id}'`)
      .bedrockArn('agentArn', attrs.agentArn, 'agent', 'an agent')
      .kmsKey('encryptionKey', attrs.encryptionKey)
      .throwIfInvalid();
    super(scope, id);
    this.agentArn = attrs.agentArn;
    this.agentId = bedrockResourceIdOf(attrs.agentArn);
    this.aliasArn = attrs.aliasArn;
    this.encryptionKey = attrs.encryptionKey;
    this.role = attrs.role;
    this.grantPrincipal = attrs.role;
    this.memoryEnabled = attrs.memoryEnabled ?? false;
  }
}

/**
 * An Amazon Bedrock agent whose resources, sessions and memory are encrypted with a customer
 * managed key, with the key policy, service role and caller permissions that AWS documents.
 *
 * The key policy names no attribute of the agent (that would be a CloudFormation cycle): it
 * scopes Bedrock to this account's and region's agents with `kms:EncryptionContext:aws:bedrock:arn`.
 * Exact agent and alias ARNs go into identity policies only (`grantInvoke`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-agents-new.html
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/ltm-permissions.html
 */
export class EncryptedAgent extends EncryptedAgentBase {
  /** An agent that exists already, so callers can be granted its use with `grantInvoke`. */
  public static fromAgentAttributes(scope: Construct, id: string, attrs: EncryptedAgentAttributes): IEncryptedAgent {
    return new ImportedEncryptedAgent(scope, id, attrs);
  }

  /** The `AWS::Bedrock::Agent` resource. */
  public readonly cfnAgent: bedrock.CfnAgent;

  /** The `AWS::Bedrock::AgentAlias` resource, when `aliasName` was given. */
  public readonly cfnAlias?: bedrock.CfnAgentAlias;

  /**
   * The id of the agent.
   *
   * @attribute
   */
  public readonly agentId: string;

  /**
   * The ARN of the agent.
   *
   * @attribute
   */
  public readonly agentArn: string;

  /**
   * The id of the alias, when `aliasName` was given.
   *
   * @attribute
   */
  public readonly aliasId?: string;

  /**
   * The ARN of the alias, when `aliasName` was given.
   *
   * @attribute
   */
  public readonly aliasArn?: string;

  /** The key that encrypts the agent, its sessions and its memory. */
  public readonly encryptionKey: kms.IKey;

  /** The key with the statements the agent needs: written into its policy, or reported. */
  public readonly bedrockKey: IBedrockKey;

  /** The service role Bedrock assumes for the agent. */
  public readonly role: iam.IRole;

  /** The service role: granting to the agent grants to its role. */
  public readonly grantPrincipal: iam.IPrincipal;

  /** True when long-term memory is on. */
  public readonly memoryEnabled: boolean;

  constructor(scope: Construct, id: string, props: EncryptedAgentProps) {
    validateAgentProps(scope, id, props);
    super(scope, id);
    this.memoryEnabled = props.memory !== undefined;

    this.bedrockKey = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = this.bedrockKey.key;

    // no key policy names the agent's role (cmk-agent-resources): it keeps the name CloudFormation generates
    this.role = props.role ?? new BedrockServiceRole(this, 'ServiceRole', { resourceType: BedrockResourceType.AGENT });
    this.grantPrincipal = this.role;

    const roleGrant = this.addRoleStatements(props);

    this.cfnAgent = new bedrock.CfnAgent(this, 'Resource', {
      agentName: props.agentName,
      agentResourceRoleArn: this.role.roleArn,
      foundationModel: props.foundationModel,
      instruction: props.instruction,
      description: props.description,
      autoPrepare: true,
      idleSessionTtlInSeconds: props.idleSessionTtl?.toSeconds(),
      memoryConfiguration: props.memory ? {
        enabledMemoryTypes: ['SESSION_SUMMARY'],
        storageDays: props.memory.storageDays ?? 30,
      } : undefined,
      knowledgeBases: props.knowledgeBases?.map((kb) => ({
        knowledgeBaseId: kb.knowledgeBase.knowledgeBaseId,
        description: kb.description,
        knowledgeBaseState: kb.enabled === false ? 'DISABLED' : 'ENABLED',
      })),
    });
    // The key property and the agent encryption pages' key policy (with memory: ltm-permissions) come from the
    // mixin, the one place that knows each Bedrock resource's key property.
    this.cfnAgent.with(BedrockCustomerManagedKey.fromBedrockKey(this.bedrockKey, { deploymentRole: props.deploymentRole }));
    // Bedrock checks the role's permissions when it creates and prepares the agent.
    waitForRole(this.role, roleGrant, this.cfnAgent);
    this.agentId = this.cfnAgent.attrAgentId;
    this.agentArn = this.cfnAgent.attrAgentArn;

    if (props.aliasName !== undefined) {
      this.cfnAlias = new bedrock.CfnAgentAlias(this, 'Alias', {
        agentAliasName: props.aliasName,
        agentId: this.agentId,
      });
      this.aliasId = this.cfnAlias.attrAgentAliasId;
      this.aliasArn = this.cfnAlias.attrAgentAliasArn;
    }
  }

  /** The model and the knowledge bases, on the service role's own policy (the role needs no key use). */
  private addRoleStatements(props: EncryptedAgentProps): iam.Grant {
    const statements = invokeModelStatements(PolicyScopes.of(this), [props.foundationModel]);
    const knowledgeBaseArns = (props.knowledgeBases ?? []).map((kb) => kb.knowledgeBase.knowledgeBaseArn);
    if (knowledgeBaseArns.length > 0) {
      // Source: Bedrock User Guide, "Create a service role for Amazon Bedrock Agents", statement "AgentKnowledgeBaseQuery".
      // bedrock:Retrieve accepts the knowledge-base resource type; bedrock:RetrieveAndGenerate accepts none
      // (Service Authorization Reference for Amazon Bedrock), so IAM matches it only on "*".
      statements.push(
        new iam.PolicyStatement({ actions: ['bedrock:Retrieve'], resources: knowledgeBaseArns }),
        new iam.PolicyStatement({ actions: ['bedrock:RetrieveAndGenerate'], resources: ['*'] }),
      );
    }

    return writeIdentityPolicy(this.role, statements, { scope: this, subject: `the agent '${this.node.path}'`, serviceRole: true });
  }
}

const MIN_INSTRUCTION_LENGTH = 40;
const KNOWLEDGE_BASE_ID = /^[0-9a-zA-Z]{10}$/;

/** Checks every prop that is resolved, then throws all problems at once; returns the parsed model. */
function validateAgentProps(scope: Construct, id: string, props: EncryptedAgentProps): void {
  const v = new PropsValidator(scope, `EncryptedAgent '${id}'`);
  v.pattern('agentName', props.agentName, BEDROCK_NAME, BEDROCK_NAME_FORM);
  v.pattern('aliasName', props.aliasName, BEDROCK_NAME, BEDROCK_NAME_FORM);
  v.kmsKey('encryptionKey', props.encryptionKey);
  if (isResolved(props.instruction)) {
    v.check(props.instruction.length < MIN_INSTRUCTION_LENGTH, 'instruction', `${props.instruction.length} characters`,
      `at least ${MIN_INSTRUCTION_LENGTH} characters`);
  }
  checkLength(v, 'description', props.description, 1, 200);
  v.durationSeconds('idleSessionTtl', props.idleSessionTtl, 60, 3600);
  if (props.idleSessionTtl && !props.idleSessionTtl.isUnresolved()) {
    const seconds = props.idleSessionTtl.toSeconds({ integral: false });
    v.check(!Number.isInteger(seconds), 'idleSessionTtl', props.idleSessionTtl.toHumanString(), 'a whole number of seconds');
  }
  v.range('memory.storageDays', props.memory?.storageDays, 1, 365, ' days');

  if (!parseModel(PolicyScopes.of(scope), props.foundationModel)) v.fail('foundationModel', JSON.stringify(props.foundationModel), MODEL_FORMS);

  const seen = new Set<string>();
  (props.knowledgeBases ?? []).forEach((kb, i) => {
    const prop = `knowledgeBases[${i}]`;
    checkLength(v, `${prop}.description`, kb.description, 1, 200);
    const { knowledgeBaseId, knowledgeBaseArn } = kb.knowledgeBase;
    v.pattern(`${prop}.knowledgeBase.knowledgeBaseId`, knowledgeBaseId, KNOWLEDGE_BASE_ID, '10 letters or digits');
    v.bedrockArn(`${prop}.knowledgeBase.knowledgeBaseArn`, knowledgeBaseArn, 'knowledge-base', 'a knowledge base');
    if (isResolved(knowledgeBaseId)) {
      v.check(seen.has(knowledgeBaseId), `${prop}.knowledgeBase`, knowledgeBaseId, 'a knowledge base not associated already');
      seen.add(knowledgeBaseId);
    }
  });
  v.throwIfInvalid();
}

function checkLength(v: PropsValidator, prop: string, value: string | undefined, min: number, max: number): void {
  if (!isResolved(value)) return;
  v.check(value.length < min || value.length > max, prop, `${JSON.stringify(value)} (${value.length} characters)`,
    `${min} to ${max} characters`);
}


