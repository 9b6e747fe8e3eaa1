import * as iam from 'aws-cdk-lib/aws-iam';
import { BEDROCK_SERVICE_PRINCIPAL } from '../policy/conditions';

/**
 * `iam:PassRole` on a service role, only to Amazon Bedrock (`iam:PassedToService`): what a caller
 * needs to create or update a Bedrock resource or job that names the role.
 */
// Source: IAM User Guide, "Granting a user permissions to pass a role to an AWS service" (iam:PassedToService),
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
export function passRoleToBedrock(role: iam.IRole): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [role.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': BEDROCK_SERVICE_PRINCIPAL } },
  });
}
