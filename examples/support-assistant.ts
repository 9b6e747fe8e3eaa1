/**
 * The core of the example: an application role, a knowledge base of product documentation, an
 * agent that uses it, and a flow that summarizes tickets, each under its own customer managed key.
 * Shared by the example app, the benchmark and the flow's integ snapshot.
 */
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EncryptedAgent, EncryptedFlow, EncryptedKnowledgeBase } from '../src';

/** Input -> prompt (inline, one model) -> output: summarizes a support ticket in one sentence. */
export function ticketSummaryDefinition(modelId = 'anthropic.claude-3-haiku-20240307-v1:0'): bedrock.CfnFlow.FlowDefinitionProperty {
  const text = { text: 'Summarize this support ticket in one sentence: {{ticket}}', inputVariables: [{ name: 'ticket' }] };
  const inline = { modelId, templateType: 'TEXT', templateConfiguration: { text } };
  const link = (source: string, sourceOutput: string, target: string, targetInput: string) =>
    ({ name: `${source}To${target}`, type: 'Data', source, target, configuration: { data: { sourceOutput, targetInput } } });
  return {
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
    connections: [link('Ticket', 'document', 'Summarize', 'ticket'), link('Summarize', 'modelCompletion', 'Summary', 'document')],
  };
}

/** What {@link addSupportAssistant} creates. */
export interface SupportAssistant {
  readonly frontend: iam.Role;
  readonly docs: EncryptedKnowledgeBase;
  readonly agent: EncryptedAgent;
  readonly flow: EncryptedFlow;
}

/** Adds the assistant to `scope`; the frontend role may use all of it. */
export function addSupportAssistant(scope: Construct): SupportAssistant {
  const frontend = new iam.Role(scope, 'Frontend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

  // Product documentation: S3 data source, S3 Vectors index, ingestion and sessions under one key.
  const docs = new EncryptedKnowledgeBase(scope, 'ProductDocs', {
    embeddingModel: 'amazon.titan-embed-text-v2:0',
    inclusionPrefixes: ['docs/'],
  });
  docs.grantRetrieveAndGenerate(frontend, 'anthropic.claude-3-5-sonnet-20240620-v1:0');

  const agent = new EncryptedAgent(scope, 'SupportAgent', {
    agentName: 'support-agent',
    foundationModel: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
    instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
    memory: { storageDays: 30 },
    aliasName: 'live',
    knowledgeBases: [{ knowledgeBase: docs, description: 'Product manuals and FAQs' }],
  });
  agent.grantInvoke(frontend);

  const flow = new EncryptedFlow(scope, 'TicketSummary', {
    flowName: 'ticket-summary',
    aliasName: 'live',
    definition: ticketSummaryDefinition(),
  });
  flow.grantInvoke(frontend);

  return { frontend, docs, agent, flow };
}
