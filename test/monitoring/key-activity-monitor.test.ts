import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { matchesPattern } from './event-pattern';
import { KeyActivity, KeyActivityMonitor } from '../../src/monitoring';
import { BedrockEncryptionError } from '../../src/private/validation';
import { evaluatePolicies, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const ALICE = { type: 'IAMUser', principalId: 'EX_PRINCIPAL_ID', arn: `arn:aws:iam::${TEST_ACCOUNT}:user/Alice`, accountId: TEST_ACCOUNT, userName: 'Alice' };
const ROLE_SESSION = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLE:session',
  arn: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/ModelJobs/session`,
  accountId: TEST_ACCOUNT,
  sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${TEST_ACCOUNT}:role/ModelJobs`, accountId: TEST_ACCOUNT, userName: 'ModelJobs' } },
};

/** A CloudTrail KMS record as EventBridge delivers it, shaped like the examples of the AWS KMS Developer Guide. */
function cloudTrailEvent(keyArn: string, eventName: string, record: Record<string, any> = {}): any {
  const detail = {
    eventVersion: '1.08',
    userIdentity: ALICE,
    eventTime: '2026-11-22T10:00:00Z',
    eventSource: 'kms.amazonaws.com',
    eventName,
    awsRegion: TEST_REGION,
    sourceIPAddress: '192.0.2.0',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { keyId: keyArn.split('/').pop() },
    responseElements: null,
    requestID: 'ee408f36-ea01-422b-ac14-b0f147c68334',
    eventID: '3c4226b0-1e81-48a8-a333-7fa5f3cbd118',
    readOnly: false,
    resources: [{ accountId: TEST_ACCOUNT, type: 'AWS::KMS::Key', ARN: keyArn }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: TEST_ACCOUNT,
    eventCategory: 'Management',
    ...record,
  };
  return {
    'version': '0',
    'id': 'e5b4bd5c-0000-0000-0000-000000000000',
    'detail-type': 'AWS API Call via CloudTrail',
    'source': 'aws.kms',
    'account': TEST_ACCOUNT,
    'time': '2026-11-22T10:00:00Z',
    'region': TEST_REGION,
    'resources': [],
    detail,
  };
}

function monitored() {
  const stack = testStack();
  const key = new kms.Key(stack, 'Watched');
  const other = new kms.Key(stack, 'Other');
  const monitor = new KeyActivityMonitor(stack, 'Monitor', { keys: [key] });
  return { stack, key, other, monitor };
}

/** The names of the rules (by activity) whose synthesized, resolved patterns match `event`. */
function matchingActivities(stack: Stack, monitor: KeyActivityMonitor, event: any): string[] {
  const policies = SynthesizedPolicies.of(stack);
  return monitor.activities.filter((activity) => {
    const rule = monitor.ruleFor(activity)!;
    const pattern = policies.resolve(policies.template.Resources[policies.logicalId(rule)].Properties.EventPattern);
    return matchesPattern(pattern, event);
  }).map((a) => a.name);
}

describe('KeyActivityMonitor rules', () => {
  const { stack, key, other, monitor } = monitored();
  const p = SynthesizedPolicies.of(stack);
  const keyArn = p.arn(key);
  const otherArn = p.arn(other);

  test.each([
    ['DisableKey by a user', cloudTrailEvent(keyArn, 'DisableKey'), ['DisableKey']],
    ['a denied DisableKey attempt', cloudTrailEvent(keyArn, 'DisableKey', { errorCode: 'AccessDenied', errorMessage: 'not authorized' }), ['DisableKey']],
    ['ScheduleKeyDeletion with a bare key id in requestParameters', cloudTrailEvent(keyArn, 'ScheduleKeyDeletion', {
      requestParameters: { pendingWindowInDays: 7, keyId: '1234abcd' },
      responseElements: { keyId: keyArn, keyState: 'PendingDeletion' },
    }), ['ScheduleKeyDeletion']],
    ['PutKeyPolicy', cloudTrailEvent(keyArn, 'PutKeyPolicy', { requestParameters: { keyId: keyArn, policyName: 'default', policy: '{}' } }), ['PutKeyPolicy']],
    ['CreateGrant by a user', cloudTrailEvent(keyArn, 'CreateGrant', { requestParameters: { keyId: keyArn, operations: ['Decrypt'], granteePrincipal: 'x' } }), ['CreateGrant']],
    ['CreateGrant by a user who sets userAgent bedrock.amazonaws.com', cloudTrailEvent(keyArn, 'CreateGrant', { userAgent: 'bedrock.amazonaws.com' }), ['CreateGrant']],
    ['CreateGrant made by another service for a role', cloudTrailEvent(keyArn, 'CreateGrant', {
      userIdentity: { ...ROLE_SESSION, invokedBy: 'ec2.amazonaws.com' }, sourceIPAddress: 'ec2.amazonaws.com', userAgent: 'ec2.amazonaws.com',
    }), ['CreateGrant']],
    ['CreateGrant made by Bedrock for a role (model customization)', cloudTrailEvent(keyArn, 'CreateGrant', {
      userIdentity: { ...ROLE_SESSION, invokedBy: 'bedrock.amazonaws.com' },
      sourceIPAddress: 'bedrock.amazonaws.com',
      userAgent: 'bedrock.amazonaws.com',
      requestParameters: { keyId: keyArn, operations: ['Decrypt', 'GenerateDataKey'], granteePrincipal: 'bedrock.amazonaws.com' },
    }), []],
    ['CreateGrant made by Bedrock with its service principal', cloudTrailEvent(keyArn, 'CreateGrant', {
      userIdentity: { type: 'AWSService', invokedBy: 'bedrock.amazonaws.com' }, sourceIPAddress: 'bedrock.amazonaws.com', userAgent: 'bedrock.amazonaws.com',
    }), []],
    ['Decrypt denied with AccessDenied', cloudTrailEvent(keyArn, 'Decrypt', {
      readOnly: true,
      errorCode: 'AccessDenied',
      requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
      errorMessage: `User: arn:aws:iam::${TEST_ACCOUNT}:user/Alice is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext`,
    }), ['DecryptAccessDenied']],
    ['Decrypt denied with AccessDeniedException', cloudTrailEvent(keyArn, 'Decrypt', { readOnly: true, errorCode: 'AccessDeniedException' }), ['DecryptAccessDenied']],
    ['a successful Decrypt', cloudTrailEvent(keyArn, 'Decrypt', { readOnly: true, requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', keyId: keyArn } }), []],
    ['Decrypt failing with IncorrectKeyException', cloudTrailEvent(keyArn, 'Decrypt', { readOnly: true, errorCode: 'IncorrectKeyException' }), []],
    ['EnableKey', cloudTrailEvent(keyArn, 'EnableKey'), []],
    ['DisableKey on a key the monitor does not watch', cloudTrailEvent(otherArn, 'DisableKey'), []],
    ['a denied Decrypt with a key the monitor does not watch', cloudTrailEvent(otherArn, 'Decrypt', { errorCode: 'AccessDenied' }), []],
    ['DisableKey named only in requestParameters', cloudTrailEvent(keyArn, 'DisableKey', { requestParameters: { keyId: keyArn }, resources: [] }), []],
  ])('%s', (_name, event, expected) => {
    expect(matchingActivities(stack, monitor, event)).toEqual(expected);
  });

  test('render the CloudTrail patterns on the default event bus', () => {
    const rule = (eventName: string, extra: Record<string, any> = {}) => ({
      'source': ['aws.kms'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': { eventSource: ['kms.amazonaws.com'], eventName: [eventName], resources: { ARN: [{ 'Fn::GetAtt': [p.logicalId(key), 'Arn'] }] }, ...extra },
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Events::Rule', 5);
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: rule('DisableKey'), State: 'ENABLED', EventBusName: Match.absent() });
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: rule('ScheduleKeyDeletion'), State: 'ENABLED' });
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: rule('PutKeyPolicy'), State: 'ENABLED' });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: rule('CreateGrant', {
        userIdentity: { invokedBy: [{ 'anything-but': ['bedrock.amazonaws.com', 'bedrock-agentcore.amazonaws.com', 'aoss.amazonaws.com'] }, { exists: false }] },
      }),
      State: 'ENABLED',
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: rule('Decrypt', { errorCode: [{ prefix: 'AccessDenied' }] }),
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    });
  });

  test('publish to the topic without a role', () => {
    const topicId = p.logicalId(monitor.topic);
    for (const rule of monitor.rules) {
      const props = p.template.Resources[p.logicalId(rule)].Properties;
      expect(props.Targets).toEqual([{ Arn: { Ref: topicId }, Id: 'Target0' }]);
    }
  });
});

