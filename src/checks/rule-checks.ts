import { CfnResource } from 'aws-cdk-lib';
import { Finding, finding as findingOn, RuleContext } from './finding';
import { keyPolicyMissingStatements } from './key-policy-missing-statements';
import { ResolvedResource } from './resolved-resource';
import { BedrockEncryptionRules } from './rules';
import { statementsOf } from './statement-coverage';
import { documentedUnconditionedServiceUse } from '../wiring/declarations';
import { cfnPathOf, cfnPathOfL1, RESOURCE_TYPES, ResourceTypeRow as KeyPropertyRow, l1NameOf, rowApplies } from '../wiring/registry';

/** Where a Bedrock resource type keeps its customer managed key, from the shared table. */
interface KeyProperty {
  readonly cfnType: string;
  /** CloudFormation property path. */
  readonly path: string[];
  /** The L1 property, for messages. */
  readonly l1: string;
  /** The row of the shared table. */
  readonly row: KeyPropertyRow;
}

/**
 * Every row, including types whose L1 arrives after the minimum aws-cdk-lib (`AWS::Bedrock::Session`):
 * the rules read CloudFormation properties, so a resource of any L1 (or a plain `CfnResource`) is checked.
 */
const BEDROCK_KEY_PROPERTIES: KeyProperty[] = RESOURCE_TYPES
  .map((p) => ({ cfnType: p.cfnType, path: cfnPathOf(p), l1: l1NameOf(p), row: p }));
const KEY_PROPERTY_BY_TYPE = new Map(BEDROCK_KEY_PROPERTIES.map((p) => [p.cfnType, p]));

/** The key property of a resource's type when its row applies to the resource (a knowledge base only of type MANAGED). */
function keyPropertyFor(r: ResolvedResource): KeyProperty | undefined {
  const property = KEY_PROPERTY_BY_TYPE.get(r.resource.cfnResourceType);
  if (property === undefined) return undefined;
  return rowApplies(property.row, (l1Path) => r.valueAt(cfnPathOfL1(l1Path))) === true ? property : undefined;
}

const KMS_KEY = 'AWS::KMS::Key';
const KMS_REPLICA_KEY = 'AWS::KMS::ReplicaKey';
const IAM_ROLE = 'AWS::IAM::Role';
const AOSS_SECURITY_POLICY = 'AWS::OpenSearchServerless::SecurityPolicy';
const AOSS_COLLECTION = 'AWS::OpenSearchServerless::Collection';
const S3_VECTORS_BUCKET = 'AWS::S3Vectors::VectorBucket';
const S3_VECTORS_INDEX = 'AWS::S3Vectors::Index';

/** Service principals whose roles must carry confused-deputy conditions. */
const BEDROCK_TRUSTED_SERVICES = ['bedrock.amazonaws.com', 'bedrock-agentcore.amazonaws.com'];
const CONFUSED_DEPUTY_KEYS = ['aws:SourceAccount', 'aws:SourceArn'];

/** The resource types the checks read. */
export const INSPECTED_TYPES: ReadonlySet<string> = new Set([
  ...KEY_PROPERTY_BY_TYPE.keys(), KMS_KEY, KMS_REPLICA_KEY, IAM_ROLE, AOSS_SECURITY_POLICY, S3_VECTORS_BUCKET, S3_VECTORS_INDEX,
]);

/** Runs every rule over the resources and returns at most one finding per resource and rule. */
export function runRules(resources: ResolvedResource[], context: RuleContext): Finding[] {
  return [
    ...resources.flatMap(noCustomerManagedKey),
    ...resources.flatMap(openSearchAwsOwnedKey),
    ...openSearchCollectionWithoutKey(resources),
    ...resources.flatMap(s3VectorsSseS3),
    ...keyRotationOff(resources),
    ...resources.flatMap(unconditionedServicePrincipal),
    ...resources.flatMap(serviceRoleTrustUnconditioned),
    ...keyPolicyMissingStatements(resources, context),
  ];
}

function finding(r: ResolvedResource, ruleId: string, message: string): Finding[] {
  return [findingOn(r.resource, ruleId, message)];
}

