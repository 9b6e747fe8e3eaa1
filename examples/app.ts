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
import { addSupportAssistant } from './support-assistant';
import { BedrockCustomerManagedKey, BedrockEncryptionChecks, BedrockKey, EncryptedEvaluationJob, KeyActivityMonitor } from '../src';

/** The support assistant's Bedrock resources. */
export class SupportAssistantStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const { docs, agent, flow } = addSupportAssistant(this);
    new CfnOutput(this, 'AgentAliasArn', { value: agent.aliasArn! });
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
