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

/** Adds identity statements to a grantee and returns them as one Grant. */
export function grantStatements(grantee: iam.IGrantable, statements: iam.PolicyStatement[]): iam.Grant {
  return statements
    .map((statement) => iam.Grant.addToPrincipal({
      grantee,
      actions: statement.actions,
      resourceArns: statement.resources,
      conditions: conditionsOf(statement),
    }))
    .reduce((a, b) => a.combine(b));
}

function conditionsOf(statement: iam.PolicyStatement): Record<string, Record<string, unknown>> | undefined {
  const conditions = statement.conditions as Record<string, Record<string, unknown>>;
  return Object.keys(conditions).length > 0 ? conditions : undefined;
}

/** The object without its undefined fields, so the request carries only what was set. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
