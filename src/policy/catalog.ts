import * as iam from 'aws-cdk-lib/aws-iam';
import { AgentEncryptionStatements } from './agent';
import { AgentRegistryEncryptionStatements } from './agent-registry';
import { AgentCoreConfigurationBundleEncryptionStatements } from './agentcore-configuration-bundle';
import { AgentCoreDatasetEncryptionStatements } from './agentcore-dataset';
import { AgentCoreEvaluatorEncryptionStatements } from './agentcore-evaluator';
import { AgentCoreGatewayEncryptionStatements } from './agentcore-gateway';
import { AgentCoreHarnessEncryptionStatements } from './agentcore-harness';
import { AgentCoreMemoryEncryptionStatements } from './agentcore-memory';
import { AgentCorePolicyEngineEncryptionStatements } from './agentcore-policy-engine';
import { AgentCoreTokenVaultEncryptionStatements } from './agentcore-token-vault';
import { BatchInferenceEncryptionStatements } from './batch-inference';
import { DataAutomationEncryptionStatements } from './data-automation';
import { EvaluationJobEncryptionStatements } from './evaluation-job';
import { FlowEncryptionStatements } from './flow';
import { GuardrailEncryptionStatements } from './guardrail';
import { InvocationLoggingEncryptionStatements } from './invocation-logging';
import { KeyAdministrationStatements } from './key-administration';
import { KnowledgeBaseEncryptionStatements } from './knowledge-base';
import { ModelJobEncryptionStatements } from './model-job';
import { MonitoringStatements } from './monitoring';
import { PromptEncryptionStatements } from './prompt';
import { BedrockResourceType } from './resource-type';
import { RetrievalInstructionEncryptionStatements } from './retrieval-instruction';
import { PolicyScope, PolicyScopes } from './scope';
import { SessionEncryptionStatements } from './session';
import { AgentCoreServiceTrust, BedrockServiceTrust } from './trust';

/**
 * Every statement builder of the library, with the AWS page it follows and where each condition
 * comes from. `docs/POLICIES.md` is generated from this table (`npx projen docs`), and a test
 * keeps both complete. Internal: not exported from the package.
 */

/** An AWS documentation page. */
export interface AwsPage {
  readonly title: string;
  readonly url: string;
}

/** Where a condition comes from: the page itself, or the library, and why. */
export type ConditionSource = 'documented' | { readonly added: string };

/** One builder. */
export interface CatalogEntry {
  /** `Class.method`. */
  readonly builder: string;
  readonly placement: 'key policy' | 'identity policy' | 'resource policy' | 'trust policy';
  /** Who the statements are for, in words. */
  readonly principal: string;
  /** The pages the statements follow; the first is the main one. */
  readonly pages: AwsPage[];
  /** The statements, built in an example scope with example principals and ARNs. */
  readonly build: (scope: PolicyScope) => iam.PolicyStatement[];
  /** Each condition key the statements use, and where it comes from. */
  readonly conditions: Record<string, ConditionSource>;
  /** Where the pages disagree or are silent, and the reading the library takes. */
  readonly note?: string;
  /**
   * Set when no AWS page documents this key use: what the statements are built from instead, and
   * why they are the narrowest the library can defend. `pages` then lists the pages they follow.
   */
  readonly notDocumented?: string;
}

