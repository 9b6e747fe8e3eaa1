/**
 * The stacks the proof suites check: the example app's stacks plus one stack per construct
 * variant the example does not use, so every construct and vector store is covered.
 */
import { App, CfnResource, Mixins, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { buildExampleApp } from '../../examples/app';
import {
  BedrockCustomerManagedKey, BedrockKey, EncryptedAgent, EncryptedBatchInference, EncryptedHarness, EncryptedInvocationLogging,
  EncryptedKnowledgeBase, EncryptedModelCustomization, EncryptedModelImport, EncryptedTokenVault, KnowledgeBaseReference, VectorStore,
} from '../../src';
import { TEST_ACCOUNT, TEST_REGION } from '../util/synthesized-policies';

const env = { account: TEST_ACCOUNT, region: TEST_REGION };
const EMBEDDING_MODEL = 'amazon.titan-embed-text-v2:0';
export const IMPORTED_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SECRET_ARN = `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:pinecone-creds-AbCdEf`;
export const IMPORTED_ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/SupportAgentRole`;

/**
 * `AWS::Bedrock::Session` as a typed L1: aws-cdk-lib's `CfnSession` where the installed version has
 * it (newer than the minimum), otherwise a stand-in rendered the way generated L1s are.
 */
function cfnSession(scope: Construct, id: string): CfnResource {
  const Generated = (bedrock as any).CfnSession;
  if (Generated) return new Generated(scope, id, {});
  class CfnSessionLike extends CfnResource {
    public encryptionKeyArn?: string;
    constructor() { super(scope, id, { type: 'AWS::Bedrock::Session' }); }
    protected get cfnProperties(): Record<string, any> { return { encryptionKeyArn: this.encryptionKeyArn }; }
    protected renderProperties(props: Record<string, any>): Record<string, any> { return { EncryptionKeyArn: props.encryptionKeyArn }; }
  }
  return new CfnSessionLike();
}

/** A builder of one variant stack in `app`. */
export type StackBuilder = (app: App) => Stack;

/** The variants that examples/app.ts does not build, by stack name. */
export const VARIANTS: Record<string, StackBuilder> = {
  KnowledgeBaseOpenSearch: (app) => {
    const stack = new Stack(app, 'KnowledgeBaseOpenSearch', { env });
    new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: EMBEDDING_MODEL, vectorStore: VectorStore.openSearchServerless() });
    return stack;
  },
  KnowledgeBasePinecone: (app) => {
    const stack = new Stack(app, 'KnowledgeBasePinecone', { env });
    const secretKey = new kms.Key(stack, 'SecretKey', { enableKeyRotation: true });
    const secret = secretsmanager.Secret.fromSecretAttributes(stack, 'Creds', { secretCompleteArn: SECRET_ARN, encryptionKey: secretKey });
    new EncryptedKnowledgeBase(stack, 'Docs', {
      embeddingModel: EMBEDDING_MODEL,
      vectorStore: VectorStore.pinecone({ connectionString: 'https://docs-abc.svc.pinecone.io', credentialsSecret: secret }),
    });
    return stack;
  },
  ModelCustomization: (app) => {
    const stack = new Stack(app, 'ModelCustomization', { env });
    new EncryptedModelCustomization(stack, 'FineTune', { baseModel: 'amazon.titan-text-express-v1:0:8k' });
    return stack;
  },
  ModelImport: (app) => {
    const stack = new Stack(app, 'ModelImport', { env });
    new EncryptedModelImport(stack, 'Import');
    return stack;
  },
  BatchInference: (app) => {
    const stack = new Stack(app, 'BatchInference', { env });
    new EncryptedBatchInference(stack, 'Batch');
    return stack;
  },
  InvocationLogging: (app) => {
    const stack = new Stack(app, 'InvocationLogging', { env });
    new EncryptedInvocationLogging(stack, 'Logging');
    return stack;
  },
  AgentImportedKey: (app) => {
    const stack = new Stack(app, 'AgentImportedKey', { env });
    new EncryptedAgent(stack, 'Agent', {
      agentName: 'imported-key-agent',
      foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
      instruction: 'You answer questions about orders, politely and briefly.',
      encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', IMPORTED_KEY_ARN),
    });
    return stack;
  },
  AgentImportedRole: (app) => {
    const stack = new Stack(app, 'AgentImportedRole', { env });
    new EncryptedAgent(stack, 'Agent', {
      agentName: 'imported-role-agent',
      foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
      instruction: 'You answer questions about orders, politely and briefly.',
      role: iam.Role.fromRoleArn(stack, 'ImportedRole', IMPORTED_ROLE_ARN, { mutable: false }),
    });
    return stack;
  },
  // The mixin on the supported L1s no construct of the library creates on its own (the agent, flow
  // and data source are in the example app; a guardrail and a prompt in the mixin's integ app).
  MixinEveryType: (app) => {
    const stack = new Stack(app, 'MixinEveryType', { env });
    const key = new BedrockKey(stack, 'Key');
    const role = new iam.Role(stack, 'DataAutomationUser', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new bedrock.CfnPrompt(stack, 'Prompt', { name: 'summarize' });
    new bedrock.CfnGuardrail(stack, 'Guardrail', {
      name: 'content-filter',
      blockedInputMessaging: 'Sorry, I cannot help with that.',
      blockedOutputsMessaging: 'Sorry, I cannot answer that.',
      contentPolicyConfig: { filtersConfig: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
    });
    cfnSession(stack, 'Session');
    new bedrock.CfnDataAutomationProject(stack, 'Project', { projectName: 'invoices' });
    new bedrock.CfnBlueprint(stack, 'Blueprint', {
      blueprintName: 'invoice',
      type: 'DOCUMENT',
      schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { total: { type: 'number' } } },
    });
    Mixins.of(stack).apply(BedrockCustomerManagedKey.fromBedrockKey(key, { keyUsers: [role] }));
    return stack;
  },
  // The AgentCore L1s of the minimum aws-cdk-lib, through the mixin: a memory and a gateway.
  AgentCore: (app) => {
    const stack = new Stack(app, 'AgentCore', { env });
    const key = new BedrockKey(stack, 'Key');
    new agentcore.CfnMemory(stack, 'Memory', { name: 'support_memory', eventExpiryDuration: 30 });
    const role = new iam.Role(stack, 'GatewayRole', {
      assumedBy: new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:bedrock-agentcore:${TEST_REGION}:${TEST_ACCOUNT}:gateway/*` },
      }),
    });
    new agentcore.CfnGateway(stack, 'Gateway', { name: 'tools', authorizerType: 'AWS_IAM', protocolType: 'MCP', roleArn: role.roleArn });
    Mixins.of(stack).apply(BedrockCustomerManagedKey.fromBedrockKey(key));
    return stack;
  },
  // The AgentCore agent: a harness with its managed memory, a Lambda tool behind a gateway, a knowledge base, a caller, the token vault's key.
  Harness: (app) => {
    const stack = new Stack(app, 'Harness', { env });
    const harness = new EncryptedHarness(stack, 'Agent', {
      harnessName: 'support_agent',
      foundationModel: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
      instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
      tools: [{
        function: lambda.Function.fromFunctionArn(stack, 'LookupOrder', `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:lookup-order`),
        name: 'lookup_order',
        description: 'Finds an order by its number',
      }],
      knowledgeBases: [KnowledgeBaseReference.fromAttributes({
        knowledgeBaseId: 'KB12345678', knowledgeBaseArn: `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:knowledge-base/KB12345678`,
      })],
    });
    harness.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
    new EncryptedTokenVault(stack, 'TokenVault', { encryptionKey: harness.encryptionKey });
    return stack;
  },
  // A key in a stack of its own, and an agent in another (CentralKeyAgent): the key policy names the agent's role by aws:PrincipalArn.
  CentralKey: (app) => {
    const stack = new Stack(app, 'CentralKey', { env });
    new BedrockKey(stack, 'Key');
    return stack;
  },
  CentralKeyAgent: (app) => {
    const keys = (app.node.tryFindChild('CentralKey') as Stack | undefined) ?? VARIANTS.CentralKey(app);
    const stack = new Stack(app, 'CentralKeyAgent', { env });
    new EncryptedAgent(stack, 'Agent', {
      agentName: 'central-key-agent',
      foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
      instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
      encryptionKey: (keys.node.findChild('Key') as BedrockKey).key,
    });
    return stack;
  },
};

/** Options for {@link proofApp}. */
export interface ProofAppOptions {
  /** Runs on the app before any stack is built (for example to add cdk-nag Aspects). */
  readonly prepare?: (app: App) => void;
  /** Build only these stacks (names not in {@link VARIANTS} are the example app's). Default: all. */
  readonly only?: string[];
}

/** A new app holding the stacks to check. */
export function proofApp(options: ProofAppOptions = {}): { app: App; stacks: Stack[] } {
  const app = new App();
  options.prepare?.(app);
  const only = options.only;
  if (!only || only.some((name) => !(name in VARIANTS))) buildExampleApp(app);
  for (const [name, build] of Object.entries(VARIANTS)) {
    if (!only || only.includes(name)) build(app);
  }
  const stacks = app.node.children.filter((c): c is Stack => c instanceof Stack && (!only || only.includes(c.stackName)));
  return { app, stacks };
}
