import * as iam from 'aws-cdk-lib/aws-iam';
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
    return new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL, {
      conditions: {
        StringEquals: { 'aws:SourceAccount': scope.account },
        ArnLike: { 'aws:SourceArn': resourceType.arnPattern(scope) },
      },
    });
  }

  /**
   * `bedrock.amazonaws.com`, only on behalf of this account and region (`aws:SourceAccount` and
   * `ArnLike aws:SourceArn` = `arn:<partition>:bedrock:<region>:<account>:*`): for features that
   * belong to the account rather than to one resource, such as model invocation logging.
   */
  // Source: Amazon Bedrock User Guide, "Monitor model invocation using CloudWatch Logs and Amazon S3"
  // (model-invocation-logging.html), trust policy of the CloudWatch Logs delivery role.
  public static accountPrincipal(scope: PolicyScope): iam.IPrincipal {
    return new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL, {
      conditions: {
        StringEquals: { 'aws:SourceAccount': scope.account },
        ArnLike: { 'aws:SourceArn': PolicyScopes.arn(scope, 'bedrock', '*') },
      },
    });
  }

  private constructor() {}
}
