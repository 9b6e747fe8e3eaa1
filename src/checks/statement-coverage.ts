/**
 * Is a needed policy statement covered by the statements of a policy? Pure functions over
 * statements in resolved form (the JSON CloudFormation receives: `Stack.resolve` of a
 * statement, intrinsics such as `Ref`, `Fn::GetAtt` and `Fn::Join` allowed as values).
 * Internal: not exported from the package.
 *
 * A needed statement is covered when each of its actions, for each of its principals, is allowed
 * by some `Allow` statement:
 * - whose `Action` matches the action (`kms:*`, `kms:GenerateDataKey*` and `*` count; a needed
 *   `kms:GenerateDataKey*` needs a pattern at least as wide);
 * - whose `Principal` is the same principal or a wider one: `*`, the same service principal, the
 *   same AWS principal, or (only with `throughAccountRoot`, only for an AWS principal) the root of
 *   the principal's account: delegation to the account never covers a service principal;
 * - whose conditions are no stricter than the needed ones: every operator, key and value it
 *   has must be in the needed statement, with the same or a narrower value;
 * - that uses no `NotAction`, `NotPrincipal` or `NotResource` (never counted as cover);
 * - in identity mode (`keyArns` given; identity statements name no principal), whose `Resource`
 *   is `*` or matches one of the key's ARNs.
 *
 * An action is not covered when an unconditioned `Deny` statement matches it (the same principal
 * rules, any overlap of actions).
 */

/** An IAM policy statement in resolved form. */
export type StatementJson = Record<string, any>;

/** How {@link coverage} compares principals and resources. */
export interface CoverageOptions {
  /**
   * Count a statement for the account root as covering an AWS principal of that account: the key
   * policy delegates to IAM, so the principal's identity policies decide.
   *
   * @default false
   */
  readonly throughAccountRoot?: boolean;

  /**
   * Principal values (resolved form) that stand for the root of the needed AWS principal's
   * account, when its ARN does not show the account (an `Fn::GetAtt` of a role). The root and the
   * account id are read from any ARN of the form `arn:<partition>:iam::<account>:...`.
   *
   * @default - read from the principal's ARN only
   */
  readonly accountRoots?: unknown[];

  /**
   * Identity mode: the statements are identity statements (no `Principal`), and count only when
   * their `Resource` is `*` or matches one of these key ARNs (resolved form).
   *
   * @default - key-policy mode: statements must name the principal
   */
  readonly keyArns?: unknown[];
}

/** Which needed actions are covered. */
export interface Coverage {
  /** True when every action is covered, for every principal. */
  readonly covered: boolean;
  /** The needed actions some principal is not allowed (lower case), denied ones included. */
  readonly uncoveredActions: string[];
  /** The needed actions an unconditioned `Deny` statement matches (lower case). */
  readonly deniedActions: string[];
}

/** True when `statements` cover `needed`; see {@link coverage}. */
export function isCovered(needed: StatementJson, statements: StatementJson[], options: CoverageOptions = {}): boolean {
  return coverage(needed, statements, options).covered;
}

/** Which of `needed`'s actions `statements` allow, for each of its principals. */
export function coverage(needed: StatementJson, statements: StatementJson[], options: CoverageOptions = {}): Coverage {
  const identityMode = options.keyArns !== undefined;
  const actions = listOf(needed.Action).map((a) => canonical(a).toLowerCase());
  const principals: Principal[] = identityMode ? [ANY_PRINCIPAL] : principalsOf(needed.Principal);
  const neededConditions = conditionsOf(needed.Condition);
  const keyArns = (options.keyArns ?? []).map(canonical);
  const parsed = statements.filter(isObject).map(parseStatement);

  const uncovered = new Set<string>();
  const denied = new Set<string>();
  for (const principal of principals) {
    const roots = principal.type === 'AWS' ? accountRootsOf(principal.value, options.accountRoots ?? []) : [];
    for (const action of actions) {
      const deniedBy = parsed.some((s) => s.effect === 'Deny' && s.conditions.length === 0 &&
        s.actions !== undefined && s.actions.some((a) => patternCovers(a, action) || patternCovers(action, a)) &&
        (identityMode ? resourceMatches(s, keyArns) : principalMatches(s, principal, roots)));
      if (deniedBy) {
        denied.add(action);
        uncovered.add(action);
        continue;
      }
      const allowed = parsed.some((s) => s.effect === 'Allow' &&
        s.actions !== undefined && s.actions.some((a) => patternCovers(a, action)) &&
        (identityMode
          ? resourceMatches(s, keyArns)
          : s.keyPolicyResource && principalMatches(s, principal, options.throughAccountRoot ? roots : [])) &&
        conditionsNoStricter(s.conditions, neededConditions));
      if (!allowed) uncovered.add(action);
    }
  }
  return { covered: uncovered.size === 0, uncoveredActions: [...uncovered], deniedActions: [...denied] };
}

