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
