import { Token } from 'aws-cdk-lib';

/**
 * Where each Bedrock resource type keeps its customer managed key: the one table that knows
 * each key property. `BedrockCustomerManagedKey` sets these properties and
 * `BedrockEncryptionChecks` reads them.
 */
export interface KeyProperty {
  /** The CloudFormation resource type, e.g. `AWS::Bedrock::Agent`. */
  readonly cfnType: string;
  /** The property path on the L1, e.g. `['serverSideEncryptionConfiguration', 'kmsKeyArn']`. */
  readonly l1Path: string[];
  /**
   * The row applies only to resources that meet every one of these conditions (read on the L1 by
   * the mixin and in CloudFormation form by the checks). A resource where a value is a token is
   * left alone by both.
   *
   * @default - every resource of the type
   */
  readonly appliesWhen?: RowCondition[];
  /**
   * A flag next to the key property that selects an AWS owned key instead (`awsOwnedKey`): the
   * mixin sets it to false with the key, and a resource with it true has no customer managed key.
   *
   * @default - none
   */
  readonly awsOwnedKeyFlag?: string[];
  /**
   * Why `BedrockCustomerManagedKey` does not set this property (the checks still read it).
   *
   * @default - the mixin sets it
   */
  readonly notSetByMixin?: string;
}

/** A condition on one property of a resource: a row of the table applies only when it holds. */
export interface RowCondition {
  /** The L1 path of the property. */
  readonly l1Path: string[];
  /**
   * The string the property must be.
   *
   * @default - the property must not be set
   */
  readonly equals?: string;
}

/**
 * Every resource type in `aws-cdk-lib/aws-bedrock`, `aws-cdk-lib/aws-bedrockagentcore` and
 * `aws-cdk-lib/aws-opensearchserverless` with a customer managed key property the library
 * supports. Types whose L1 arrives after the minimum aws-cdk-lib this library supports are listed
 * too: the checks read their CloudFormation properties, and the mixin sets them where the
 * installed aws-cdk-lib has the L1.
 */
