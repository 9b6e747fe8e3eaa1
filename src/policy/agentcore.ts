import * as iam from 'aws-cdk-lib/aws-iam';
import { viaService } from './conditions';
import { PolicyScope } from './scope';

/**
 * What the AgentCore statement builders share. Internal: not exported from the package (jsii
 * exports no constants).
 *
 * AgentCore's `kms:CreateGrant` statements carry no `kms:GrantIsForAWSResource`: no AgentCore page
 * writes it, and none shows that AgentCore's grant requests carry it (the policy engine page says
 * AgentCore calls `CreateGrant` with the caller's identity, through a forward access session). So
 * the AgentCore builders write them themselves, not with `keyStatements()` of `conditions.ts`,
 * which adds it.
 */

/** The service principal Amazon Bedrock AgentCore uses for KMS calls it makes itself. */
export const AGENTCORE_SERVICE_PRINCIPAL = 'bedrock-agentcore.amazonaws.com';

/** `kms:ViaService` = `bedrock-agentcore.<region>.<url suffix>`: only in requests AgentCore makes for the principal. */
export function viaAgentCore(scope: PolicyScope): iam.Conditions {
  return viaService(scope, 'bedrock-agentcore');
}

/** `kms:GrantConstraintType` = `EncryptionContextSubset`: every grant is bound to an encryption context. */
export const ENCRYPTION_CONTEXT_GRANTS: iam.Conditions = { StringEquals: { 'kms:GrantConstraintType': 'EncryptionContextSubset' } };

/** `kms:GrantOperations`: a grant may allow these operations and no other. */
export function grantOperations(...operations: string[]): iam.Conditions {
  return { 'ForAllValues:StringEquals': { 'kms:GrantOperations': operations } };
}

/** Key-policy statements name principals and the key as `*`; identity statements name the key. */
export interface Placement {
  readonly principals: iam.IPrincipal[];
  readonly resources: string[];
}

/** A key-policy statement for `principal`. */
export function inKeyPolicy(principal: iam.IPrincipal): Placement {
  return { principals: [principal], resources: ['*'] };
}

/** An identity statement on `keyArn`. */
export function inIdentityPolicy(keyArn: string): Placement {
  return { principals: [], resources: [keyArn] };
}
