import { MonitoringStatements } from '../../src/policy/monitoring';
import { policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies } from '../util/synthesized-policies';

const RULE = `arn:aws:events:${SCOPE.region}:${SCOPE.account}:rule/monitor-DisableKey`;
const TOPIC = `arn:aws:sns:${SCOPE.region}:${SCOPE.account}:alerts`;
const OTHER_TOPIC = `arn:aws:sns:${SCOPE.region}:${SCOPE.account}:other`;
const KEY = `arn:aws:kms:${SCOPE.region}:${SCOPE.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const SNS_CONTEXT = 'kms:EncryptionContext:aws:sns:topicArn';

/**
 * What EventBridge's delivery to an encrypted topic sends KMS: the principal events.amazonaws.com
 * and the encryption context Amazon SNS sets (the topic ARN). It sends no aws:SourceArn or
 * aws:SourceAccount a key policy could use (Amazon SNS Developer Guide, key management).
 */
const delivery = (action: string, topicArn: string) => evaluatePolicies({
  principal: 'events.amazonaws.com',
  action,
  resource: KEY,
  resourceAccount: SCOPE.account,
  resourcePolicy: policyDocument(...MonitoringStatements.eventBridgeKeyUse(TOPIC)),
  context: { [SNS_CONTEXT]: topicArn },
});

describe('MonitoringStatements', () => {
  test('ruleArn builds a default-bus rule ARN from a name', () => {
    expect(MonitoringStatements.ruleArn(SCOPE, 'monitor-DisableKey')).toBe(RULE);
  });

  test('eventBridgeKeyUse: the SNS page\'s statement for events.amazonaws.com, scoped to the topic\'s encryption context', () => {
    expect(rendered(MonitoringStatements.eventBridgeKeyUse(TOPIC))).toEqual([{
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com'] },
      Action: ['kms:decrypt', 'kms:generatedatakey*'],
      Resource: ['*'],
      Condition: { StringEquals: { [SNS_CONTEXT]: TOPIC } },
    }]);
    expect(rendered(MonitoringStatements.eventBridgeKeyUse(`arn:aws:sns:${SCOPE.region}:${SCOPE.account}:*`))[0].Condition)
      .toEqual({ StringLike: { [SNS_CONTEXT]: `arn:aws:sns:${SCOPE.region}:${SCOPE.account}:*` } });
  });

  test('eventBridgeKeyUse allows EventBridge\'s delivery as SNS makes it, for this topic only', () => {
    expect(delivery('kms:GenerateDataKey', TOPIC)).toBe('Allowed');
    expect(delivery('kms:Decrypt', TOPIC)).toBe('Allowed');
    expect(delivery('kms:GenerateDataKey', OTHER_TOPIC)).toBe('ImplicitlyDenied');
    expect(delivery('kms:Encrypt', TOPIC)).toBe('ImplicitlyDenied');
  });

  test('the statement it replaces (aws:SourceArn on the rules) denies that same delivery', () => {
    const conditioned = {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': SCOPE.account }, ArnEquals: { 'aws:SourceArn': RULE } },
      }],
    };
    expect(evaluatePolicies({
      principal: 'events.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: KEY,
      resourceAccount: SCOPE.account,
      resourcePolicy: conditioned,
      context: { [SNS_CONTEXT]: TOPIC },
    })).toBe('ImplicitlyDenied');
  });

  test('eventBridgePublish: sns:Publish on the topic, with no condition (EventBridge supports none in SNS topic policies)', () => {
    const statements = MonitoringStatements.eventBridgePublish(TOPIC);
    expect(rendered(statements)).toEqual([{
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com'] },
      Action: ['sns:publish'],
      Resource: [TOPIC],
    }]);
    const ask = (resource: string) => evaluatePolicies({
      principal: 'events.amazonaws.com',
      action: 'sns:Publish',
      resource,
      resourceAccount: SCOPE.account,
      resourcePolicy: policyDocument(...statements),
    });
    expect(ask(TOPIC)).toBe('Allowed');
    expect(ask(OTHER_TOPIC)).toBe('ImplicitlyDenied');
  });
});
