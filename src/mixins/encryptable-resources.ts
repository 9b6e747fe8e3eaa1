import { Annotations, CfnResource, isResolvableObject, Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { AGENTCORE_RESOURCES } from './agentcore-resources';
import { AgentEncryptionStatements } from '../policy/agent';
import { DataAutomationEncryptionStatements } from '../policy/data-automation';
import { FlowEncryptionStatements } from '../policy/flow';
import { GuardrailEncryptionStatements } from '../policy/guardrail';
import { KnowledgeBaseEncryptionStatements } from '../policy/knowledge-base';
import { PromptEncryptionStatements } from '../policy/prompt';
import { BedrockResourceType } from '../policy/resource-type';
import { RetrievalInstructionEncryptionStatements } from '../policy/retrieval-instruction';
import { PolicyScope } from '../policy/scope';
import { SessionEncryptionStatements } from '../policy/session';
import { BedrockEncryptionError } from '../private/validation';
import { cfnPathOf, KeyProperty, keyPropertyOf, rowApplies } from '../wiring/key-properties';
import { BedrockEncryptionWarnings } from '../wiring/warnings';

/** What a resource's key-policy statements are built from. */
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

/**
 * One kind of Bedrock L1 that takes a customer managed key: where the key goes and which
 * key-policy statements the resource needs. Key policies name no attribute of the resource
 * (that would be a dependency cycle: the resource references the key); they scope by ARN pattern.
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
function atPath(row: KeyProperty, keyPolicyStatements: EncryptableResource['keyPolicyStatements']): EncryptableResource {
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
    keyPolicyStatements,
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

/** The principals that create the resource: the named creators and the deployment role. */
function creatorsOf(inputs: KeyPolicyInputs): iam.IPrincipal[] {
  return inputs.deploymentRole ? [...inputs.keyCreators, inputs.deploymentRole] : inputs.keyCreators;
}

/** Every creator and user gets `build(principal)`: for resources whose page does not tell them apart. */
function forKeyUsers(inputs: KeyPolicyInputs, build: (user: iam.IPrincipal) => iam.PolicyStatement[]): iam.PolicyStatement[] {
  return [...creatorsOf(inputs), ...inputs.keyUsers].flatMap(build);
}

/**
 * Agent: the agent API callers and Bedrock under the agent encryption context of this account's
 * agents (cmk-agent-resources, for agents created after 22 January 2025: no statement for the
 * service role, no grants); with memory, Bedrock's memory data keys and the API callers' memory
 * data keys under the memory context (ltm-permissions). Same statements as `EncryptedAgent`.
 */
function agentStatements(resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  const { scope } = inputs;
  const agent = resource as bedrock.CfnAgent;
  return [
    ...creatorsOf(inputs).flatMap((caller) => AgentEncryptionStatements.apiCallerKeyUse(caller, BedrockResourceType.AGENT.arnPattern(scope))),
    ...AgentEncryptionStatements.bedrockServiceKeyUse(BedrockResourceType.AGENT.arnPattern(scope)),
    ...(hasMemory(agent) ? [
      ...AgentEncryptionStatements.memoryServiceKeyUse(scope),
      ...creatorsOf(inputs).flatMap((caller) =>
        AgentEncryptionStatements.memoryApiCallerKeyUse(scope, caller, BedrockResourceType.AGENT_ALIAS.arnPattern(scope))),
    ] : []),
  ];
}

/** True when the agent has memory, or when its memory configuration is a token (it may). */
function hasMemory(agent: bedrock.CfnAgent): boolean {
  const memory = agent.memoryConfiguration;
  if (memory === undefined) return false;
  if (isResolvableObject(memory)) return true;
  const types = memory.enabledMemoryTypes;
  return types === undefined || Token.isUnresolved(types) || types.length > 0;
}

/** Flow: the execution role, through Bedrock, under the flow encryption context of this account's flows (Flows encryption page). */
function flowStatements(resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  const flows = BedrockResourceType.FLOW.arnPattern(inputs.scope);
  const flow = resource as bedrock.CfnFlow;
  return [new iam.ArnPrincipal(flow.executionRoleArn), ...creatorsOf(inputs)]
    .flatMap((principal) => FlowEncryptionStatements.roleKeyUse(inputs.scope, principal, flows));
}

/**
 * Prompt: Bedrock under the prompt encryption context of this account's prompts, and the creators
 * (prompt management prerequisites: "KMSPermissions").
 */
function promptStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return [
    ...PromptEncryptionStatements.bedrockServiceKeyUse(BedrockResourceType.PROMPT.arnPattern(inputs.scope)),
    ...creatorsOf(inputs).flatMap((creator) => PromptEncryptionStatements.creatorKeyUse(inputs.scope, creator)),
  ];
}

