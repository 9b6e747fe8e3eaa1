import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AgentCoreEvaluatorEncryptionStatements, AgentCoreGatewayEncryptionStatements, AgentCoreMemoryEncryptionStatements,
  AgentCorePolicyEngineEncryptionStatements, AgentCoreResourceType,
} from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION } from '../fixtures/seed-statements';
import { decideAsRole, normalize, rendered, SCOPE, withGrantsForAwsResources } from '../util/statements';
import { OTHER_ACCOUNT } from '../util/synthesized-policies';

const VIA = `bedrock-agentcore.${REGION}.amazonaws.com`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/GatewayServiceRole`;
const GRANT_FOR_AWS = { Bool: { 'kms:GrantIsForAWSResource': 'true' } };

/** AWS JSON from https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/storage-encryption.html, placeholders filled in. */
const MEMORY = {
  Effect: 'Allow',
  Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'],
  Resource: KEY_ARN,
  Condition: { StringEquals: { 'kms:ViaService': VIA } },
};

/** AWS JSON from https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-encryption.html (first three statements), for every gateway of the account. */
const GATEWAY_CONTEXT = { 'kms:EncryptionContext:aws:bedrock-agentcore-gateway:arn': `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:gateway/*` };
const GATEWAY = [
  { Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': VIA } } },
  {
    Effect: 'Allow',
    Principal: { AWS: ROLE },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': VIA }, StringLike: GATEWAY_CONTEXT },
  },
  {
    Effect: 'Allow',
    Principal: { AWS: ROLE },
    Action: 'kms:CreateGrant',
    Resource: '*',
    Condition: {
      'StringEquals': { 'kms:ViaService': VIA, 'kms:GrantConstraintType': 'EncryptionContextSubset' },
      'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'GenerateDataKey'] },
      'StringLike': GATEWAY_CONTEXT,
      ...GRANT_FOR_AWS,
    },
  },
];

/** AWS JSON from https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/evaluations-encryption.html, "AllowServicePrincipalDecrypt", for every evaluator of the account. */
const EVALUATOR_SERVICE = {
  Effect: 'Allow',
  Principal: { Service: 'bedrock-agentcore.amazonaws.com' },
  Action: 'kms:Decrypt',
  Resource: '*',
  Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:evaluator/*` } },
};

describe('AgentCore pages, field by field', () => {
  test('memory: creatorIdentity is the page\'s policy, with kms:GrantIsForAWSResource on CreateGrant', () => {
    expect(rendered(AgentCoreMemoryEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN))).toEqual(withGrantsForAwsResources(MEMORY));
  });

  test('gateway: serviceRoleKeyUse is the page\'s key policy for this account\'s gateways, with kms:GrantIsForAWSResource on CreateGrant', () => {
    expect(rendered(AgentCoreGatewayEncryptionStatements.serviceRoleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE)))).toEqual(GATEWAY.map(normalize));
  });

  test('evaluator: serviceKeyUse is the page\'s service statement for this account\'s evaluators', () => {
    expect(rendered(AgentCoreEvaluatorEncryptionStatements.serviceKeyUse(SCOPE))).toEqual([normalize(EVALUATOR_SERVICE)]);
  });
});

describe('identity statements, evaluated', () => {
  const engine = (account: string) => AgentCoreResourceType.POLICY_ENGINE.arn({ ...SCOPE, account }, 'engine-abc123');
  const context = (account: string, via = VIA) => ({
    'kms:ViaService': via, 'kms:EncryptionContext:aws:bedrock-agentcore-policy:policy-engine-arn': engine(account),
  });
  const statements = AgentCorePolicyEngineEncryptionStatements.callerIdentity(SCOPE, KEY_ARN, AgentCoreResourceType.POLICY_ENGINE.arnPattern(SCOPE));

  test('policy engine: data keys for this account\'s policy engines through AgentCore only', () => {
    expect(decideAsRole(statements, 'kms:GenerateDataKey', context(ACCOUNT))).toBe('Allowed');
    expect(decideAsRole(statements, 'kms:GenerateDataKey', context(OTHER_ACCOUNT))).toBe('ImplicitlyDenied');
    expect(decideAsRole(statements, 'kms:GenerateDataKey', context(ACCOUNT, `bedrock.${REGION}.amazonaws.com`))).toBe('ImplicitlyDenied');
  });

  test('memory: only through AgentCore', () => {
    const memory = AgentCoreMemoryEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN);
    expect(decideAsRole(memory, 'kms:GenerateDataKeyWithoutPlaintext', { 'kms:ViaService': VIA })).toBe('Allowed');
    expect(decideAsRole(memory, 'kms:GenerateDataKeyWithoutPlaintext', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });
});
