import { statementsOf } from './iam-catalog';
import { proofApp } from './stacks';

/**
 * No statement lets a principal create a grant for anyone: each statement that allows
 * `kms:CreateGrant` (or a wildcard that covers it, other than the account root's `kms:*`) is gated,
 * in key policies, identity policies and the key-policy outputs of imported keys alike:
 * - `kms:GrantIsForAWSResource` (Amazon Bedrock, OpenSearch Serverless: an AWS service creates the
 *   grant for its own use); or
 * - `kms:ViaService` (AgentCore creates its grants through a forward access session, which the
 *   AgentCore pages gate by the endpoint, with no `kms:GrantIsForAWSResource`); or
 * - `kms:GrantConstraintType` with `kms:GrantOperations` (the AgentCore gateway's target-encryption
 *   path, which reaches KMS outside `kms:ViaService`: only encryption-context grants for the listed
 *   operations).
 */
const coversCreateGrant = (action: string) => /^kms:(\*|create\*|creategrant)$/i.test(action) || action === '*';

/** The condition keys of a statement, in lower case. */
function conditionKeys(statement: any): Set<string> {
  return new Set(Object.values<any>(statement.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}).map((k) => k.toLowerCase())));
}

function ungated(statement: any): boolean {
  const actions: string[] = [statement.Action ?? []].flat();
  if (statement.Effect !== 'Allow' || !actions.some(coversCreateGrant)) return false;
  const root = JSON.stringify(statement.Principal ?? '').includes(':root');
  if (root && actions.includes('kms:*')) return false;
  if (statement.Condition?.Bool?.['kms:GrantIsForAWSResource'] === 'true') return false;
  const keys = conditionKeys(statement);
  if (keys.has('kms:viaservice')) return false;
  return !(keys.has('kms:grantconstrainttype') && keys.has('kms:grantoperations'));
}

describe('kms:CreateGrant', () => {
  const { app, stacks } = proofApp();
  const assembly = app.synth();
  const found = stacks.flatMap((s) => statementsOf(assembly.getStackArtifact(s.artifactId).template));
  const grants = found.filter((f) => f.statement.Effect === 'Allow' && [f.statement.Action].flat().some(coversCreateGrant));

  test('the proof stacks allow kms:CreateGrant somewhere, under each gate, so the check is live', () => {
    expect(grants.length).toBeGreaterThan(3);
    expect(grants.some((f) => f.statement.Condition?.Bool?.['kms:GrantIsForAWSResource'] === 'true')).toBe(true);
    expect(grants.some((f) => f.statement.Condition?.Bool === undefined && conditionKeys(f.statement).has('kms:viaservice'))).toBe(true);
  });

  test('every statement that allows it is gated', () => {
    expect(found.filter((f) => ungated(f.statement)).map((f) => f.where)).toEqual([]);
  });

  test('the check flags an unconditioned grant, and a grant gated by its operations alone', () => {
    expect(ungated({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:CreateGrant'], Resource: '*' })).toBe(true);
    expect(ungated({ Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } } })).toBe(true);
    expect(ungated({ Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })).toBe(false);
    expect(ungated({ Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'bedrock-agentcore.us-east-1.amazonaws.com' } } })).toBe(false);
  });
});
