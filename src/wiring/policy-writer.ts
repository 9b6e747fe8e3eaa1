import * as fs from 'fs';
import * as path from 'path';
import { Annotations, attachCustomSynthesis, CfnOutput, Lazy, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, Dependable, IConstruct } from 'constructs';
import { concretePolicy, environmentOf } from './concrete-policy';
import { keyPolicyStatementsFor, principalArnOf } from './key-policy-principals';
import { watchKeyPolicySize } from './key-policy-size';
import { BedrockEncryptionWarnings } from './warnings';
import { peekState, stateOf } from '../private/construct-state';
import { isResolved } from '../private/validation';

/**
 * The one place that writes the library's statements: into a key policy, a resource policy or a
 * principal's identity policy. A statement this app cannot write (an imported key or topic, an
 * immutable imported role, an ARN principal) is reported, never dropped: it goes into one stack
 * output per key, resource or principal, with one synth warning naming that output.
 */

/** A resource with a policy of its own: a KMS key or an SNS topic. */
export interface IPolicyResource extends IConstruct {
  addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult;
}

/** What the statements are for, in messages: "the agent 'Stack/Agent'". */
export interface WriteOptions {
  /** The construct that needs the statements; holds the report when the target is no construct. */
  readonly scope: IConstruct;
  /** Who fails without the statements, e.g. `the agent 'Stack/Agent'`. */
  readonly subject: string;

  /**
   * The principal is the service role of `scope`'s resources. When it is a role of another
   * stack, its statements go into a policy in `scope`'s stack, which the resources wait for:
   * in the role's stack they would name `scope`'s resources while those wait for them (a cycle).
   *
   * @default false
   */
  readonly serviceRole?: boolean;
}

/**
 * Adds statements to a key policy. Those an imported key cannot take go to the key's
 * `KeyPolicyToAdd` output. Statements already given to the key are skipped.
 *
 * @returns true when every statement is in the key policy
 */
export function writeKeyPolicy(
  key: IPolicyResource & { readonly keyArn: string }, statements: iam.PolicyStatement[], options: WriteOptions,
): boolean {
  const { kept, byName } = keyPolicyStatementsFor(key, statements);
  for (const { role, roleArn, identityStatement } of byName) {
    const grantee = role ?? new iam.ArnPrincipal(roleArn);
    writeIdentityPolicy(grantee, [identityStatement], options).applyBefore(options.scope);
  }
  return writeResourcePolicyOf(REPORT_KINDS.key, key, key.keyArn, [...kept, ...byName.map((b) => b.keyPolicyStatement)], options);
}

/**
 * Adds statements to a resource policy (an SNS topic's). Those an imported resource cannot take
 * go to its `ResourcePolicyToAdd` output.
 *
 * @returns true when every statement is in the resource policy
 */
export function writeResourcePolicy(resource: IPolicyResource, arn: string, statements: iam.PolicyStatement[], options: WriteOptions): boolean {
  return writeResourcePolicyOf(REPORT_KINDS.resource, resource, arn, statements, options);
}

/**
 * Adds identity statements to `grantee`'s principal and returns them as one `Grant`, whose
 * `applyBefore` makes a resource wait for exactly the policies they went into. Statements the
 * principal cannot take go to its `RolePolicyToAdd` output: an immutable imported role answers
 * `statementAdded: true` but writes nothing, so a statement counts as written only when a role
 * created in this app took it or there is a policy to depend on.
 */
export function writeIdentityPolicy(given: iam.IGrantable, statements: iam.PolicyStatement[], options: WriteOptions): iam.Grant {
  const grantee = options.serviceRole ? roleInStackOf(options.scope, given) : given;
  const principal = grantee.grantPrincipal;
  const grants = statements.map((statement) => iam.Grant.addToPrincipal({
    grantee,
    actions: statement.actions,
    resourceArns: statement.resources,
    conditions: Object.keys(statement.conditions).length > 0 ? statement.conditions : undefined,
  }));
  const unwritten = statements.filter((_, i) => !isWritten(principal, grants[i]));
  if (unwritten.length > 0) {
    const holder = Construct.isConstruct(principal) ? principal : options.scope;
    reportFor(REPORT_KINDS.role, holder, describePrincipal(principal), principalArnOf(principal), options.subject).add(unwritten, options.subject);
  }
  return grants.reduce((all, grant) => all.combine(grant), iam.Grant.drop(grantee, 'no statements'));
}

