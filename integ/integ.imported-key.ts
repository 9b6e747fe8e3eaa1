/**
 * Snapshot of Bedrock resources on an imported key (`Key.fromKeyArn`): the key-policy statements
 * they need are the `KeyPolicyToAdd` output and a file of the cloud assembly, with the roles
 * named by fixed names, so the key's administrator can add them before the first deployment.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PASS_THROUGH_FLOW } from './flow-definitions';
import { synthIntegCase } from './integ-case';
import { EncryptedAgent, EncryptedFlow } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-imported-key');
const key = kms.Key.fromKeyArn(stack, 'TeamKey', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');

new EncryptedAgent(stack, 'Agent', {
  agentName: 'integ-imported-key-agent',
  foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
  instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
  memory: { storageDays: 30 },
  encryptionKey: key,
});
new EncryptedFlow(stack, 'Flow', {
  flowName: 'integ-imported-key-flow',
  encryptionKey: key,
  definition: PASS_THROUGH_FLOW,
});

synthIntegCase(app, 'integ-imported-key', [stack]);
