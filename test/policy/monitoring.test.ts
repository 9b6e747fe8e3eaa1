import { MonitoringStatements } from '../../src/policy/monitoring';
import { policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies } from '../util/synthesized-policies';

const RULE = `arn:aws:events:${SCOPE.region}:${SCOPE.account}:rule/monitor-DisableKey`;
const OTHER_RULE = `arn:aws:events:${SCOPE.region}:${SCOPE.account}:rule/monitor-PutKeyPolicy`;
const TOPIC = `arn:aws:sns:${SCOPE.region}:${SCOPE.account}:alerts`;
const KEY = `arn:aws:kms:${SCOPE.region}:${SCOPE.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

describe('MonitoringStatements', () => {
  test('ruleArn builds a default-bus rule ARN from a name', () => {
    expect(MonitoringStatements.ruleArn(SCOPE, 'monitor-DisableKey')).toBe(RULE);
  });

  test('eventBridgeKeyUse: Decrypt and GenerateDataKey for events.amazonaws.com, conditioned on the rules and account', () => {
    expect(rendered(MonitoringStatements.eventBridgeKeyUse(SCOPE, [RULE, OTHER_RULE]))).toEqual([{
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com'] },
      Action: ['kms:decrypt', 'kms:generatedatakey'],
      Resource: ['*'],
      Condition: { StringEquals: { 'aws:SourceAccount': SCOPE.account }, ArnEquals: { 'aws:SourceArn': [RULE, OTHER_RULE] } },
    }]);
    expect(rendered(MonitoringStatements.eventBridgeKeyUse(SCOPE, [RULE]))[0].Condition.ArnEquals).toEqual({ 'aws:SourceArn': RULE });
  });

  test('eventBridgeKeyUse allows only the named rules of the account', () => {
    const ask = (action: string, context: Record<string, string>) => evaluatePolicies({
      principal: 'events.amazonaws.com',
      action,
      resource: KEY,
      resourceAccount: SCOPE.account,
      resourcePolicy: policyDocument(...MonitoringStatements.eventBridgeKeyUse(SCOPE, [RULE])),
      context,
    });
    expect(ask('kms:GenerateDataKey', { 'aws:SourceArn': RULE, 'aws:SourceAccount': SCOPE.account })).toBe('Allowed');
    expect(ask('kms:Decrypt', { 'aws:SourceArn': RULE, 'aws:SourceAccount': SCOPE.account })).toBe('Allowed');
    expect(ask('kms:Decrypt', { 'aws:SourceArn': OTHER_RULE, 'aws:SourceAccount': SCOPE.account })).toBe('ImplicitlyDenied');
    expect(ask('kms:Decrypt', { 'aws:SourceArn': RULE, 'aws:SourceAccount': '222222222222' })).toBe('ImplicitlyDenied');
    expect(ask('kms:Encrypt', { 'aws:SourceArn': RULE, 'aws:SourceAccount': SCOPE.account })).toBe('ImplicitlyDenied');
  });

  test('eventBridgePublish: sns:Publish on the topic for the named rules', () => {
    const statements = MonitoringStatements.eventBridgePublish(SCOPE, TOPIC, [RULE]);
    expect(rendered(statements)).toEqual([{
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com'] },
      Action: ['sns:publish'],
      Resource: [TOPIC],
      Condition: { StringEquals: { 'aws:SourceAccount': SCOPE.account }, ArnEquals: { 'aws:SourceArn': RULE } },
    }]);
    const ask = (sourceArn: string) => evaluatePolicies({
      principal: 'events.amazonaws.com',
      action: 'sns:Publish',
      resource: TOPIC,
      resourceAccount: SCOPE.account,
      resourcePolicy: policyDocument(...statements),
      context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': SCOPE.account },
    });
    expect(ask(RULE)).toBe('Allowed');
    expect(ask(OTHER_RULE)).toBe('ImplicitlyDenied');
  });
});
