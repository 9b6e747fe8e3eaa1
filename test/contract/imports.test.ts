import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EncryptedAgent, EncryptedFlow, EncryptedKnowledgeBase } from '../../src';
import { KeyAdministrationStatements } from '../../src/policy';
import { BedrockEncryptionError } from '../../src/private/validation';
import { policyDocument, SCOPE } from '../util/statements';
import { evaluatePolicies, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

/**
 * Agents, flows and knowledge bases that exist already: `fromXxxAttributes` gives them the same
 * grants as the constructs, evaluated with the IAM engine, and a look-alike is denied.
 */
const KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const bedrock = (resource: string) => `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:${resource}`;
const AGENT = bedrock('agent/AGENT12345');
const ALIAS = bedrock('agent-alias/AGENT12345/ALIAS12345');
const FLOW = bedrock('flow/FLOW123456');
const KB = bedrock('knowledge-base/KBASE12345');
const VIA_BEDROCK = `bedrock.${TEST_REGION}.amazonaws.com`;

/** A key request by `principal` to the imported key, whose policy delegates to the account (as a BedrockKey's does). */
function keyDecision(p: SynthesizedPolicies, principal: string, caller: iam.Role, action: string, context: Record<string, string>) {
  return evaluatePolicies({
    principal,
    action,
    resource: KEY_ARN,
    resourceAccount: TEST_ACCOUNT,
    resourcePolicy: policyDocument(...KeyAdministrationStatements.accountRootKeyUse(SCOPE)),
    identityPolicies: p.identityPolicies(caller),
    context,
  });
}

function setup() {
  const stack = testStack();
  const key = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
  const role = iam.Role.fromRoleArn(stack, 'ServiceRole', `arn:aws:iam::${TEST_ACCOUNT}:role/service`, { mutable: false });
  const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
  return { stack, key, role, caller };
}

describe('EncryptedAgent.fromAgentAttributes', () => {
  test('grantInvoke: the alias, and the key for this agent only', () => {
    const { stack, key, role, caller } = setup();
    const agent = EncryptedAgent.fromAgentAttributes(stack, 'Agent', { agentArn: AGENT, aliasArn: ALIAS, encryptionKey: key, role });
    expect(agent.agentId).toBe('AGENT12345');
    expect(agent.grantPrincipal).toBe(role);
    agent.grantInvoke(caller);
    const p = SynthesizedPolicies.of(stack);
    const principal = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(caller)}`;
    expect(p.evaluateIdentity({ principal, action: 'bedrock:InvokeAgent', resource: ALIAS })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal, action: 'bedrock:InvokeAgent', resource: bedrock('agent-alias/AGENT12345/OTHER12345') })).toBe('ImplicitlyDenied');
    const context = (arn: string) => ({ 'kms:EncryptionContext:aws:bedrock:arn': arn });
    expect(keyDecision(p, principal, caller, 'kms:Decrypt', context(AGENT))).toBe('Allowed');
    expect(keyDecision(p, principal, caller, 'kms:Decrypt', context(bedrock('agent/OTHER12345')))).toBe('ImplicitlyDenied');
  });

  test('a bad ARN: a clear error, nothing created', () => {
    const { stack, key, role } = setup();
    expect(() => EncryptedAgent.fromAgentAttributes(stack, 'Agent', { agentArn: FLOW, encryptionKey: key, role }))
      .toThrow(BedrockEncryptionError);
    expect(stack.node.tryFindChild('Agent')).toBeUndefined();
  });
});

describe('EncryptedFlow.fromFlowAttributes', () => {
  test('grantInvoke and grantManage: this flow only, the key through Bedrock only, PassRole to Bedrock', () => {
    const { stack, key, role, caller } = setup();
    const flow = EncryptedFlow.fromFlowAttributes(stack, 'Flow', { flowArn: FLOW, encryptionKey: key, role });
    flow.grantInvoke(caller);
    flow.grantManage(caller);
    const p = SynthesizedPolicies.of(stack);
    const principal = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(caller)}`;
    expect(p.evaluateIdentity({ principal, action: 'bedrock:InvokeFlow', resource: `${FLOW}/alias/TSTALIASID` })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal, action: 'bedrock:InvokeFlow', resource: `${bedrock('flow/OTHER12345')}/alias/TSTALIASID` })).toBe('ImplicitlyDenied');
    expect(p.evaluateIdentity({ principal, action: 'bedrock:UpdateFlow', resource: FLOW })).toBe('Allowed');
    expect(p.evaluateIdentity({
      principal, action: 'iam:PassRole', resource: role.roleArn, context: { 'iam:PassedToService': 'bedrock.amazonaws.com' },
    })).toBe('Allowed');
    const context = { 'kms:EncryptionContext:aws:bedrock-flows:arn': FLOW, 'kms:ViaService': VIA_BEDROCK };
    expect(keyDecision(p, principal, caller, 'kms:GenerateDataKey', context)).toBe('Allowed');
    expect(keyDecision(p, principal, caller, 'kms:GenerateDataKey', { ...context, 'kms:ViaService': `s3.${TEST_REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });
});

describe('EncryptedKnowledgeBase.fromKnowledgeBaseAttributes', () => {
  test('grants, and an agent can be associated with it', () => {
    const { stack, key, role, caller } = setup();
    const kb = EncryptedKnowledgeBase.fromKnowledgeBaseAttributes(stack, 'Docs', { knowledgeBaseArn: KB, encryptionKey: key, retrievalSessionKey: key, role });
    expect(kb.knowledgeBaseId).toBe('KBASE12345');
    expect(kb.retrievalSessionKeyArn).toBe(KEY_ARN);
    kb.grantRetrieve(caller);
    kb.grantStartIngestion(caller);
    new EncryptedAgent(stack, 'Agent', {
      agentName: 'a',
      foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
      instruction: 'You answer questions about orders, politely and briefly.',
      knowledgeBases: [{ knowledgeBase: kb, description: 'Manuals' }],
    });
    const p = SynthesizedPolicies.of(stack);
    const principal = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(caller)}`;
    expect(p.evaluateIdentity({ principal, action: 'bedrock:Retrieve', resource: KB })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal, action: 'bedrock:StartIngestionJob', resource: KB })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal, action: 'bedrock:Retrieve', resource: bedrock('knowledge-base/OTHER12345') })).toBe('ImplicitlyDenied');
    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::Agent', {
      KnowledgeBases: [Match.objectLike({ KnowledgeBaseId: 'KBASE12345' })],
    });
  });
});

describe('EncryptedKnowledgeBase is grantable', () => {
  test('granting to the knowledge base grants to its role', () => {
    const stack = testStack();
    const kb = new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: 'amazon.titan-embed-text-v2:0' });
    expect(kb.grantPrincipal).toBe(kb.role);
    const secret = new kms.Key(stack, 'Other');
    secret.grantDecrypt(kb);
    const p = SynthesizedPolicies.of(stack);
    const roleArn = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(kb.role)}`;
    expect(p.evaluate({ principal: roleArn, action: 'kms:Decrypt' }, secret)).toBe('Allowed');
  });
});
