import * as iam from 'aws-cdk-lib/aws-iam';
import { BEDROCK_SERVICE_PRINCIPAL } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

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

  private constructor() {}
}
