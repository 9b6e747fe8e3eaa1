import { createHash } from 'crypto';
import { Annotations, IResolveContext, Lazy } from 'aws-cdk-lib';
import { CfnFlow, CfnFlowAlias, CfnFlowVersion } from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { FlowDefinitionPermissions } from './flow-definition-permissions';
import { IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { BedrockCustomerManagedKey } from '../mixins/bedrock-customer-managed-key';
import { FlowEncryptionStatements } from '../policy/flow';
import { BEDROCK_NAME, BEDROCK_NAME_FORM, bedrockResourceIdOf } from '../policy/patterns';
import { BedrockResourceType } from '../policy/resource-type';
import { PolicyScope, PolicyScopes } from '../policy/scope';
import { passRoleToBedrock } from '../private/pass-role';
import { PropsValidator } from '../private/validation';
import { BedrockServiceRole } from '../role/bedrock-service-role';
import { writeIdentityPolicy, writePolicyAfter } from '../wiring/policy-writer';
import { waitForRole } from '../wiring/resource-wiring';
import { BedrockEncryptionWarnings } from '../wiring/warnings';

/** Properties of an {@link EncryptedFlow}. Give exactly one of `definition`, `definitionString` and `definitionS3Location`. */
export interface EncryptedFlowProps {
  /**
   * Name of the flow: up to 100 letters and digits, each optionally followed by one `_` or `-`.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-bedrock-flow.html#cfn-bedrock-flow-name
   */
  readonly flowName: string;

  /**
   * The nodes and connections of the flow. The execution role gets exactly the permissions
   * these nodes need (see `FlowDefinitionPermissions`), and the connections are checked.
   *
   * @default - none; give `definitionString` or `definitionS3Location` instead
   */
  readonly definition?: CfnFlow.FlowDefinitionProperty;

  /**
   * The definition as a JSON string. It is not read: the execution role gets no permissions for
   * its nodes; add them with `flow.role.addToPrincipalPolicy(...)`.
   *
   * @default - none; give `definition` or `definitionS3Location` instead
   */
  readonly definitionString?: string;

  /**
   * The Amazon S3 object that holds the definition. It is not read: the execution role gets no
   * permissions for its nodes; add them with `flow.role.addToPrincipalPolicy(...)`. Change the
   * object's `version` to publish a new version of the flow through `aliasName`.
   *
   * @default - none; give `definition` or `definitionString` instead
   */
  readonly definitionS3Location?: CfnFlow.S3LocationProperty;

  /**
   * Values for `${name}` placeholders in `definitionString` or `definitionS3Location`.
   *
   * @default - no substitutions
   */
  readonly definitionSubstitutions?: { [name: string]: string };

  /**
   * Description of the flow: 1 to 200 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The KMS key that encrypts the flow. The key policy of a key this app cannot change (an
   * imported key) is reported as the `KeyPolicyToAdd` stack output: add it before deploying.
   *
   * @default - a new `BedrockKey` with rotation, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The execution role Amazon Bedrock assumes to run the flow. The permissions the definition
   * needs and the key statements are added to it.
   *
   * @default - a new role trusted by `bedrock.amazonaws.com` for this account's flows only
   */
  readonly role?: iam.IRole;

  /**
   * When given, a version of the flow is created and an alias of this name points at it. A change
   * to the definition creates a new version and moves the alias to it.
   *
   * @default - no version and no alias; the flow is invoked through its draft (`TSTALIASID`)
   */
  readonly aliasName?: string;

  /**
   * The role that deploys the stack and so creates the flow: the key policy gives it the
   * key use the AWS page documents for the Flows API caller, so the stack deploys with a least-privilege
   * CloudFormation execution role.
   *
   * @default - the CloudFormation execution role of the stack's `DefaultStackSynthesizer`; none
   * with another synthesizer (the deploying principal then needs the key in its identity policy)
   */
  readonly deploymentRole?: iam.IRole;
}


/** Flow APIs, other than invoking and deleting, scoped to one flow. */
// Source: Amazon Bedrock User Guide, "Prerequisites for Amazon Bedrock Flows" (user role), narrowed to one flow.
const MANAGE_FLOW_ACTIONS = [
  'bedrock:GetFlow', 'bedrock:UpdateFlow', 'bedrock:PrepareFlow',
  'bedrock:CreateFlowVersion', 'bedrock:GetFlowVersion', 'bedrock:ListFlowVersions',
  'bedrock:CreateFlowAlias', 'bedrock:ListFlowAliases',
];
const MANAGE_ALIAS_ACTIONS = ['bedrock:GetFlowAlias', 'bedrock:UpdateFlowAlias'];

/** A Bedrock flow encrypted with a customer managed key: one of this app, or one imported. */
export interface IEncryptedFlow extends IConstruct, iam.IGrantable {
  /**
   * The id of the flow.
   *
   * @attribute
   */
  readonly flowId: string;

  /**
   * The ARN of the flow.
   *
   * @attribute
   */
  readonly flowArn: string;

  /**
   * The ARN of the alias callers invoke, when there is one.
   *
   * @attribute
   */
  readonly aliasArn?: string;

  /** The key that encrypts the flow. */
  readonly encryptionKey: kms.IKey;

  /** The execution role. */
  readonly role: iam.IRole;

  /** Lets `grantee` invoke the flow, with the key for this flow's encryption context through Bedrock only. */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;

  /** Lets `grantee` call the Flows APIs on this flow (not delete, not invoke). */
  grantManage(grantee: iam.IGrantable): iam.Grant;
}

/** A flow that exists already, for {@link EncryptedFlow.fromFlowAttributes}. */
export interface EncryptedFlowAttributes {
  /** The ARN of the flow (`arn:<partition>:bedrock:<region>:<account>:flow/<flow-id>`). */
  readonly flowArn: string;

  /** The key the flow is encrypted with. */
  readonly encryptionKey: kms.IKey;

  /**
   * The ARN of the alias callers invoke.
   *
   * @default - callers may invoke every alias of the flow
   */
  readonly aliasArn?: string;

  /** The flow's execution role (`iam.Role.fromRoleArn` for an existing one); `grantManage` lets callers pass it. */
  readonly role: iam.IRole;
}

/** What new and imported flows share: the grants. */
abstract class EncryptedFlowBase extends Construct implements IEncryptedFlow {
  public abstract readonly flowId: string;
  public abstract readonly flowArn: string;
  public abstract readonly aliasArn?: string;
  public abstract readonly encryptionKey: kms.IKey;
  public abstract readonly role: iam.IRole;
  public abstract readonly grantPrincipal: iam.IPrincipal;
  /** The policy that takes the execution role's statements naming this flow, when this app creates it. */
  public abstract readonly flowPolicy?: iam.Policy;

  /**
   * Lets `grantee` invoke the flow: `bedrock:InvokeFlow` on the alias (without `aliasName`: on
   * every alias of this flow, `<flowArn>/alias/*`, which includes the draft `TSTALIASID`) and
   * `kms:GenerateDataKey` / `kms:Decrypt` on the key for this flow's encryption context through
   * Bedrock only.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.grantStatements(grantee, [
      new iam.PolicyStatement({ actions: ['bedrock:InvokeFlow'], resources: [this.aliasArn ?? `${this.flowArn}/alias/*`] }),
      ...FlowEncryptionStatements.flowsApiIdentity(PolicyScopes.of(this), this.encryptionKey.keyArn, this.flowArn),
    ]);
  }

  /**
   * Lets `grantee` call the Flows APIs on this flow: the key statement the Flows encryption page gives Flows API
   * callers (`kms:GenerateDataKey` / `kms:Decrypt` for this flow's encryption context, through
   * Bedrock only), get, update and prepare the flow, create and read its versions and aliases,
   * update its aliases, and pass the execution role to Bedrock (an update names the role).
   * Deleting, and invoking (`grantInvoke`), are not included.
   */
  public grantManage(grantee: iam.IGrantable): iam.Grant {
    return this.grantStatements(grantee, [
      new iam.PolicyStatement({ actions: MANAGE_FLOW_ACTIONS, resources: [this.flowArn] }),
      new iam.PolicyStatement({ actions: MANAGE_ALIAS_ACTIONS, resources: [`${this.flowArn}/alias/*`] }),
      passRoleToBedrock(this.role),
      ...FlowEncryptionStatements.flowsApiIdentity(PolicyScopes.of(this), this.encryptionKey.keyArn, this.flowArn),
    ]);
  }

  /**
   * Statements that name the flow cannot go into the execution role's own policy, which the flow
   * waits for: for the execution role they go to the policy created after the flow.
   */
  protected grantStatements(grantee: iam.IGrantable, statements: iam.PolicyStatement[]): iam.Grant {
    const target: iam.IGrantable = grantee.grantPrincipal === this.role && this.flowPolicy
      ? { grantPrincipal: new PolicyPrincipal(this.role, this.flowPolicy) }
      : grantee;
    return writeIdentityPolicy(target, statements, { scope: this, subject: `callers of the flow '${this.node.path}'` });
  }
}

/** A flow created outside this construct. */
class ImportedEncryptedFlow extends EncryptedFlowBase {
  public readonly flowId: string;
  public readonly flowArn: string;
  public readonly aliasArn?: string;
  public readonly encryptionKey: kms.IKey;
  public readonly role: iam.IRole;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly flowPolicy?: iam.Policy = undefined;

  constructor(scope: Construct, id: string, attrs: EncryptedFlowAttributes) {
    new PropsValidator(scope, `EncryptedFlow.fromFlowAttributes '${id}'`)
      .bedrockArn('flowArn', attrs.flowArn, 'flow', 'a flow')
      .kmsKey('encryptionKey', attrs.encryptionKey)
      .throwIfInvalid();
    super(scope, id);
    this.flowArn = attrs.flowArn;
    this.flowId = bedrockResourceIdOf(attrs.flowArn);
    this.aliasArn = attrs.aliasArn;
    this.encryptionKey = attrs.encryptionKey;
    this.role = attrs.role;
    this.grantPrincipal = attrs.role;
  }
}


/**
 * An Amazon Bedrock flow encrypted with a customer managed KMS key, run by an execution role that
 * holds only what the flow's definition needs.
 *
 * - The key policy lets the execution role use the key only through Bedrock
 *   (`kms:ViaService`) and only for this account and region's flows
 *   (`kms:EncryptionContext:aws:bedrock-flows:arn`); it cannot name the flow, which
 *   references the key.
 * - The execution role's identity policy names this flow's ARN; it is a separate policy created
 *   after the flow, since the flow waits for the role's other policies.
 * - A literal `definition` is read for the permissions its nodes need. A `definitionString` or
 *   `definitionS3Location` cannot be read: add those permissions with `role.addToPrincipalPolicy`.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-flows.html
 */
export class EncryptedFlow extends EncryptedFlowBase {
  /** A flow that exists already, so callers can be granted its use with `grantInvoke` and `grantManage`. */
  public static fromFlowAttributes(scope: Construct, id: string, attrs: EncryptedFlowAttributes): IEncryptedFlow {
    return new ImportedEncryptedFlow(scope, id, attrs);
  }

  /** The flow. */
  public readonly cfnFlow: CfnFlow;

  /** The version the alias points at, when `aliasName` is given. */
  public readonly cfnFlowVersion?: CfnFlowVersion;

  /** The alias, when `aliasName` is given. */
  public readonly cfnFlowAlias?: CfnFlowAlias;

  /**
   * The id of the flow.
   *
   * @attribute
   */
  public readonly flowId: string;

  /**
   * The ARN of the flow.
   *
   * @attribute
   */
  public readonly flowArn: string;

  /**
   * The version number the alias points at, when `aliasName` is given.
   *
   * @attribute
   */
  public readonly flowVersion?: string;

  /**
   * The ARN of the alias, when `aliasName` is given.
   *
   * @attribute
   */
  public readonly aliasArn?: string;

  /**
   * The id of the alias, when `aliasName` is given.
   *
   * @attribute
   */
  public readonly aliasId?: string;

  /** The key that encrypts the flow. */
  public readonly encryptionKey: kms.IKey;

  /** The key with the statements written to its policy, or reported when they could not be. */
  public readonly bedrockKey: IBedrockKey;

  /** The execution role. */
  public readonly role: iam.IRole;

  /** The execution role, so `grant*` methods of other resources can be given the flow. */
  public readonly grantPrincipal: iam.IPrincipal;

  /** What the execution role was granted for the definition's nodes; undefined for a string or S3 definition. */
  public readonly definitionPermissions?: FlowDefinitionPermissions;

  /**
   * The execution role's policy of statements that name this flow, created after the flow.
   * Undefined when the role takes no policy from this app: those statements are reported.
   */
  public readonly flowPolicy?: iam.Policy;

  private readonly policyScope: PolicyScope;

  constructor(scope: Construct, id: string, props: EncryptedFlowProps) {
    const permissions = validateFlowProps(scope, id, props);
    super(scope, id);
    this.policyScope = PolicyScopes.of(this);
    this.definitionPermissions = permissions;

    this.bedrockKey = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = this.bedrockKey.key;
    this.role = props.role ?? new BedrockServiceRole(this, 'ExecutionRole', {
      resourceType: BedrockResourceType.FLOW,
      encryptionKey: props.encryptionKey,
      description: `Execution role of the Amazon Bedrock flow ${this.node.path}`,
    });
    this.grantPrincipal = this.role;

    // What the nodes need goes into the role's policy, which the flow waits for.
    const subject = { scope: this, subject: `the flow '${this.node.path}'`, serviceRole: true };
    const roleGrant = writeIdentityPolicy(this.role, permissions?.statements ?? [], subject);
    this.reportUnreadDefinition(props, permissions);

    this.cfnFlow = new CfnFlow(this, 'Resource', {
      name: props.flowName,
      description: props.description,
      executionRoleArn: this.role.roleArn,
      definition: props.definition,
      definitionString: props.definitionString,
      definitionS3Location: props.definitionS3Location,
      definitionSubstitutions: props.definitionSubstitutions,
    });
    // The key property and the Flows page's key-policy statement come from the mixin. The key policy
    // cannot name the flow (the flow references the key), so it names the execution role for every
    // flow of this account and region; that is what lets the role use the key while the flow is created.
    this.cfnFlow.with(BedrockCustomerManagedKey.fromBedrockKey(this.bedrockKey, { deploymentRole: props.deploymentRole }));
    waitForRole(this.role, roleGrant, this.cfnFlow);
    this.flowArn = this.cfnFlow.attrArn;
    this.flowId = this.cfnFlow.attrId;

    // The identity statement on this flow's ARN: in a policy after the flow (in the role's
    // policy it would make the flow depend on itself). A role that takes no policy gets it reported.
    const keyUse = FlowEncryptionStatements.flowsApiIdentity(this.policyScope, this.encryptionKey.keyArn, this.flowArn);
    this.flowPolicy = writePolicyAfter(this, 'FlowPolicy', this.cfnFlow, this.role, keyUse, subject);

    if (props.aliasName !== undefined) {
      this.cfnFlowVersion = new CfnFlowVersion(this, 'Version', {
        flowArn: this.flowArn,
        // A new description replaces the version, so a new definition gets a new version.
        description: Lazy.uncachedString({
          produce: (context: IResolveContext) => `Definition ${digest(context.resolve(
            [props.definition, props.definitionString, props.definitionS3Location, props.definitionSubstitutions]))}`,
        }),
      });
      if (this.flowPolicy) this.cfnFlowVersion.node.addDependency(this.flowPolicy);
      this.cfnFlowAlias = new CfnFlowAlias(this, 'Alias', {
        flowArn: this.flowArn,
        name: props.aliasName,
        routingConfiguration: [{ flowVersion: this.cfnFlowVersion.attrVersion }],
      });
      this.flowVersion = this.cfnFlowVersion.attrVersion;
      this.aliasArn = this.cfnFlowAlias.attrArn;
      this.aliasId = this.cfnFlowAlias.attrId;
    }
  }

  private reportUnreadDefinition(props: EncryptedFlowProps, permissions: FlowDefinitionPermissions | undefined): void {
    const unread = permissions
      ? permissions.gaps
      : [`the definition is given as ${props.definitionString !== undefined ? 'definitionString' : 'definitionS3Location'}, which is not read: the execution role has no permissions for its nodes`];
    if (unread.length === 0) return;
    Annotations.of(this).addWarningV2(BedrockEncryptionWarnings.FLOW_DEFINITION_NOT_READ,
      `Some permissions the flow needs could not be derived from its definition: ${unread.join('; ')}. ` +
      'Add them with flow.role.addToPrincipalPolicy(...), then acknowledge this warning.');
  }
}

/** A principal whose statements go into one policy (attached to `role`). */
class PolicyPrincipal extends iam.PrincipalBase {
  public readonly policyFragment: iam.PrincipalPolicyFragment;

  constructor(role: iam.IRole, private readonly policy: iam.Policy) {
    super();
    this.policyFragment = role.policyFragment;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  public dedupeString(): string | undefined {
    return undefined;
  }
}

function validateFlowProps(scope: Construct, id: string, props: EncryptedFlowProps): FlowDefinitionPermissions | undefined {
  const v = new PropsValidator(scope, `EncryptedFlow '${id}'`);
  v.pattern('flowName', props.flowName, BEDROCK_NAME, `a flow name: ${BEDROCK_NAME_FORM}`);
  v.pattern('aliasName', props.aliasName, BEDROCK_NAME, `a flow alias name: ${BEDROCK_NAME_FORM}`);
  v.pattern('description', props.description, /^[\s\S]{1,200}$/, '1 to 200 characters');

  const given = [
    props.definition !== undefined ? 'definition' : undefined,
    props.definitionString !== undefined ? 'definitionString' : undefined,
    props.definitionS3Location !== undefined ? 'definitionS3Location' : undefined,
  ].filter((p): p is string => p !== undefined);
  v.check(given.length !== 1, 'definition', given.length === 0 ? 'none' : given.join(' and '),
    'given exactly once, as definition, definitionString or definitionS3Location');
  v.check(props.definitionSubstitutions !== undefined && props.definition !== undefined, 'definitionSubstitutions',
    'substitutions with definition', 'used only with definitionString or definitionS3Location');

  v.kmsKey('encryptionKey', props.encryptionKey);

  let permissions: FlowDefinitionPermissions | undefined;
  if (props.definition !== undefined) {
    permissions = FlowDefinitionPermissions.of(PolicyScopes.of(scope), props.definition);
    permissions._problems.forEach((p) => v.fail(p.prop, p.value, p.expected));
  }
  v.throwIfInvalid();
  return permissions;
}

/**
 * A digest of `value` that does not depend on the order of object keys: a definition written with
 * its keys in another order, or passed from Python or Java (where jsii orders a struct's keys its
 * own way), is the same definition and keeps its version.
 */
function digest(value: unknown): string {
  const canonical = JSON.stringify(value ?? null, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
