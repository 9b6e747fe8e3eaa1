import { IConstruct } from 'constructs';
import { peekState, stateOf } from '../private/construct-state';

/**
 * Facts a construct of this library declares about what it builds, for the checks to read: the
 * construct states the fact, the checks decide what it means for a rule. Kept on the construct
 * tree; nothing is written into the template.
 */

const UNCONDITIONED_SERVICE_USE = 'unconditionedServiceUseDocumented';

/**
 * Declares that the policy of `key` gives a service principal a use of the key that the AWS page
 * documents with no condition, and why that is acceptable for this key (what it encrypts).
 */
export function declareDocumentedUnconditionedServiceUse(key: IConstruct, reason: string): void {
  stateOf(key, UNCONDITIONED_SERVICE_USE, () => reason);
}

/** The reason declared for `construct` or a scope of it by {@link declareDocumentedUnconditionedServiceUse}, if any. */
export function documentedUnconditionedServiceUse(construct: IConstruct): string | undefined {
  return construct.node.scopes.map((scope) => peekState<string>(scope, UNCONDITIONED_SERVICE_USE)).find((r) => r !== undefined);
}
