import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { BedrockEncryptionWarnings } from '../wiring/warnings';

/**
 * The key grants an L2 wrote for its own key: when an L2 (for example the aws-bedrockagentcore
 * `Memory` or `Gateway`) is given `kmsKey`, it may grant its role use of the key with no
 * condition. The mixin cannot take those statements out of the role's policy (aws-cdk-lib has
 * no public API to remove a statement), so it names them in one warning per role.
 *
 * The L2 is recognised by its public properties only (`kmsKey`, `executionRole`, `role`), never
 * by class: its classes do not exist in every aws-cdk-lib this library supports.
 */

/** The public role properties of the L2s that grant key use to a role. */
const ROLE_PROPERTIES = ['executionRole', 'role'];

/** Names of the policy an `iam.Role` (`DefaultPolicy`) or an imported role (`Policy`) writes grants into. */
const GRANT_POLICY_IDS = ['DefaultPolicy', 'Policy'];

/**
 * Warns when `resource` is the L1 of an L2 (its parent construct) that was given `keyArn` as
 * `kmsKey` and wrote unconditioned key grants for it.
 */
export function warnUnconditionedL2KeyGrants(resource: CfnResource, keyArn: string): void {
  const l2 = resource.node.scope;
  if (l2 === undefined) return;
  const l2Key = (l2 as { kmsKey?: { keyArn?: unknown } }).kmsKey;
  if (typeof l2Key?.keyArn !== 'string') return;
  const stack = Stack.of(resource);
  const resolvedKey = JSON.stringify(stack.resolve(l2Key.keyArn));
  if (resolvedKey !== JSON.stringify(stack.resolve(keyArn))) return;

  const seen = new Set<IConstruct>();
  for (const property of ROLE_PROPERTIES) {
    const role = (l2 as unknown as Record<string, unknown>)[property];
    if (!isRole(role) || seen.has(role)) continue;
    seen.add(role);
    const actions = unconditionedKeyActions(role, stack, resolvedKey);
    if (actions.length === 0) continue;
    Annotations.of(l2).addWarningV2(BedrockEncryptionWarnings.L2_UNCONDITIONED_KEY_GRANTS,
      `${l2.node.path} was given kmsKey, and granted its role '${role.node.path}' ${actions.join(', ')} on the key with no condition ` +
      '(no kms:ViaService, no encryption context). BedrockCustomerManagedKey cannot remove grants an L2 writes. For conditioned key use ' +
      'only, give the L2 no kmsKey and apply BedrockCustomerManagedKey to it: the mixin sets the key on its L1 and writes the key-policy ' +
      'statements the AWS page documents.');
  }
}

function isRole(value: unknown): value is iam.IRole & IConstruct {
  return typeof value === 'object' && value !== null && typeof (value as iam.IRole).roleArn === 'string' && 'node' in value;
}

/** The KMS actions the role's grant policies allow on the key with no condition. */
function unconditionedKeyActions(role: IConstruct, stack: Stack, resolvedKey: string): string[] {
  const actions = new Set<string>();
  for (const id of GRANT_POLICY_IDS) {
    const policy = role.node.tryFindChild(id);
    if (!(policy instanceof iam.Policy)) continue;
    const document = stack.resolve(policy.document.toJSON()) as { Statement?: any[] } | undefined;
    for (const statement of document?.Statement ?? []) {
      if (statement.Effect !== 'Allow' || statement.Condition !== undefined) continue;
      const resources = [statement.Resource ?? []].flat().map((r: unknown) => JSON.stringify(r));
      if (!resources.includes(resolvedKey)) continue;
      [statement.Action ?? []].flat().filter((a: unknown): a is string => typeof a === 'string' && a.startsWith('kms:')).forEach((a: string) => actions.add(a));
    }
  }
  return [...actions];
}
