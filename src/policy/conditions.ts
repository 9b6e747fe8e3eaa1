import * as iam from 'aws-cdk-lib/aws-iam';
import { PolicyScope, PolicyScopes } from './scope';

/** The service principal Amazon Bedrock uses for KMS calls it makes itself. */
export const BEDROCK_SERVICE_PRINCIPAL = 'bedrock.amazonaws.com';

/** Actions that read and write data under a key: the pair every Bedrock page asks for. */
export const ENCRYPT_DECRYPT_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * True when `value` uses IAM wildcards. A value with tokens (`arn:${Partition}:...:agent/*`)
 * counts too: token placeholders never contain `*` or `?`.
 */
export function isPattern(value: string): boolean {
  return /[*?]/.test(value);
}

/**
 * A string condition on `key`: `StringLike` when `value` is a wildcard pattern (a key policy
 * scoped to every resource of a type), `StringEquals` when it is one exact value or a token.
 */
export function stringMatch(key: string, value: string): iam.Conditions {
  return { [isPattern(value) ? 'StringLike' : 'StringEquals']: { [key]: value } };
}

/** Merges condition blocks; keys under the same operator are combined. */
export function allOf(...blocks: iam.Conditions[]): iam.Conditions {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    for (const [operator, entries] of Object.entries(block)) {
      merged[operator] = { ...(merged[operator] ?? {}), ...(entries as Record<string, unknown>) };
    }
  }
  return merged;
}

/**
 * `kms:ViaService` equal to the service's endpoint in the scope's region
 * (`bedrock.us-east-1.amazonaws.com`), or to any of several: the key is usable only in requests
 * those services make on the principal's behalf. The one place this condition is built.
 */
export function viaService(scope: PolicyScope, ...services: string[]): iam.Conditions {
  const endpoints = services.map((service) => PolicyScopes.viaService(scope, service));
  return { StringEquals: { 'kms:ViaService': endpoints.length === 1 ? endpoints[0] : endpoints } };
}

/**
 * `kms:GrantIsForAWSResource` = true: a grant may be created only by an AWS service that
 * integrates with AWS KMS, for its own use of the key on the principal's behalf.
 */
export const GRANT_IS_FOR_AWS_RESOURCE: iam.Conditions = { Bool: { 'kms:GrantIsForAWSResource': 'true' } };

/**
 * Statements that allow `actions` under `conditions`, with `kms:CreateGrant` (when listed) in a
 * statement of its own that also requires `kms:GrantIsForAWSResource`: every grant the library
 * allows is one an AWS service creates for itself, never one a principal creates for another.
 */
export function keyStatements(props: iam.PolicyStatementProps): iam.PolicyStatement[] {
  const actions = props.actions ?? [];
  const others = actions.filter((a) => a !== 'kms:CreateGrant');
  const statements: iam.PolicyStatement[] = [];
  if (others.length > 0) statements.push(new iam.PolicyStatement({ ...props, actions: others }));
  if (others.length < actions.length) {
    statements.push(new iam.PolicyStatement({
      ...props,
      actions: ['kms:CreateGrant'],
      conditions: allOf(props.conditions ?? {}, GRANT_IS_FOR_AWS_RESOURCE),
    }));
  }
  return statements;
}