const page = (title: string, url: string): AwsPage => ({ title, url });
const BEDROCK_GUIDE = 'https://docs.aws.amazon.com/bedrock/latest/userguide';
const AGENTCORE_GUIDE = 'https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide';
const PAGES = {
  kmsDefault: page('AWS KMS Developer Guide: Default key policy', 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html'),
  agents: page('Encryption of agent resources with customer managed keys (CMK)', `${BEDROCK_GUIDE}/cmk-agent-resources.html`),
  agentsBefore2025: page('Encryption of agent resources for agents created before January 22, 2025', `${BEDROCK_GUIDE}/encryption-agents.html`),
  agentMemory: page('Encrypt agent sessions with customer managed key (CMK)', `${BEDROCK_GUIDE}/ltm-permissions.html`),
  flows: page('Encryption of Amazon Bedrock Flows resources', `${BEDROCK_GUIDE}/encryption-flows.html`),
  knowledgeBases: page('Encryption of knowledge base resources', `${BEDROCK_GUIDE}/encryption-kb.html`),
  secretsManager: page('Secret encryption and decryption in AWS Secrets Manager', 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html'),
  s3Vectors: page('Data protection and encryption in S3 Vectors', 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-data-encryption.html'),
  openSearch: page('Encryption in Amazon OpenSearch Serverless', 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html'),
  evaluationKms: page('Required Key policy elements to encrypt your model evaluation job using AWS KMS', `${BEDROCK_GUIDE}/model-evaluation-security-kms.html`),
  evaluationData: page('AWS Key Management Service support in model evaluation jobs', `${BEDROCK_GUIDE}/model-evaluation-security-data.html`),
  customModels: page('Encryption of custom models', `${BEDROCK_GUIDE}/encryption-custom-job.html`),
  importedModels: page('Using customer managed key (CMK) (imported models)', `${BEDROCK_GUIDE}/import-model-using-cmk.html`),
  guardrails: page('(Optional) Create a customer managed key for your guardrail for additional security', `${BEDROCK_GUIDE}/guardrails-permissions-kms.html`),
  guardrailManagedPolicy: page('AWS managed policy: SageMakerStudioBedrockFlowServiceRolePolicy',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/SageMakerStudioBedrockFlowServiceRolePolicy.html'),
  prompts: page('Prerequisites for prompt management', `${BEDROCK_GUIDE}/prompt-management-prereq.html`),
  sessions: page('Session encryption', `${BEDROCK_GUIDE}/sessions-encryption.html`),
  dataAutomation: page('Encryption in Amazon Bedrock Data Automation', `${BEDROCK_GUIDE}/encryption-bda.html`),
  managedKnowledgeBaseCfn: page('AWS::Bedrock::KnowledgeBase ManagedKnowledgeBaseServerSideEncryptionConfiguration',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-bedrock-knowledgebase-managedknowledgebaseserversideencryptionconfiguration.html'),
  retrievalInstructionCfn: page('AWS::Bedrock::RetrievalInstruction',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-retrievalinstruction.html'),
  snsKeys: page('Managing Amazon SNS encryption keys and costs', 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services'),
  snsContext: page('Amazon GameLift Servers: Set up an SNS topic with server-side encryption',
    'https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html'),
  eventBridgeSns: page('Using resource-based policies for Amazon EventBridge: Amazon SNS permissions',
    'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions'),
  batchServiceRole: page('Create a custom service role for batch inference', `${BEDROCK_GUIDE}/batch-iam-sr.html`),
  batchOutputKey: page('ModelInvocationJobS3OutputDataConfig (Amazon Bedrock API Reference)',
    'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ModelInvocationJobS3OutputDataConfig.html'),
  invocationLogging: page('Monitor model invocation using CloudWatch Logs and Amazon S3', `${BEDROCK_GUIDE}/model-invocation-logging.html`),
  logsKms: page('Encrypt log data in CloudWatch Logs using AWS Key Management Service',
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html'),
  agentCoreMemory: page('Encrypt your Amazon Bedrock AgentCore Memory', `${AGENTCORE_GUIDE}/storage-encryption.html`),
  agentCoreGateway: page('Encrypt your AgentCore gateway with a customer-managed KMS key', `${AGENTCORE_GUIDE}/gateway-encryption.html`),
  agentCorePolicyEngine: page('Encrypt your AgentCore policy engine with a customer-managed KMS key', `${AGENTCORE_GUIDE}/policy-encryption.html`),
  agentCoreEvaluator: page('Encryption at rest for AgentCore Evaluations', `${AGENTCORE_GUIDE}/evaluations-encryption.html`),
  agentCoreDataset: page('Dataset encryption', `${AGENTCORE_GUIDE}/datasets-encryption.html`),
  agentCoreConfigurationBundle: page('Configuration bundle encryption', `${AGENTCORE_GUIDE}/configuration-bundles-encryption.html`),
  agentRegistry: page('Set customer managed key policy (AWS Agent Registry)', `${AGENTCORE_GUIDE}/registry-kms-key-policy.html`),
  confusedDeputy: page('Cross-service confused deputy prevention (Amazon Bedrock)', `${BEDROCK_GUIDE}/cross-service-confused-deputy-prevention.html`),
  agentCoreHarnessSecurity: page('Security and access controls (AgentCore harness)', `${AGENTCORE_GUIDE}/harness-security.html`),
  agentCoreRuntimePermissions: page('IAM Permissions for AgentCore Runtime', `${AGENTCORE_GUIDE}/runtime-permissions.html`),
  agentCoreTokenVault: page('Set customer managed key policy (AgentCore Identity token vault)', `${AGENTCORE_GUIDE}/kms-key-policy-configuration.html`),
  agentsClassicMaintenance: page('Amazon Bedrock Agents Classic maintenance mode', `${BEDROCK_GUIDE}/agents-classic-maintenance-mode.html`),
};

/** Example values the statements are rendered with. */
export const EXAMPLE = {
  scope: { partition: 'aws', account: '111122223333', region: 'us-east-1', urlSuffix: 'amazonaws.com' } as PolicyScope,
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  role: (name: string) => new iam.ArnPrincipal(`arn:aws:iam::111122223333:role/${name}`),
};

const VIA: ConditionSource = 'documented';
const GRANT_FOR_AWS: ConditionSource = {
  added: 'Bedrock creates the grant for its own use of the key; no grant for another principal is needed.',
};
const { keyArn, role } = EXAMPLE;
const arnOf = (scope: PolicyScope, type: BedrockResourceType, id: string) => type.arn(scope, id);

/** The catalog. */
export const CATALOG: CatalogEntry[] = [
  {
    builder: 'KeyAdministrationStatements.accountRootKeyUse',
    placement: 'key policy',
    principal: 'the account root (delegates to IAM)',
    pages: [PAGES.kmsDefault],
    build: (s) => KeyAdministrationStatements.accountRootKeyUse(s),
    conditions: {},
    note: 'The only statement that allows kms:*; every key the library creates has it, so identity policies can grant the key.',
  },
  {
    builder: 'AgentEncryptionStatements.invokeAgentCallerIdentity',
    placement: 'identity policy',
    principal: 'callers of the agent APIs and of InvokeAgent',
    pages: [PAGES.agents, PAGES.agentsBefore2025],
    build: (s) => AgentEncryptionStatements.invokeAgentCallerIdentity(keyArn, arnOf(s, BedrockResourceType.AGENT, 'AGENT12345')),
    conditions: { 'kms:EncryptionContext:aws:bedrock:arn': 'documented' },
    note: 'The current page asks for this use in the key policy for the user or role that calls the agent APIs; the library gives it as an identity statement, which the key\'s account-root statement admits.',
  },
  {
    builder: 'AgentEncryptionStatements.apiCallerKeyUse',
    placement: 'key policy',
    principal: 'the user or role that calls the agent APIs (for CloudFormation, the deployment role)',
    pages: [PAGES.agents],
    build: (s) => AgentEncryptionStatements.apiCallerKeyUse(role('cdk-hnb659fds-cfn-exec-role'), BedrockResourceType.AGENT.arnPattern(s)),
    conditions: { 'kms:EncryptionContext:aws:bedrock:arn': { added: 'The page gives the key-policy form no condition; the encryption context is its identity form\'s.' } },
  },
  {
    builder: 'AgentEncryptionStatements.bedrockServiceKeyUse',
    placement: 'key policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.agents, PAGES.agentsBefore2025],
    build: (s) => AgentEncryptionStatements.bedrockServiceKeyUse(BedrockResourceType.AGENT.arnPattern(s)),
    conditions: { 'kms:EncryptionContext:aws:bedrock:arn': 'documented' },
    note: 'The current page needs it only for action-group schemas in encrypted S3 objects; it is written for every agent. The key policy cannot name the agent (a dependency cycle), so it names this account and region\'s agents.',
  },
  {
    builder: 'AgentEncryptionStatements.serviceRoleKeyUse',
    placement: 'key policy',
    principal: 'the agent\'s service role',
    pages: [PAGES.agentsBefore2025],
    build: () => AgentEncryptionStatements.serviceRoleKeyUse(role('AgentServiceRole')),
    conditions: {},
    note: 'Only on the page for agents created before 22 January 2025. No construct and no mixin row writes it: every agent they create ' +
      'follows the current page, which gives the service role no key use. Offered for the key of an agent created before that date.',
  },
  {
    builder: 'AgentEncryptionStatements.serviceRoleIdentity',
    placement: 'identity policy',
    principal: 'the agent\'s service role',
    pages: [PAGES.agentsBefore2025],
    build: () => AgentEncryptionStatements.serviceRoleIdentity(keyArn),
    conditions: {},
    note: 'Only on the page for agents created before 22 January 2025; no construct and no mixin row writes it (see serviceRoleKeyUse).',
  },
  {
    builder: 'AgentEncryptionStatements.persistentResourceGrantsKeyUse',
    placement: 'key policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.agentsBefore2025],
    build: () => AgentEncryptionStatements.persistentResourceGrantsKeyUse(),
    conditions: { 'kms:GrantIsForAWSResource': 'documented' },
    note: 'Only on the page for agents created before 22 January 2025; no construct and no mixin row writes it (see serviceRoleKeyUse).',
  },
  {
    builder: 'AgentEncryptionStatements.memoryServiceKeyUse',
    placement: 'key policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.agentMemory],
    build: (s) => AgentEncryptionStatements.memoryServiceKeyUse(s),
    conditions: { 'aws:SourceAccount': 'documented', 'aws:SourceArn': 'documented' },
  },
  {
    builder: 'AgentEncryptionStatements.memoryCallerKeyUse',
    placement: 'key policy',
    principal: 'callers of an agent with memory',
    pages: [PAGES.agentMemory],
    build: (s) => AgentEncryptionStatements.memoryCallerKeyUse(s, role('AppRole'), arnOf(s, BedrockResourceType.AGENT_ALIAS, 'AGENT12345/*')),
    conditions: { 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn': 'documented', 'kms:ViaService': VIA },
  },
  {
    builder: 'AgentEncryptionStatements.memoryApiCallerKeyUse',
    placement: 'key policy',
    principal: 'the identity that calls the Agents API for an agent with memory (the CloudFormation execution role)',
    pages: [PAGES.agentMemory],
    build: (s) => AgentEncryptionStatements.memoryApiCallerKeyUse(s, role('cdk-hnb659fds-cfn-exec-role'), BedrockResourceType.AGENT_ALIAS.arnPattern(s)),
    conditions: { 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn': 'documented' },
    note: 'The page\'s "AgentsControlPlaneLongTermMemory", "needed for the identity calling Agents API to configure KMS key for agents with '
      + 'memory enabled", in the key policy; the key policy cannot name the alias (a dependency cycle), so this account and region\'s aliases.',
  },
  {
    builder: 'AgentEncryptionStatements.memoryCallerIdentity',
    placement: 'identity policy',
    principal: 'callers of an agent with memory',
    pages: [PAGES.agentMemory],
    build: (s) => AgentEncryptionStatements.memoryCallerIdentity(s, keyArn, arnOf(s, BedrockResourceType.AGENT_ALIAS, 'AGENT12345/*')),
    conditions: {
      'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn': 'documented',
      'kms:ViaService': { added: 'The page\'s key-policy form has it on kms:Decrypt; the identity form gets the same.' },
    },
  },
  {
    builder: 'FlowEncryptionStatements.flowsApiIdentity',
    placement: 'identity policy',
    principal: 'Flows API callers and the flow\'s execution role',
    pages: [PAGES.flows],
    build: (s) => FlowEncryptionStatements.flowsApiIdentity(s, keyArn, arnOf(s, BedrockResourceType.FLOW, 'FLOW123456')),
    conditions: { 'kms:EncryptionContext:aws:bedrock-flows:arn': 'documented', 'kms:ViaService': VIA },
  },
  {
    builder: 'FlowEncryptionStatements.roleKeyUse',
    placement: 'key policy',
    principal: 'the flow\'s execution role',
    pages: [PAGES.flows],
    build: (s) => FlowEncryptionStatements.roleKeyUse(s, role('FlowExecutionRole'), BedrockResourceType.FLOW.arnPattern(s)),
    conditions: { 'kms:EncryptionContext:aws:bedrock-flows:arn': 'documented', 'kms:ViaService': VIA },
    note: 'The key policy cannot name the flow (a dependency cycle): it names this account and region\'s flows.',
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.ingestionIdentity',
    placement: 'identity policy',
    principal: 'the knowledge base\'s service role',
    pages: [PAGES.knowledgeBases],
    build: () => KnowledgeBaseEncryptionStatements.ingestionIdentity(keyArn),
    conditions: {},
    note: 'Unconditioned as the page gives it: on the same key it makes the S3-only data-source statement restrict nothing more.',
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.s3DataSourceIdentity',
    placement: 'identity policy',
    principal: 'the knowledge base\'s service role',
    pages: [PAGES.knowledgeBases],
    build: (s) => KnowledgeBaseEncryptionStatements.s3DataSourceIdentity(s, keyArn),
    conditions: { 'kms:ViaService': VIA },
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.secretIdentity',
    placement: 'identity policy',
    principal: 'the knowledge base\'s service role',
    pages: [PAGES.knowledgeBases, PAGES.secretsManager],
    build: (s) => KnowledgeBaseEncryptionStatements.secretIdentity(s, keyArn),
    conditions: { 'kms:ViaService': { added: 'The secret is decrypted by Secrets Manager for the role; no other path is needed.' } },
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.retrievalSessionKeyUse',
    placement: 'key policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.knowledgeBases],
    build: () => KnowledgeBaseEncryptionStatements.retrievalSessionKeyUse(),
    conditions: {},
    note: 'No condition, as the page gives it: no page documents an encryption context or source key Bedrock sends on these calls. '
      + 'Written only on a key that encrypts nothing but retrieval sessions.',
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.retrievalSessionCallerIdentity',
    placement: 'identity policy',
    principal: 'callers of RetrieveAndGenerate',
    pages: [PAGES.knowledgeBases],
    build: (s) => KnowledgeBaseEncryptionStatements.retrievalSessionCallerIdentity(s, keyArn),
    conditions: { 'kms:ViaService': { added: 'Bedrock uses the session key for the caller; the page is silent on the caller\'s permissions.' } },
    note: 'Not documented: the page gives only Bedrock\'s statement for the session key.',
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.s3VectorsIndexingKeyUse',
    placement: 'key policy',
    principal: 'indexing.s3vectors.amazonaws.com',
    pages: [PAGES.s3Vectors],
    build: (s) => KnowledgeBaseEncryptionStatements.s3VectorsIndexingKeyUse(s),
    conditions: { 'aws:SourceArn': 'documented', 'aws:SourceAccount': 'documented', 'kms:EncryptionContextKeys': 'documented' },
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.s3VectorsIdentity',
    placement: 'identity policy',
    principal: 'the knowledge base\'s service role',
    pages: [PAGES.s3Vectors],
    build: (s) => KnowledgeBaseEncryptionStatements.s3VectorsIdentity(s, keyArn),
    conditions: {
      'kms:ViaService': VIA,
      'kms:EncryptionContextKeys': { added: 'S3 Vectors sets these context keys on every request it makes with the key.' },
    },
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.s3VectorsCreatorKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates the vector bucket and index (the CloudFormation execution role)',
    pages: [PAGES.s3Vectors],
    build: (s) => KnowledgeBaseEncryptionStatements.s3VectorsCreatorKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: { 'kms:ViaService': VIA },
    note: 'The page lists kms:GenerateDataKey as "required to create a vector bucket by using the customer managed key"; '
      + 'kms:ViaService as in its statement for principals that call S3 Vectors.',
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.openSearchCollectionCreatorKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates the collection (the CloudFormation execution role)',
    pages: [PAGES.openSearch],
    build: (s) => KnowledgeBaseEncryptionStatements.openSearchCollectionCreatorKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: { 'kms:ViaService': VIA, 'kms:GrantOperations': 'documented', 'kms:GrantIsForAWSResource': 'documented' },
  },
  {
    builder: 'KnowledgeBaseEncryptionStatements.managedCreatorKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates a managed knowledge base (type MANAGED; the CloudFormation execution role)',
    pages: [PAGES.knowledgeBases, PAGES.managedKnowledgeBaseCfn],
    build: (s) => KnowledgeBaseEncryptionStatements.managedCreatorKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: {
      'kms:ViaService': 'documented',
      'kms:GrantOperations': 'documented',
      'kms:GrantIsForAWSResource': GRANT_FOR_AWS,
    },
    note: 'The page\'s section "Encryption of data storage in fully managed knowledge base". It also says the knowledge base\'s service role '
      + 'needs no permission on the key, so no statement names the role; the page names no caller statement for retrieval either.',
  },
  {
    builder: 'RetrievalInstructionEncryptionStatements.creatorKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates and uses retrieval instructions',
    pages: [PAGES.retrievalInstructionCfn],
    build: (s) => RetrievalInstructionEncryptionStatements.creatorKeyUse(s, role('AppRole')),
    conditions: {
      'kms:ViaService': { added: 'A retrieval instruction is created and used through Bedrock only.' },
      'kms:GrantIsForAWSResource': GRANT_FOR_AWS,
    },
    notDocumented: 'No AWS page documents the key use of a retrieval instruction; the CloudFormation reference only names '
      + 'CustomerEncryptionKeyArn. The statements are the guardrail creator\'s shape, only through Bedrock, with no encryption context.',
  },
  {
    builder: 'RetrievalInstructionEncryptionStatements.creatorIdentity',
    placement: 'identity policy',
    principal: 'the principal that creates and uses retrieval instructions',
    pages: [PAGES.retrievalInstructionCfn],
    build: (s) => RetrievalInstructionEncryptionStatements.creatorIdentity(s, keyArn),
    conditions: {
      'kms:ViaService': { added: 'A retrieval instruction is created and used through Bedrock only.' },
      'kms:GrantIsForAWSResource': GRANT_FOR_AWS,
    },
    notDocumented: 'As RetrievalInstructionEncryptionStatements.creatorKeyUse.',
  },
  {
    builder: 'RetrievalInstructionEncryptionStatements.userKeyUse',
    placement: 'key policy',
    principal: 'a principal that only uses retrieval instructions (the mixin\'s keyUsers)',
    pages: [PAGES.retrievalInstructionCfn, PAGES.guardrails],
    build: (s) => RetrievalInstructionEncryptionStatements.userKeyUse(s, role('AppRole')),
    conditions: { 'kms:ViaService': { added: 'A retrieval instruction is used through Bedrock only.' } },
    notDocumented: 'As RetrievalInstructionEncryptionStatements.creatorKeyUse, without kms:CreateGrant: the AWS pages that tell '
      + 'creators from users (guardrails) give grant rights to creators only.',
  },
  {
    builder: 'EvaluationJobEncryptionStatements.serviceRoleIdentity',
    placement: 'identity policy',
    principal: 'the evaluation job\'s service role',
    pages: [PAGES.evaluationData],
    build: (s) => EvaluationJobEncryptionStatements.serviceRoleIdentity(s, keyArn),
    conditions: { 'kms:ViaService': VIA },
    note: 'The page\'s list of required elements asks for kms:ViaService S3; its example JSON has dropped the condition. The library keeps it.',
  },
  {
    builder: 'EvaluationJobEncryptionStatements.creatorIdentity',
    placement: 'identity policy',
    principal: 'the principal that calls CreateEvaluationJob',
    pages: [PAGES.evaluationData, PAGES.evaluationKms],
    build: (s) => EvaluationJobEncryptionStatements.creatorIdentity(s, keyArn),
    conditions: { 'kms:ViaService': { added: 'Bedrock (or S3 for the job data) makes these calls with the caller\'s credentials.' } },
    note: 'The page gives the caller no condition and does not say which service path the calls take: the library allows Bedrock and S3.',
  },
  {
    builder: 'EvaluationJobEncryptionStatements.bedrockServiceKeyUse',
    placement: 'key policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.evaluationKms],
    build: (s) => EvaluationJobEncryptionStatements.bedrockServiceKeyUse(s),
    conditions: { 'kms:EncryptionContext:evaluationJobArn': 'documented', 'aws:SourceArn': 'documented' },
    note: 'The page\'s short form puts DescribeKey under the encryption-context condition, which a DescribeKey request never meets; '
      + 'the library follows its complete example, DescribeKey apart on aws:SourceArn only.',
  },
  {
    builder: 'ModelJobEncryptionStatements.roleKeyUse',
    placement: 'key policy',
    principal: 'the customization or import job\'s service role',
    pages: [PAGES.customModels, PAGES.importedModels],
    build: (s) => ModelJobEncryptionStatements.roleKeyUse(s, role('ModelJobRole')),
    conditions: { 'kms:ViaService': VIA, 'kms:GrantIsForAWSResource': GRANT_FOR_AWS },
    note: 'The custom-model page names "the roles that will customize the model" and the import page "the model import API invocation role"; '
      + 'the API references say the service role. The library names the service role in the key policy and gives callers the identity statements.',
  },
  {
    builder: 'ModelJobEncryptionStatements.roleIdentity',
    placement: 'identity policy',
    principal: 'the job\'s service role and the job\'s creator',
    pages: [PAGES.customModels, PAGES.importedModels],
    build: (s) => ModelJobEncryptionStatements.roleIdentity(s, keyArn),
    conditions: { 'kms:ViaService': VIA, 'kms:GrantIsForAWSResource': GRANT_FOR_AWS },
  },
  {
    builder: 'ModelJobEncryptionStatements.modelUserIdentity',
    placement: 'identity policy',
    principal: 'principals that invoke the encrypted model',
    pages: [PAGES.customModels],
    build: (s) => ModelJobEncryptionStatements.modelUserIdentity(s, keyArn),
    conditions: { 'kms:ViaService': VIA },
  },
  {
    builder: 'BatchInferenceEncryptionStatements.roleKeyUse',
    placement: 'key policy',
    principal: 'the batch inference job\'s service role',
    pages: [PAGES.batchServiceRole, PAGES.batchOutputKey],
    build: (s) => BatchInferenceEncryptionStatements.roleKeyUse(s, role('BatchInferenceRole')),
    conditions: { 'kms:ViaService': VIA },
    note: 'The page gives the statement ("(Optional) Permissions to use a customer managed key", BatchInferenceCustomerManagedKey) as an '
      + 'identity policy on the role; the key policy names the role with the same actions and condition.',
  },
  {
    builder: 'BatchInferenceEncryptionStatements.roleIdentity',
    placement: 'identity policy',
    principal: 'the batch inference job\'s service role',
    pages: [PAGES.batchServiceRole, PAGES.batchOutputKey],
    build: (s) => BatchInferenceEncryptionStatements.roleIdentity(s, keyArn),
    conditions: { 'kms:ViaService': VIA },
    note: 'The page\'s statement BatchInferenceCustomerManagedKey.',
  },
  {
    builder: 'InvocationLoggingEncryptionStatements.cloudWatchLogsKeyUse',
    placement: 'key policy',
    principal: 'logs.<region>.amazonaws.com',
    pages: [PAGES.logsKms, PAGES.invocationLogging],
    build: (s) => InvocationLoggingEncryptionStatements.cloudWatchLogsKeyUse(s, '/bedrock/model-invocations/example'),
    conditions: { 'kms:EncryptionContext:aws:logs:arn': 'documented' },
    note: 'ArnEquals on the one log group, as the page\'s single-log-group form. The ARN is built from the log group name: '
      + 'the log group references the key, so the key policy cannot reference the log group.',
  },
  {
    builder: 'InvocationLoggingEncryptionStatements.bedrockS3DeliveryKeyUse',
    placement: 'key policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.invocationLogging],
    build: (s) => InvocationLoggingEncryptionStatements.bedrockS3DeliveryKeyUse(s),
    conditions: { 'aws:SourceAccount': 'documented', 'aws:SourceArn': 'documented' },
  },
  {
    builder: 'InvocationLoggingEncryptionStatements.s3DeliveryBucketPolicy',
    placement: 'resource policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.invocationLogging],
    build: (s) => InvocationLoggingEncryptionStatements.s3DeliveryBucketPolicy(s, 'arn:aws:s3:::example-log-bucket', 'invocation-logs'),
    conditions: { 'aws:SourceAccount': 'documented', 'aws:SourceArn': 'documented' },
    note: 'The bucket policy of the log bucket. Large data delivery of the CloudWatch Logs destination writes to the same bucket and prefix.',
  },
  {
    builder: 'InvocationLoggingEncryptionStatements.roleIdentity',
    placement: 'identity policy',
    principal: 'the role Bedrock assumes to write to CloudWatch Logs',
    pages: [PAGES.invocationLogging],
    build: (s) => InvocationLoggingEncryptionStatements.roleIdentity(s, '/bedrock/model-invocations/example'),
    conditions: {},
    note: 'Only the invocation log stream of the one log group. The construct also lets the role write under the bucket\'s key '
      + 'prefix (key use through S3) for large data delivery, which the page does not list.',
  },
  {
    builder: 'GuardrailEncryptionStatements.creatorKeyUse',
    placement: 'key policy',
    principal: 'guardrail creators',
    pages: [PAGES.guardrails],
    build: (s) => GuardrailEncryptionStatements.creatorKeyUse(s, role('Deployer')),
    conditions: {
      'kms:ViaService': { added: 'Guardrails are created and managed through Bedrock only.' },
      'kms:GrantIsForAWSResource': GRANT_FOR_AWS,
    },
  },
  {
    builder: 'GuardrailEncryptionStatements.creatorIdentity',
    placement: 'identity policy',
    principal: 'guardrail creators',
    pages: [PAGES.guardrails],
    build: (s) => GuardrailEncryptionStatements.creatorIdentity(s, keyArn),
    conditions: {
      'kms:ViaService': { added: 'Guardrails are created and managed through Bedrock only.' },
      'kms:GrantIsForAWSResource': GRANT_FOR_AWS,
    },
  },
  {
    builder: 'GuardrailEncryptionStatements.userKeyUse',
    placement: 'key policy',
    principal: 'guardrail users',
    pages: [PAGES.guardrails, PAGES.guardrailManagedPolicy],
    build: (s) => GuardrailEncryptionStatements.userKeyUse(s, role('AppRole')),
    conditions: {
      'kms:ViaService': { added: 'As the AWS managed policy for the same call.' },
      'kms:EncryptionContext:aws:bedrock:guardrail-id': { added: 'As the AWS managed policy: present on every guardrail decryption.' },
    },
  },
  {
    builder: 'GuardrailEncryptionStatements.userIdentity',
    placement: 'identity policy',
    principal: 'guardrail users',
    pages: [PAGES.guardrails, PAGES.guardrailManagedPolicy],
    build: (s) => GuardrailEncryptionStatements.userIdentity(s, keyArn),
    conditions: {
      'kms:ViaService': { added: 'As the AWS managed policy for the same call.' },
      'kms:EncryptionContext:aws:bedrock:guardrail-id': { added: 'As the AWS managed policy: present on every guardrail decryption.' },
    },
  },
  {
    builder: 'PromptEncryptionStatements.bedrockServiceKeyUse',
    placement: 'key policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.prompts],
    build: (s) => PromptEncryptionStatements.bedrockServiceKeyUse(BedrockResourceType.PROMPT.arnPattern(s)),
    conditions: { 'kms:EncryptionContext:aws:bedrock-prompts:arn': 'documented' },
  },
  {
    builder: 'PromptEncryptionStatements.roleIdentity',
    placement: 'identity policy',
    principal: 'the prompt management role',
    pages: [PAGES.prompts],
    build: (s) => PromptEncryptionStatements.roleIdentity(s, keyArn),
    conditions: { 'aws:ResourceAccount': 'documented' },
  },
  {
    builder: 'PromptEncryptionStatements.creatorKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates prompts (the CloudFormation execution role)',
    pages: [PAGES.prompts],
    build: (s) => PromptEncryptionStatements.creatorKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: { 'aws:ResourceAccount': 'documented' },
    note: 'The page\'s identity statement "KMSPermissions", in the key policy naming the creator.',
  },
  {
    builder: 'SessionEncryptionStatements.creatorKeyUse',
    placement: 'key policy',
    principal: 'the user or role that creates sessions',
    pages: [PAGES.sessions],
    build: (s) => SessionEncryptionStatements.creatorKeyUse(s, role('AppRole')),
    conditions: { 'kms:EncryptionContext:aws:bedrock:session:arn': 'documented', 'kms:ViaService': VIA },
    note: 'The page gives the identity form; the key-policy form names the principal with the same conditions.',
  },
  {
    builder: 'SessionEncryptionStatements.creatorIdentity',
    placement: 'identity policy',
    principal: 'the user or role that creates sessions',
    pages: [PAGES.sessions],
    build: (s) => SessionEncryptionStatements.creatorIdentity(s, keyArn),
    conditions: { 'kms:EncryptionContext:aws:bedrock:session:arn': 'documented', 'kms:ViaService': VIA },
  },
  {
    builder: 'DataAutomationEncryptionStatements.roleKeyUse',
    placement: 'key policy',
    principal: 'the role that creates or invokes Data Automation resources (projects, blueprints, libraries)',
    pages: [PAGES.dataAutomation],
    build: (s) => DataAutomationEncryptionStatements.roleKeyUse(s, role('DataAutomationRole')),
    conditions: { 'kms:ViaService': VIA, 'kms:GrantOperations': 'documented', 'kms:GrantIsForAWSResource': GRANT_FOR_AWS },
    note: 'The page documents no encryption context in its key-policy statements. Projects, blueprints and libraries take a '
      + 'kmsEncryptionContext of the caller\'s own pairs, which the page does not say accompany every call Data Automation makes '
      + '(DescribeKey and CreateGrant carry none): the library neither sets one nor scopes the statements by one.',
  },
  {
    builder: 'DataAutomationEncryptionStatements.roleIdentity',
    placement: 'identity policy',
    principal: 'the role that creates or invokes Data Automation resources',
    pages: [PAGES.dataAutomation],
    build: (s) => DataAutomationEncryptionStatements.roleIdentity(s, keyArn),
    conditions: { 'kms:ViaService': VIA, 'kms:GrantIsForAWSResource': GRANT_FOR_AWS },
  },
  {
    builder: 'MonitoringStatements.eventBridgeKeyUse',
    placement: 'key policy',
    principal: 'events.amazonaws.com',
    pages: [PAGES.snsKeys, PAGES.snsContext],
    build: (s) => MonitoringStatements.eventBridgeKeyUse(PolicyScopes.arn(s, 'sns', 'key-activity')),
    conditions: {
      'kms:EncryptionContext:aws:sns:topicArn': {
        added: 'The encryption context Amazon SNS sets, as the GameLift guide documents it; the SNS page supports no aws:Source* condition here.',
      },
    },
  },
  {
    builder: 'MonitoringStatements.eventBridgePublish',
    placement: 'resource policy',
    principal: 'events.amazonaws.com',
    pages: [PAGES.eventBridgeSns],
    build: (s) => MonitoringStatements.eventBridgePublish(PolicyScopes.arn(s, 'sns', 'key-activity')),
    conditions: {},
    note: 'No condition: EventBridge does not support Condition blocks in SNS topic policies. Any rule that knows the topic ARN could publish.',
  },
  {
    builder: 'AgentCoreMemoryEncryptionStatements.creatorKeyUse',
    placement: 'key policy',
    principal: 'the principal that sets up the memory (for CloudFormation, the deployment role)',
    pages: [PAGES.agentCoreMemory],
    build: (s) => AgentCoreMemoryEncryptionStatements.creatorKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: { 'kms:ViaService': VIA },
    note: 'The page gives the identity form; the key-policy form names the principal with the same condition. It documents no encryption context for '
      + 'memories, and no kms:GrantIsForAWSResource on kms:CreateGrant: none is written.',
  },
  {
    builder: 'AgentCoreMemoryEncryptionStatements.creatorIdentity',
    placement: 'identity policy',
    principal: 'the principal that sets up the memory',
    pages: [PAGES.agentCoreMemory],
    build: (s) => AgentCoreMemoryEncryptionStatements.creatorIdentity(s, keyArn),
    conditions: { 'kms:ViaService': VIA },
  },
  {
    builder: 'AgentCoreMemoryEncryptionStatements.userKeyUse',
    placement: 'key policy',
    principal: 'a principal that uses memories but does not set them up (the mixin\'s keyUsers)',
    pages: [PAGES.agentCoreMemory],
    build: (s) => AgentCoreMemoryEncryptionStatements.userKeyUse(s, role('MemoryUser')),
    conditions: { 'kms:ViaService': VIA },
    note: 'The page names one principal, the one that sets up the memory. For a principal that only uses memories the library writes '
      + 'that statement without kms:CreateGrant: grant rights go only to the principal that creates the resource.',
  },
  {
    builder: 'AgentCoreHarnessEncryptionStatements.creatorKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates the harness (for CloudFormation, the deployment role)',
    pages: [PAGES.agentCoreMemory],
    build: (s) => AgentCoreHarnessEncryptionStatements.creatorKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: {
      'kms:ViaService': { added: 'As the memory page: a harness\'s managed memory is an AgentCore Memory, used only through AgentCore.' },
    },
    notDocumented: 'No AWS page documents the key use of a harness\'s managed memory. The harness creates an AgentCore Memory in the account; '
      + 'the library gives the harness creator the memory creator\'s documented key use, only through AgentCore '
      + '(the execution role gets a memory user\'s key use in its identity policy: executionRoleIdentity).',
  },
  {
    builder: 'AgentCoreHarnessEncryptionStatements.creatorIdentity',
    placement: 'identity policy',
    principal: 'the principal that creates the harness',
    pages: [PAGES.agentCoreMemory],
    build: (s) => AgentCoreHarnessEncryptionStatements.creatorIdentity(s, keyArn),
    conditions: {
      'kms:ViaService': { added: 'As the memory page: a harness\'s managed memory is an AgentCore Memory, used only through AgentCore.' },
    },
    notDocumented: 'No AWS page documents the key use of a harness\'s managed memory; the memory creator\'s documented key use, as above.',
  },
  {
    builder: 'AgentCoreHarnessEncryptionStatements.userKeyUse',
    placement: 'key policy',
    principal: 'a principal that uses harnesses but does not create them (the mixin\'s keyUsers)',
    pages: [PAGES.agentCoreMemory],
    build: (s) => AgentCoreHarnessEncryptionStatements.userKeyUse(s, role('HarnessUser')),
    conditions: {
      'kms:ViaService': { added: 'As the memory page: a harness\'s managed memory is an AgentCore Memory, used only through AgentCore.' },
    },
    notDocumented: 'No AWS page documents the key use of a harness\'s managed memory; the memory user\'s key use '
      + '(AgentCoreMemoryEncryptionStatements.userKeyUse): the memory page\'s statement without kms:CreateGrant.',
  },
  {
    builder: 'AgentCoreHarnessEncryptionStatements.executionRoleIdentity',
    placement: 'identity policy',
    principal: 'the harness\'s execution role (EncryptedHarness.role)',
    pages: [PAGES.agentCoreMemory, PAGES.agentCoreHarnessSecurity],
    build: (s) => AgentCoreHarnessEncryptionStatements.executionRoleIdentity(s, keyArn),
    conditions: {
      'kms:ViaService': { added: 'As the memory page: a harness\'s managed memory is an AgentCore Memory, used only through AgentCore.' },
    },
    notDocumented: 'No AWS page documents the key use of a harness\'s execution role. The role reads and writes the harness\'s managed memory '
      + '(the harness security page lists the memory actions); the library gives it the memory page\'s statement without kms:CreateGrant, '
      + 'only through AgentCore, on the one key.',
  },
  {
    builder: 'AgentCoreHarnessEncryptionStatements.runtimeLogsKeyUse',
    placement: 'key policy',
    principal: 'CloudWatch Logs (logs.<region>.<url suffix>)',
    pages: [PAGES.logsKms, PAGES.agentCoreHarnessSecurity],
    build: (s) => AgentCoreHarnessEncryptionStatements.runtimeLogsKeyUse(s),
    conditions: { 'kms:EncryptionContext:aws:logs:arn': 'documented' },
    note: 'The CloudWatch Logs page scopes the key to one log group by its ARN in the encryption context. A harness writes to the log group '
      + 'of its AgentCore runtime, /aws/bedrock-agentcore/runtimes/<runtime-id>-<endpoint>, whose id AgentCore generates at deployment: '
      + 'the statement names the runtime log groups of this account and region by pattern, and the key is associated with the log group '
      + 'after deployment (logs:AssociateKmsKey).',
    notDocumented: 'No AWS page documents a customer managed key for a harness\'s log group, nor its name before deployment; '
      + 'the pattern is the runtime log-group prefix the harness security page gives its execution role.',
  },
  {
    builder: 'AgentCoreTokenVaultEncryptionStatements.keyUse',
    placement: 'key policy',
    principal: 'principals of the key\'s account, through AgentCore Identity',
    pages: [PAGES.agentCoreTokenVault],
    build: (s) => AgentCoreTokenVaultEncryptionStatements.keyUse(s, 'default'),
    conditions: {
      'kms:ViaService': { added: 'The page matches bedrock-agentcore-identity.*.amazonaws.com (StringLike); the library names this region\'s endpoint.' },
      'aws:ResourceAccount': 'documented',
      'kms:EncryptionContext:aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn': 'documented',
    },
    note: 'The page\'s example names no principal. The library names the key\'s account (the statements apply to its principals that '
      + 'an identity policy allows: userIdentity), and the one token vault of this account and region, not any account\'s (arn:aws:bedrock-agentcore:*:*:token-vault/default).',
  },
  {
    builder: 'AgentCoreTokenVaultEncryptionStatements.userIdentity',
    placement: 'identity policy',
    principal: 'principals that set up and use the token vault',
    pages: [PAGES.agentCoreTokenVault],
    build: (s) => AgentCoreTokenVaultEncryptionStatements.userIdentity(s, keyArn, 'default'),
    conditions: {
      'kms:ViaService': { added: 'As keyUse: this region\'s identity service endpoint.' },
      'aws:ResourceAccount': 'documented',
      'kms:EncryptionContext:aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn': 'documented',
    },
  },
  {
    builder: 'AgentCoreGatewayEncryptionStatements.serviceRoleKeyUse',
    placement: 'key policy',
    principal: 'the gateway\'s service role',
    pages: [PAGES.agentCoreGateway],
    build: (s) => AgentCoreGatewayEncryptionStatements.serviceRoleKeyUse(s, role('GatewayServiceRole')),
    conditions: {
      'kms:ViaService': VIA,
      'kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn': 'documented',
      'kms:GrantConstraintType': 'documented',
      'kms:GrantOperations': 'documented',
    },
    note: 'The key policy cannot name the gateway (a dependency cycle): it names this account and region\'s gateways. '
      + 'The page\'s statement for CloudWatch Logs delivery (delivery.logs.amazonaws.com) belongs to a log delivery, not the gateway, and is not written. '
      + 'These statements alone do not let CreateGateway encrypt the gateway\'s target configuration: '
      + 'see AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionKeyUse, which the mixin writes with them.',
  },
  {
    builder: 'AgentCoreGatewayEncryptionStatements.serviceRoleIdentity',
    placement: 'identity policy',
    principal: 'the gateway\'s service role',
    pages: [PAGES.agentCoreGateway],
    build: (s) => AgentCoreGatewayEncryptionStatements.serviceRoleIdentity(s, keyArn, BedrockResourceType.AGENTCORE_GATEWAY.arn(s, 'gateway-abc123')),
    conditions: {
      'kms:ViaService': VIA,
      'kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn': 'documented',
      'kms:GrantConstraintType': 'documented',
      'kms:GrantOperations': 'documented',
    },
  },
  {
    builder: 'AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionKeyUse',
    placement: 'key policy',
    principal: 'the gateway\'s service role (trusted only by bedrock-agentcore.amazonaws.com)',
    pages: [PAGES.agentCoreGateway],
    build: () => AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionKeyUse(role('GatewayServiceRole')),
    conditions: { 'kms:GrantConstraintType': 'documented', 'kms:GrantOperations': 'documented' },
    notDocumented: 'The gateway page\'s statements fail closed at CreateGateway: AgentCore assumes the gateway\'s service role and calls '
      + 'AWS KMS directly to encrypt the gateway\'s target configuration (role session .../GenesisMCPTargetTargetEncryption), with neither '
      + 'kms:ViaService nor the gateway encryption context in the request ("no identity-based policy allows the kms:GenerateDataKey action"). '
      + 'Evidence: aws/modern-data-architecture-accelerator, packages/constructs/L3/ai/bedrock-builder-l3-construct/lib/bedrock-builder-l3-construct.ts, '
      + 'grantGatewayRoleKeyUsage (deploy-tested; both documented conditions fail closed), and two public CDK samples that added the same '
      + 'unconditioned statement after the same error. The library writes these statements in addition to the documented ones.',
    note: 'kms:GenerateDataKey and kms:Decrypt have no condition: what narrows them is the principal, the gateway\'s service role, which '
      + 'only AgentCore assumes, for this account\'s gateways. kms:CreateGrant keeps the page\'s grant constraints (encryption-context grants, '
      + 'Decrypt and GenerateDataKey only) without kms:ViaService or the gateway encryption context, as in the deploy-tested policy.',
  },
  {
    builder: 'AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionIdentity',
    placement: 'identity policy',
    principal: 'the gateway\'s service role (trusted only by bedrock-agentcore.amazonaws.com)',
    pages: [PAGES.agentCoreGateway],
    build: () => AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionIdentity(keyArn),
    conditions: { 'kms:GrantConstraintType': 'documented', 'kms:GrantOperations': 'documented' },
    notDocumented: 'As serviceRoleTargetEncryptionKeyUse, as identity statements on the key (the form of the deploy-tested policy in '
      + 'aws/modern-data-architecture-accelerator, grantGatewayRoleKeyUsage, whose DescribeKey the documented statements already allow).',
  },
  {
    builder: 'AgentCorePolicyEngineEncryptionStatements.creatorKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates the policy engine (for CloudFormation, the deployment role)',
    pages: [PAGES.agentCorePolicyEngine],
    build: (s) => AgentCorePolicyEngineEncryptionStatements.creatorKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: {
      'kms:ViaService': VIA,
      'kms:GrantConstraintType': 'documented',
      'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn': 'documented',
      'kms:GrantOperations': 'documented',
    },
    note: 'The page\'s encryption-context pattern admits any partition, region and account (arn:aws*:bedrock-agentcore:*:*:policy-engine/*); '
      + 'the library admits this account and region\'s policy engines only. AgentCore calls kms:CreateGrant with the creator\'s identity '
      + '(a forward access session); the page writes no kms:GrantIsForAWSResource and none is written. The page\'s optional source-context '
      + 'statement for the account root concerns grant-based calls, which the grants authorize, and is not written.',
  },
  {
    builder: 'AgentCorePolicyEngineEncryptionStatements.creatorIdentity',
    placement: 'identity policy',
    principal: 'the principal that creates the policy engine',
    pages: [PAGES.agentCorePolicyEngine],
    build: (s) => AgentCorePolicyEngineEncryptionStatements.creatorIdentity(s, keyArn, BedrockResourceType.AGENTCORE_POLICY_ENGINE.arn(s, 'engine-abc123')),
    conditions: {
      'kms:ViaService': VIA,
      'kms:GrantConstraintType': 'documented',
      'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn': 'documented',
      'kms:GrantOperations': 'documented',
    },
  },
  {
    builder: 'AgentCorePolicyEngineEncryptionStatements.callerKeyUse',
    placement: 'key policy',
    principal: 'a principal that calls an encrypted policy engine but does not create it (the mixin\'s keyUsers)',
    pages: [PAGES.agentCorePolicyEngine],
    build: (s) => AgentCorePolicyEngineEncryptionStatements.callerKeyUse(s, role('PolicyEngineCaller')),
    conditions: {
      'kms:ViaService': VIA,
      'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn': 'documented',
    },
    note: 'The creator\'s statements without kms:CreateGrant: the page has AgentCore create the engine\'s grants once, with the creator\'s '
      + 'identity, and callers of an encrypted engine need key access only. The context pattern is narrowed to this account and region.',
  },
  {
    builder: 'AgentCorePolicyEngineEncryptionStatements.callerIdentity',
    placement: 'identity policy',
    principal: 'a principal that calls an encrypted policy engine but does not create it',
    pages: [PAGES.agentCorePolicyEngine],
    build: (s) => AgentCorePolicyEngineEncryptionStatements.callerIdentity(s, keyArn, BedrockResourceType.AGENTCORE_POLICY_ENGINE.arn(s, 'engine-abc123')),
    conditions: {
      'kms:ViaService': VIA,
      'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn': 'documented',
    },
  },
  {
    builder: 'AgentCoreEvaluatorEncryptionStatements.callerKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates, reads or runs the evaluator (for CloudFormation, the deployment role)',
    pages: [PAGES.agentCoreEvaluator],
    build: (s) => AgentCoreEvaluatorEncryptionStatements.callerKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: { 'kms:ViaService': VIA, 'kms:EncryptionContext:aws:bedrock-agentcore:evaluatorArn': 'documented' },
    note: 'The key policy cannot name the evaluator (a dependency cycle): it names this account and region\'s evaluators, with StringLike as the page says for a wildcard.',
  },
  {
    builder: 'AgentCoreEvaluatorEncryptionStatements.callerIdentity',
    placement: 'identity policy',
    principal: 'the principal that creates, reads or runs the evaluator',
    pages: [PAGES.agentCoreEvaluator],
    build: (s) => AgentCoreEvaluatorEncryptionStatements.callerIdentity(s, keyArn, BedrockResourceType.AGENTCORE_EVALUATOR.arn(s, 'evaluator-abc123')),
    conditions: { 'kms:ViaService': VIA, 'kms:EncryptionContext:aws:bedrock-agentcore:evaluatorArn': 'documented' },
  },
  {
    builder: 'AgentCoreEvaluatorEncryptionStatements.serviceKeyUse',
    placement: 'key policy',
    principal: 'bedrock-agentcore.amazonaws.com',
    pages: [PAGES.agentCoreEvaluator],
    build: (s) => AgentCoreEvaluatorEncryptionStatements.serviceKeyUse(s),
    conditions: { 'aws:SourceAccount': 'documented', 'aws:SourceArn': 'documented' },
    note: 'The page names one evaluator with StringEquals; the key policy cannot (a dependency cycle), so it names this account and region\'s evaluators with ArnLike.',
  },
  {
    builder: 'AgentCoreDatasetEncryptionStatements.callerKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates or reads the dataset (for CloudFormation, the deployment role)',
    pages: [PAGES.agentCoreDataset],
    build: (s) => AgentCoreDatasetEncryptionStatements.callerKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: { 'kms:ViaService': { added: 'AgentCore checks and uses the caller\'s key access with forward access sessions, which carry this endpoint.' } },
    note: 'The page gives the caller no condition.',
  },
  {
    builder: 'AgentCoreDatasetEncryptionStatements.callerIdentity',
    placement: 'identity policy',
    principal: 'the principal that creates or reads the dataset',
    pages: [PAGES.agentCoreDataset],
    build: (s) => AgentCoreDatasetEncryptionStatements.callerIdentity(s, keyArn),
    conditions: { 'kms:ViaService': { added: 'AgentCore checks and uses the caller\'s key access with forward access sessions, which carry this endpoint.' } },
  },
  {
    builder: 'AgentCoreDatasetEncryptionStatements.serviceKeyUse',
    placement: 'key policy',
    principal: 'bedrock-agentcore.amazonaws.com',
    pages: [PAGES.agentCoreDataset],
    build: (s) => AgentCoreDatasetEncryptionStatements.serviceKeyUse(s),
    conditions: { 'aws:SourceAccount': 'documented', 'aws:SourceArn': 'documented', 'kms:EncryptionContext:aws:bedrock-agentcore:datasetArn': 'documented' },
    note: 'On the page GenerateDataKey has all three conditions and the read statement (Decrypt, DescribeKey) none, since presigned downloads send no source context. '
      + 'The library conditions Decrypt on the dataset encryption context, which every read carries (KMS decrypts a data key only under the context it was '
      + 'generated with), and writes DescribeKey without condition, as the page does: AgentCore describes the key when it validates it at dataset '
      + 'creation (the page\'s CloudTrail section), a request with no encryption context, and the page warns against source conditions on reads.',
  },
  {
    builder: 'AgentCoreConfigurationBundleEncryptionStatements.callerKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates, updates or reads the bundle (for CloudFormation, the deployment role)',
    pages: [PAGES.agentCoreConfigurationBundle],
    build: (s) => AgentCoreConfigurationBundleEncryptionStatements.callerKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: {
      'kms:ViaService': { added: 'AgentCore makes these calls with the caller\'s identity (forward access sessions), which carry this endpoint.' },
      'kms:EncryptionContext:aws:bedrock-agentcore:configurationBundleArn': 'documented',
    },
    note: 'kms:ReEncrypt* is the page\'s (AllowCallerCryptoOps): "required for key rotation (changing the KMS key on an existing bundle)". '
      + 'Like every bundle call it is made with the caller\'s identity, and it stays under the bundle encryption context.',
  },
  {
    builder: 'AgentCoreConfigurationBundleEncryptionStatements.callerIdentity',
    placement: 'identity policy',
    principal: 'the principal that creates, updates or reads the bundle',
    pages: [PAGES.agentCoreConfigurationBundle],
    build: (s) => AgentCoreConfigurationBundleEncryptionStatements.callerIdentity(s, keyArn,
      BedrockResourceType.AGENTCORE_CONFIGURATION_BUNDLE.arn(s, 'bundle-abc123')),
    conditions: {
      'kms:ViaService': { added: 'AgentCore makes these calls with the caller\'s identity (forward access sessions), which carry this endpoint.' },
      'kms:EncryptionContext:aws:bedrock-agentcore:configurationBundleArn': 'documented',
    },
  },
  {
    builder: 'AgentRegistryEncryptionStatements.callerKeyUse',
    placement: 'key policy',
    principal: 'the principal that creates the registry (for CloudFormation, the deployment role) and the principals that use it',
    pages: [PAGES.agentRegistry],
    build: (s) => AgentRegistryEncryptionStatements.callerKeyUse(s, role('cdk-hnb659fds-cfn-exec-role')),
    conditions: { 'kms:ViaService': 'documented' },
    note: 'The page gives one statement for creating and for using a registry, so creators and users get the same; its kms:CreateGrant '
      + 'carries no kms:GrantIsForAWSResource, which the page does not write.',
  },
  {
    builder: 'AgentRegistryEncryptionStatements.callerIdentity',
    placement: 'identity policy',
    principal: 'the principal that creates or uses the registry',
    pages: [PAGES.agentRegistry],
    build: (s) => AgentRegistryEncryptionStatements.callerIdentity(s, keyArn),
    conditions: { 'kms:ViaService': 'documented' },
  },
  {
    builder: 'BedrockServiceTrust.principal',
    placement: 'trust policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.confusedDeputy],
    build: (s) => [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [BedrockServiceTrust.principal(s, BedrockResourceType.AGENT)] })],
    conditions: { 'aws:SourceAccount': 'documented', 'aws:SourceArn': 'documented' },
  },
  {
    builder: 'BedrockServiceTrust.accountPrincipal',
    placement: 'trust policy',
    principal: 'bedrock.amazonaws.com',
    pages: [PAGES.invocationLogging, PAGES.confusedDeputy],
    build: (s) => [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [BedrockServiceTrust.accountPrincipal(s)] })],
    conditions: { 'aws:SourceAccount': 'documented', 'aws:SourceArn': 'documented' },
    note: 'Model invocation logging belongs to the account, not to one resource: aws:SourceArn is any Bedrock ARN of this account and region.',
  },
  {
    builder: 'AgentCoreServiceTrust.principal',
    placement: 'trust policy',
    principal: 'bedrock-agentcore.amazonaws.com',
    pages: [PAGES.agentCoreHarnessSecurity, PAGES.agentCoreRuntimePermissions],
    build: (s) => [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [AgentCoreServiceTrust.principal(s)] })],
    conditions: { 'aws:SourceAccount': 'documented', 'aws:SourceArn': 'documented' },
    note: 'aws:SourceArn is any AgentCore ARN of this account and region, as the pages write it: AgentCore validates a harness\'s role at '
      + 'CreateHarness with a source ARN that is not the harness\'s, so a harness/* pattern fails the creation.',
  },
];
