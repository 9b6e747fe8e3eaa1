import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { checkApp, checkProofStacks, covers, label, NagFinding, runProofStacks } from './nag';
import { NAG_ACKNOWLEDGEMENTS, ProofAcknowledgement } from './nag-suppressions';
import { proofApp, VARIANTS } from './stacks';
import { TEST_ACCOUNT, TEST_REGION } from '../util/synthesized-policies';

const unacknowledgedErrors = (findings: NagFinding[]) =>
  findings.filter((f) => f.severity === 'error' && f.acknowledgedBecause === undefined);
const describeAcknowledgement = (a: ProofAcknowledgement) =>
  `${a.id}${a.findings ? `[${a.findings.map(String).join(', ')}]` : ''} on ${a.path}`;

describe('cdk-nag 3 AwsSolutions, HIPAA Security and NIST 800-53 rev 5, as validation plugins', () => {
  const { findings, passedIn, otherFailures } = runProofStacks(NAG_ACKNOWLEDGEMENTS);
  const { stacks } = proofApp();
  const stackNames = stacks.map((s) => s.stackName);
  const size = new Map(stacks.map((s) => [s.stackName, s.node.findAll().length]));

  test('checks the example stacks and one stack per construct variant', () => {
    expect(stackNames).toEqual(['SupportAssistant', ...Object.keys(VARIANTS)]);
    // every stack was checked: some rule found something or passed on one of its resources
    expect(new Set([...findings.map((f) => f.stack), ...passedIn])).toEqual(new Set(stackNames));
  });

  test.each(stackNames)('%s has no unacknowledged error', (stack) => {
    expect(unacknowledgedErrors(findings).filter((f) => f.stack === stack).map((f) => `${f.path} ${label(f)}`)).toEqual([]);
  });

  test('no other validation plugin fails on the proof stacks', () => {
    expect(otherFailures).toEqual([]);
  });

  test('every acknowledgement has a reason and covers a distinct rule, finding and path', () => {
    for (const a of NAG_ACKNOWLEDGEMENTS) expect(a.reason.length).toBeGreaterThanOrEqual(60);
    const keys = NAG_ACKNOWLEDGEMENTS.map(describeAcknowledgement);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('no finding is covered by two acknowledgements (so removing one always exposes it)', () => {
    const overlapping = findings.filter((f) => NAG_ACKNOWLEDGEMENTS.filter((a) => covers(a, f)).length > 1);
    expect(overlapping.map((f) => `${f.path} ${label(f)}`)).toEqual([]);
  });

  describe.each(NAG_ACKNOWLEDGEMENTS.map((a) => [describeAcknowledgement(a), a] as const))('acknowledgement %s', (_, acknowledgement) => {
    test('silences at least one finding, and without it the rule fires', () => {
      const silenced = findings.filter((f) => f.acknowledgedBecause === acknowledgement.reason && covers(acknowledgement, f));
      expect(silenced.length).toBeGreaterThan(0);
      // Re-check the smallest stack it acts on, with every acknowledgement but this one.
      const stack = [...new Set(silenced.map((f) => f.stack))].sort((a, b) => size.get(a)! - size.get(b)!)[0];
      const without = unacknowledgedErrors(checkProofStacks(NAG_ACKNOWLEDGEMENTS.filter((a) => a !== acknowledgement), [stack]));
      expect(without.length).toBeGreaterThan(0);
      expect(without.filter((f) => !covers(acknowledgement, f)).map((f) => `${f.path} ${label(f)}`)).toEqual([]);
      expect(without.map((f) => `${f.path} ${label(f)}`).sort())
        .toEqual(silenced.filter((f) => f.stack === stack).map((f) => `${f.path} ${label(f)}`).sort());
    });
  });
});

describe('negative control', () => {
  // A key without rotation and a role allowed kms:* on every resource, with the proof acknowledgements applied.
  const findings = checkApp((app) => {
    const stack = new Stack(app, 'NegativeControl', { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
    new kms.Key(stack, 'Key', { enableKeyRotation: false });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] }));
  }, NAG_ACKNOWLEDGEMENTS);
  const errors = (path: string) => unacknowledgedErrors(findings).filter((f) => f.path === path).map(label).sort();

  test('the non-rotated key fails AwsSolutions and NIST (the HIPAA pack has no rotation rule)', () => {
    expect(errors('/NegativeControl/Key/Resource')).toEqual([
      'AwsSolutions-KMS5',
      'NIST.800.53.R5-KMSBackingKeyRotationEnabled',
    ]);
  });

  test('the kms:* on * grant fails, and the proof acknowledgements do not hide it', () => {
    expect(errors('/NegativeControl/Role/DefaultPolicy/Resource')).toEqual(expect.arrayContaining([
      'AwsSolutions-IAM5[Action::kms:*]',
      'AwsSolutions-IAM5[Resource::*]',
      'HIPAA.Security-IAMPolicyNoStatementsWithFullAccess',
      'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess',
    ]));
  });
});
