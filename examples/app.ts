/**
 * An example app: a support assistant whose agent, flow, knowledge base and evaluation job are
 * all encrypted with customer managed keys.
 *
 *   npx projen demo      # synthesizes this app with the cdk CLI and prints which key protects what
 */
import { App, Aspects, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  BedrockCustomerManagedKey, BedrockEncryptionChecks, BedrockKey, EncryptedAgent, EncryptedEvaluationJob, EncryptedFlow,
  EncryptedKnowledgeBase, KeyActivityMonitor,
} from '../src';

/** The support assistant's Bedrock resources. */
export class SupportAssistantStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The application that talks to the assistant.
    const frontend = new iam.Role(this, 'Frontend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // Product documentation: S3 data source, S3 Vectors index, ingestion and sessions under one key.
    const docs = new EncryptedKnowledgeBase(this, 'ProductDocs', {
      embeddingModel: 'amazon.titan-embed-text-v2:0',
      inclusionPrefixes: ['docs/'],
    });
    docs.grantRetrieveAndGenerate(frontend, 'anthropic.claude-3-5-sonnet-20240620-v1:0');

    const agent = new EncryptedAgent(this, 'SupportAgent', {
      agentName: 'support-agent',
      foundationModel: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
      instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
      memory: { storageDays: 30 },
      aliasName: 'live',
      knowledgeBases: [{ knowledgeBase: docs, description: 'Product manuals and FAQs' }],
    });
    agent.grantInvoke(frontend);
    new CfnOutput(this, 'AgentAliasArn', { value: agent.aliasArn! });

    // A flow that summarizes a ticket: input -> prompt (Claude 3 Haiku, inline) -> output.
    const text = { text: 'Summarize this support ticket in one sentence: {{ticket}}', inputVariables: [{ name: 'ticket' }] };
    const inline = { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', templateType: 'TEXT', templateConfiguration: { text } };
    const link = (source: string, sourceOutput: string, target: string, targetInput: string) =>
      ({ name: `${source}To${target}`, type: 'Data', source, target, configuration: { data: { sourceOutput, targetInput } } });
    const flow = new EncryptedFlow(this, 'TicketSummary', {
      flowName: 'ticket-summary',
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
        connections: [link('Ticket', 'document', 'Summarize', 'ticket'), link('Summarize', 'modelCompletion', 'Summary', 'document')],
      },
    });
    flow.grantInvoke(frontend);
    new CfnOutput(this, 'FlowAliasArn', { value: flow.aliasArn! });

    // A nightly evaluation of the answering model, run by a pipeline.
    const evaluation = new EncryptedEvaluationJob(this, 'AnswerQuality', {
      evaluatorModels: ['anthropic.claude-3-haiku-20240307-v1:0'],
    });
    const pipeline = new iam.Role(this, 'EvaluationPipeline', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    evaluation.grantCreateJob(pipeline);

    // A guardrail written as a plain L1, encrypted by the mixin with a key of its own.
    const guardrailKey = new BedrockKey(this, 'GuardrailKey');
    new bedrock.CfnGuardrail(this, 'ContentFilter', {
      name: 'support-content-filter',
      blockedInputMessaging: 'Sorry, I cannot help with that.',
      blockedOutputsMessaging: 'Sorry, I cannot answer that.',
      contentPolicyConfig: { filtersConfig: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
    }).with(BedrockCustomerManagedKey.fromBedrockKey(guardrailKey));

    // Alerts when someone disables, deletes or re-policies a key, or Bedrock's grants are bypassed.
    new KeyActivityMonitor(this, 'KeyActivity', {
      keys: [docs.encryptionKey, agent.encryptionKey, flow.encryptionKey, evaluation.encryptionKey, guardrailKey.key],
    });
  }
}

/** Adds the example stacks to `app`. */
export function buildExampleApp(app: App = new App()): App {
  new SupportAssistantStack(app, 'SupportAssistant');
  // Every Bedrock resource in the app, built with this library or not, must use a customer managed key.
  Aspects.of(app).add(new BedrockEncryptionChecks());
  return app;
}

if (require.main === module) {
  buildExampleApp().synth();
}
