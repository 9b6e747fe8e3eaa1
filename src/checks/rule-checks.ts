import { CfnResource } from 'aws-cdk-lib';
import { Finding, finding as findingOn, RuleContext } from './finding';
import { keyPolicyMissingStatements } from './key-policy-missing-statements';
import { ResolvedResource } from './resolved-resource';
import { BedrockEncryptionRules } from './rules';
import { statementsOf } from './statement-coverage';
import { cfnPathOf, KEY_PROPERTIES, l1NameOf } from '../wiring/key-properties';

/** Where a Bedrock resource type keeps its customer managed key, from the shared table. */
interface KeyProperty {
  readonly cfnType: string;
  /** CloudFormation property path. */
  readonly path: string[];
  /** The L1 property, for messages. */
  readonly l1: string;
}

/** The Session type is left out: with no L1 in the supported aws-cdk-lib, nothing can be checked or fixed. */
const BEDROCK_KEY_PROPERTIES: KeyProperty[] = KEY_PROPERTIES
  .filter((p) => p.cfnType !== 'AWS::Bedrock::Session')
  .map((p) => ({ cfnType: p.cfnType, path: cfnPathOf(p), l1: l1NameOf(p) }));
const KEY_PROPERTY_BY_TYPE = new Map(BEDROCK_KEY_PROPERTIES.map((p) => [p.cfnType, p]));

const KMS_KEY = 'AWS::KMS::Key';
const KMS_REPLICA_KEY = 'AWS::KMS::ReplicaKey';
const IAM_ROLE = 'AWS::IAM::Role';
const AOSS_SECURITY_POLICY = 'AWS::OpenSearchServerless::SecurityPolicy';
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
  const property = KEY_PROPERTY_BY_TYPE.get(r.resource.cfnResourceType);
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
  const property = KEY_PROPERTY_BY_TYPE.get(type);
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
  const offenders: string[] = [];
  statementsOf(r.properties.KeyPolicy).forEach((statement, index) => {
    if (statement?.Effect !== 'Allow' || servicesOf(statement).length === 0) return;
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
