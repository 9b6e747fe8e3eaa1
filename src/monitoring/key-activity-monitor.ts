import { Names } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { KeyActivity } from './key-activity';
import { MonitoringStatements } from '../policy/monitoring';
import { PolicyScopes } from '../policy/scope';
import { isResolved, PropsValidator } from '../private/validation';
import { writeKeyPolicy, writeResourcePolicy } from '../wiring/policy-writer';

/**
 * The most keys one monitor watches. Every key ARN goes into every rule's event pattern, and
 * EventBridge accepts patterns of at most 4096 characters.
 */
const MAX_KEYS = 30;

/** The longest EventBridge rule name. */
const MAX_RULE_NAME = 64;

/**
 * The most granting services, and the longest name of one: with `MAX_KEYS` keys of the longest
 * ARNs they keep the `CreateGrant` pattern within the 4096 characters EventBridge accepts.
 */
const MAX_GRANTING_SERVICES = 10;
const MAX_SERVICE_NAME = 64;

/** A service principal as CloudTrail records it in `userIdentity.invokedBy`: `<name>.amazonaws.com`. */
const SERVICE_PRINCIPAL = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*\.amazonaws\.com$/;

/** Properties of a {@link KeyActivityMonitor}. */
export interface KeyActivityMonitorProps {
  /**
   * The keys to watch: KMS keys (not aliases) in the stack's account and region, at most 30.
   * More can be added with `addKey`.
   */
  readonly keys: kms.IKey[];

  /**
   * The activities to report, one EventBridge rule each.
   *
   * @default KeyActivity.all()
   */
  readonly activities?: KeyActivity[];

  /**
   * The topic the rules publish to. When it is encrypted with a key this app can change, the
   * key policy is given the statement EventBridge needs; otherwise that statement, and the
   * topic-policy statement for an imported topic, are reported in stack outputs.
   *
   * @default - a new topic encrypted with `topicKey`
   */
  readonly topic?: sns.ITopic;

  /**
   * The key that encrypts the topic this construct creates. Only with no `topic`.
   *
   * @default - a new KMS key with rotation on and the alias `alias/key-activity/<unique name of this construct>`
   */
  readonly topicKey?: kms.IKey;

  /**
   * The AWS services whose `CreateGrant` calls on the keys are expected and not reported, as
   * CloudTrail names them in `userIdentity.invokedBy` (`<name>.amazonaws.com`), at most 10. The
   * list replaces the default: to add a service, pass
   * `[...KeyActivity.defaultGrantingServices(), 'other.amazonaws.com']`; an empty list reports every
   * `CreateGrant`. A call with no `invokedBy` (a principal called KMS directly) is always reported.
   * Only `KeyActivity.CREATE_GRANT_NOT_BY_BEDROCK` uses it.
   *
   * @default - `KeyActivity.defaultGrantingServices()`: bedrock.amazonaws.com, bedrock-agentcore.amazonaws.com and aoss.amazonaws.com
   */
  readonly grantingServices?: string[];
}

/**
 * EventBridge rules that report activity on KMS keys to an Amazon SNS topic: `DisableKey`,
 * `ScheduleKeyDeletion`, `PutKeyPolicy`, `CreateGrant` not made by a service expected to create
 * grants (`grantingServices`: by default Amazon Bedrock, Amazon Bedrock AgentCore and OpenSearch
 * Serverless), and `Decrypt` calls denied with `AccessDenied`.
 *
 * The rules match CloudTrail management events on the default event bus of the stack's
 * region. EventBridge receives them only while a CloudTrail trail in the account logs
 * management events (read and write, for the denied `Decrypt` calls) and does not exclude
 * AWS KMS events.
 *
 * The topic this construct creates has a name derived from the construct path, so the topic
 * key's policy can name the topic (the encryption context Amazon SNS sets) without referencing
 * it. EventBridge publishes to the topic through its topic policy; neither that policy nor the
 * key policy can carry `aws:SourceArn`/`aws:SourceAccount` for EventBridge (see `MonitoringStatements`).
 */
export class KeyActivityMonitor extends Construct {
  /** The topic the rules publish to. */
  public readonly topic: sns.ITopic;

  /** The key that encrypts the topic, when known. */
  public readonly topicKey?: kms.IKey;

  /** One rule per monitored activity, in the order of the activities. */
  public readonly rules: events.Rule[];

  /** The activities this monitor reports. */
  public readonly activities: KeyActivity[];

  /** The services whose `CreateGrant` calls this monitor does not report. */
  public readonly grantingServices: string[];

  private readonly watched: kms.IKey[] = [];
  private readonly rulesByActivity = new Map<string, events.Rule>();

