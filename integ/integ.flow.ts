/**
 * Snapshot of an encrypted flow (input -> inline prompt -> output) with a version, an alias and
 * an invoking caller.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { synthIntegCase } from './integ-case';
import { ticketSummaryDefinition } from '../examples/support-assistant';
import { EncryptedFlow } from '../src';

const app = new App();
const stack = new Stack(app, 'integ-bedrock-encryption-flow');

const flow = new EncryptedFlow(stack, 'Flow', {
  flowName: 'integ-flow',
  aliasName: 'live',
  definition: ticketSummaryDefinition(),
});
flow.grantInvoke(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));

synthIntegCase(app, 'integ-flow', [stack]);