/**
 * Guardrail: no service statement on the AWS page; creators may create and manage guardrails
 * (including grants), users may only decrypt a guardrail, all through Bedrock.
 */
function guardrailStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return [
    ...creatorsOf(inputs).flatMap((creator) => GuardrailEncryptionStatements.creatorKeyUse(inputs.scope, creator)),
    ...inputs.keyUsers.flatMap((user) => GuardrailEncryptionStatements.userKeyUse(inputs.scope, user)),
  ];
}

/** Session: only the creator's permissions on the AWS page; the named creators, through Bedrock. */
function sessionStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return forKeyUsers(inputs, (user) => SessionEncryptionStatements.creatorKeyUse(inputs.scope, user));
}

/** Data Automation project, blueprint or library: the named creators and invokers, through Bedrock. */
function dataAutomationStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return forKeyUsers(inputs, (user) => DataAutomationEncryptionStatements.roleKeyUse(inputs.scope, user));
}

/**
 * Data source: the ingestion key is used by the knowledge base's service role, and by no one else
 * (knowledge base encryption page, "Encryption of transient data storage during data ingestion").
 * When the data source's `knowledgeBaseId` is an attribute of a `CfnKnowledgeBase` in this app,
 * that knowledge base's role is named; otherwise nothing is written and a warning says so.
 */
function dataSourceStatements(resource: CfnResource, _inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  const kbRole = knowledgeBaseRoleArn(resource as bedrock.CfnDataSource);
  if (kbRole === undefined) {
    Annotations.of(resource).addWarningV2(BedrockEncryptionWarnings.DATA_SOURCE_ROLE_UNKNOWN,
      `The knowledge base of data source '${resource.node.path}' is not a CfnKnowledgeBase of this app, so its service role is ` +
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

/**
 * Managed knowledge base: the creators get the grant and data keys through Bedrock; the page says
 * the knowledge base's service role needs no permission on the key, and gives users none
 * (knowledge base encryption page, fully managed knowledge base).
 */
function managedKnowledgeBaseStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return creatorsOf(inputs).flatMap((creator) => KnowledgeBaseEncryptionStatements.managedCreatorKeyUse(inputs.scope, creator));
}

/**
 * Retrieval instruction: no AWS page documents its key use; the named creators (with grants) and
 * users (without), through Bedrock.
 */
function retrievalInstructionStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return [
    ...creatorsOf(inputs).flatMap((creator) => RetrievalInstructionEncryptionStatements.creatorKeyUse(inputs.scope, creator)),
    ...inputs.keyUsers.flatMap((user) => RetrievalInstructionEncryptionStatements.userKeyUse(inputs.scope, user)),
  ];
}

/**
 * OpenSearch Serverless collection: the principal that creates it describes the key and lets
 * OpenSearch Serverless create its grant (OpenSearch Serverless encryption page).
 */
function openSearchCollectionStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return creatorsOf(inputs).flatMap((creator) => KnowledgeBaseEncryptionStatements.openSearchCollectionCreatorKeyUse(inputs.scope, creator));
}

/** The Bedrock L1s this mixin encrypts, and the key-policy statements each needs. */
export const ENCRYPTABLE_RESOURCES: EncryptableResource[] = [
  encryptable('AWS::Bedrock::Agent', agentStatements),
  encryptable('AWS::Bedrock::Flow', flowStatements),
  encryptable('AWS::Bedrock::Prompt', promptStatements),
  encryptable('AWS::Bedrock::Guardrail', guardrailStatements),
  encryptable('AWS::Bedrock::Session', sessionStatements),
  encryptable('AWS::Bedrock::DataSource', dataSourceStatements),
  encryptable('AWS::Bedrock::DataAutomationProject', dataAutomationStatements),
  encryptable('AWS::Bedrock::Blueprint', dataAutomationStatements),
  ...AGENTCORE_RESOURCES.map((r) => encryptable(r.cfnType, r.keyPolicyStatements)),
  encryptable('AWS::Bedrock::DataAutomationLibrary', dataAutomationStatements),
  encryptable('AWS::Bedrock::KnowledgeBase', managedKnowledgeBaseStatements),
  encryptable('AWS::Bedrock::RetrievalInstruction', retrievalInstructionStatements),
  encryptable('AWS::OpenSearchServerless::Collection', openSearchCollectionStatements),
];

/** An entry whose key property comes from the shared table (`src/wiring/key-properties.ts`). */
function encryptable(cfnType: string, keyPolicyStatements: EncryptableResource['keyPolicyStatements']): EncryptableResource {
  return atPath(keyPropertyOf(cfnType), keyPolicyStatements);
}

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
