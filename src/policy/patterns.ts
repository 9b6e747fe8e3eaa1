import { Arn, ArnFormat } from 'aws-cdk-lib';

/**
 * The shapes of ARNs and names the library checks, each defined once. Internal: not exported from
 * the package (jsii exports no constants).
 */

/** A partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, ... */
export const PARTITION = 'aws(?:-[a-z]+)*';

/** A region: `us-east-1`, `us-gov-west-1`, `us-iso-east-1`, ... */
export const REGION = '[a-z]{2,}(?:-[a-z]+)+-\\d{1,2}';

/** An account id. */
export const ACCOUNT = '\\d{12}';

/** A KMS key ARN (never an alias ARN): `arn:<partition>:kms:<region>:<account>:key/<key-id>`. */
export const KMS_KEY_ARN = new RegExp(`^arn:(${PARTITION}):kms:(${REGION}):(${ACCOUNT}):key/[a-zA-Z0-9-]+$`);

/** The expected form of a KMS key ARN, for messages. */
export const KMS_KEY_ARN_FORM = 'a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias';

/**
 * Bedrock's pattern for the names of agents, agent aliases, flows, flow aliases, knowledge bases
 * and data sources (their CloudFormation `Name` properties).
 */
export const BEDROCK_NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;

/** The expected form of a Bedrock name, for messages. */
export const BEDROCK_NAME_FORM = "1 to 100 letters or digits, each optionally followed by one '_' or '-' (^([0-9a-zA-Z][_-]?){1,100}$)";

/** The ARN of one Bedrock agent, flow or knowledge base: `arn:<partition>:bedrock:<region>:<account>:<type>/<10-character id>`. */
export function bedrockResourceArnPattern(resourceType: string): RegExp {
  return new RegExp(`^arn:${PARTITION}:bedrock:${REGION}:${ACCOUNT}:${resourceType}/[0-9a-zA-Z]{10}$`);
}

/** The id of a Bedrock resource, from its ARN (a CloudFormation function when the ARN is a token). */
export function bedrockResourceIdOf(arn: string): string {
  return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
}

/** How long, and in which shape, a relative S3 key or key prefix may be. */
export interface RelativeS3KeyLimits {
  readonly minLength: number;
  readonly maxLength: number;
  /** Forbid a trailing '/' (a prefix the service appends '/' to itself). */
  readonly noTrailingSlash?: boolean;
  /** An example for the message. */
  readonly example: string;
}

/**
 * A key or key prefix relative to the bucket root, as every S3 location the library builds takes
 * it: no leading '/', no URI scheme (`s3://`), no '..' segment, no wildcard ('*', '?') and no
 * control character, within the limits the property has. The one rule for S3 keys in props.
 */
export function relativeS3Key(limits: RelativeS3KeyLimits): { readonly pattern: RegExp; readonly form: string } {
  const trailing = limits.noTrailingSlash ? '(?!.*\\/$)' : '';
  const pattern = new RegExp(
    `^(?!\\/)${trailing}(?![a-zA-Z][a-zA-Z0-9+.-]*:\\/\\/)(?!(?:.*\\/)?\\.\\.(?:\\/|$))[^*?\\u0000-\\u001f]{${limits.minLength},${limits.maxLength}}$`);
  const slashes = limits.noTrailingSlash ? "no leading or trailing '/'" : "no leading '/'";
  const form = `a key relative to the bucket root such as '${limits.example}' (${slashes}, no 's3://', no '..' segment, no '*' or '?'; ` +
    `${limits.minLength} to ${limits.maxLength} characters)`;
  return { pattern, form };
}