  constructor(scope: Construct, id: string, props: KeyActivityMonitorProps) {
    const activities = props.activities ?? KeyActivity.all();
    const grantingServices = props.grantingServices ?? KeyActivity.defaultGrantingServices();
    validateMonitorProps(scope, id, props, activities, grantingServices);
    super(scope, id);
    this.activities = [...activities];
    this.grantingServices = [...grantingServices];
    this.watched.push(...props.keys);

    const policyScope = PolicyScopes.of(this);
    const prefix = Names.uniqueResourceName(this, {
      maxLength: MAX_RULE_NAME - 1 - Math.max(...activities.map((a) => a.name.length)),
      separator: '-',
    });
    const ruleNames = activities.map((activity) => `${prefix}-${activity.name}`);

    // The topic key's policy names the topic by the encryption context Amazon SNS sets: the topic's
    // ARN, built from its name, since the topic references the key.
    let topicArnForKey: string;
    if (props.topic) {
      this.topic = props.topic;
      this.topicKey = props.topic.masterKey;
      topicArnForKey = isResolved(props.topic.topicArn) ? props.topic.topicArn : PolicyScopes.arn(policyScope, 'sns', '*');
    } else {
      this.topicKey = props.topicKey ?? new kms.Key(this, 'TopicKey', {
        description: `Encrypts the key activity notifications of ${this.node.path}`,
        enableKeyRotation: true,
        alias: `alias/key-activity/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      });
      const topicName = Names.uniqueResourceName(this, { maxLength: 256, separator: '-' });
      this.topic = new sns.Topic(this, 'Topic', { topicName, masterKey: this.topicKey, enforceSSL: true });
      topicArnForKey = PolicyScopes.arn(policyScope, 'sns', topicName);
    }

    const subject = { scope: this, subject: `the key activity monitor '${this.node.path}'` };
    if (this.topicKey) {
      writeKeyPolicy(this.topicKey, MonitoringStatements.eventBridgeKeyUse(topicArnForKey), subject);
    }
    writeResourcePolicy(this.topic, this.topic.topicArn, MonitoringStatements.eventBridgePublish(this.topic.topicArn), subject);

    const target = new TopicTarget(this.topic);
    this.rules = activities.map((activity, i) => {
      const rule = new events.Rule(this, activity.name, {
        ruleName: ruleNames[i],
        description: `Reports ${activity.description} (CloudTrail ${activity.eventName}) for keys watched by ${this.node.path}`,
        eventPattern: activity.eventPattern(this.watched.map((k) => k.keyArn), this.grantingServices),
        targets: [target],
      });
      if (activity.readOnlyEvent) {
        (rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
      }
      this.rulesByActivity.set(activity.name, rule);
      return rule;
    });
  }

  /** The keys this monitor watches. */
  public get keys(): kms.IKey[] {
    return [...this.watched];
  }

  /** The rule for one activity, or undefined when this monitor does not report it. */
  public ruleFor(activity: KeyActivity): events.Rule | undefined {
    return this.rulesByActivity.get(activity.name);
  }

  /** Watches one more key with every rule. */
  public addKey(key: kms.IKey): void {
    const v = new PropsValidator(this, `KeyActivityMonitor '${this.node.id}'`);
    checkKey(v, 'key', key);
    v.check(this.watched.includes(key), 'key', describe(key.keyArn, key), 'a key this monitor does not watch yet');
    v.check(this.watched.length + 1 > MAX_KEYS, 'key', describe(key.keyArn, key),
      `within the limit of ${MAX_KEYS} keys per monitor (EventBridge patterns are at most 4096 characters); use another monitor`);
    v.throwIfInvalid();
    this.watched.push(key);
    for (const rule of this.rules) {
      rule.addEventPattern({ detail: { resources: { ARN: [key.keyArn] } } });
    }
  }
}

/** Delivers to a topic through its resource policy, which the monitor writes itself. */
class TopicTarget implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, targetResource: this.topic };
  }
}

function describe(arn: string, construct: Construct): string {
  return isResolved(arn) ? arn : `'${construct.node.path}'`;
}

function validateMonitorProps(
  scope: Construct, id: string, props: KeyActivityMonitorProps, activities: KeyActivity[], grantingServices: string[],
): void {
  const v = new PropsValidator(scope, `KeyActivityMonitor '${id}'`);
  v.check(props.keys.length === 0, 'keys', '[]', 'at least one KMS key');
  v.check(props.keys.length > MAX_KEYS, 'keys', `${props.keys.length} keys`,
    `at most ${MAX_KEYS} keys (EventBridge patterns are at most 4096 characters); use more than one monitor`);
  v.check(new Set(props.keys).size !== props.keys.length, 'keys', `${props.keys.length} keys`, 'distinct keys');
  props.keys.forEach((key, i) => checkKey(v, `keys[${i}]`, key));
  v.check(activities.length === 0, 'activities', '[]', 'at least one KeyActivity');
  const names = activities.map((a) => a.name);
  v.check(new Set(names).size !== names.length, 'activities', JSON.stringify(names), 'distinct activities');
  v.check(props.topic !== undefined && props.topicKey !== undefined, 'topicKey', 'a key together with topic',
    'omitted when topic is given: it only encrypts the topic this construct creates');
  grantingServices.forEach((service, i) => {
    v.pattern(`grantingServices[${i}]`, service, SERVICE_PRINCIPAL,
      "a service principal as CloudTrail records it in userIdentity.invokedBy, '<name>.amazonaws.com' in lower case (e.g. 'aoss.amazonaws.com')");
    v.check(isResolved(service) && service.length > MAX_SERVICE_NAME, `grantingServices[${i}]`, JSON.stringify(service),
      `at most ${MAX_SERVICE_NAME} characters`);
  });
  v.check(grantingServices.length > MAX_GRANTING_SERVICES, 'grantingServices', `${grantingServices.length} services`,
    `at most ${MAX_GRANTING_SERVICES} services (EventBridge patterns are at most 4096 characters)`);
  v.check(new Set(grantingServices).size !== grantingServices.length, 'grantingServices', JSON.stringify(grantingServices), 'distinct services');
  v.throwIfInvalid();
}

/** A watched key must be a key (not an alias) in the stack's partition, account and region, when its ARN is known. */
function checkKey(v: PropsValidator, prop: string, key: kms.IKey): void {
  v.kmsKey(prop, key, "CloudTrail names keys by key ARN, never by alias, and delivers a key's events to EventBridge in the key's own account and region");
}
