import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { concretePolicy, environmentOf } from './concrete-policy';
import { BedrockEncryptionWarnings } from './warnings';
import { peekState, stateOf } from '../private/construct-state';

/** The largest key policy AWS KMS accepts, in bytes. */
export const KEY_POLICY_LIMIT_BYTES = 32 * 1024;

/** The share of the limit past which a key policy the library writes gets a warning. */
export const KEY_POLICY_WARNING_SHARE = 0.8;

/**
 * More than any one key-policy statement takes (the library's largest are under 1 KB, a test
 * keeps it so): a policy with fewer statements than the warning size over this is not measured,
 * which spares resolving every small key policy twice.
 */
export const MAX_STATEMENT_BYTES = 2048;

/**
 * Checks, once the app is complete, the size of the policy of `key` (a key this app owns and the
 * library writes into), and warns past 80% of what AWS KMS accepts. The size is the policy as
 * CloudFormation sends it, with the environment's values filled in; a reference to a resource
 * counts as long as its expression (about the length of the ARN it becomes).
 */
export function watchKeyPolicySize(key: IConstruct): void {
  if (peekState(key, 'keyPolicySizeWatched') !== undefined) return;
  stateOf(key, 'keyPolicySizeWatched', () => true);
  key.node.addValidation({
    validate: () => {
      const document = (key.node.defaultChild as { keyPolicy?: unknown } | undefined)?.keyPolicy;
      const warnAt = KEY_POLICY_LIMIT_BYTES * KEY_POLICY_WARNING_SHARE;
      if (document instanceof iam.PolicyDocument && document.statementCount * MAX_STATEMENT_BYTES <= warnAt) return [];
      const bytes = keyPolicyBytes(key);
      if (bytes !== undefined && bytes > warnAt) {
        Annotations.of(key).addWarningV2(BedrockEncryptionWarnings.KEY_POLICY_NEAR_SIZE_LIMIT,
          `The policy of the key '${key.node.path}' is about ${(bytes / 1024).toFixed(1)} KB, ` +
          `${Math.round((100 * bytes) / KEY_POLICY_LIMIT_BYTES)}% of the ${KEY_POLICY_LIMIT_BYTES / 1024} KB AWS KMS accepts, ` +
          'and each Bedrock resource that shares the key adds statements for its role. Split it: give each group of resources ' +
          '(a stack, a team, an application) its own key.');
      }
      return [];
    },
  });
}

/** The size of the key's policy in bytes, as CloudFormation sends it; undefined when the key has none. */
export function keyPolicyBytes(key: IConstruct): number | undefined {
  const cfnKey = key.node.defaultChild;
  if (!CfnResource.isCfnResource(cfnKey)) return undefined;
  const stack = Stack.of(key);
  const policy = stack.resolve((cfnKey as unknown as { keyPolicy?: unknown }).keyPolicy);
  if (policy === undefined) return undefined;
  return Buffer.byteLength(JSON.stringify(concretePolicy(policy, environmentOf(stack)).document));
}