/** `grantee`, or, when it is a role of another stack than `scope`'s, that role as seen from `scope`'s stack. */
function roleInStackOf(scope: IConstruct, grantee: iam.IGrantable): iam.IGrantable {
  const role = grantee.grantPrincipal;
  if (!iam.Role.isRole(role)) return grantee;
  const stack = Stack.of(scope);
  if (Stack.of(role) === stack) return grantee;
  const id = `${Names.uniqueId(role)}View`;
  return (stack.node.tryFindChild(id) as iam.IRole | undefined) ?? iam.Role.fromRoleArn(stack, id, role.roleArn);
}

/**
 * Creates a policy with `statements`, attached to `role`, that is created after `resource`: for
 * statements that name the resource's own ARN, which cannot go into a policy the resource waits
 * for (a dependency cycle). A role that takes no inline policy (an immutable imported role) gets
 * its statements reported as `writeIdentityPolicy` does.
 *
 * @returns the policy, or undefined when there is none
 */
export function writePolicyAfter(
  scope: Construct, id: string, resource: IConstruct, role: iam.IRole, statements: iam.PolicyStatement[], options: WriteOptions,
): iam.Policy | undefined {
  if (statements.length === 0) return undefined;
  const policy = new iam.Policy(scope, id, { statements });
  role.attachInlinePolicy(policy);
  const roles = Stack.of(policy).resolve((policy.node.defaultChild as iam.CfnPolicy).roles);
  if (!Array.isArray(roles) || roles.length === 0) {
    // attachInlinePolicy was a no-op: the role cannot be changed by this app.
    scope.node.tryRemoveChild(id);
    const holder = Construct.isConstruct(role) ? role : options.scope;
    reportFor(REPORT_KINDS.role, holder, describePrincipal(role), role.roleArn, options.subject).add(statements, options.subject);
    return undefined;
  }
  policy.node.defaultChild!.node.addDependency(resource);
  return policy;
}

/**
 * The key-policy statements written for nothing but a report so far, as a policy-document JSON
 * string (tokens resolve at deploy time); empty when none.
 */
export function unwrittenKeyPolicyJson(key: IConstruct): string {
  return reportsOf(key)?.get(REPORT_KINDS.key.outputId)?.json() ?? '';
}

/**
 * True when `statement` was given to the policy of `resource` (a key or a topic) already: written
 * into it, or, for a resource this app cannot change, reported in its output.
 */
export function wasGivenTo(resource: IConstruct, statement: iam.PolicyStatement): boolean {
  return peekState<Set<string>>(resource, GIVEN)?.has(dedupeKey(statement)) ?? false;
}

/** How each kind of policy is reported. */
interface ReportKind {
  readonly outputId: string;
  readonly warningId: string;
  readonly policy: string;
  readonly action: string;
}

const REPORT_KINDS = {
  key: {
    outputId: 'KeyPolicyToAdd',
    warningId: BedrockEncryptionWarnings.KEY_POLICY_NOT_UPDATED,
    policy: 'key policy',
    action: 'Its administrator must add the statements, before the first deployment, that are',
  },
  role: {
    outputId: 'RolePolicyToAdd',
    warningId: BedrockEncryptionWarnings.ROLE_POLICY_NOT_UPDATED,
    policy: 'identity policy',
    action: 'Give it the statements that are',
  },
  resource: {
    outputId: 'ResourcePolicyToAdd',
    warningId: BedrockEncryptionWarnings.RESOURCE_POLICY_NOT_UPDATED,
    policy: 'resource policy',
    action: 'Add the statements that are',
  },
} satisfies Record<string, ReportKind>;

function writeResourcePolicyOf(
  kind: ReportKind, resource: IPolicyResource, arn: string, statements: iam.PolicyStatement[], options: WriteOptions,
): boolean {
  const given = stateOf(resource, GIVEN, () => new Set<string>());
  const unwritten: iam.PolicyStatement[] = [];
  for (const statement of statements) {
    const json = dedupeKey(statement);
    if (given.has(json)) continue;
    given.add(json);
    if (!resource.addToResourcePolicy(statement).statementAdded) unwritten.push(statement);
  }
  if (kind === REPORT_KINDS.key && unwritten.length < statements.length) watchKeyPolicySize(resource);
  if (unwritten.length > 0) {
    const name = isResolved(arn) ? arn : `'${resource.node.path}'`;
    reportFor(kind, resource, `${kind === REPORT_KINDS.key ? 'key' : 'resource'} ${name}`, arn, options.subject).add(unwritten, options.subject);
  }
  return unwritten.length === 0 && !reportsOf(resource)?.has(kind.outputId);
}

/**
 * A statement in its unresolved form, which the same builder renders the same from the same
 * inputs, without resolving it (that costs more than writing it). A service principal renders a
 * new token each time, so it is named by its service.
 */
