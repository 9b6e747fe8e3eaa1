/**
 * Snapshot of a key in a central stack used by Bedrock resources in two other stacks of the app:
 * an agent with memory and an alias, a flow, and a knowledge base. The key stack depends on
 * nothing; each resource stack depends on the key stack only (no cycle).
 */
import { App, Stack } from 'aws-cdk-lib';
import { PASS_THROUGH_FLOW } from './flow-definitions';
import { synthIntegCase } from './integ-case';
import { BedrockKey, EncryptedAgent, EncryptedFlow, EncryptedKnowledgeBase } from '../src';

const app = new App();
const keyStack = new Stack(app, 'integ-bedrock-encryption-central-key');
const key = new BedrockKey(keyStack, 'Key', { alias: 'bedrock/integ-central' });

const agentStack = new Stack(app, 'integ-bedrock-encryption-central-key-agents');
new EncryptedAgent(agentStack, 'Agent', {
  agentName: 'integ-central-agent',
  foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
  instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
  memory: { storageDays: 30 },
  aliasName: 'live',
  encryptionKey: key.key,
});
new EncryptedFlow(agentStack, 'Flow', {
  flowName: 'integ-central-flow',
  encryptionKey: key.key,
  definition: PASS_THROUGH_FLOW,
});

const knowledgeStack = new Stack(app, 'integ-bedrock-encryption-central-key-knowledge');
new EncryptedKnowledgeBase(knowledgeStack, 'Docs', { embeddingModel: 'amazon.titan-embed-text-v2:0', encryptionKey: key.key });

synthIntegCase(app, 'integ-central-key-stack', [keyStack, agentStack, knowledgeStack]);
