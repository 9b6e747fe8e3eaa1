import { Annotations, CfnOutput, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, Dependable, IDependable } from 'constructs';
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
  policy.node.defaultChild!.node.addDependency(resource);
  return policy;
}

/**
 * Adds identity statements to `role`. Statements the role cannot take (an immutable imported
 * role answers `statementAdded: true` and drops them, with nothing to depend on) are rendered
 * into a `RolePolicyToAdd` stack output under `scope` with a synth warning: never dropped.
 *
 * @returns what a resource that needs these permissions at creation must depend on
 */
export function addRoleStatements(scope: Construct, role: iam.IRole, statements: iam.PolicyStatement[], subject: string): IDependable[] {
  const dependables: IDependable[] = [];
  const unwritten: iam.PolicyStatement[] = [];
  for (const statement of statements) {
    const result = role.addToPrincipalPolicy(statement);
    if (!isWritten(role, result)) unwritten.push(statement);
    if (result.policyDependable && !dependables.includes(result.policyDependable)) dependables.push(result.policyDependable);
  }
  if (unwritten.length > 0) {
    const output = new CfnOutput(scope, 'RolePolicyToAdd', {
      description: `Identity-policy statements the role of ${subject} must be given`,
      value: Stack.of(scope).toJsonString({ Version: '2012-10-17', Statement: unwritten.map((s) => s.toStatementJson()) }),
    });
    Annotations.of(scope).addWarningV2('cdk-bedrock-encryption:rolePolicyNotUpdated',
      `The policy of role ${Token.isUnresolved(role.roleArn) ? `'${role.node.path}'` : role.roleArn} cannot be changed by this app. ` +
      `Give it the statements in the stack output '${output.node.path}', or ${subject} fails with AccessDenied.`);
  }
  return dependables;
}

/**
 * A role created in this app always writes the statement (its dependable fills in lazily, when
 * large policies are split); any other role wrote it only if there is a policy to depend on.
 */
function isWritten(role: iam.IRole, result: iam.AddToPrincipalPolicyResult): boolean {
  if (!result.statementAdded) return false;
  if (iam.Role.isRole(role) || result.policyDependable === undefined) return true;
  return Dependable.of(result.policyDependable).dependencyRoots.length > 0;
}

/** Adds identity statements to a grantee's policy and returns them as one Grant. */
export function grantStatements(grantee: iam.IGrantable, statements: iam.PolicyStatement[]): iam.Grant {
  return statements
    .map((statement) => iam.Grant.addToPrincipal({
      grantee,
      actions: statement.actions,
      resourceArns: statement.resources,
      conditions: Object.keys(statement.conditions).length > 0 ? statement.conditions : undefined,
    }))
    .reduce((all, grant) => all.combine(grant));
}
