import { CfnResource, isResolvableObject } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { BedrockEncryptionError } from '../private/validation';
import { cfnPathOf, KeyPolicyInputs, keyPolicyStatementsOf, RESOURCE_TYPES, ResourceTypeRow, rowApplies } from '../wiring/registry';

/**
 * A registry row as the mixin uses it on an L1: read, check and set the key property, and build the
 * key-policy statements the resource needs (src/wiring/registry.ts).
 */
export interface EncryptableResource {
  /** The CloudFormation resource type. */
  readonly cfnType: string;
  /** The L1 property path, for messages and docs (`customerEncryptionKeyArn`). */
  readonly keyProperty: string;
  /** The key the resource has now, or undefined. */
  read(resource: CfnResource): string | undefined;
  /** The property path of a flag that selects an AWS owned key and is set to true on the resource, or undefined. */
  awsOwnedKeyChosen(resource: CfnResource): string | undefined;
  /**
   * True when the row applies to this resource (its condition on another property holds, for
   * example a knowledge base of type `MANAGED`); false when it does not or cannot be known (a token).
   */
  appliesTo(resource: CfnResource): boolean;
  /** Sets the key. */
  write(resource: CfnResource, keyArn: string): void;
  /** The key-policy statements the resource needs. */
  keyPolicyStatements(resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[];
}

/** The value at an L1 path, or undefined when it is not set; `TOKEN` when a struct on the way is a token. */
const TOKEN = Symbol('token');
function valueAt(resource: CfnResource, path: string[]): unknown {
  let value: unknown = resource;
  for (const segment of path) {
    if (value === undefined || value === null) return undefined;
    if (isResolvableObject(value)) return TOKEN;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * A key property on the L1, from its row of the key-property table: directly
 * (`cfnAgent.customerEncryptionKeyArn`) or inside struct properties
 * (`cfnDataSource.serverSideEncryptionConfiguration.kmsKeyArn`). Writing copies each struct on the
 * way, so a struct the user shares between resources is not changed; a flag that selects an AWS
 * owned key next to the key property (`encryptionConfig.awsOwnedKey`) is set to false with it.
 */
function atPath(row: ResourceTypeRow): EncryptableResource {
  const { cfnType, l1Path: path } = row;
  const keyProperty = path.join('.');
  const property = path[path.length - 1];
  const flag = row.awsOwnedKeyFlag;
  if (flag !== undefined && flag.slice(0, -1).join('.') !== path.slice(0, -1).join('.')) {
    throw new Error(`${cfnType}: the AWS owned key flag must be next to the key property`);
  }
  /** The struct that holds the key property, or undefined when one on the way is not set. */
  const holderOf = (resource: CfnResource): Record<string, unknown> | undefined => {
    let value: unknown = resource;
    for (let i = 0; i < path.length - 1 && value !== undefined; i++) {
      value = (value as Record<string, unknown>)[path[i]];
      if (isResolvableObject(value)) {
        throw new BedrockEncryptionError(
          `${cfnType} at '${resource.node.path}': ${path.slice(0, i + 1).join('.')} is a token, so ${keyProperty} cannot be ` +
          `read or set; set ${keyProperty} in the resource's properties instead of applying BedrockCustomerManagedKey`);
      }
    }
    return value as Record<string, unknown> | undefined;
  };
  const leaf = (keyArn: string): Record<string, unknown> =>
    (flag === undefined ? { [property]: keyArn } : { [property]: keyArn, [flag[flag.length - 1]]: false });
  const withKey = (struct: Record<string, unknown> | undefined, depth: number, keyArn: string): Record<string, unknown> => (
    depth === path.length - 1
      ? { ...(struct ?? {}), ...leaf(keyArn) }
      : { ...(struct ?? {}), [path[depth]]: withKey(struct?.[path[depth]] as Record<string, unknown> | undefined, depth + 1, keyArn) });
  return {
    cfnType,
    keyProperty,
    read: (resource) => holderOf(resource)?.[property] as string | undefined,
    awsOwnedKeyChosen: (resource) => {
      if (flag === undefined) return undefined;
      const value = holderOf(resource)?.[flag[flag.length - 1]];
      return value === true ? flag.join('.') : undefined;
    },
    appliesTo: (resource) => rowApplies(row, (l1Path) => {
      const value = valueAt(resource, l1Path);
      return value === TOKEN ? {} : value;
    }) === true,
    write: (resource, keyArn) => {
      holderOf(resource); // throws on a token on the way, before any change
      const before = (resource as any)[path[0]];
      if (path.length === 1) {
        (resource as any)[property] = keyArn;
      } else {
        (resource as any)[path[0]] = withKey(before, 1, keyArn);
      }
      if (!renders(resource, cfnPathOf(row))) {
        (resource as any)[path[0]] = before;
        throw new BedrockEncryptionError(
          `${cfnType} at '${resource.node.path}': the installed aws-cdk-lib's L1 does not render ${keyProperty}, so the key cannot be ` +
          'set on it; upgrade aws-cdk-lib to a version whose L1 has the property');
      }
    },
    keyPolicyStatements: (resource, inputs) => keyPolicyStatementsOf(row, resource, inputs),
  };
}

/**
 * False when the L1 renders no value at the CloudFormation path: an L1 of an older aws-cdk-lib
 * drops the struct fields it does not know (`managedKnowledgeBaseConfiguration` before 2.261).
 * A top-level property always renders; when the properties cannot be rendered yet (a lazy value
 * not ready), the L1 is given the benefit of the doubt.
 */
function renders(resource: CfnResource, cfnPath: string[]): boolean {
  if (cfnPath.length === 1) return true;
  const r = resource as any;
  let value: unknown;
  try {
    value = r.renderProperties(r.cfnProperties);
  } catch {
    return true;
  }
  for (const segment of cfnPath) {
    if (value === undefined || value === null || typeof value !== 'object') return false;
    value = (value as Record<string, unknown>)[segment];
  }
  return value !== undefined;
}

/** The registry's rows the mixin sets: each but those whose key the mixin does not set. */
export const ENCRYPTABLE_RESOURCES: EncryptableResource[] = RESOURCE_TYPES
  .filter((row) => row.notSetByMixin === undefined)
  .map(atPath);

/**
 * The entry for a construct: a typed L1 of a listed type, to which its row applies (a knowledge
 * base only when its type is `MANAGED`). A plain `CfnResource` of the same type
 * has no typed property to set, so it is not supported; nor is any L2 (the mixin reaches its L1
 * child when applied to the L2's subtree).
 */
export function encryptableResourceOf(construct: IConstruct): EncryptableResource | undefined {
  if (!CfnResource.isCfnResource(construct)) return undefined;
  const entry = ENCRYPTABLE_RESOURCES.find((e) => e.cfnType === construct.cfnResourceType);
  if (entry === undefined) return undefined;
  const property = entry.keyProperty.split('.')[0];
  return property in construct && entry.appliesTo(construct) ? entry : undefined;
}
