/**
 * Snapshot of the app-wide pieces: plain Bedrock L1s (guardrail, prompt) encrypted by the
 * BedrockCustomerManagedKey mixin, a KeyActivityMonitor watching the key, and the
 * BedrockEncryptionChecks aspect over the app (a finding would fail the synthesis).
 */
import { App, Aspects, Mixins, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { synthIntegCase } from './integ-case';
import { BedrockCustomerManagedKey, BedrockEncryptionChecks, BedrockKey, KeyActivityMonitor } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-mixin-monitor');
const key = new BedrockKey(stack, 'Key');

new bedrock.CfnGuardrail(stack, 'Guardrail', {
  name: 'integ-guardrail',
  blockedInputMessaging: 'Blocked.',
  blockedOutputsMessaging: 'Blocked.',
  contentPolicyConfig: { filtersConfig: [{ type: 'VIOLENCE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
});
new bedrock.CfnPrompt(stack, 'Prompt', {
  name: 'integ-prompt',
  variants: [{
    name: 'default',
    templateType: 'TEXT',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    templateConfiguration: { text: { text: 'Summarize: {{input}}', inputVariables: [{ name: 'input' }] } },
  }],
});
new KeyActivityMonitor(stack, 'KeyActivity', { keys: [key.key] });

// every supported Bedrock L1 in the stack gets the key
Mixins.of(stack).apply(BedrockCustomerManagedKey.fromBedrockKey(key));
Aspects.of(app).add(new BedrockEncryptionChecks());

synthIntegCase(app, 'integ-mixin-and-monitor', [stack]);
