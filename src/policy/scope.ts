import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Where a policy applies: the partition, account and region that ARNs and service
 * endpoints in a statement are built from. Values may be tokens.
 */
export interface PolicyScope {
  /** The partition, for example `aws` or `aws-cn`. */
  readonly partition: string;
  /** The account id. */
  readonly account: string;
  /** The region, for example `us-east-1`. */
  readonly region: string;
  /** The domain suffix of service endpoints, for example `amazonaws.com`. */
  readonly urlSuffix: string;
}

/** Builds {@link PolicyScope} values. */
export class PolicyScopes {
  /** The partition, account, region and URL suffix of the stack that holds `construct`. */
  public static of(construct: IConstruct): PolicyScope {
    const stack = Stack.of(construct);
    return {
      partition: stack.partition,
      account: stack.account,
      region: stack.region,
      urlSuffix: stack.urlSuffix,
    };
  }

  /**
   * The endpoint name a service uses in `kms:ViaService`, for example
   * `bedrock.us-east-1.amazonaws.com`.
   */
  public static viaService(scope: PolicyScope, service: string): string {
    return `${service}.${scope.region}.${scope.urlSuffix}`;
  }

  /**
   * An ARN in the scope's partition: `arn:<partition>:<service>:<region>:<account>:<resource>`,
   * the one place the library builds ARNs. `region` and `account` default to the scope's; give
   * `''` for ARNs without them (S3 objects, IAM, foundation models) or `'*'` for any.
   */
  public static arn(scope: PolicyScope, service: string, resource: string, region?: string, account?: string): string {
    return `arn:${scope.partition}:${service}:${region ?? scope.region}:${account ?? scope.account}:${resource}`;
  }

  private constructor() {}
}
