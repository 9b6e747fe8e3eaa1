/**
 * Snapshot of an encrypted agent with memory, an alias, a knowledge base and an invoking caller.
 *
 *   npx integ-runner --directory integ --language typescript ... (see test/integ/README.md)
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { synthIntegCase } from './integ-case';
import { EncryptedAgent, EncryptedKnowledgeBase } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-agent');

const docs = new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: 'amazon.titan-embed-text-v2:0' });
const agent = new EncryptedAgent(stack, 'Agent', {
  agentName: 'integ-agent',
  foundationModel: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
  instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
  memory: { storageDays: 30 },
  aliasName: 'live',
  knowledgeBases: [{ knowledgeBase: docs, description: 'Product manuals' }],
});
agent.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));

synthIntegCase(app, 'integ-agent', [stack]);
