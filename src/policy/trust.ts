import * as iam from 'aws-cdk-lib/aws-iam';
import { AGENTCORE_SERVICE_PRINCIPAL } from './agentcore';
import { BEDROCK_SERVICE_PRINCIPAL } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope, PolicyScopes } from './scope';

/** Trust policies for roles that Amazon Bedrock assumes. */
export class BedrockServiceTrust {
  /**
   * `bedrock.amazonaws.com`, only on behalf of resources of `resourceType` in this account and
   * region (`aws:SourceAccount` and `ArnLike aws:SourceArn`): confused-deputy prevention.
   */
  // Source: Amazon Bedrock User Guide, "Cross-service confused deputy prevention" and each feature's "Create a service role" page.
  public static principal(scope: PolicyScope, resourceType: BedrockResourceType): iam.IPrincipal {
    return onBehalfOf(scope, BEDROCK_SERVICE_PRINCIPAL, resourceType.arnPattern(scope));
  }

  /**
   * `bedrock.amazonaws.com`, only on behalf of this account and region (`aws:SourceAccount` and
   * `ArnLike aws:SourceArn` = `arn:<partition>:bedrock:<region>:<account>:*`): for features that
   * belong to the account rather than to one resource, such as model invocation logging.
   */
  // Source: Amazon Bedrock User Guide, "Monitor model invocation using CloudWatch Logs and Amazon S3"
  // (model-invocation-logging.html), trust policy of the CloudWatch Logs delivery role.
  public static accountPrincipal(scope: PolicyScope): iam.IPrincipal {
    return onBehalfOf(scope, BEDROCK_SERVICE_PRINCIPAL, PolicyScopes.arn(scope, 'bedrock', '*'));
  }

  private constructor() {}
}

/** Trust policies for roles that Amazon Bedrock AgentCore assumes: harness execution roles and gateway service roles. */
export class AgentCoreServiceTrust {
  /**
   * `bedrock-agentcore.amazonaws.com`, only on behalf of this account's AgentCore resources in this
   * region (`aws:SourceAccount` = this account, `ArnLike aws:SourceArn` =
   * `arn:<partition>:bedrock-agentcore:<region>:<account>:*`): confused-deputy prevention.
   *
   * The source ARN is not narrowed to one resource type: when AgentCore validates a harness's role at
   * `CreateHarness`, the source ARN it presents is not a `harness/...` ARN, and the AWS pages give this
   * account-and-region form.
   */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Security and access controls" (harness-security.html), the
  // execution role's trust policy; and "IAM Permissions for AgentCore Runtime" (runtime-permissions.html), its trust policy.
  public static principal(scope: PolicyScope): iam.IPrincipal {
    return onBehalfOf(scope, AGENTCORE_SERVICE_PRINCIPAL, PolicyScopes.arn(scope, 'bedrock-agentcore', '*'));
  }

  private constructor() {}
}

/**
 * `service`, only on behalf of this account (`aws:SourceAccount`) and of resources whose ARN matches
 * `sourceArn` (`ArnLike aws:SourceArn`): the confused-deputy conditions of every trust policy here.
 */
function onBehalfOf(scope: PolicyScope, service: string, sourceArn: string): iam.IPrincipal {
  return new iam.ServicePrincipal(service, {
    conditions: {
      StringEquals: { 'aws:SourceAccount': scope.account },
      ArnLike: { 'aws:SourceArn': sourceArn },
    },
  });
}
