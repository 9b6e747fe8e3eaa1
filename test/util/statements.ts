import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { evaluatePolicies } from './synthesized-policies';
import { KeyAdministrationStatements, PolicyScope } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION } from '../fixtures/seed-statements';

/** A literal scope: the test account and region in the aws partition. */
export const SCOPE: PolicyScope = { partition: 'aws', account: ACCOUNT, region: REGION, urlSuffix: 'amazonaws.com' };

const asList = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? [...v] : [v]);

/**
 * A statement in a form where AWS's printing choices do not matter: no Sid, Action and
 * Resource as lists, actions in lower case, one-element condition lists unwrapped, and
 * `StringLike` on a value without wildcards as `StringEquals` (IAM evaluates the two alike; some
 * AWS pages write `StringLike` for an exact `kms:ViaService`, the library writes `StringEquals`).
 */
export function normalize(statement: any): any {
  const { Sid, ...rest } = statement;
  const out: any = { ...rest };
  out.Action = asList(rest.Action)!.map((a: string) => a.toLowerCase()).sort();
  out.Resource = asList(rest.Resource);
  if (rest.Principal) {
    out.Principal = Object.fromEntries(Object.entries(rest.Principal).map(([k, v]) => [k, asList(v)]));
  }
  if (rest.Condition) {
    const condition: Record<string, Record<string, unknown>> = {};
    for (const [op, entries] of Object.entries(rest.Condition as Record<string, object>)) {
      for (const [k, raw] of Object.entries(entries)) {
        const v = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
        const exact = op === 'StringLike' && [v].flat().every((x) => typeof x === 'string' && !/[*?]/.test(x));
        const operator = exact ? 'StringEquals' : op;
        condition[operator] = { ...(condition[operator] ?? {}), [k]: v };
      }
    }
    out.Condition = condition;
  }
  return out;
}

/**
 * An AWS page's statement as the library writes it: `kms:CreateGrant`, when the statement allows
 * it, in a statement of its own that also requires `kms:GrantIsForAWSResource` (normalized).
 */
export function withGrantsForAwsResources(statement: any): any[] {
  const actions: string[] = [statement.Action].flat();
  const others = actions.filter((a) => a.toLowerCase() !== 'kms:creategrant');
  const out: any[] = [];
  if (others.length > 0) out.push(normalize({ ...statement, Action: others }));
  if (others.length < actions.length) {
    const condition = normalize({ ...statement, Action: ['kms:CreateGrant'] });
    out.push({ ...condition, Condition: { ...(condition.Condition ?? {}), Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
  }
  return out;
}

/** The JSON of builder output, resolved and normalized. */
export function rendered(statements: iam.PolicyStatement[]): any[] {
  const stack = new Stack();
  return statements.map((s) => normalize(stack.resolve(s.toStatementJson())));
}

/** A policy document holding `statements`, resolved. */
export function policyDocument(...statements: iam.PolicyStatement[]): any {
  return new Stack().resolve(new iam.PolicyDocument({ statements }).toJSON());
}

/**
 * Whether a same-account role holding `statements` in its identity policy may call `action` on a
 * key whose policy only delegates to the account (the root statement).
 */
export function decideAsRole(statements: iam.PolicyStatement[], action: string, context: Record<string, string | string[]>): string {
  return evaluatePolicies({
    principal: `arn:aws:iam::${ACCOUNT}:role/App`,
    action,
    resource: KEY_ARN,
    resourceAccount: ACCOUNT,
    resourcePolicy: policyDocument(...KeyAdministrationStatements.accountRootKeyUse(SCOPE)),
    identityPolicies: [policyDocument(...statements)],
    context,
  });
}
