/**
 * The stacks the proof suites check: the example app's stacks plus one stack per construct
 * variant the example does not use, so every construct and vector store is covered.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { buildExampleApp } from '../../examples/app';
import { EncryptedAgent, EncryptedKnowledgeBase, EncryptedModelCustomization, EncryptedModelImport, VectorStore } from '../../src';
import { TEST_ACCOUNT, TEST_REGION } from '../util/synthesized-policies';

const env = { account: TEST_ACCOUNT, region: TEST_REGION };
const EMBEDDING_MODEL = 'amazon.titan-embed-text-v2:0';
export const IMPORTED_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SECRET_ARN = `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:pinecone-creds-AbCdEf`;

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
