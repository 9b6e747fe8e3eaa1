import * as iam from 'aws-cdk-lib/aws-iam';
import { BEDROCK_SERVICE_PRINCIPAL } from '../policy/conditions';

/** `iam:PassRole` on the job role, only to Bedrock. */
export function passRoleStatement(role: iam.IRole): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [role.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': BEDROCK_SERVICE_PRINCIPAL } },
  });
}

/** The object without its undefined fields, so the request carries only what was set. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
