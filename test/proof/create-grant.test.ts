import { statementsOf } from './iam-catalog';
import { proofApp } from './stacks';

/**
 * Every grant the library allows is one an AWS service creates for its own use of the key:
 * each statement that allows `kms:CreateGrant` (or a wildcard that covers it, other than the
 * account root's `kms:*`) requires `kms:GrantIsForAWSResource`, in key policies, identity
 * policies and the key-policy outputs of imported keys alike.
 */
const coversCreateGrant = (action: string) => /^kms:(\*|create\*|creategrant)$/i.test(action) || action === '*';

function ungated(statement: any): boolean {
  const actions: string[] = [statement.Action ?? []].flat();
  if (statement.Effect !== 'Allow' || !actions.some(coversCreateGrant)) return false;
  const root = JSON.stringify(statement.Principal ?? '').includes(':root');
  if (root && actions.includes('kms:*')) return false;
  return statement.Condition?.Bool?.['kms:GrantIsForAWSResource'] !== 'true';
}

describe('kms:CreateGrant', () => {
  const { app, stacks } = proofApp();
  const assembly = app.synth();
  const found = stacks.flatMap((s) => statementsOf(assembly.getStackArtifact(s.artifactId).template));

  test('the proof stacks allow kms:CreateGrant somewhere, so the check is live', () => {
    expect(found.filter((f) => [f.statement.Action].flat().some(coversCreateGrant)).length).toBeGreaterThan(3);
  });

  test('every statement that allows it requires kms:GrantIsForAWSResource', () => {
    expect(found.filter((f) => ungated(f.statement)).map((f) => f.where)).toEqual([]);
  });

  test('the check flags an unconditioned grant', () => {
    expect(ungated({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:CreateGrant'], Resource: '*' })).toBe(true);
    expect(ungated({ Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })).toBe(false);
  });
});
