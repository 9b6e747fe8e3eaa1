/**
 * Snapshot of Amazon Bedrock AgentCore L1s encrypted by the BedrockCustomerManagedKey mixin with a
 * BedrockKey: a memory (the deployment role's key use through AgentCore) and a gateway (its
 * service role's key use through AgentCore, under the gateway encryption context), with the
 * BedrockEncryptionChecks aspect over the app (a finding would fail the synthesis).
 */
import { App, Aspects, Mixins, Stack } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import { synthIntegCase } from './integ-case';
import { BedrockCustomerManagedKey, BedrockEncryptionChecks, BedrockKey } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-agentcore');
const key = new BedrockKey(stack, 'Key');

new agentcore.CfnMemory(stack, 'Memory', { name: 'integ_memory', eventExpiryDuration: 30 });

const gatewayRole = new iam.Role(stack, 'GatewayRole', {
  assumedBy: new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com').withConditions({
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'bedrock-agentcore', resource: 'gateway', resourceName: '*' }) },
  }),
});
new agentcore.CfnGateway(stack, 'Gateway', {
  name: 'integ-gateway',
  authorizerType: 'AWS_IAM',
  protocolType: 'MCP',
  roleArn: gatewayRole.roleArn,
});

// every supported AgentCore L1 in the stack gets the key
Mixins.of(stack).apply(BedrockCustomerManagedKey.fromBedrockKey(key));
Aspects.of(app).add(new BedrockEncryptionChecks());

synthIntegCase(app, 'integ-agentcore', [stack]);
