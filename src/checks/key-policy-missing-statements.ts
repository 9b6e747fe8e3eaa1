import { Aws, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { Finding, finding, RuleContext } from './finding';
import { ResolvedResource } from './resolved-resource';
import { BedrockEncryptionRules } from './rules';
import { canonical, coverage, Coverage, listOf, StatementJson, statementsOf } from './statement-coverage';
import { KMS_KEY_ARN } from '../policy/patterns';
import { PolicyScopes } from '../policy/scope';
import { concretePolicy, environmentOf, pseudoParameterValues } from '../wiring/concrete-policy';
import { roleReferencedBy } from '../wiring/key-policy-principals';
import { wasGivenTo } from '../wiring/policy-writer';
import { cfnPathOf, cfnPathOfL1, keyPolicyStatementsOf, RESOURCE_TYPES, rowApplies } from '../wiring/registry';

/**
 * The rule `cdk-bedrock-encryption:keyPolicyMissingStatements`: the key a Bedrock resource names must
 * let the resource use it. The statements it needs are the ones `BedrockCustomerManagedKey`
 * writes for it (the registry, `src/wiring/registry.ts`, with no key creators or users: the rule cannot know
 * them); each must be covered (`statement-coverage.ts`):
 * - by the policy of a key of the app (followed through `Ref`, `Fn::GetAtt` and cross-stack
 *   references), or, for a role, by the key policy's delegation to the account root together
 *   with the role's identity policies (the role's own, `AWS::IAM::Policy` and
 *   `AWS::IAM::ManagedPolicy` resources attached to it) when the role is in the app, or the
 *   delegation alone when it is not (its identity policies cannot be read);
 * - an imported key's policy cannot be read: the statements not reported yet are named, with
 *   their JSON, in one warning per key. The rule writes nothing into the app.
 * A key property the rule cannot follow (a parameter, an import of a value outside the app, an
 * alias) is skipped.
 */

const RULE = BedrockEncryptionRules.KEY_POLICY_MISSING_STATEMENTS;
const KMS_KEY = 'AWS::KMS::Key';
const IAM_ROLE = 'AWS::IAM::Role';
const IDENTITY_POLICY_TYPES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);

/** A resource's use of a key: where it names it and which statements it needs. */
interface KeyUse {
  readonly resolved: ResolvedResource;
  /** The CloudFormation path of the key property. */
  readonly path: string[];
  /** The resolved value of the key property. */
  readonly value: unknown;
  /** The key-policy statements the resource needs, from the mixin's builders. */
  readonly statements: iam.PolicyStatement[];
  /** `the AWS::Bedrock::Agent 'Stack/Agent'`, as the mixin names it. */
  readonly subject: string;
}

/** The findings of the rule: one per resource for keys of the app, one per imported key. */
export function keyPolicyMissingStatements(resources: ResolvedResource[], context: RuleContext): Finding[] {
  const lookups = new Lookups();
  const findings: Finding[] = [];
  // an imported key construct, or a key ARN written as a string that no construct stands for
  const imported = new Map<kms.IKey | string, KeyUse[]>();
  for (const r of resources) {
    const use = keyUseOf(r);
    if (use === undefined) continue;
    const keys = r.referencedResources(use.path, KMS_KEY);
    if (keys.length === 1) {
      findings.push(...checkKeyOfApp(use, keys[0], lookups));
    } else if (keys.length === 0) {
      // Of several imports of the key, the one the library reported to already, if any.
      const candidates = lookups.importedKeys(r.resource, use.value);
      const key = candidates.find((k) => use.statements.some((s) => wasGivenTo(k, s))) ?? candidates[0]
        ?? (typeof use.value === 'string' && KMS_KEY_ARN.test(use.value) ? use.value : undefined);
      if (key !== undefined) imported.set(key, [...(imported.get(key) ?? []), use]);
    }
  }
  for (const [key, uses] of imported) findings.push(...reportImportedKey(key, uses, context, lookups));
  return findings;
}

function keyUseOf(r: ResolvedResource): KeyUse | undefined {
  // A typed L1 of a type the mixin sets, whose row applies: the key uses read its typed properties.
  const row = RESOURCE_TYPES.find((t) => t.cfnType === r.resource.cfnResourceType && t.keyUses !== undefined);
  if (row === undefined || !(row.l1Path[0] in r.resource)) return undefined;
  if (rowApplies(row, (l1Path) => r.valueAt(cfnPathOfL1(l1Path))) !== true) return undefined;
  const path = cfnPathOf(row);
  const value = r.valueAt(path);
  if (value === undefined || value === null || value === '') return undefined;
  let statements: iam.PolicyStatement[];
  try {
    statements = keyPolicyStatementsOf(row, r.resource, { scope: PolicyScopes.of(r.resource), keyCreators: [], keyUsers: [] });
  } catch {
    return undefined;
  }
  if (statements.length === 0) return undefined;
  return { resolved: r, path, value, statements, subject: `the ${row.cfnType} '${r.resource.node.path}'` };
}

