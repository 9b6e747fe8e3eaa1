/**
 * Snapshot of an agent on the AgentCore managed harness: its managed memory under the key, a Lambda
 * tool behind an encrypted gateway, a knowledge base, an invoking caller, and the token vault's key.
 *
 *   npx integ-runner --directory integ --language typescript ... (see test/integ/README.md)
 */
import { App, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { synthIntegCase } from './integ-case';
import { EncryptedHarness, EncryptedKnowledgeBase, EncryptedTokenVault } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-harness');

const docs = new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: 'amazon.titan-embed-text-v2:0' });
const lookupOrder = lambda.Function.fromFunctionArn(stack, 'LookupOrder',
  stack.formatArn({ service: 'lambda', resource: 'function', resourceName: 'lookup-order', arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
const harness = new EncryptedHarness(stack, 'Agent', {
  harnessName: 'integ_agent',
  foundationModel: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
  instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
  maxIterations: 20,
  memory: { storageDays: 30 },
  tools: [{
    function: lookupOrder,
    name: 'lookup_order',
    description: 'Finds an order by its number',
    inputSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
  }],
  knowledgeBases: [docs],
});
harness.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));

const tokenVault = new EncryptedTokenVault(stack, 'TokenVault', { encryptionKey: harness.encryptionKey });
tokenVault.grantUse(harness.role);

synthIntegCase(app, 'integ-harness', [stack]);
