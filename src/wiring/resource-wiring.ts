import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * Makes Bedrock resources wait for their role and for the identity statements written for it
 * (`grant`, from `writeIdentityPolicy`): Bedrock checks the role's permissions when it creates a
 * resource. A role created in the same stack is waited for whole (the role and every policy
 * attached to it); an imported role through the policies the grant went into.
 */
export function waitForRole(role: iam.IRole, grant: iam.Grant | undefined, ...resources: IConstruct[]): void {
  grant?.applyBefore(...resources);
  if (iam.Role.isRole(role) && Stack.of(role) === Stack.of(resources[0])) {
    for (const resource of resources) resource.node.addDependency(role);
  }
}
