
import { Annotations, CfnResource, isResolvableObject, Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { BedrockEncryptionWarnings } from './warnings';
import { AgentEncryptionStatements } from '../policy/agent';
import { AgentRegistryEncryptionStatements } from '../policy/agent-registry';
import { AgentCoreConfigurationBundleEncryptionStatements } from '../policy/agentcore-configuration-bundle';
import { AgentCoreDatasetEncryptionStatements } from '../policy/agentcore-dataset';
import { AgentCoreEvaluatorEncryptionStatements } from '../policy/agentcore-evaluator';
import { AgentCoreGatewayEncryptionStatements } from '../policy/agentcore-gateway';
import { AgentCoreHarnessEncryptionStatements } from '../policy/agentcore-harness';
import { AgentCoreMemoryEncryptionStatements } from '../policy/agentcore-memory';
import { AgentCorePolicyEngineEncryptionStatements } from '../policy/agentcore-policy-engine';
import { DataAutomationEncryptionStatements } from '../policy/data-automation';
import { FlowEncryptionStatements } from '../policy/flow';
import { GuardrailEncryptionStatements } from '../policy/guardrail';
import { KnowledgeBaseEncryptionStatements } from '../policy/knowledge-base';
import { PromptEncryptionStatements } from '../policy/prompt';
import { BedrockResourceType } from '../policy/resource-type';
import { RetrievalInstructionEncryptionStatements } from '../policy/retrieval-instruction';
import { PolicyScope } from '../policy/scope';
import { SessionEncryptionStatements } from '../policy/session';

/**
 * The registry: one row per CloudFormation type that takes a customer managed key, with where the
 * key goes and which key-policy statements its resources need, for whom. `BedrockCustomerManagedKey`
 * sets the key and writes the statements; `BedrockEncryptionChecks` reads the key and checks the
 * statements; docs/POLICIES.md lists the rows. Adding a type is one row here, plus its statements
 * in `policy/`.
 */

/** A key-policy statement builder for one principal. */
export type PrincipalKeyUse = (scope: PolicyScope, principal: iam.IPrincipal, resource: CfnResource) => iam.PolicyStatement[];

/**
 * The key-policy statements a resource type's resources need, by who gets them. One rule applies
 * to every row ({@link keyPolicyStatementsOf}): the resource's own statements, then `creator` for
 * each principal that creates the resource (the named `keyCreators` and the deploying role), then
 * `user` for each named `keyUser`. Where a page names one caller for creating and using a resource,
 * `creator` and `user` are the same builder.
 */
export interface KeyUses {
  /**
   * Statements for the resource itself: the service principal's, and those of the principals the
   * resource names (its role).
   *
   * @default - none
   */
  readonly ofResource?: (resource: CfnResource, scope: PolicyScope) => iam.PolicyStatement[];
  /** @default - none */
  readonly creator?: PrincipalKeyUse;
  /** @default - none */
  readonly user?: PrincipalKeyUse;
}

/** What a resource's key-policy statements are built from, besides the resource. */
export interface KeyPolicyInputs {
  /** The partition, account and region of the resource's stack. */
  readonly scope: PolicyScope;
  /** Principals the user named as creators of resources that name no role. */
  readonly keyCreators: iam.IPrincipal[];
  /** The role that deploys the stack (it creates the resources), when known. */
  readonly deploymentRole?: iam.IPrincipal;
  /** Principals the user named as users of resources that name no role. */
  readonly keyUsers: iam.IPrincipal[];
}

/** One row: a CloudFormation type, its key property, and its key uses. */
export interface ResourceTypeRow {
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
  /** Who gets which key-policy statements; absent when `notSetByMixin` is set. */
  readonly keyUses?: KeyUses;
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
 * Every resource type in `aws-cdk-lib/aws-bedrock`, `aws-cdk-lib/aws-bedrockagentcore`,
 * `aws-cdk-lib/aws-agentregistry` and `aws-cdk-lib/aws-opensearchserverless` with a customer
 * managed key property the library supports. Types whose L1 arrives after the minimum aws-cdk-lib this library supports are listed
 * too: the checks read their CloudFormation properties, and the mixin sets them where the
 * installed aws-cdk-lib has the L1.
 */
export const RESOURCE_TYPES: ResourceTypeRow[] = [
  {
    // The principal that creates the registry and every principal that uses it alike, only
    // through AWS Agent Registry (registry-kms-key-policy).
    cfnType: 'AWS::AgentRegistry::Registry',
    l1Path: ['encryptionConfiguration', 'kmsKeyArn'],
    keyUses: { creator: AgentRegistryEncryptionStatements.callerKeyUse, user: AgentRegistryEncryptionStatements.callerKeyUse },
  },
  {
    // Agents created after 22 January 2025: the agent API callers and Bedrock, under the agent
    // encryption context; no statement for the service role (cmk-agent-resources). With memory,
    // Bedrock's and the API callers' memory data keys under the memory context (ltm-permissions).
    cfnType: 'AWS::Bedrock::Agent',
    l1Path: ['customerEncryptionKeyArn'],
    keyUses: {
      ofResource: (agent, scope) => [
        ...AgentEncryptionStatements.bedrockServiceKeyUse(BedrockResourceType.AGENT.arnPattern(scope)),
        ...(hasMemory(agent as bedrock.CfnAgent) ? AgentEncryptionStatements.memoryServiceKeyUse(scope) : []),
      ],
      creator: (scope, caller, agent) => [
        ...AgentEncryptionStatements.apiCallerKeyUse(caller, BedrockResourceType.AGENT.arnPattern(scope)),
        ...(hasMemory(agent as bedrock.CfnAgent)
          ? AgentEncryptionStatements.memoryApiCallerKeyUse(scope, caller, BedrockResourceType.AGENT_ALIAS.arnPattern(scope))
          : []),
      ],
    },
  },
  {
    cfnType: 'AWS::Bedrock::AutomatedReasoningPolicy',
    l1Path: ['kmsKeyId'],
    notSetByMixin: 'no AWS page documents the key policy an Automated Reasoning policy needs, nor who uses the key (the policy is ' +
      'used by guardrails at inference), so the mixin could write no statement it can defend; set kmsKeyId yourself with a key ' +
      'whose policy allows the principal that creates the policy',
  },
  // Data Automation: the creators and invokers alike, through Bedrock (encryption-bda).
  { cfnType: 'AWS::Bedrock::Blueprint', l1Path: ['kmsKeyId'], keyUses: dataAutomationKeyUses() },
  { cfnType: 'AWS::Bedrock::DataAutomationLibrary', l1Path: ['encryptionConfiguration', 'kmsKeyId'], keyUses: dataAutomationKeyUses() },
  { cfnType: 'AWS::Bedrock::DataAutomationProject', l1Path: ['kmsKeyId'], keyUses: dataAutomationKeyUses() },
  {
    // The ingestion key: the knowledge base's service role and no one else (encryption-kb,
    // "Encryption of transient data storage during data ingestion").
    cfnType: 'AWS::Bedrock::DataSource',
    l1Path: ['serverSideEncryptionConfiguration', 'kmsKeyArn'],
    keyUses: { ofResource: (dataSource) => dataSourceStatements(dataSource as bedrock.CfnDataSource) },
  },
  {
    // The execution role and the Flows API callers, through Bedrock, under the flow encryption
    // context of this account's flows (encryption-flows).
    cfnType: 'AWS::Bedrock::Flow',
    l1Path: ['customerEncryptionKeyArn'],
    keyUses: {
      ofResource: (flow, scope) => flowRoleKeyUse(scope, new iam.ArnPrincipal((flow as bedrock.CfnFlow).executionRoleArn)),
      creator: flowRoleKeyUse,
    },
  },
  {
    // Creators create and manage guardrails (with grants); users only decrypt a guardrail (guardrails-permissions-kms).
    cfnType: 'AWS::Bedrock::Guardrail',
    l1Path: ['kmsKeyArn'],
    keyUses: { creator: GuardrailEncryptionStatements.creatorKeyUse, user: GuardrailEncryptionStatements.userKeyUse },
  },
  {
    // Fully managed knowledge base: the creators, through Bedrock; the service role needs no key
    // use, and the page gives users none (encryption-kb).
    cfnType: 'AWS::Bedrock::KnowledgeBase',
    l1Path: ['knowledgeBaseConfiguration', 'managedKnowledgeBaseConfiguration', 'serverSideEncryptionConfiguration', 'kmsKeyArn'],
    appliesWhen: [{ l1Path: ['knowledgeBaseConfiguration', 'type'], equals: 'MANAGED' }],
    keyUses: { creator: KnowledgeBaseEncryptionStatements.managedCreatorKeyUse },
  },
  {
    // Bedrock under the prompt encryption context of this account's prompts, and the creators (prompt-management-prereq).
    cfnType: 'AWS::Bedrock::Prompt',
    l1Path: ['customerEncryptionKeyArn'],
    keyUses: {
      ofResource: (_prompt, scope) => PromptEncryptionStatements.bedrockServiceKeyUse(BedrockResourceType.PROMPT.arnPattern(scope)),
      creator: PromptEncryptionStatements.creatorKeyUse,
    },
  },
  {
    // Not documented by AWS: the creators (with grants) and users (without), through Bedrock.
    cfnType: 'AWS::Bedrock::RetrievalInstruction',
    l1Path: ['customerEncryptionKeyArn'],
    keyUses: { creator: RetrievalInstructionEncryptionStatements.creatorKeyUse, user: RetrievalInstructionEncryptionStatements.userKeyUse },
  },
  {
    // The page gives only the creator's statement; users of a session call the same APIs (sessions-encryption).
    cfnType: 'AWS::Bedrock::Session',
    l1Path: ['encryptionKeyArn'],
    keyUses: { creator: SessionEncryptionStatements.creatorKeyUse, user: SessionEncryptionStatements.creatorKeyUse },
  },
  {
    // The callers alike, under the bundle encryption context (configuration-bundles-encryption).
    cfnType: 'AWS::BedrockAgentCore::ConfigurationBundle',
    l1Path: ['kmsKeyArn'],
    keyUses: {
      creator: AgentCoreConfigurationBundleEncryptionStatements.callerKeyUse,
      user: AgentCoreConfigurationBundleEncryptionStatements.callerKeyUse,
    },
  },
  {
    // AgentCore's service principal for the dataset's S3 objects, and the callers alike (datasets-encryption).
    cfnType: 'AWS::BedrockAgentCore::Dataset',
    l1Path: ['kmsKeyArn'],
    keyUses: {
      ofResource: (_dataset, scope) => AgentCoreDatasetEncryptionStatements.serviceKeyUse(scope),
      creator: AgentCoreDatasetEncryptionStatements.callerKeyUse,
      user: AgentCoreDatasetEncryptionStatements.callerKeyUse,
    },
  },
  {
    // AgentCore's service principal for online evaluation, and the callers alike (evaluations-encryption).
    cfnType: 'AWS::BedrockAgentCore::Evaluator',
    l1Path: ['kmsKeyArn'],
    keyUses: {
      ofResource: (_evaluator, scope) => AgentCoreEvaluatorEncryptionStatements.serviceKeyUse(scope),
      creator: AgentCoreEvaluatorEncryptionStatements.callerKeyUse,
      user: AgentCoreEvaluatorEncryptionStatements.callerKeyUse,
    },
  },
  {
    // The gateway's service role (`roleArn`), through AgentCore under the gateway encryption context
    // (gateway-encryption), and the target-encryption statements AgentCore's requests with the role
    // at CreateGateway need (not documented by AWS).
    cfnType: 'AWS::BedrockAgentCore::Gateway',
    l1Path: ['kmsKeyArn'],
    keyUses: { ofResource: gatewayStatements },
  },
  {
    // A harness keeps its memory in a memory it manages unless it uses an existing one or none.
    // Used as for a memory: the creators (with grants) and users (without); not documented by AWS.
    cfnType: 'AWS::BedrockAgentCore::Harness',
    l1Path: ['memory', 'managedMemoryConfiguration', 'encryptionKeyArn'],
    appliesWhen: [{ l1Path: ['memory', 'agentCoreMemoryConfiguration'] }, { l1Path: ['memory', 'disabled'] }],
    keyUses: { creator: AgentCoreHarnessEncryptionStatements.creatorKeyUse, user: AgentCoreHarnessEncryptionStatements.userKeyUse },
  },
  {
    // The principal that sets the memory up, through AgentCore; users without kms:CreateGrant (storage-encryption).
    cfnType: 'AWS::BedrockAgentCore::Memory',
    l1Path: ['encryptionKeyArn'],
    keyUses: { creator: AgentCoreMemoryEncryptionStatements.creatorKeyUse, user: AgentCoreMemoryEncryptionStatements.userKeyUse },
  },
  {
    // The creators create the engine's grants; users call the engine without kms:CreateGrant (policy-encryption).
    cfnType: 'AWS::BedrockAgentCore::PolicyEngine',
    l1Path: ['encryptionKeyArn'],
    keyUses: { creator: AgentCorePolicyEngineEncryptionStatements.creatorKeyUse, user: AgentCorePolicyEngineEncryptionStatements.callerKeyUse },
  },
  {
    // The creator describes the key and lets OpenSearch Serverless create its grant (serverless-encryption).
    cfnType: 'AWS::OpenSearchServerless::Collection',
    l1Path: ['encryptionConfig', 'kmsKeyArn'],
    awsOwnedKeyFlag: ['encryptionConfig', 'awsOwnedKey'],
    keyUses: { creator: KnowledgeBaseEncryptionStatements.openSearchCollectionCreatorKeyUse },
  },
];

/**
 * The key-policy statements a resource needs, by the one rule of {@link KeyUses}: its own, then
 * each creator's (the named creators and the deploying role), then each named user's.
 */
export function keyPolicyStatementsOf(row: ResourceTypeRow, resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  const uses = row.keyUses ?? {};
  const creators = inputs.deploymentRole ? [...inputs.keyCreators, inputs.deploymentRole] : inputs.keyCreators;
  return [
    ...(uses.ofResource?.(resource, inputs.scope) ?? []),
    ...(uses.creator ? creators.flatMap((creator) => uses.creator!(inputs.scope, creator, resource)) : []),
    ...(uses.user ? inputs.keyUsers.flatMap((user) => uses.user!(inputs.scope, user, resource)) : []),
  ];
}

function dataAutomationKeyUses(): KeyUses {
  return { creator: DataAutomationEncryptionStatements.roleKeyUse, user: DataAutomationEncryptionStatements.roleKeyUse };
}

/** True when the agent has memory, or when its memory configuration is a token (it may). */
function hasMemory(agent: bedrock.CfnAgent): boolean {
  const memory = agent.memoryConfiguration;
  if (memory === undefined) return false;
  if (isResolvableObject(memory)) return true;
  const types = memory.enabledMemoryTypes;
  return types === undefined || Token.isUnresolved(types) || types.length > 0;
}

function flowRoleKeyUse(scope: PolicyScope, principal: iam.IPrincipal): iam.PolicyStatement[] {
  return FlowEncryptionStatements.roleKeyUse(scope, principal, BedrockResourceType.FLOW.arnPattern(scope));
}

function gatewayStatements(gateway: CfnResource, scope: PolicyScope): iam.PolicyStatement[] {
  const roleArn = (gateway as unknown as { roleArn?: string }).roleArn;
  if (roleArn === undefined) return [];
  const role = new iam.ArnPrincipal(roleArn);
  return [
    ...AgentCoreGatewayEncryptionStatements.serviceRoleKeyUse(scope, role),
    ...AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionKeyUse(role),
  ];
}

/**
 * When the data source's `knowledgeBaseId` is an attribute of a `CfnKnowledgeBase` in this app,
 * that knowledge base's role; otherwise nothing, and a warning says so.
 */
function dataSourceStatements(dataSource: bedrock.CfnDataSource): iam.PolicyStatement[] {
  const kbRole = knowledgeBaseRoleArn(dataSource);
  if (kbRole === undefined) {
    Annotations.of(dataSource).addWarningV2(BedrockEncryptionWarnings.DATA_SOURCE_ROLE_UNKNOWN,
      `The knowledge base of data source '${dataSource.node.path}' is not a CfnKnowledgeBase of this app, so its service role is ` +
      'not known: give that role kms:GenerateDataKey and kms:Decrypt on the key in its identity policy ' +
      '(KnowledgeBaseEncryptionStatements.ingestionIdentity; https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html).');
    return [];
  }
  return KnowledgeBaseEncryptionStatements.ingestionIdentity('*').map((statement) => {
    statement.addPrincipals(new iam.ArnPrincipal(kbRole));
    return statement;
  });
}

/** The role ARN of the `CfnKnowledgeBase` whose id the data source references, when it is one. */
function knowledgeBaseRoleArn(dataSource: bedrock.CfnDataSource): string | undefined {
  const token = Tokenization.reverseString(dataSource.knowledgeBaseId).firstToken;
  if (!Reference.isReference(token)) return undefined;
  const target: IConstruct = token.target;
  return target instanceof bedrock.CfnKnowledgeBase ? target.roleArn : undefined;
}

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
  'indexing service: EncryptedKnowledgeBase\'s S3 Vectors store sets both, and the cdk-bedrock-encryption:s3VectorsSseS3 rule checks ' +
  'them; the mixin does not set it and the no-customer-managed-key rule does not read it (an index inherits its bucket\'s key)';
const CAPACITY_PROVIDER_REASON = 'EBS volume keys of the EC2 instances an AgentCore capacity provider launches: Amazon EBS encryption, ' +
  'whose key policy is the EC2 and Auto Scaling service-linked roles\' business, not Bedrock data at rest';

/**
 * Key properties of the scanned L1s (`aws-bedrock`, `aws-bedrockagentcore`, `aws-s3vectors`,
 * `aws-opensearchserverless`) that are out of the scope of `RESOURCE_TYPES`, each with its reason.
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
export function rowOf(cfnType: string): ResourceTypeRow {
  const property = RESOURCE_TYPES.find((p) => p.cfnType === cfnType);
  if (!property) throw new Error(`no key property is known for ${cfnType}`);
  return property;
}

/** The CloudFormation property path of an L1 path: each segment capitalized (`awsOwnedKey` is `AWSOwnedKey`). */
export function cfnPathOfL1(l1Path: string[]): string[] {
  return l1Path.map((segment) => (segment === 'awsOwnedKey' ? 'AWSOwnedKey' : segment.charAt(0).toUpperCase() + segment.slice(1)));
}

/** The CloudFormation property path: the L1 path with each segment capitalized. */
export function cfnPathOf(property: ResourceTypeRow): string[] {
  return cfnPathOfL1(property.l1Path);
}

/** `CfnAgent.customerEncryptionKeyArn`: the L1 class and property, for messages. */
export function l1NameOf(property: ResourceTypeRow): string {
  return `Cfn${property.cfnType.split('::')[2]}.${property.l1Path.join('.')}`;
}

/**
 * Whether the row applies to a resource, from `read`, which gives the value at an L1 path (the
 * mixin reads the L1, the checks the resolved CloudFormation properties): true, false, or
 * undefined when the value is not a plain string (a token, which is never compared).
 */
export function rowApplies(property: ResourceTypeRow, read: (l1Path: string[]) => unknown): boolean | undefined {
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