function dedupeKey(statement: iam.PolicyStatement): string {
  const { Principal: _principal, ...rest } = statement.toStatementJson();
  const principals = statement.principals.map((p) =>
    p instanceof iam.ServicePrincipal ? `service:${p.service}` : JSON.stringify(p.policyFragment.principalJson));
  return JSON.stringify([rest, principals]);
}

/** The state of each resource policy: the statements already given to it, in their unresolved form. */
const GIVEN = 'statementsGiven';

/**
 * A role created in this app always writes the statement (its policy dependable fills in lazily,
 * when large policies are split); any other principal wrote it only if there is a policy to depend on.
 */
function isWritten(principal: iam.IPrincipal, grant: iam.Grant): boolean {
  if (!grant.success) return false;
  if (iam.Role.isRole(principal)) return true;
  return Dependable.of(grant).dependencyRoots.length > 0;
}

function describePrincipal(principal: iam.IPrincipal): string {
  const arn = principalArnOf(principal);
  if (arn !== undefined && isResolved(arn)) return `principal ${arn}`;
  return Construct.isConstruct(principal) ? `principal '${principal.node.path}'` : `principal ${principal}`;
}

/** The state of each holder: its reports, by output id. */
const REPORTS = 'policyReports';

function reportsOf(holder: IConstruct): Map<string, PolicyReport> | undefined {
  return peekState<Map<string, PolicyReport>>(holder, REPORTS);
}

function reportFor(kind: ReportKind, holder: IConstruct, target: string, arn: string | undefined, subject: string): PolicyReport {
  const reports = stateOf(holder, REPORTS, () => new Map<string, PolicyReport>());
  let report = reports.get(kind.outputId);
  if (!report) {
    report = new PolicyReport(kind, holder, target, arn, subject);
    reports.set(kind.outputId, report);
  }
  return report;
}

/**
 * The statements one key, resource or principal could not be given: one output, one file in the
 * cloud assembly with the environment's values filled in (what its administrator pastes before
 * the first deployment), one warning naming both.
 */
class PolicyReport {
  private readonly statements: iam.PolicyStatement[] = [];
  private readonly subjects: string[] = [];
  private readonly stack: Stack;

  constructor(kind: ReportKind, holder: IConstruct, target: string, arn: string | undefined, firstSubject: string) {
    this.stack = Stack.of(holder);
    const output = new CfnOutput(holder, kind.outputId, {
      // CloudFormation takes at most 1024 characters.
      description: Lazy.string({
        produce: () => `Statements the ${kind.policy} of ${target} must be given for ${this.subjects.join(', ')}`.slice(0, 1024),
      }),
      value: Lazy.string({ produce: () => this.json() }),
    });
    const outputKey = this.stack.resolve(this.stack.getLogicalId(output));
    const file = `${this.stack.artifactId}.${outputKey}.json`;
    attachCustomSynthesis(output, {
      onSynthesize: (session) => fs.writeFileSync(path.join(session.outdir, file), JSON.stringify(this.concrete(arn).document, undefined, 2)),
    });
    output.node.addValidation({
      validate: () => {
        if (this.concrete(arn).expressions > 0) {
          Annotations.of(holder).addWarningV2(BedrockEncryptionWarnings.POLICY_FILE_HAS_EXPRESSIONS,
            `'${file}' in the cloud assembly still holds CloudFormation expressions (a role without a fixed name, or an ` +
            'environment this app does not know), which resolve only at deployment: give such roles a roleName, and the stack an env.');
        }
        return [];
      },
    });
    Annotations.of(holder).addWarningV2(kind.warningId,
      `The ${kind.policy} of ${target} cannot be changed by this app. ${kind.action} in '${file}' in the cloud assembly ` +
      `(cdk.out) or in the stack output '${outputKey}' (${output.node.path}), or ${firstSubject} and anything else that needs ` +
      'them (the output\'s description lists them) fail with AccessDenied.');
  }

  /** Adds statements to the report; `subject` is who needs them. */
  public add(statements: iam.PolicyStatement[], subject: string): void {
    this.statements.push(...statements);
    if (!this.subjects.includes(subject)) this.subjects.push(subject);
  }

  /** The statements as a policy document, a JSON string with tokens. */
  public json(): string {
    if (this.statements.length === 0) return '';
    return this.stack.toJsonString(this.document());
  }

  private document() {
    return { Version: '2012-10-17', Statement: this.statements.map((s) => s.toStatementJson()) };
  }

  private concrete(arn: string | undefined) {
    return concretePolicy(this.stack.resolve(this.document()), environmentOf(this.stack, arn));
  }
}
