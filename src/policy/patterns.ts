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
