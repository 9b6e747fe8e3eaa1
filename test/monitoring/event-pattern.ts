/**
 * An EventBridge event-pattern matcher with the semantics AWS documents for event buses
 * (the aws/event-ruler library behind them, `rulesForJSONEvent`): every field named in a
 * pattern must match (AND); a field matches when any of its listed values matches (OR); a
 * field whose event value is an array matches when any element does; arrays of objects are
 * crushed into their parent, with fields of one match taken from the same element; `exists`
 * only sees leaf values. Operators: exact values, `prefix`, `suffix`, `equals-ignore-case`,
 * `anything-but` (value, list or `prefix`/`suffix`), `exists`, `numeric` and `$or`.
 * An operator it does not know throws, so a pattern is never matched by accident.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** True when `event` matches `pattern`, as EventBridge would decide. */
export function matchesPattern(pattern: any, event: any): boolean {
  assertObject(pattern, '(root)');
  return matchObject(pattern, event);
}

function matchObject(pattern: Record<string, any>, event: Json | undefined): boolean {
  return Object.entries(pattern).every(([field, spec]) => {
    if (field === '$or' && isOrList(spec)) {
      return spec.some((alternative: Record<string, any>) => matchObject(alternative, event));
    }
    const value = fieldOf(event, field);
    if (Array.isArray(spec)) return matchLeaf(spec, value, field);
    assertObject(spec, field);
    return candidates(value).some((element) => isObject(element) && matchObject(spec, element));
  });
}

/** The value of `field` in an object, or undefined. */
function fieldOf(event: Json | undefined, field: string): Json | undefined {
  return isObject(event) && Object.prototype.hasOwnProperty.call(event, field) ? event[field] : undefined;
}

/** An event value with arrays (at any depth) crushed into their elements. */
function candidates(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v) => candidates(v));
  return [value];
}

function matchLeaf(spec: any[], value: Json | undefined, field: string): boolean {
  if (spec.length === 0) throw new Error(`invalid pattern: ${field} lists no values`);
  const leaves = candidates(value).filter((v) => !isObject(v));
  return spec.some((matcher) => matchOne(matcher, leaves, field));
}

function matchOne(matcher: any, leaves: Json[], field: string): boolean {
  if (!isObject(matcher)) return leaves.some((v) => v === matcher);
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new Error(`invalid pattern: ${field} has a matcher with ${keys.length} operators`);
  const [op] = keys;
  const arg = (matcher as any)[op];
  switch (op) {
    case 'exists':
      if (typeof arg !== 'boolean') throw new Error(`invalid pattern: ${field} exists must be true or false`);
      return arg ? leaves.length > 0 : leaves.length === 0;
    case 'prefix':
      return stringTest(arg, field, op, leaves, (v, a) => v.startsWith(a), (v, a) => v.toLowerCase().startsWith(a.toLowerCase()));
    case 'suffix':
      return stringTest(arg, field, op, leaves, (v, a) => v.endsWith(a), (v, a) => v.toLowerCase().endsWith(a.toLowerCase()));
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new Error(`invalid pattern: ${field} equals-ignore-case takes a string`);
      return leaves.some((v) => typeof v === 'string' && v.toLowerCase() === arg.toLowerCase());
    case 'anything-but':
      return leaves.some((v) => !excludedBy(arg, v, field));
    case 'numeric':
      return leaves.some((v) => typeof v === 'number' && numericTest(arg, v, field));
    default:
      throw new Error(`unsupported pattern operator '${op}' on ${field}`);
  }
}

function stringTest(
  arg: any, field: string, op: string, leaves: Json[],
  exact: (v: string, a: string) => boolean, ignoreCase: (v: string, a: string) => boolean,
): boolean {
  if (typeof arg === 'string') return leaves.some((v) => typeof v === 'string' && exact(v, arg));
  if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') {
    const a = arg['equals-ignore-case'] as string;
    return leaves.some((v) => typeof v === 'string' && ignoreCase(v, a));
  }
  throw new Error(`invalid pattern: ${field} ${op} takes a string`);
}

/** Whether `anything-but: arg` excludes the event value `v`. */
function excludedBy(arg: any, v: Json, field: string): boolean {
  if (Array.isArray(arg)) {
    if (arg.length === 0) throw new Error(`invalid pattern: ${field} anything-but lists no values`);
    return arg.some((a) => a === v);
  }
  if (typeof arg === 'string' || typeof arg === 'number') return arg === v;
  if (isObject(arg)) {
    const [op] = Object.keys(arg);
    const a = (arg as any)[op];
    if (typeof v !== 'string') return false;
    if (op === 'prefix' && typeof a === 'string') return v.startsWith(a);
    if (op === 'suffix' && typeof a === 'string') return v.endsWith(a);
    if (op === 'equals-ignore-case' && typeof a === 'string') return v.toLowerCase() === a.toLowerCase();
  }
  throw new Error(`unsupported anything-but operand on ${field}: ${JSON.stringify(arg)}`);
}

function numericTest(arg: any, v: number, field: string): boolean {
  if (!Array.isArray(arg) || arg.length % 2 !== 0) throw new Error(`invalid pattern: ${field} numeric takes operator/value pairs`);
  for (let i = 0; i < arg.length; i += 2) {
    const [op, n] = [arg[i], arg[i + 1]];
    const ok = op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : op === '>=' ? v >= n : undefined;
    if (ok === undefined) throw new Error(`invalid pattern: ${field} numeric operator ${op}`);
    if (!ok) return false;
  }
  return true;
}

function isOrList(spec: any): spec is Record<string, any>[] {
  return Array.isArray(spec) && spec.length >= 2 && spec.every((s) => isObject(s) && !isOperator(s));
}

const OPERATORS = ['exists', 'prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'cidr', 'wildcard'];

function isOperator(value: Record<string, any>): boolean {
  return Object.keys(value).some((k) => OPERATORS.includes(k));
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function assertObject(value: unknown, field: string): void {
  if (!isObject(value)) throw new Error(`invalid pattern: ${field} must be an object or a list of values, got ${JSON.stringify(value)}`);
}