function noCustomerManagedKey(r: ResolvedResource): Finding[] {
  // A collection may take its key from an encryption security policy instead: its own rule.
  if (r.resource.cfnResourceType === AOSS_COLLECTION) return [];
  const property = keyPropertyFor(r);
  if (property === undefined) return [];
  const value = r.valueAt(property.path);
  const cfnPath = property.path.join('.');
  if (value === undefined || value === null || value === '') {
    return finding(r, BedrockEncryptionRules.NO_CUSTOMER_MANAGED_KEY,
      `${r.resource.cfnResourceType} has no customer managed key, so AWS encrypts its data with a key you do not control. ` +
      `Set ${cfnPath} (${property.l1}) to the ARN of a customer managed KMS key whose policy lets the resource use it.`);
  }
  if (typeof value === 'string' && /(^|:)alias\/aws\//.test(value)) {
    return finding(r, BedrockEncryptionRules.NO_CUSTOMER_MANAGED_KEY,
      `${r.resource.cfnResourceType} names the AWS managed key ${value} in ${cfnPath}. ` +
      `Set ${cfnPath} (${property.l1}) to the ARN of a customer managed KMS key instead.`);
  }
  return [];
}

function openSearchAwsOwnedKey(r: ResolvedResource): Finding[] {
  if (r.resource.cfnResourceType !== AOSS_SECURITY_POLICY) return [];
  if (r.properties.Type !== 'encryption' || !usesAwsOwnedKey(r.properties.Policy)) return [];
  return finding(r, BedrockEncryptionRules.OPENSEARCH_AWS_OWNED_KEY,
    'This OpenSearch Serverless encryption policy sets "AWSOwnedKey": true, so the collections it matches (and the vectors ' +
    'of any knowledge base stored in them) are encrypted with an AWS owned key. Set "AWSOwnedKey": false and "KmsARN" to a customer managed key.');
}

/**
 * The OpenSearch rule for collections: a collection whose own `EncryptionConfig` sets
 * `AWSOwnedKey` true, or that names no key there and matches no encryption security policy of
 * the app that names a customer managed key. A token anywhere the decision depends on (the flag,
 * the collection name, a policy's rules) counts as a key.
 */
function openSearchCollectionWithoutKey(resources: ResolvedResource[]): Finding[] {
  const policies = resources.filter((r) => r.resource.cfnResourceType === AOSS_SECURITY_POLICY && r.properties.Type === 'encryption');
  return resources.filter((r) => r.resource.cfnResourceType === AOSS_COLLECTION).flatMap((r) => {
    const flag = r.valueAt(['EncryptionConfig', 'AWSOwnedKey']);
    if (flag === true || flag === 'true') {
      return finding(r, BedrockEncryptionRules.OPENSEARCH_AWS_OWNED_KEY,
        'This OpenSearch Serverless collection sets EncryptionConfig.AWSOwnedKey to true, so its data (and the vectors of any knowledge ' +
        'base stored in it) is encrypted with an AWS owned key. Set EncryptionConfig to { AWSOwnedKey: false, KmsKeyArn: <customer managed key ARN> } ' +
        '(encryptionConfig: { awsOwnedKey: false, kmsKeyArn }), or apply BedrockCustomerManagedKey to the collection.');
    }
    const kmsKeyArn = r.valueAt(['EncryptionConfig', 'KmsKeyArn']);
    if ((kmsKeyArn !== undefined && kmsKeyArn !== null && kmsKeyArn !== '') || (flag !== undefined && typeof flag === 'object')) return [];
    const name = r.properties.Name;
    if (policies.some((p) => policyMayEncrypt(p.properties.Policy, name))) return [];
    return finding(r, BedrockEncryptionRules.OPENSEARCH_AWS_OWNED_KEY,
      'This OpenSearch Serverless collection names no key in EncryptionConfig and no encryption security policy of the app that matches ' +
      'it names a customer managed key, so it is encrypted with an AWS owned key (or cannot be created). Set EncryptionConfig to ' +
      '{ AWSOwnedKey: false, KmsKeyArn: <customer managed key ARN> } (encryptionConfig: { awsOwnedKey: false, kmsKeyArn }), apply ' +
      'BedrockCustomerManagedKey to the collection, or add an encryption security policy with "AWSOwnedKey": false and "KmsARN" whose rules match it.');
  });
}