function checkKeyOfApp(use: KeyUse, keyResource: CfnResource, lookups: Lookups): Finding[] {
  const key = lookups.resolved(keyResource);
  if (key === undefined) return [];
  const keyStack = Stack.of(keyResource);
  // Without a KeyPolicy, AWS KMS gives the key its default policy: the account root may do anything.
  const keyStatements = key.properties.KeyPolicy === undefined
    ? [{ Effect: 'Allow', Principal: { AWS: resolveIn(keyStack, rootArn(keyStack.partition, keyStack.account)) }, Action: 'kms:*', Resource: '*' }]
    : statementsOf(withKnownPseudoParameters(keyStack, parsed(key.properties.KeyPolicy)));
  const roots = accountRoots(Stack.of(use.resolved.resource), keyStack);

  const missing = use.statements.map((statement) => ({ statement, json: resolveIn(keyStack, statement.toStatementJson()) as StatementJson }))
    .filter(({ statement, json }) => {
      const direct = coverage(json, keyStatements);
      if (direct.covered || !namesAwsPrincipal(json)) return !direct.covered;
      // The key policy may delegate to the account, whose IAM policies then decide.
      const delegated = coverage(json, keyStatements, { throughAccountRoot: true, accountRoots: roots });
      const role = roleOf(statement);
      const identity = role === undefined
        ? undefined
        : lookups.identityCoverage(role, json, (s) => [resolveIn(s, keyResource.getAtt('Arn')), kmsArnPattern(s, keyStack)]);
      return direct.uncoveredActions.some((a) => delegated.uncoveredActions.includes(a) || (identity?.uncoveredActions.includes(a) ?? false));
    });
  if (missing.length === 0) return [];

  const forRole = missing.some(({ json }) => namesAwsPrincipal(json));
  return [finding(use.resolved.resource, RULE,
    `The policy of the key '${keyPathOf(keyResource)}', which this resource names in ${use.path.join('.')}, does not allow ` +
    `${missing.length === 1 ? 'a statement' : `${missing.length} statements`} the resource needs, so it fails with AccessDenied ` +
    `when it is created or used: ${missing.map(({ statement, json }) => describe(statement, json)).join('; ')}. ` +
    'Apply BedrockCustomerManagedKey with this key to the resource (resource.with(new BedrockCustomerManagedKey(key)), or ' +
    'Mixins.of(scope).apply(new BedrockCustomerManagedKey(key))), or add to the key policy: ' +
    `${JSON.stringify(missing.map(({ json }) => json))}` +
    (forRole ? '. For a role, an identity policy of the role that allows the actions on the key does too, when the key policy allows them to the account root.' : '.'))];
}

/**
 * An imported key (a construct, or a key ARN written as a string): its policy cannot be read, so
 * the statements the resources need that the library has not reported for it yet, and that no
 * role of the app allows itself, are named in one finding with their JSON. The check writes
 * nothing: no output, no construct (the template is the same with or without validation).
 */
function reportImportedKey(key: kms.IKey | string, uses: KeyUse[], context: RuleContext, lookups: Lookups): Finding[] {
  const keyConstruct = typeof key === 'string' ? undefined : key;
  const stack = Stack.of(keyConstruct ?? uses[0].resolved.resource);
  const keyArn = typeof key === 'string' ? key : key.keyArn;
  // What each resource needs that nothing reported yet (resources may need the same).
  const reported = uses
    .filter((use) => !context.isSuppressed(use.resolved.resource, RULE))
    .map((use) => ({
      use,
      statements: use.statements.filter((s) => !(keyConstruct !== undefined && wasGivenTo(keyConstruct, s)) && !lookups.roleAllows(s, keyArn)),
    }))
    .filter(({ statements }) => statements.length > 0);
  if (reported.length === 0) return [];

  const arn = stack.resolve(keyArn);
  const env = environmentOf(stack, typeof arn === 'string' ? arn : undefined);
  const needed = new Map<string, { statement: iam.PolicyStatement; json: StatementJson }>();
  for (const statement of reported.flatMap((r) => r.statements)) {
    // as the key's administrator pastes it: the environment's values in place of pseudo parameters
    const json = concretePolicy(stack.resolve(statement.toStatementJson()), env).document as StatementJson;
    needed.set(JSON.stringify(json), { statement, json });
  }
  const statements = [...needed.values()];
  const subjects = reported.map(({ use }) => use.subject).join(', ');
  return [finding(reported[0].use.resolved.resource, RULE,
    `${subjects.charAt(0).toUpperCase()}${subjects.slice(1)} ${reported.length === 1 ? 'names' : 'name'} the imported key ` +
    `${typeof arn === 'string' ? arn : `'${keyConstruct!.node.path}'`}, whose policy this app cannot read. Its administrator must make sure ` +
    `it allows ${statements.length === 1 ? 'this statement' : `these ${statements.length} statements`} ` +
    `(${statements.map(({ statement, json }) => describe(statement, json)).join('; ')}), or ` +
    `${reported.length === 1 ? 'the resource fails' : 'the resources fail'} with AccessDenied: ` +
    `${JSON.stringify(statements.map(({ json }) => json))}. Applying BedrockCustomerManagedKey with the key writes them into ` +
    'the stack output KeyPolicyToAdd and a file of the cloud assembly.',
    true)];
}

