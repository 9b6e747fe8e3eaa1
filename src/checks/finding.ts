import { CfnResource } from 'aws-cdk-lib';
import { controlsSentence } from './controls';

/** One rule violated by one resource. */
export interface Finding {
  readonly resource: CfnResource;
  readonly ruleId: string;
  readonly message: string;
  /** Reported as a warning whatever the aspect's level: a problem the rule cannot confirm. */
  readonly warning?: boolean;
}

/** What the rules may ask of the run that reports their findings. */
export interface RuleContext {
  /** True when `ruleId` is suppressed for `resource` (its findings would not be reported). */
  isSuppressed(resource: CfnResource, ruleId: string): boolean;
}

/**
 * A finding whose message starts with `[<rule id>]` and ends with the controls of other
 * frameworks that check the same (AWS Config, Security Hub, checkov, Prowler), where any exist.
 */
export function finding(resource: CfnResource, ruleId: string, message: string, warning?: boolean): Finding {
  return { resource, ruleId, message: `[${ruleId}] ${message}${controlsSentence(ruleId, resource.cfnResourceType)}`, warning };
}
