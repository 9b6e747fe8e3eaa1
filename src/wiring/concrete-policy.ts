import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * A policy as its administrator pastes it: the CloudFormation pseudo parameters of a resolved
 * policy (`Ref: AWS::Partition`, `Fn::Join`, `Fn::Sub` over them) replaced by the values of the
 * environment. Expressions that name resources stay as they are, and are counted.
 */

/** The values that stand for `AWS::Partition`, `AWS::Region`, `AWS::AccountId` and `AWS::URLSuffix`. */
export interface ConcreteEnvironment {
  readonly partition?: string;
  readonly region?: string;
  readonly account?: string;
  readonly urlSuffix?: string;
}

/** A policy with pseudo parameters replaced, and how many expressions could not be. */
export interface ConcretePolicy {
  readonly document: unknown;
  /** CloudFormation expressions left (references to resources, or unknown environment values). */
  readonly expressions: number;
}

/**
 * The environment of `stack`, completed from a resource ARN in it (an imported key's): a
 * resource this app must work with is in the stack's account and region.
 */
export function environmentOf(stack: Stack, arn?: string): ConcreteEnvironment {
  const parsed = arn !== undefined && !Token.isUnresolved(arn) ? Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME) : undefined;
  const known = (value: string | undefined) => (value !== undefined && !Token.isUnresolved(value) && value !== '' ? value : undefined);
  const region = known(stack.region) ?? known(parsed?.region);
  const partition = known(stack.partition) ?? known(parsed?.partition) ?? (region ? RegionInfo.get(region).partition : undefined);
  return {
    partition,
    region,
    account: known(stack.account) ?? known(parsed?.account),
    urlSuffix: region ? RegionInfo.get(region).domainSuffix : undefined,
  };
}

/** The pseudo parameters `env` gives a value to, by name (`AWS::Region`). */
export function pseudoParameterValues(env: ConcreteEnvironment): Map<string, string> {
  const entries: Array<[string, string | undefined]> = [
    ['AWS::Partition', env.partition],
    ['AWS::Region', env.region],
    ['AWS::AccountId', env.account],
    ['AWS::URLSuffix', env.urlSuffix],
  ];
  return new Map(entries.filter((e): e is [string, string] => e[1] !== undefined));
}

/** Replaces the pseudo parameters of a resolved policy document with `env`'s values. */
export function concretePolicy(resolved: unknown, env: ConcreteEnvironment): ConcretePolicy {
  let expressions = 0;
  const values = pseudoParameterValues(env);
  const pseudo = (name: string): string | undefined => values.get(name);
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [[fn, arg]] = entries;
      const result = intrinsic(fn, arg);
      if (result !== undefined) return result;
      if (fn === 'Ref' || fn.startsWith('Fn::')) {
        expressions++;
        return value;
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, visit(v)]));
  };
  const intrinsic = (fn: string, arg: unknown): string | undefined => {
    if (fn === 'Ref' && typeof arg === 'string') return pseudo(arg);
    if (fn === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
      const parts = (arg[1] as unknown[]).map((part) => (typeof part === 'string' ? part : intrinsicOf(part)));
      return parts.every((part) => typeof part === 'string') ? parts.join(String(arg[0])) : undefined;
    }
    if (fn === 'Fn::Sub' && typeof arg === 'string') {
      let complete = true;
      const text = arg.replace(/\$\{([^}!]+)\}/g, (match, name: string) => {
        const known = pseudo(name);
        if (known === undefined) complete = false;
        return known ?? match;
      });
      return complete ? text : undefined;
    }
    return undefined;
  };
  const intrinsicOf = (value: unknown): string | undefined => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 1 ? intrinsic(entries[0][0], entries[0][1]) : undefined;
  };
  return { document: visit(resolved), expressions };
}
