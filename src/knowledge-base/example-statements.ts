import { PolicyScope } from '../policy/scope';
import { isResolved } from '../private/validation';

/**
 * A kms:Decrypt-through-a-service statement as JSON text for a warning message (tokens cannot be
 * rendered there, so an unresolved region shows as a placeholder).
 */
export function exampleDecryptStatement(scope: PolicyScope, service: string, resource: string): string {
  const region = isResolved(scope.region) ? scope.region : '<region>';
  return JSON.stringify({
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: resource,
    Condition: { StringEquals: { 'kms:ViaService': `${service}.${region}.amazonaws.com` } },
  });
}
