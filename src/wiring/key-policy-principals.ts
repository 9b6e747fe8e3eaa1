import { createHash } from 'crypto';
import { Aws, CfnResource, Names, Reference, Resource, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { allOf } from '../policy/conditions';
import { BedrockEncryptionError } from '../private/validation';

/**
 * How a key policy names a role it cannot reference.
 *
 * A key policy can name a role by reference (`Fn::GetAtt`) only when both live in one stack: a key
 * in a central stack that named a role of another stack would depend on that stack, which
 * depends on the key (a cycle), and the policy of an imported key is added by hand before the
 * role exists. Such a role is named instead as its account, limited to the role by
 * `aws:PrincipalArn` (a principal KMS does not require to exist), with the role's concrete ARN,
 * and the role gets the same statement in its identity policy: with an account principal the
 * key policy lets IAM policies allow the use, and no more than the statement's conditions allow.
 *
 * "Default key policy: Allows access to the AWS account and enables IAM policies",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam;
 * `aws:PrincipalArn` (for a role, the role's ARN, whichever session uses it): "AWS global condition
 * context keys", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */

/** A key-policy statement for a role the policy cannot reference, and that role's identity statement. */
export interface RoleByName {
  /** The key-policy statement: the role's account, with `aws:PrincipalArn`. */
  readonly keyPolicyStatement: iam.PolicyStatement;
  /** The role that gets `identityStatement`, when it is a role construct of this app. */
  readonly role?: iam.IRole;
  /** The role's ARN, as the key policy names it. */
  readonly roleArn: string;
  /** The statement's actions and conditions, on the key. */
  readonly identityStatement: iam.PolicyStatement;
}

/** The statements for a key policy: those kept as they are, and those rewritten to name roles by ARN. */
export interface KeyPolicyStatements {
  readonly kept: iam.PolicyStatement[];
  readonly byName: RoleByName[];
}

/**
 * Splits `statements` for the policy of `key`: a statement whose principal is a role in another
 * stack than the key's, or a role with a fixed name for a key this app does not own, is
 * rewritten to name the role by `aws:PrincipalArn`. Throws for a role of another stack without
 * a fixed name.
 */
export function keyPolicyStatementsFor(
  key: IConstruct & { readonly keyArn: string }, statements: iam.PolicyStatement[],
): KeyPolicyStatements {
  const keyStack = Resource.isOwnedResource(key) ? Stack.of(key) : undefined;
  const kept: iam.PolicyStatement[] = [];
  const byName: RoleByName[] = [];
  for (const statement of statements) {
    const roles = statement.principals.map(roleReferencedBy);
    if (roles.every((role) => role === undefined || (keyStack !== undefined && Stack.of(role) === keyStack))) {
      kept.push(statement);
      continue;
    }
    const named = roles.map((role) => role !== undefined && Stack.of(role) !== keyStack && needsName(key, keyStack, role));
    const referenced = statement.principals.filter((_, i) => !named[i]);
    if (referenced.length > 0) kept.push(withPrincipals(statement, referenced));
    roles.forEach((role, i) => { if (named[i]) byName.push(roleByName(key, role!, statement)); });
  }
  return { kept, byName };
}

/**
 * A fixed name for a role whose ARN the policy of `key` cannot reference, or undefined when it
 * can (the key is owned by this app, in the role's stack). Unique in the account: derived from
 * the construct path, the stack name and, when known, the region.
 */
export function roleNameForKey(scope: Construct, id: string, key: IConstruct | undefined): string | undefined {
  if (key === undefined) return undefined;
  const stack = Stack.of(scope);
  if (Resource.isOwnedResource(key) && Stack.of(key) === stack) return undefined;
  const region = Token.isUnresolved(stack.region) ? '' : stack.region;
  const hash = createHash('sha256').update(`${scope.node.path}/${id}@${region}`).digest('hex').slice(0, 8);
  const readable = `${Names.uniqueResourceName(scope, { maxLength: 40, separator: '-' })}-${id}`.replace(/[^\w+=,.@-]/g, '');
  return `${readable.slice(0, 55)}-${hash}`;
}

/** The ARN a principal is named by: a role's, or an ARN principal's. */
export function principalArnOf(principal: iam.IPrincipal): string | undefined {
  return (principal as Partial<iam.IRole>).roleArn ?? (principal as Partial<iam.ArnPrincipal>).arn;
}

/** The `AWS::IAM::Role` of this app a principal's ARN references, when it does. */
export function roleReferencedBy(principal: iam.IPrincipal): CfnResource | undefined {
  const arn = principalArnOf(principal);
  if (arn === undefined || !Token.isUnresolved(arn)) return undefined;
  for (const token of Tokenization.reverseString(arn).tokens) {
    if (!Reference.isReference(token)) continue;
    const target: IConstruct = token.target;
    if (CfnResource.isCfnResource(target) && target.cfnResourceType === 'AWS::IAM::Role') return target;
  }
  return undefined;
}

/**
 * True when the key policy must name `cfnRole` by its ARN: it has a fixed name. Without one, a
 * role of another stack than the key's is an error (a reference would be a cycle); for an
 * imported key the statement keeps the reference, which its report resolves at deploy time.
 */
function needsName(key: IConstruct, keyStack: Stack | undefined, cfnRole: CfnResource): boolean {
  if (fixedNameOf(cfnRole) !== undefined) return true;
  if (keyStack === undefined) return false;
  throw new BedrockEncryptionError(
    `The policy of the key '${key.node.path}' (stack '${keyStack.stackName}') must name the role '${cfnRole.node.path}' ` +
    `(stack '${Stack.of(cfnRole).stackName}'), and a reference would make each stack depend on the other. Give the role a ` +
    `fixed roleName, create it in stack '${keyStack.stackName}', or let the construct create its own role (it names it).`);
}

function fixedNameOf(cfnRole: CfnResource): string | undefined {
  const name = (cfnRole as unknown as { roleName?: string }).roleName;
  return name === undefined || Token.isUnresolved(name) ? undefined : name;
}

function roleByName(key: IConstruct & { readonly keyArn: string }, cfnRole: CfnResource, statement: iam.PolicyStatement): RoleByName {
  const roleStack = Stack.of(cfnRole);
  const name = fixedNameOf(cfnRole)!;
  const path = (cfnRole as unknown as { path?: string }).path ?? '/';
  const roleArn = `arn:${Aws.PARTITION}:iam::${roleStack.account}:role${Token.isUnresolved(path) ? '/' : path}${name}`;
  const conditions = statement.conditions;
  const keyPolicyStatement = new iam.PolicyStatement({
    sid: statement.sid,
    actions: statement.actions,
    resources: statement.resources,
    principals: [new iam.AccountPrincipal(roleStack.account)],
    conditions: allOf(conditions, { StringEquals: { 'aws:PrincipalArn': roleArn } }),
  });
  const role = cfnRole.node.scope;
  return {
    keyPolicyStatement,
    role: role !== undefined && iam.Role.isRole(role) ? role : undefined,
    roleArn,
    identityStatement: new iam.PolicyStatement({
      actions: statement.actions,
      resources: [key.keyArn],
      conditions: Object.keys(conditions).length > 0 ? conditions : undefined,
    }),
  };
}

function withPrincipals(statement: iam.PolicyStatement, principals: iam.IPrincipal[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: statement.sid,
    actions: statement.actions,
    resources: statement.resources,
    principals,
    conditions: statement.conditions,
  });
}
