import * as iam from 'aws-cdk-lib/aws-iam';
import { PolicyScope, PolicyScopes } from './scope';

/** The service principal EventBridge uses when it delivers to a rule's targets. */
const EVENTS_SERVICE_PRINCIPAL = 'events.amazonaws.com';

/**
 * Statements that let EventBridge rules deliver to an Amazon SNS topic encrypted with a
 * customer managed key, only for the named rules of one account.
 */
export class MonitoringStatements {
  /**
   * Key-policy statement for `events.amazonaws.com`: generate data keys and decrypt them when
   * it publishes to a topic encrypted with this key, only on behalf of `ruleArns` in the
   * scope's account. Pass ARNs built from rule names (not the rules' `Arn` attributes) when
   * the rules target a topic encrypted with this key, or the key policy would depend on
   * resources that depend on the key.
   */
  // Source: EventBridge User Guide, "Troubleshooting Amazon EventBridge" (rule triggered but no messages in the SNS topic, scenario 2: "Allow CWE to use the key"); aws:SourceArn and aws:SourceAccount as in "Authorizing EventBridge to use a customer managed key" (eb-encryption-key-policy).
  public static eventBridgeKeyUse(scope: PolicyScope, ruleArns: string[]): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(EVENTS_SERVICE_PRINCIPAL)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: MonitoringStatements.sourceConditions(scope, ruleArns),
      }),
    ];
  }

  /**
   * Topic-policy statement for `events.amazonaws.com`: publish to the topic only on behalf of
   * `ruleArns` in the scope's account.
   */
  // Source: EventBridge User Guide, "Using resource-based policies for Amazon EventBridge", "Amazon SNS permissions"; aws:SourceArn condition as in the same page's API Gateway and Lambda statements.
  public static eventBridgePublish(scope: PolicyScope, topicArn: string, ruleArns: string[]): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(EVENTS_SERVICE_PRINCIPAL)],
        actions: ['sns:Publish'],
        resources: [topicArn],
        conditions: MonitoringStatements.sourceConditions(scope, ruleArns),
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

  private static sourceConditions(scope: PolicyScope, ruleArns: string[]): iam.Conditions {
    return {
      StringEquals: { 'aws:SourceAccount': scope.account },
      ArnEquals: { 'aws:SourceArn': ruleArns.length === 1 ? ruleArns[0] : [...ruleArns] },
    };
  }

  private constructor() {}
}