/**
 * A `CreateGrant` record of a grant a service creates for itself while it serves the caller's
 * request (a forward access session): the caller's identity with `invokedBy`, and the service as
 * source address, user agent and grantee.
 */
function grantBy(keyArn: string, service: string, identity: Record<string, any> = ROLE_SESSION): any {
  return cloudTrailEvent(keyArn, 'CreateGrant', {
    userIdentity: { ...identity, invokedBy: service },
    sourceIPAddress: service,
    userAgent: service,
    requestParameters: {
      keyId: keyArn,
      granteePrincipal: service,
      retiringPrincipal: service,
      operations: ['Decrypt', 'GenerateDataKey', 'DescribeKey'],
    },
    responseElements: { grantId: '0ab0ac0d0b000f00ea00cc0a0e00fc00bce000c000f0000000f0000000a00000' },
  });
}

describe('KeyActivityMonitor CreateGrant by the services that create grants', () => {
  const DEFAULTS = ['bedrock.amazonaws.com', 'bedrock-agentcore.amazonaws.com', 'aoss.amazonaws.com'];

  test('the default granting services are Bedrock, AgentCore and OpenSearch Serverless, a new list each call', () => {
    expect(KeyActivity.defaultGrantingServices()).toEqual(DEFAULTS);
    KeyActivity.defaultGrantingServices().push('ec2.amazonaws.com');
    expect(KeyActivity.defaultGrantingServices()).toEqual(DEFAULTS);
    const { monitor } = monitored();
    expect(monitor.grantingServices).toEqual(DEFAULTS);
  });

  describe('with the default services', () => {
    const { stack, key, monitor } = monitored();
    const keyArn = SynthesizedPolicies.of(stack).arn(key);

    test.each(DEFAULTS)('a grant created by %s for a role is not reported', (service) => {
      expect(matchingActivities(stack, monitor, grantBy(keyArn, service))).toEqual([]);
    });

    test.each(DEFAULTS)('a grant created by %s with its service identity is not reported', (service) => {
      expect(matchingActivities(stack, monitor, grantBy(keyArn, service, { type: 'AWSService' }))).toEqual([]);
    });

    test.each([
      ['with no invokedBy (a role called KMS directly)', cloudTrailEvent(keyArn, 'CreateGrant', {
        userIdentity: ROLE_SESSION,
        requestParameters: { keyId: keyArn, granteePrincipal: `arn:aws:iam::${TEST_ACCOUNT}:role/Other`, operations: ['Decrypt'] },
      })],
      ['by ec2.amazonaws.com', grantBy(keyArn, 'ec2.amazonaws.com')],
      ['by logs.amazonaws.com (CloudWatch Logs uses the key policy, never grants)', grantBy(keyArn, 'logs.amazonaws.com')],
      ['by a regional name of an allowed service', grantBy(keyArn, 'aoss.us-east-1.amazonaws.com')],
      ['by an allowed service in another case', grantBy(keyArn, 'Bedrock.amazonaws.com')],
      ['by a user whose userAgent names an allowed service', cloudTrailEvent(keyArn, 'CreateGrant', { userAgent: 'aoss.amazonaws.com', sourceIPAddress: 'aoss.amazonaws.com' })],
    ])('a grant %s is reported', (_name, event) => {
      expect(matchingActivities(stack, monitor, event)).toEqual(['CreateGrant']);
    });

    test('only the CreateGrant rule names the services', () => {
      const p = SynthesizedPolicies.of(stack);
      for (const activity of monitor.activities) {
        const pattern = JSON.stringify(p.template.Resources[p.logicalId(monitor.ruleFor(activity)!)].Properties.EventPattern);
        expect(pattern.includes('aoss.amazonaws.com')).toBe(activity === KeyActivity.CREATE_GRANT_NOT_BY_BEDROCK);
      }
    });
  });

  test('grantingServices replaces the default list', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Watched');
    const monitor = new KeyActivityMonitor(stack, 'Monitor', {
      keys: [key], grantingServices: [...KeyActivity.defaultGrantingServices(), 'ec2.amazonaws.com'],
    });
    const keyArn = SynthesizedPolicies.of(stack).arn(key);
    expect(monitor.grantingServices).toEqual([...DEFAULTS, 'ec2.amazonaws.com']);
    expect(matchingActivities(stack, monitor, grantBy(keyArn, 'ec2.amazonaws.com'))).toEqual([]);
    expect(matchingActivities(stack, monitor, grantBy(keyArn, 'aoss.amazonaws.com'))).toEqual([]);
    expect(matchingActivities(stack, monitor, grantBy(keyArn, 'rds.amazonaws.com'))).toEqual(['CreateGrant']);
    expect(matchingActivities(stack, monitor, cloudTrailEvent(keyArn, 'CreateGrant'))).toEqual(['CreateGrant']);
  });

  test('a shorter grantingServices reports the services left out', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Watched');
    const monitor = new KeyActivityMonitor(stack, 'Monitor', { keys: [key], grantingServices: ['bedrock.amazonaws.com'] });
    const keyArn = SynthesizedPolicies.of(stack).arn(key);
    expect(matchingActivities(stack, monitor, grantBy(keyArn, 'bedrock.amazonaws.com'))).toEqual([]);
    expect(matchingActivities(stack, monitor, grantBy(keyArn, 'aoss.amazonaws.com'))).toEqual(['CreateGrant']);
  });

  test('an empty grantingServices reports every CreateGrant', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Watched');
    const monitor = new KeyActivityMonitor(stack, 'Monitor', { keys: [key], grantingServices: [] });
    const p = SynthesizedPolicies.of(stack);
    const keyArn = p.arn(key);
    const pattern = p.template.Resources[p.logicalId(monitor.ruleFor(KeyActivity.CREATE_GRANT_NOT_BY_BEDROCK)!)].Properties.EventPattern;
    expect(pattern.detail.userIdentity).toBeUndefined();
    for (const service of DEFAULTS) {
      expect(matchingActivities(stack, monitor, grantBy(keyArn, service))).toEqual(['CreateGrant']);
    }
    expect(matchingActivities(stack, monitor, cloudTrailEvent(keyArn, 'CreateGrant'))).toEqual(['CreateGrant']);
  });

  test('30 keys of the longest ARNs and 10 services of 64 characters fit in an EventBridge pattern', () => {
    const stack = new Stack(undefined, 'IsoStack', { env: { account: TEST_ACCOUNT, region: 'us-isob-east-1' } });
    const keys = Array.from({ length: 30 }, (_, i) =>
      kms.Key.fromKeyArn(stack, `K${i}`, `arn:aws-iso-b:kms:us-isob-east-1:${TEST_ACCOUNT}:key/mrk-${String(i).padStart(32, '0')}`));
    const grantingServices = Array.from({ length: 10 }, (_, i) => `${String(i).padStart(50, 'a')}.amazonaws.com`);
    expect(grantingServices.every((s) => s.length === 64)).toBe(true);
    const monitor = new KeyActivityMonitor(stack, 'Monitor', { keys, grantingServices });
    const p = SynthesizedPolicies.of(stack);
    const pattern = p.template.Resources[p.logicalId(monitor.ruleFor(KeyActivity.CREATE_GRANT_NOT_BY_BEDROCK)!)].Properties.EventPattern;
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(4096);
  });

  test.each([
    ['a name without .amazonaws.com', ['bedrock'], /grantingServices\[0\] must be a service principal as CloudTrail records it in userIdentity.invokedBy, '<name>.amazonaws.com' in lower case \(e.g. 'aoss.amazonaws.com'\); got "bedrock"/],
    ['an upper-case name', ['aoss.amazonaws.com', 'Bedrock.amazonaws.com'], /grantingServices\[1\] must be a service principal .*; got "Bedrock.amazonaws.com"/],
    ['a service ARN', ['arn:aws:iam::aws:service/ec2'], /grantingServices\[0\] must be a service principal .*; got "arn:aws:iam::aws:service\/ec2"/],
    ['a name with a space', [' ec2.amazonaws.com'], /grantingServices\[0\] must be a service principal/],
    ['a name longer than 64 characters', [`${'a'.repeat(51)}.amazonaws.com`], /grantingServices\[0\] must be at most 64 characters/],
    ['a repeated service', ['aoss.amazonaws.com', 'aoss.amazonaws.com'], /grantingServices must be distinct services; got \["aoss.amazonaws.com","aoss.amazonaws.com"\]/],
    ['11 services', Array.from({ length: 11 }, (_, i) => `s${i}.amazonaws.com`), /grantingServices must be at most 10 services \(EventBridge patterns are at most 4096 characters\); got 11 services/],
  ])('rejects %s before creating anything', (_name, grantingServices, message) => {
    const stack = testStack();
    const keys = [new kms.Key(stack, 'Watched')];
    expect(() => new KeyActivityMonitor(stack, 'Monitor', { keys, grantingServices })).toThrow(BedrockEncryptionError);
    expect(() => new KeyActivityMonitor(stack, 'Monitor', { keys, grantingServices })).toThrow(/^\[BedrockEncryptionError\] KeyActivityMonitor 'Monitor' at 'TestStack': /);
    expect(() => new KeyActivityMonitor(stack, 'Monitor', { keys, grantingServices })).toThrow(message);
    expect(stack.node.tryFindChild('Monitor')).toBeUndefined();
  });
});