/** Stands for a token in a policy document's text: JSON-safe, and never part of a collection name (lower-case letters, digits, hyphens). */
const TOKEN_MARK = '#{token}';

/** The policy document of a security policy as an object, with `TOKEN_MARK` for tokens; undefined when unknown. */
function policyDocument(policy: unknown): any {
  let text: string | undefined;
  if (typeof policy === 'string') text = policy;
  const join = (policy as any)?.['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    text = join[1].map((part: unknown) => (typeof part === 'string' ? part : TOKEN_MARK)).join(join[0]);
  }
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * True when an encryption policy may give the collection `name` a customer managed key: it does
 * not choose the AWS owned key, and a collection rule matches the name (`*` as wildcard). A token
 * in the document, in a pattern or in the name counts as a match.
 */
function policyMayEncrypt(policy: unknown, name: unknown): boolean {
  const document = policyDocument(policy);
  if (document === undefined) return true;
  if (document.AWSOwnedKey === true) return false;
  const rules: any[] = Array.isArray(document.Rules) ? document.Rules : [];
  return rules.some((rule) => rule?.ResourceType === 'collection' && (Array.isArray(rule.Resource) ? rule.Resource : [rule.Resource])
    .some((pattern: unknown) => {
      if (typeof pattern !== 'string' || typeof name !== 'string' || pattern.includes(TOKEN_MARK)) return true;
      if (!pattern.startsWith('collection/')) return false;
      const glob = pattern.slice('collection/'.length).split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
      return new RegExp(`^${glob}$`).test(name);
    }));
}

/** True when the policy document says `"AWSOwnedKey": true`; false when unknown (a token). */
function usesAwsOwnedKey(policy: unknown): boolean {
  if (typeof policy === 'string') {
    try {
      return JSON.parse(policy)?.AWSOwnedKey === true;
    } catch {
      return /"AWSOwnedKey"\s*:\s*true\b/.test(policy);
    }
  }
  const join = (policy as any)?.['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    // Literal parts only: a token never stands for the `true` after the key.
    const text = join[1].map((part: unknown) => (typeof part === 'string' ? part : '\u0000')).join(join[0]);
    return /"AWSOwnedKey"\s*:\s*true\b/.test(text);
  }
  return false;
}

function s3VectorsSseS3(r: ResolvedResource): Finding[] {
  const type = r.resource.cfnResourceType;
  if (type !== S3_VECTORS_BUCKET && type !== S3_VECTORS_INDEX) return [];
  const sseType = r.valueAt(['EncryptionConfiguration', 'SseType']);
  // A bucket without encryption configuration uses SSE-S3; an index without one inherits its bucket's.
  const sseS3 = sseType === 'AES256' || (type === S3_VECTORS_BUCKET && sseType === undefined);
  if (!sseS3) return [];
  const what = type === S3_VECTORS_BUCKET ? 'vector bucket' : 'vector index';
  return finding(r, BedrockEncryptionRules.S3_VECTORS_SSE_S3,
    `This S3 Vectors ${what} is encrypted with SSE-S3 (AES256), an Amazon S3 managed key. ` +
    'Set EncryptionConfiguration to { SseType: "aws:kms", KmsKeyArn: <customer managed key ARN> } ' +
    '(encryptionConfiguration: { sseType: \'aws:kms\', kmsKeyArn }).');
}

/** Property paths whose keys hold Bedrock data, per resource type. */
function keyUsesOf(r: ResolvedResource): string[][] {
  const type = r.resource.cfnResourceType;
  const property = keyPropertyFor(r);
  if (property) return [property.path];
  if (type === S3_VECTORS_BUCKET || type === S3_VECTORS_INDEX) return [['EncryptionConfiguration', 'KmsKeyArn']];
  if (type === AOSS_SECURITY_POLICY && r.properties.Type === 'encryption') return [['Policy']];
  return [];
}

function keyRotationOff(resources: ResolvedResource[]): Finding[] {
  const users = new Map<CfnResource, string[]>();
  for (const r of resources) {
    for (const path of keyUsesOf(r)) {
      for (const key of r.referencedResources(path, KMS_KEY)) {
        users.set(key, [...(users.get(key) ?? []), r.resource.node.path]);
      }
    }
  }
  return resources.flatMap((r) => {
    const usedBy = users.get(r.resource);
    if (usedBy === undefined) return [];
    const rotation = r.properties.EnableKeyRotation;
    const keySpec = r.properties.KeySpec;
    if (rotation === true || rotation === 'true' || (rotation !== undefined && typeof rotation === 'object')) return [];
    if (keySpec !== undefined && keySpec !== 'SYMMETRIC_DEFAULT') return [];
    return finding(r, BedrockEncryptionRules.KEY_ROTATION_OFF,
      `This KMS key protects Bedrock data (${[...new Set(usedBy)].join(', ')}) but automatic rotation is off. ` +
      'Set EnableKeyRotation to true (kms.Key enableKeyRotation: true).');
  });
}


function servicesOf(statement: any): string[] {
  const service = statement?.Principal?.Service;
  return (Array.isArray(service) ? service : [service]).filter((s): s is string => typeof s === 'string');
}

function describeStatement(statement: any, index: number): string {
  return typeof statement.Sid === 'string' ? `statement ${index} ('${statement.Sid}')` : `statement ${index}`;
}

function unconditionedServicePrincipal(r: ResolvedResource): Finding[] {
  const type = r.resource.cfnResourceType;
  if (type !== KMS_KEY && type !== KMS_REPLICA_KEY) return [];
  // A key a construct of this library declares holds a use its AWS page documents with no condition
  if (documentedUnconditionedServiceUse(r.resource) !== undefined) return [];
  const offenders: string[] = [];
  statementsOf(r.properties.KeyPolicy).forEach((statement, index) => {
    if (statement?.Effect !== 'Allow' || servicesOf(statement).length === 0) return;
    // kms:DescribeKey alone returns the key's metadata and uses no data under it; AWS pages give it to services
    // without conditions (AgentCore datasets validate the key with it at creation: "Dataset encryption")
    if ([statement.Action].flat().every((a: unknown) => typeof a === 'string' && a.toLowerCase() === 'kms:describekey')) return;
    const condition = statement.Condition;
    const unconditioned = condition === undefined || condition === null ||
      (typeof condition === 'object' && Object.keys(condition).length === 0);
    if (unconditioned) offenders.push(`${describeStatement(statement, index)} for ${servicesOf(statement).join(', ')}`);
  });
  if (offenders.length === 0) return [];
  return finding(r, BedrockEncryptionRules.UNCONDITIONED_SERVICE_PRINCIPAL,
    `The key policy lets a service principal use the key with no condition (${offenders.join('; ')}): the service can use it ` +
    'on behalf of any account\'s resources. Add conditions that pin the caller, such as aws:SourceAccount and aws:SourceArn, ' +
    'kms:ViaService, kms:CallerAccount or kms:EncryptionContext:<key>.');
}

function serviceRoleTrustUnconditioned(r: ResolvedResource): Finding[] {
  if (r.resource.cfnResourceType !== IAM_ROLE) return [];
  const offenders: string[] = [];
  statementsOf(r.properties.AssumeRolePolicyDocument).forEach((statement, index) => {
    if (statement?.Effect !== 'Allow') return;
    const services = servicesOf(statement).filter((s) => BEDROCK_TRUSTED_SERVICES.includes(s));
    if (services.length === 0) return;
    const present = new Set<string>();
    for (const block of Object.values<any>(statement.Condition ?? {})) {
      if (block !== null && typeof block === 'object') Object.keys(block).forEach((k) => present.add(k.toLowerCase()));
    }
    const missing = CONFUSED_DEPUTY_KEYS.filter((k) => !present.has(k.toLowerCase()));
    if (missing.length > 0) offenders.push(`${describeStatement(statement, index)} for ${services.join(', ')} lacks ${missing.join(' and ')}`);
  });
  if (offenders.length === 0) return [];
  return finding(r, BedrockEncryptionRules.SERVICE_ROLE_TRUST_UNCONDITIONED,
    `The trust policy lets Bedrock assume this role without confused-deputy conditions (${offenders.join('; ')}). ` +
    'Add StringEquals aws:SourceAccount = <account> and ArnLike aws:SourceArn = the ARN pattern of the resources that use the role (arn:<partition>:bedrock:<region>:<account>:<resource type>/*) ' +
    'to every statement that trusts the service (for example BedrockServiceRole, or ServicePrincipal.withConditions).');
}