/** Every lookup in the app the rule needs, each done once per check run. */
class Lookups {
  private readonly resolvedResources = new Map<CfnResource, ResolvedResource | undefined>();
  private readonly importedKeysByStack = new Map<Stack, kms.IKey[]>();
  private readonly identityPolicies = new Map<IConstruct, CfnResource[]>();
  private readonly roleIdentityStatements = new Map<CfnResource, { statements: StatementJson[]; stacks: Stack[] }>();

  public resolved(resource: CfnResource): ResolvedResource | undefined {
    if (!this.resolvedResources.has(resource)) this.resolvedResources.set(resource, ResolvedResource.of(resource));
    return this.resolvedResources.get(resource);
  }

  /** The imported keys (`Key.fromKeyArn` and the like) in the resource's stack whose ARN is `value`. */
  public importedKeys(resource: CfnResource, value: unknown): kms.IKey[] {
    if (typeof value === 'string' && /(^|:)alias\//.test(value)) return [];
    const stack = Stack.of(resource);
    const rendered = JSON.stringify(value);
    return this.importedKeysOf(stack).filter((k) => JSON.stringify(stack.resolve(k.keyArn)) === rendered);
  }

  /** True when the statement names a role of the app whose identity policies allow what it allows on the key `keyArn`. */
  public roleAllows(statement: iam.PolicyStatement, keyArn: string): boolean {
    const role = roleOf(statement);
    if (role === undefined) return false;
    const json = resolveIn(Stack.of(role), statement.toStatementJson());
    return this.identityCoverage(role, json, (s) => [resolveIn(s, keyArn)]).covered;
  }

  /**
   * How the identity policies of `role` cover `needed` (its principal aside) on a key whose ARN,
   * as a policy in stack `s` names it, is one of `keyArnsIn(s)`.
   */
  public identityCoverage(role: CfnResource, needed: StatementJson, keyArnsIn: (s: Stack) => unknown[]): Coverage {
    const { statements, stacks } = this.identityStatementsOf(role);
    const { Principal: _principal, ...withoutPrincipal } = needed;
    return coverage(withoutPrincipal, statements, { keyArns: stacks.flatMap(keyArnsIn) });
  }

  /** The statements of the identity policies of `role`, and the stacks they are in, read once per role. */
  private identityStatementsOf(role: CfnResource): { statements: StatementJson[]; stacks: Stack[] } {
    let found = this.roleIdentityStatements.get(role);
    if (found !== undefined) return found;
    const resolvedRole = this.resolved(role);
    const documents: Array<{ stack: Stack; document: unknown }> = [];
    for (const policy of listOf(resolvedRole?.properties.Policies)) {
      documents.push({ stack: Stack.of(role), document: (policy as any)?.PolicyDocument });
    }
    const attached = new Set<CfnResource>(resolvedRole?.referencedResources(['ManagedPolicyArns'], 'AWS::IAM::ManagedPolicy') ?? []);
    for (const policy of this.identityPoliciesNear(role)) {
      if (this.resolved(policy)?.referencedResources(['Roles'], IAM_ROLE).includes(role)) attached.add(policy);
    }
    for (const policy of attached) documents.push({ stack: Stack.of(policy), document: this.resolved(policy)?.properties.PolicyDocument });
    found = {
      statements: documents.flatMap((d) => statementsOf(withKnownPseudoParameters(d.stack, d.document))),
      stacks: [...new Set(documents.map((d) => d.stack))],
    };
    this.roleIdentityStatements.set(role, found);
    return found;
  }

  /** The identity policy resources of the stage (or app) that holds `construct`. */
  private identityPoliciesNear(construct: IConstruct): CfnResource[] {
    const owner: IConstruct = Stage.of(construct) ?? construct.node.root;
    let policies = this.identityPolicies.get(owner);
    if (policies === undefined) {
      policies = owner.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && IDENTITY_POLICY_TYPES.has(c.cfnResourceType));
      this.identityPolicies.set(owner, policies);
    }
    return policies;
  }