export const KEY_PROPERTIES: KeyProperty[] = [
  { cfnType: 'AWS::Bedrock::Agent', l1Path: ['customerEncryptionKeyArn'] },
  {
    cfnType: 'AWS::Bedrock::AutomatedReasoningPolicy',
    l1Path: ['kmsKeyId'],
    notSetByMixin: 'no AWS page documents the key policy an Automated Reasoning policy needs, nor who uses the key (the policy is ' +
      'used by guardrails at inference), so the mixin could write no statement it can defend; set kmsKeyId yourself with a key ' +
      'whose policy allows the principal that creates the policy',
  },
  { cfnType: 'AWS::Bedrock::Blueprint', l1Path: ['kmsKeyId'] },
  { cfnType: 'AWS::Bedrock::DataAutomationLibrary', l1Path: ['encryptionConfiguration', 'kmsKeyId'] },
  { cfnType: 'AWS::Bedrock::DataAutomationProject', l1Path: ['kmsKeyId'] },
  { cfnType: 'AWS::Bedrock::DataSource', l1Path: ['serverSideEncryptionConfiguration', 'kmsKeyArn'] },
  { cfnType: 'AWS::Bedrock::Flow', l1Path: ['customerEncryptionKeyArn'] },
  { cfnType: 'AWS::Bedrock::Guardrail', l1Path: ['kmsKeyArn'] },
  {
    cfnType: 'AWS::Bedrock::KnowledgeBase',
    l1Path: ['knowledgeBaseConfiguration', 'managedKnowledgeBaseConfiguration', 'serverSideEncryptionConfiguration', 'kmsKeyArn'],
    appliesWhen: [{ l1Path: ['knowledgeBaseConfiguration', 'type'], equals: 'MANAGED' }],
  },
  { cfnType: 'AWS::Bedrock::Prompt', l1Path: ['customerEncryptionKeyArn'] },
  { cfnType: 'AWS::Bedrock::RetrievalInstruction', l1Path: ['customerEncryptionKeyArn'] },
  { cfnType: 'AWS::Bedrock::Session', l1Path: ['encryptionKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::ConfigurationBundle', l1Path: ['kmsKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::Dataset', l1Path: ['kmsKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::Evaluator', l1Path: ['kmsKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::Gateway', l1Path: ['kmsKeyArn'] },
  {
    // A harness keeps its memory in a memory it manages unless it uses an existing one or none.
    cfnType: 'AWS::BedrockAgentCore::Harness',
    l1Path: ['memory', 'managedMemoryConfiguration', 'encryptionKeyArn'],
    appliesWhen: [{ l1Path: ['memory', 'agentCoreMemoryConfiguration'] }, { l1Path: ['memory', 'disabled'] }],
  },
  { cfnType: 'AWS::BedrockAgentCore::Memory', l1Path: ['encryptionKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::PolicyEngine', l1Path: ['encryptionKeyArn'] },
  {
    cfnType: 'AWS::OpenSearchServerless::Collection',
    l1Path: ['encryptionConfig', 'kmsKeyArn'],
    awsOwnedKeyFlag: ['encryptionConfig', 'awsOwnedKey'],
  },
];

/** A key property of an L1 that the library does not support, and why. */
export interface OutOfScopeKeyProperty {
  /** The CloudFormation resource type. */
  readonly cfnType: string;
  /** The property path on the L1. */
  readonly l1Path: string[];
  /** Why the library does not set or check it. */
  readonly reason: string;
}

const S3_VECTORS_REASON = 'S3 Vectors encryption is a pair (sseType aws:kms and kmsKeyArn) whose key policy must admit the S3 Vectors ' +
  'indexing service: EncryptedKnowledgeBase\'s S3 Vectors store sets both, and the BedrockEncryption-S3VectorsSseS3 rule checks ' +
  'them; the mixin does not set it and the no-customer-managed-key rule does not read it (an index inherits its bucket\'s key)';
const CAPACITY_PROVIDER_REASON = 'EBS volume keys of the EC2 instances an AgentCore capacity provider launches: Amazon EBS encryption, ' +
  'whose key policy is the EC2 and Auto Scaling service-linked roles\' business, not Bedrock data at rest';

/**
 * Key properties of the scanned L1s (`aws-bedrock`, `aws-bedrockagentcore`, `aws-s3vectors`,
 * `aws-opensearchserverless`) that are out of the scope of `KEY_PROPERTIES`, each with its reason.
 * `test/completeness/key-properties.test.ts` fails for a key property of the installed aws-cdk-lib
 * listed in neither.
 */
export const OUT_OF_SCOPE_KEY_PROPERTIES: OutOfScopeKeyProperty[] = [
  { cfnType: 'AWS::S3Vectors::VectorBucket', l1Path: ['encryptionConfiguration', 'kmsKeyArn'], reason: S3_VECTORS_REASON },
  { cfnType: 'AWS::S3Vectors::Index', l1Path: ['encryptionConfiguration', 'kmsKeyArn'], reason: S3_VECTORS_REASON },
  {
    cfnType: 'AWS::BedrockAgentCore::CapacityProvider',
    l1Path: ['computeConfiguration', 'ec2Configuration', 'rootVolume', 'kmsKeyId'],
    reason: CAPACITY_PROVIDER_REASON,
  },
  {
    cfnType: 'AWS::BedrockAgentCore::CapacityProvider',
    l1Path: ['computeConfiguration', 'ec2Configuration', 'volumes', 'ebsConfiguration', 'kmsKeyId'],
    reason: CAPACITY_PROVIDER_REASON,
  },
  {
    cfnType: 'AWS::BedrockAgentCore::CapacityProvider',
    l1Path: ['computeConfiguration', 'ec2Configuration', 'launchTemplateSource', 'launchParameters', 'ephemeralVolumes', 'ebs', 'kmsKeyId'],
    reason: CAPACITY_PROVIDER_REASON,
  },
  {
    cfnType: 'AWS::BedrockAgentCore::OAuth2CredentialProvider',
    l1Path: ['oauth2ProviderConfigInput', 'customOauth2ProviderConfig', 'privateKeyJwtConfig', 'privateKeySource', 'kmsKeySource', 'kmsKeyArn'],
    reason: 'an asymmetric signing key the credential provider signs private-key JWT client assertions with: not a key that encrypts ' +
      'stored data, so neither "no customer managed key" nor the encryption key policies apply',
  },
];

/** The key property of a resource type; throws for a type the table does not list. */
export function keyPropertyOf(cfnType: string): KeyProperty {
  const property = KEY_PROPERTIES.find((p) => p.cfnType === cfnType);
  if (!property) throw new Error(`no key property is known for ${cfnType}`);
  return property;
}

/** The CloudFormation property path of an L1 path: each segment capitalized (`awsOwnedKey` is `AWSOwnedKey`). */
export function cfnPathOfL1(l1Path: string[]): string[] {
  return l1Path.map((segment) => (segment === 'awsOwnedKey' ? 'AWSOwnedKey' : segment.charAt(0).toUpperCase() + segment.slice(1)));
}

/** The CloudFormation property path: the L1 path with each segment capitalized. */
export function cfnPathOf(property: KeyProperty): string[] {
  return cfnPathOfL1(property.l1Path);
}

/** `CfnAgent.customerEncryptionKeyArn`: the L1 class and property, for messages. */
export function l1NameOf(property: KeyProperty): string {
  return `Cfn${property.cfnType.split('::')[2]}.${property.l1Path.join('.')}`;
}

/**
 * Whether the row applies to a resource, from `read`, which gives the value at an L1 path (the
 * mixin reads the L1, the checks the resolved CloudFormation properties): true, false, or
 * undefined when the value is not a plain string (a token, which is never compared).
 */
export function rowApplies(property: KeyProperty, read: (l1Path: string[]) => unknown): boolean | undefined {
  let applies: boolean | undefined = true;
  for (const condition of property.appliesWhen ?? []) {
    const value = read(condition.l1Path);
    if (condition.equals === undefined) {
      if (value === undefined) continue;
      if (Token.isUnresolved(value)) applies = undefined;
      else return false;
    } else {
      if (value === undefined) return false;
      if (typeof value !== 'string' || Token.isUnresolved(value)) applies = undefined;
      else if (value !== condition.equals) return false;
    }
  }
  return applies;
}
