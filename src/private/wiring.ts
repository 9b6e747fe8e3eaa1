import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BedrockKey, IBedrockKey } from '../key/bedrock-key';

/**
 * The key a construct encrypts with: a new {@link BedrockKey} when the user gave none, or the
 * user's key wrapped so that statements its policy cannot take are reported, never dropped.
 */
export function bedrockKeyFor(scope: Construct, encryptionKey: kms.IKey | undefined, id = 'EncryptionKey'): IBedrockKey {
  return encryptionKey ? BedrockKey.fromKey(scope, id, encryptionKey) : new BedrockKey(scope, id);
}

/**
 * Makes `resource` wait for the role and the policies attached to it, so CloudFormation
 * creates the permissions Bedrock checks at create time first. A role from another stack or
 * an imported role has nothing to wait for.
 */
export function dependOnRole(resource: CfnResource, role: iam.IRole): void {
  if (role instanceof iam.Role && Stack.of(role) === Stack.of(resource)) {
    resource.node.addDependency(role);
  }
}

/**
 * A policy that is created after `resource`: for statements that name the resource's own ARN,
 * which cannot go into a policy the resource depends on (a dependency cycle).
 */
export function policyAfter(
  scope: Construct, id: string, resource: CfnResource, role: iam.IRole, statements: iam.PolicyStatement[],
): iam.Policy | undefined {
  if (statements.length === 0) return undefined;
  const policy = new iam.Policy(scope, id, { statements });
  role.attachInlinePolicy(policy);
  (policy.node.defaultChild as CfnResource).addDependency(resource);
  return policy;
}
