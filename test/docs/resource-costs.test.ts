import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  EncryptedAgent, EncryptedBatchInference, EncryptedEvaluationJob, EncryptedFlow, EncryptedInvocationLogging,
  EncryptedKnowledgeBase, EncryptedModelCustomization, EncryptedModelImport,
} from '../../src';
import { PASS_THROUGH_FLOW } from '../flow/definitions';
import { testStack } from '../util/synthesized-policies';

/**
 * The README's table of what each construct costs in CloudFormation resources (the 500-per-stack
 * limit), measured: each construct with its defaults, and with a key given.
 */
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

const CONSTRUCTS: Record<string, (stack: Stack, encryptionKey?: kms.IKey) => void> = {
  EncryptedAgent: (s, encryptionKey) => new EncryptedAgent(s, 'C', {
    agentName: 'a', foundationModel: MODEL, instruction: 'You answer questions about orders, briefly.', encryptionKey,
  }),
  EncryptedFlow: (s, encryptionKey) => new EncryptedFlow(s, 'C', { flowName: 'f', definition: PASS_THROUGH_FLOW, encryptionKey }),
  EncryptedKnowledgeBase: (s, encryptionKey) => new EncryptedKnowledgeBase(s, 'C', { embeddingModel: 'amazon.titan-embed-text-v2:0', encryptionKey }),
  EncryptedEvaluationJob: (s, encryptionKey) => new EncryptedEvaluationJob(s, 'C', { evaluatorModels: [MODEL], encryptionKey }),
  EncryptedModelCustomization: (s, encryptionKey) => new EncryptedModelCustomization(s, 'C', { baseModel: 'amazon.titan-text-express-v1:0:8k', encryptionKey }),
  EncryptedModelImport: (s, encryptionKey) => new EncryptedModelImport(s, 'C', { encryptionKey }),
  EncryptedBatchInference: (s, encryptionKey) => new EncryptedBatchInference(s, 'C', { encryptionKey }),
  EncryptedInvocationLogging: (s, encryptionKey) => new EncryptedInvocationLogging(s, 'C', { encryptionKey }),
};

function resources(build: (stack: Stack, key?: kms.IKey) => void, withKey: boolean): number {
  const stack = testStack();
  const key = withKey ? new kms.Key(stack, 'Shared') : undefined;
  build(stack, key);
  // The shared key is the app's, not the construct's.
  return Object.keys(Template.fromStack(stack).toJSON().Resources).length - (withKey ? 1 : 0);
}

test("the README's table of resources per construct is what the constructs synthesize", () => {
  const measured = Object.entries(CONSTRUCTS).map(([name, build]) => `| \`${name}\` | ${resources(build, false)} | ${resources(build, true)} |`);
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const header = '| construct (defaults) | resources | with `encryptionKey` given |\n| --- | --- | --- |\n';
  const start = readme.indexOf(header);
  expect(start).toBeGreaterThan(0);
  const rows = readme.slice(start + header.length).split('\n');
  expect(rows.slice(0, rows.findIndex((row) => !row.startsWith('|')))).toEqual(measured);
});