/**
 * A value in comparable form: strings as they are, `{ Ref: X }` as `${X}`, `Fn::GetAtt` as
 * `${Logical.Attr}`, `Fn::Join` of such parts joined, anything else as `${<JSON>}`.
 */
export function canonical(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const v = value[keys[0]];
      if (keys[0] === 'Ref' && typeof v === 'string') return `\${${v}}`;
      if (keys[0] === 'Fn::GetAtt') return `\${${(Array.isArray(v) ? v : String(v).split('.')).map(canonical).join('.')}}`;
      if (keys[0] === 'Fn::Join' && Array.isArray(v) && typeof v[0] === 'string' && Array.isArray(v[1])) {
        return v[1].map(canonical).join(v[0]);
      }
    }
  }
  return `\${${stableJson(value)}}`;
}

interface Principal {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for every principal. */
  readonly type: string;
  /** Canonical value; `*` for every principal of the type. */
  readonly value: string;
}

const ANY_PRINCIPAL: Principal = { type: '*', value: '*' };

interface Condition {
  readonly operator: string;
  /** Lower case: condition keys are not case sensitive. */
  readonly key: string;
  readonly values: string[];
}

interface ParsedStatement {
  readonly effect: string;
  /** Lower-case action patterns; undefined for a `NotAction` statement. */
  readonly actions?: string[];
  /** Undefined for a `NotPrincipal` statement. */
  readonly principals?: Principal[];
  /** Canonical resources; undefined for a `NotResource` statement. */
  readonly resources?: string[];
  /** False for a `NotResource` statement. */
  readonly keyPolicyResource: boolean;
  readonly conditions: Condition[];
}

function parseStatement(s: StatementJson): ParsedStatement {
  return {
    effect: s.Effect,
    actions: s.NotAction !== undefined || s.Action === undefined ? undefined : listOf(s.Action).map((a) => canonical(a).toLowerCase()),
    principals: s.NotPrincipal !== undefined ? undefined : principalsOf(s.Principal),
    resources: s.NotResource !== undefined || s.Resource === undefined ? undefined : listOf(s.Resource).map(canonical),
    keyPolicyResource: s.NotResource === undefined,
    conditions: conditionsOf(s.Condition),
  };
}

function principalsOf(principal: unknown): Principal[] {
  if (principal === '*') return [ANY_PRINCIPAL];
  if (!isObject(principal)) return [];
  return Object.entries(principal).flatMap(([type, values]) => listOf(values).map((v) => {
    const value = canonical(v);
    return type === 'AWS' && value === '*' ? ANY_PRINCIPAL : { type, value: type === 'Service' ? value.toLowerCase() : value };
  }));
}

/** The root ARN and the account id of the account an IAM ARN names, plus the given ones. */
function accountRootsOf(arn: string, given: unknown[]): string[] {
  const roots = given.map(canonical);
  // A part is plain text or a placeholder such as `${AWS::AccountId}` (which has colons).
  const part = '((?:\\$\\{[^}]*\\}|[^:$])+)';
  const match = new RegExp(`^arn:${part}:iam::${part}:`).exec(arn);
  if (match) roots.push(`arn:${match[1]}:iam::${match[2]}:root`, match[2]);
  return roots;
}

