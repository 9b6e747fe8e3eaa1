import { viaService } from '../policy/conditions';
import { PolicyScope } from '../policy/scope';
import { isResolved } from '../private/validation';

/**
 * A kms:Decrypt-through-a-service statement as JSON text for a warning message (tokens cannot be
 * rendered there, so an unresolved region or URL suffix shows as a placeholder).
 */
export function exampleDecryptStatement(scope: PolicyScope, service: string, resource: string): string {
  const literal = {
    ...scope,
    region: isResolved(scope.region) ? scope.region : '<region>',
    urlSuffix: isResolved(scope.urlSuffix) ? scope.urlSuffix : 'amazonaws.com',
  };
  return JSON.stringify({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: resource, Condition: viaService(literal, service) });
}
