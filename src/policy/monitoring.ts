import * as iam from 'aws-cdk-lib/aws-iam';
import { stringMatch } from './conditions';
import { PolicyScope, PolicyScopes } from './scope';

/** The service principal EventBridge uses when it delivers to a rule's targets. */
const EVENTS_SERVICE_PRINCIPAL = 'events.amazonaws.com';

/** The encryption context key Amazon SNS sets when it encrypts a message of an encrypted topic. */
const SNS_TOPIC_CONTEXT = 'kms:EncryptionContext:aws:sns:topicArn';

/**
 * Statements that let EventBridge rules deliver to an Amazon SNS topic encrypted with a
 * customer managed key.
 */
export class MonitoringStatements {
  /**
   * Key-policy statement for `events.amazonaws.com`: generate data keys and decrypt when it
   * publishes to a topic encrypted with this key, only under the encryption context of `topicArn`
   * (a literal ARN, or a pattern such as `arn:<partition>:sns:<region>:<account>:*`). The key
   * policy cannot name a topic attribute when the topic references the key: build the ARN from
   * the topic's name.
   *
   * `aws:SourceAccount` and `aws:SourceArn` are not used: Amazon SNS does not support them in a key
   * policy for EventBridge-to-encrypted-topic delivery, and a statement with them never matches.
   */
  // Source: Amazon SNS Developer Guide, "Managing Amazon SNS encryption keys and costs",
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
  // (events.amazonaws.com: kms:GenerateDataKey*, kms:Decrypt; aws:Source* "not supported for EventBridge-to-encrypted topics").
  // The encryption context Amazon SNS sets, kms:EncryptionContext:aws:sns:topicArn = the topic ARN: Amazon GameLift
  // Servers FlexMatch Developer Guide, "Set up an SNS topic with server-side encryption",
  // https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html.
  public static eventBridgeKeyUse(topicArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(EVENTS_SERVICE_PRINCIPAL)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: stringMatch(SNS_TOPIC_CONTEXT, topicArn),
      }),
    ];
  }

  /**
   * Topic-policy statement for `events.amazonaws.com`: publish to the topic. It has no condition:
   * EventBridge does not support `Condition` blocks in SNS topic policies, and a conditioned
   * statement would drop every notification.
   */
  // Source: Amazon EventBridge User Guide, "Using resource-based policies for Amazon EventBridge", "Amazon SNS permissions",
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
  // ("You can't use Condition blocks in Amazon SNS topic policies for EventBridge").
  public static eventBridgePublish(topicArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(EVENTS_SERVICE_PRINCIPAL)],
        actions: ['sns:Publish'],
        resources: [topicArn],
      }),
    ];
  }

  /**
   * `arn:<partition>:events:<region>:<account>:rule/<name>`: the ARN of a rule on the default
   * event bus, built from its name alone.
   */
  public static ruleArn(scope: PolicyScope, ruleName: string): string {
    return PolicyScopes.arn(scope, 'events', `rule/${ruleName}`);
  }

  private constructor() {}
}
