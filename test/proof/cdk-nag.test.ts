import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { NagMessageLevel } from 'cdk-nag';
import { checkApp, checkProofStacks, covers, label, NagFinding, runProofStacks } from './nag';
import { NAG_SUPPRESSIONS, ProofSuppression } from './nag-suppressions';
import { proofApp, VARIANTS } from './stacks';
import { TEST_ACCOUNT, TEST_REGION } from '../util/synthesized-policies';

const unsuppressedErrors = (findings: NagFinding[]) =>
  findings.filter((f) => f.level === NagMessageLevel.ERROR && f.suppressedBecause === undefined);
const describeSuppression = (s: ProofSuppression) =>
  `${s.id}${s.appliesTo ? `[${s.appliesTo.map((a) => (typeof a === 'string' ? a : a.regex)).join(', ')}]` : ''} on ${s.path}`;

describe('cdk-nag AwsSolutions, HIPAA Security and NIST 800-53 rev 5', () => {
  const { findings, passedIn } = runProofStacks(NAG_SUPPRESSIONS);
  const { stacks } = proofApp();
  const stackNames = stacks.map((s) => s.stackName);
  const size = new Map(stacks.map((s) => [s.stackName, s.node.findAll().length]));

  test('checks the example stacks and one stack per construct variant', () => {
    expect(stackNames).toEqual(['SupportAssistant', ...Object.keys(VARIANTS)]);
    // every stack was checked: some rule found something or passed on one of its resources
    expect(new Set([...findings.map((f) => f.stack), ...passedIn])).toEqual(new Set(stackNames));
  });

  test.each(stackNames)('%s has no unsuppressed error', (stack) => {
    expect(unsuppressedErrors(findings).filter((f) => f.stack === stack).map((f) => `${f.path} ${label(f)}`)).toEqual([]);
  });

  test('every suppression has a reason and covers a distinct rule, finding and path', () => {
    for (const s of NAG_SUPPRESSIONS) expect(s.reason.length).toBeGreaterThanOrEqual(60);
    const keys = NAG_SUPPRESSIONS.map(describeSuppression);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('no finding is covered by two suppressions (so removing one always exposes it)', () => {
    const overlapping = findings.filter((f) => NAG_SUPPRESSIONS.filter((s) => covers(s, f)).length > 1);
    expect(overlapping.map((f) => `${f.path} ${label(f)}`)).toEqual([]);
  });

  describe.each(NAG_SUPPRESSIONS.map((s) => [describeSuppression(s), s] as const))('suppression %s', (_, suppression) => {
    test('silences at least one finding, and without it the rule fires', () => {
      const silenced = findings.filter((f) => f.suppressedBecause?.endsWith(suppression.reason) && covers(suppression, f));
      expect(silenced.length).toBeGreaterThan(0);
      // Re-check the smallest stack it acts on, with every suppression but this one.
      const stack = [...new Set(silenced.map((f) => f.stack))].sort((a, b) => size.get(a)! - size.get(b)!)[0];
      const without = unsuppressedErrors(checkProofStacks(NAG_SUPPRESSIONS.filter((s) => s !== suppression), [stack]));
      expect(without.length).toBeGreaterThan(0);
      expect(without.filter((f) => !covers(suppression, f)).map((f) => `${f.path} ${label(f)}`)).toEqual([]);
      expect(without.map(label).sort()).toEqual(silenced.filter((f) => f.stack === stack).map(label).sort());
    });
  });
});

describe('negative control', () => {
  // A key without rotation and a role allowed kms:* on every resource, with the proof suppressions applied.
  const findings = checkApp((app) => {
    const stack = new Stack(app, 'NegativeControl', { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
    new kms.Key(stack, 'Key', { enableKeyRotation: false });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] }));
  }, NAG_SUPPRESSIONS);
  const errors = (path: string) => unsuppressedErrors(findings).filter((f) => f.path === path).map(label).sort();

  test('the non-rotated key fails AwsSolutions and NIST (the HIPAA pack has no rotation rule)', () => {
    expect(errors('/NegativeControl/Key/Resource')).toEqual([
      'AwsSolutions-KMS5',
      'NIST.800.53.R5-KMSBackingKeyRotationEnabled',
    ]);
  });

  test('the kms:* on * grant fails, and the proof suppressions do not hide it', () => {
    expect(errors('/NegativeControl/Role/DefaultPolicy/Resource')).toEqual(expect.arrayContaining([
      'AwsSolutions-IAM5[Action::kms:*]',
      'AwsSolutions-IAM5[Resource::*]',
      'HIPAA.Security-IAMPolicyNoStatementsWithFullAccess',
      'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess',
    ]));
  });
});