  private importedKeysOf(stack: Stack): kms.IKey[] {
    let keys = this.importedKeysByStack.get(stack);
    if (keys === undefined) {
      keys = stack.node.findAll().filter((c) => Stack.of(c) === stack).filter(isImportedKey);
      this.importedKeysByStack.set(stack, keys);
    }
    return keys;
  }
}

/** A key construct with no resource of its own: `Key.fromKeyArn`, `Key.fromLookup`. */
function isImportedKey(c: IConstruct): c is kms.IKey {
  const key = c as Partial<kms.IKey>;
  return typeof key.keyArn === 'string' && typeof key.addToResourcePolicy === 'function' && typeof key.grantDecrypt === 'function' &&
    c.node.defaultChild === undefined;
}

/** The role of the app a statement names, when its principal is a reference to one. */
function roleOf(statement: iam.PolicyStatement): CfnResource | undefined {
  return statement.principals.map(roleReferencedBy).find((role) => role !== undefined);
}

function namesAwsPrincipal(json: StatementJson): boolean {
  return json.Principal !== null && typeof json.Principal === 'object' && json.Principal.AWS !== undefined;
}

/** A policy document given as a JSON string, as an object. */
function parsed(document: unknown): unknown {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document);
  } catch {
    return undefined;
  }
}

/**
 * The root of the account of a Bedrock resource's roles, as the key's stack renders it: a service
 * role can only be passed to Bedrock in its own account, so the role is in the resource's.
 */
function accountRoots(resourceStack: Stack, keyStack: Stack): unknown[] {
  return [
    resolveIn(keyStack, rootArn(resourceStack.partition, resourceStack.account)),
    resolveIn(keyStack, rootArn(Aws.PARTITION, resourceStack.account)),
    resolveIn(keyStack, resourceStack.account),
  ];
}

/** `value` resolved as `stack` renders it, with the pseudo parameters the stack knows as literals. */
function resolveIn(stack: Stack, value: unknown): any {
  return withKnownPseudoParameters(stack, stack.resolve(value));
}

/**
 * A resolved value with `{ Ref: 'AWS::Partition' }` and the like replaced by their values when
 * the stack's environment gives them: so `arn:aws:...` written by hand and
 * `arn:${AWS::Partition}:...` built by the library compare alike.
 */
function withKnownPseudoParameters(stack: Stack, value: unknown): any {
  const known = pseudoParameterValues(environmentOf(stack));
  if (known.size === 0) return value;
  const replace = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(replace);
    if (v === null || typeof v !== 'object') return v;
    const ref = (v as any).Ref;
    if (Object.keys(v).length === 1 && typeof ref === 'string' && known.has(ref)) return known.get(ref);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
  };
  return replace(value);
}

function rootArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:root`;
}

/** A key ARN of the key's account and region with an unknown key id, for identity statements written with wildcards. */
function kmsArnPattern(s: Stack, keyStack: Stack): string {
  return `${canonical(resolveIn(s, `arn:${keyStack.partition}:kms:${keyStack.region}:${keyStack.account}:key/`))}\${KeyId}`;
}

/** The key's path for messages: its L2 when the resource is the L2's default child. */
function keyPathOf(key: CfnResource): string {
  const parent = key.node.scope;
  return parent !== undefined && parent.node.defaultChild === key ? parent.node.path : key.node.path;
}

/** `bedrock.amazonaws.com: kms:GenerateDataKey, kms:Decrypt when StringLike kms:EncryptionContext:aws:bedrock:arn = ...`. */
function describe(statement: iam.PolicyStatement, json: StatementJson): string {
  const role = roleOf(statement);
  const principals = Object.entries(json.Principal ?? {}).flatMap(([type, values]) => listOf(values).map((v) =>
    (type === 'AWS' && role !== undefined ? `the role '${keyPathOf(role)}'` : canonical(v))));
  const conditions = Object.entries<Record<string, unknown>>(json.Condition ?? {}).flatMap(([operator, block]) =>
    Object.entries(block).map(([key, values]) => `${operator} ${key} = ${listOf(values).map(canonical).join(' or ')}`));
  return `${principals.join(', ')}: ${listOf(json.Action).join(', ')}${conditions.length > 0 ? ` when ${conditions.join(' and ')}` : ''}`;
}
