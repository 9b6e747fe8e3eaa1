/**
 * Snapshot of an encrypted flow (input -> inline prompt -> output) with a version, an alias and
 * an invoking caller.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { synthIntegCase } from './integ-case';
import { EncryptedFlow } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-flow');

const text = { text: 'Summarize this support ticket in one sentence: {{ticket}}', inputVariables: [{ name: 'ticket' }] };
const inline = { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', templateType: 'TEXT', templateConfiguration: { text } };
const flow = new EncryptedFlow(stack, 'Flow', {
  flowName: 'integ-flow',
  aliasName: 'live',
  definition: {
    nodes: [
      { name: 'Ticket', type: 'Input', configuration: { input: {} }, outputs: [{ name: 'document', type: 'String' }] },
      {
        name: 'Summarize',
        type: 'Prompt',
        configuration: { prompt: { sourceConfiguration: { inline } } },
        inputs: [{ name: 'ticket', type: 'String', expression: '$.data' }],
        outputs: [{ name: 'modelCompletion', type: 'String' }],
      },
      { name: 'Summary', type: 'Output', configuration: { output: {} }, inputs: [{ name: 'document', type: 'String', expression: '$.data' }] },
    ],
    connections: [
      { name: 'TicketToSummarize', type: 'Data', source: 'Ticket', target: 'Summarize', configuration: { data: { sourceOutput: 'document', targetInput: 'ticket' } } },
      { name: 'SummarizeToSummary', type: 'Data', source: 'Summarize', target: 'Summary', configuration: { data: { sourceOutput: 'modelCompletion', targetInput: 'document' } } },
    ],
  },
});
flow.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));

synthIntegCase(app, 'integ-flow', [stack]);