function principalMatches(s: ParsedStatement, needed: Principal, roots: string[]): boolean {
  if (s.principals === undefined) return false;
  return s.principals.some((p) => p.type === '*' ||
    (p.type === needed.type && p.value === needed.value) ||
    (needed.type === 'AWS' && p.type === 'AWS' && roots.includes(p.value)));
}

function resourceMatches(s: ParsedStatement, keyArns: string[]): boolean {
  if (s.resources === undefined) return false;
  return s.resources.some((r) => keyArns.some((k) => patternCovers(r, k)));
}

function conditionsOf(condition: unknown): Condition[] {
  if (!isObject(condition)) return [];
  return Object.entries(condition).flatMap(([operator, block]) => (isObject(block)
    ? Object.entries(block).map(([key, values]) => ({ operator, key: key.toLowerCase(), values: listOf(values).map(canonical) }))
    : [{ operator, key: '', values: [canonical(block)] }]));
}

/** True when every condition of the covering statement is met by every request the needed conditions allow. */
function conditionsNoStricter(covering: Condition[], needed: Condition[]): boolean {
  return covering.every((c) => needed.some((n) => n.key === c.key && conditionCovers(c, n)));
}

/** Operators whose values may be patterns (`*`, `?`): `ArnEquals` takes them as `ArnLike` does. */
const LIKE = new Set(['StringLike', 'ArnLike', 'ArnEquals']);
/** Operators that compare exact values (an ARN operator and a string operator compare alike here). */
const EXACT = new Set(['StringEquals', 'ArnEquals']);

function conditionCovers(c: Condition, n: Condition): boolean {
  const [cPrefix, cBase, cIfExists] = splitOperator(c.operator);
  const [nPrefix, nBase, nIfExists] = splitOperator(n.operator);
  // A covering `...IfExists` also allows requests without the key; a needed one does too, so the covering one must.
  if (cPrefix !== nPrefix || (nIfExists && !cIfExists)) return false;
  if (/Not/.test(cBase) || /Not/.test(nBase)) {
    // A negated condition is wider with fewer values: the covering values must all be needed ones.
    return cBase === nBase && c.values.every((v) => n.values.includes(v));
  }
  if (LIKE.has(cBase) && (LIKE.has(nBase) || EXACT.has(nBase))) {
    return n.values.every((v) => c.values.some((pattern) => patternCovers(pattern, v)));
  }
  if (EXACT.has(cBase) && (EXACT.has(nBase) || LIKE.has(nBase))) {
    // A needed pattern is narrower than an exact value only when it has no wildcard.
    return n.values.every((v) => (!LIKE.has(nBase) || !/[*?]/.test(v)) && c.values.includes(v));
  }
  if (cBase === 'StringEqualsIgnoreCase' && (nBase === cBase || EXACT.has(nBase))) {
    return n.values.every((v) => c.values.some((u) => u.toLowerCase() === v.toLowerCase()));
  }
  return cBase === nBase && n.values.every((v) => c.values.some((u) => u.toLowerCase() === v.toLowerCase()));
}

/** `ForAnyValue:StringLikeIfExists` -> ['ForAnyValue:', 'StringLike', true]. */
function splitOperator(operator: string): [string, string, boolean] {
  const match = /^((?:ForAnyValue|ForAllValues):)?(.*?)(IfExists)?$/.exec(operator)!;
  return [match[1] ?? '', match[2], match[3] !== undefined];
}

/**
 * True when the IAM pattern `pattern` matches every string `value` stands for: `*` and `?` in
 * `pattern` are wildcards, in `value` they are wildcards a `*` of `pattern` must cover (so
 * `kms:GenerateDataKey*` covers `kms:GenerateDataKey*`, `kms:GenerateDataKey` does not).
 */
export function patternCovers(pattern: string, value: string): boolean {
  if (pattern === value || pattern === '*') return true;
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '[^*?]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** The statements of a policy document (`Statement` as a list or one object). */
export function statementsOf(document: unknown): StatementJson[] {
  const statement = (document as any)?.Statement;
  return listOf(statement).filter(isObject);
}

/** A value as a list: a list as it is, one value as a list of one, nothing as an empty list. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