describe('KeyActivityMonitor topic', () => {
  test('is a new topic encrypted with a new rotating key, SSL enforced', () => {
    const { stack, monitor } = monitored();
    const p = SynthesizedPolicies.of(stack);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [p.logicalId(monitor.topicKey!), 'Arn'] } });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('key activity notifications') });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('its key lets EventBridge encrypt for this topic only, with the context Amazon SNS sends', () => {
    const { stack, monitor } = monitored();
    const p = SynthesizedPolicies.of(stack);
    const topicName = p.template.Resources[p.logicalId(monitor.topic)].Properties.TopicName;
    expect(topicName).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    const topicArn = `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:${topicName}`;
    const ask = (action: string, context: Record<string, string>) =>
      p.evaluate({ principal: 'events.amazonaws.com', action, context }, monitor.topicKey!);
    const forTopic = (arn: string) => ({ 'kms:EncryptionContext:aws:sns:topicArn': arn });
    expect(ask('kms:GenerateDataKey', forTopic(topicArn))).toBe('Allowed');
    expect(ask('kms:Decrypt', forTopic(topicArn))).toBe('Allowed');
    expect(ask('kms:GenerateDataKey', forTopic(`arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:someone-else`))).toBe('ImplicitlyDenied');
    expect(ask('kms:GenerateDataKey', {})).toBe('ImplicitlyDenied');
    expect(ask('kms:CreateGrant', forTopic(topicArn))).toBe('ImplicitlyDenied');
  });

  test('its policy lets EventBridge publish to this topic, with no condition EventBridge cannot meet', () => {
    const { stack, monitor } = monitored();
    const p = SynthesizedPolicies.of(stack);
    const [policyId] = p.idsOfType('AWS::SNS::TopicPolicy');
    const topicArn = p.arn(monitor.topic, 'TopicArn');
    const ask = (resource: string, secure: string) => evaluatePolicies({
      principal: 'events.amazonaws.com',
      action: 'sns:Publish',
      resource,
      resourceAccount: TEST_ACCOUNT,
      resourcePolicy: p.resolve(p.template.Resources[policyId].Properties.PolicyDocument),
      context: { 'aws:SecureTransport': secure },
    });
    expect(ask(topicArn, 'true')).toBe('Allowed');
    expect(ask(`arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:someone-else`, 'true')).toBe('ImplicitlyDenied');
    expect(ask(topicArn, 'false')).toBe('ExplicitlyDenied');
  });

  test('the key and topic policies name rules by name, so the template has no cycle', () => {
    const { stack, monitor } = monitored();
    const template = Template.fromStack(stack).toJSON();
    const p = SynthesizedPolicies.of(stack);
    const ruleIds = monitor.rules.map((r) => p.logicalId(r));
    const keyPolicy = JSON.stringify(template.Resources[p.logicalId(monitor.topicKey!)]);
    for (const id of ruleIds) expect(keyPolicy).not.toContain(id);
    expect(template.Resources[p.logicalId(monitor.topicKey!)].DependsOn).toBeUndefined();
    for (const rule of monitor.rules) {
      const name = template.Resources[p.logicalId(rule)].Properties.Name;
      expect(name.length).toBeLessThanOrEqual(64);
      expect(name).toMatch(/^[A-Za-z0-9-]+$/);
    }
  });

  test('a given key encrypts the new topic and takes the statement', () => {
    const stack = testStack();
    const topicKey = new kms.Key(stack, 'TopicKey');
    const monitor = new KeyActivityMonitor(stack, 'Monitor', { keys: [new kms.Key(stack, 'Watched')], topicKey });
    expect(monitor.topicKey).toBe(topicKey);
    const p = SynthesizedPolicies.of(stack);
    const statements = p.keyPolicyStatements(topicKey);
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' } })]));
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 2);
  });

  test('a given topic with a key of this app is used and both policies are written', () => {
    const stack = testStack();
    const topicKey = new kms.Key(stack, 'TopicKey');
    const topic = new sns.Topic(stack, 'Alerts', { masterKey: topicKey });
    const monitor = new KeyActivityMonitor(stack, 'Monitor', { keys: [new kms.Key(stack, 'Watched')], topic });
    expect(monitor.topic).toBe(topic);
    expect(monitor.topicKey).toBe(topicKey);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' })]) },
    });
    expect(SynthesizedPolicies.of(stack).keyPolicyStatements(topicKey)).toEqual(
      expect.arrayContaining([expect.objectContaining({ Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] })]));
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('an imported topic and key get their statements as stack outputs and warnings', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicAttributes(stack, 'Alerts', {
      topicArn: `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:alerts`,
      keyArn: `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    });
    new KeyActivityMonitor(stack, 'Monitor', { keys: [new kms.Key(stack, 'Watched')], topic });
    const t = Template.fromStack(stack);
    const outputs = t.findOutputs('*');
    const keyOutput = Object.entries(outputs).find(([id]) => id.includes('KeyPolicyToAdd'))![1];
    const topicOutput = Object.entries(outputs).find(([id]) => id.includes('ResourcePolicyToAdd'))![1];
    expect(JSON.stringify(keyOutput.Value)).toContain('events.amazonaws.com');
    expect(JSON.stringify(topicOutput.Value)).toContain('sns:Publish');
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cannot be changed by this app'));
    expect(warnings.map((w) => w.entry.data)).toEqual([
      expect.stringContaining(`resource policy of resource arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:alerts cannot be changed`),
      expect.stringContaining('key policy of key arn:aws:kms:'),
    ]);
  });
});

describe('KeyActivityMonitor keys and activities', () => {
  test('addKey adds the key to every rule', () => {
    const { stack, monitor, other } = monitored();
    monitor.addKey(other);
    expect(monitor.keys).toHaveLength(2);
    const p = SynthesizedPolicies.of(stack);
    expect(matchingActivities(stack, monitor, cloudTrailEvent(p.arn(other), 'PutKeyPolicy'))).toEqual(['PutKeyPolicy']);
    expect(matchingActivities(stack, monitor, cloudTrailEvent(p.arn(other), 'Decrypt', { errorCode: 'AccessDenied' }))).toEqual(['DecryptAccessDenied']);
  });

  test('a subset of activities creates only their rules', () => {
    const stack = testStack();
    const monitor = new KeyActivityMonitor(stack, 'Monitor', {
      keys: [new kms.Key(stack, 'Watched')], activities: [KeyActivity.SCHEDULE_KEY_DELETION, KeyActivity.DISABLE_KEY],
    });
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 2);
    expect(monitor.ruleFor(KeyActivity.DISABLE_KEY)).toBe(monitor.rules[1]);
    expect(monitor.ruleFor(KeyActivity.PUT_KEY_POLICY)).toBeUndefined();
  });

  test('keys with unresolved ARNs pass through', () => {
    const stack = testStack();
    const arn = new CfnParameter(stack, 'KeyArn').valueAsString;
    new KeyActivityMonitor(stack, 'Monitor', { keys: [kms.Key.fromKeyArn(stack, 'Imported', arn)] });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ resources: { ARN: [{ Ref: 'KeyArn' }] } }) }),
    });
  });

  const KEY = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  test.each([
    ['no keys', () => ({ keys: [] }), /keys must be at least one KMS key/],
    ['an alias', (s: Stack) => ({ keys: [kms.Key.fromKeyArn(s, 'A', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:alias/app`)] }), /keys\[0\] must be a KMS key ARN/],
    ['a key in another region', (s: Stack) => ({ keys: [kms.Key.fromKeyArn(s, 'A', KEY.replace(TEST_REGION, 'eu-west-1'))] }), /keys\[0\] must be a key in the stack's region/],
    ['a key in another account', (s: Stack) => ({ keys: [kms.Key.fromKeyArn(s, 'A', KEY.replace(TEST_ACCOUNT, '222222222222'))] }), /keys\[0\] must be a key in the stack's account/],
    ['topic and topicKey', (s: Stack) => ({ keys: [new kms.Key(s, 'W')], topic: new sns.Topic(s, 'T'), topicKey: new kms.Key(s, 'K') }), /topicKey must be omitted when topic is given/],
    ['no activities', (s: Stack) => ({ keys: [new kms.Key(s, 'W')], activities: [] }), /activities must be at least one KeyActivity/],
    ['repeated activities', (s: Stack) => ({ keys: [new kms.Key(s, 'W')], activities: [KeyActivity.DISABLE_KEY, KeyActivity.DISABLE_KEY] }), /activities must be distinct activities/],
    ['31 keys', (s: Stack) => ({ keys: Array.from({ length: 31 }, (_, i) => new kms.Key(s, `W${i}`)) }), /keys must be at most 30 keys/],
  ])('rejects %s before creating anything', (_name, props, message) => {
    const stack = testStack();
    const p = props(stack);
    expect(() => new KeyActivityMonitor(stack, 'Monitor', p as any)).toThrow(BedrockEncryptionError);
    expect(() => new KeyActivityMonitor(stack, 'Monitor2', p as any)).toThrow(message);
    expect(stack.node.tryFindChild('Monitor')).toBeUndefined();
  });

  test('addKey rejects a key it watches already', () => {
    const { monitor, key } = monitored();
    expect(() => monitor.addKey(key)).toThrow(/key must be a key this monitor does not watch yet/);
  });
});
