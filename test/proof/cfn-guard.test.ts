import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { GuardFailure, runGuard } from './guard';
import { GUARD_EXCEPTIONS, GuardException } from './guard-exceptions';
import { proofApp } from './stacks';
import { TEST_ACCOUNT, TEST_REGION } from '../util/synthesized-policies';

const NEGATIVE = 'NegativeControl';
const covers = (e: GuardException, f: GuardFailure) => e.rule === f.rule && e.resource.test(f.resource);
const show = (f: GuardFailure) => `${f.template} ${f.rule} ${f.resource}`;

describe('cfn-guard with the Control Tower KMS, IAM and S3 rules', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proof-guard-'));
  const { app, stacks } = proofApp();
  // A key without rotation, a role allowed kms:* on everything, a bucket that accepts plain HTTP.
  const negative = new Stack(app, NEGATIVE, { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
  const unrotated = new kms.Key(negative, 'Unrotated', { enableKeyRotation: false });
  const admin = new iam.Role(negative, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
  admin.addToPolicy(new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] }));
  const plainHttp = new s3.Bucket(negative, 'PlainHttp', { encryption: s3.BucketEncryption.KMS });
  plainHttp.grantRead(new iam.AccountRootPrincipal());
  const assembly = app.synth();
  const templates: Record<string, any> = {};
  for (const stack of [...stacks, negative]) {
    templates[stack.stackName] = assembly.getStackArtifact(stack.artifactId).template;
    fs.writeFileSync(path.join(dir, `${stack.stackName}.json`), JSON.stringify(templates[stack.stackName]));
  }
  const report = runGuard(dir);
  const failures = report.failures.filter((f) => f.template !== NEGATIVE);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('checks every proof stack', () => {
    expect(Object.keys(report.compliant).sort()).toEqual([...stacks.map((s) => s.stackName), NEGATIVE].sort());
  });

  test.each(stacks.map((s) => s.stackName))('%s: every failure is a documented exception', (name) => {
    const unexplained = failures.filter((f) => f.template === name && !GUARD_EXCEPTIONS.some((e) => covers(e, f)));
    expect(unexplained.map(show)).toEqual([]);
  });

  test.each(stacks.map((s) => s.stackName))('%s passes the TLS, encryption, public-access and IAM full-access rules', (name) => {
    if (Object.values<any>(templates[name].Resources).some((r) => r.Type === 'AWS::IAM::Policy')) {
      expect(report.compliant[name]).toEqual(expect.arrayContaining(['iam_inline_policy_no_statements_with_full_access_check']));
    }
    if (failures.some((f) => f.template === name && f.rule.startsWith('s3_'))) {
      expect(report.compliant[name]).toEqual(expect.arrayContaining([
        's3_bucket_policy_ssl_requests_only_check', 's3_bucket_default_encryption_kms_check', 's3_bucket_level_public_access_prohibited_check',
      ]));
    }
    if (failures.some((f) => f.template === name && f.rule.startsWith('kms_'))) {
      expect(report.compliant[name]).toEqual(expect.arrayContaining(['kms_key_rotation_enabled_check']));
    }
  });

  test('every exception has a reason', () => {
    for (const e of GUARD_EXCEPTIONS) expect(e.reason.length).toBeGreaterThanOrEqual(60);
  });

  test.each(GUARD_EXCEPTIONS.map((e) => [`${e.rule} on ${e.resource}`, e] as const))('exception %s is still needed', (_, exception) => {
    expect(failures.filter((f) => covers(exception, f)).length).toBeGreaterThan(0);
  });

  test('negative control: the rules fire on a non-rotated key, a kms:* grant and an open bucket without TLS enforcement', () => {
    const negativeFailures = report.failures.filter((f) => f.template === NEGATIVE && !GUARD_EXCEPTIONS.some((e) => covers(e, f)));
    const id = (c: IConstruct) => negative.resolve((c.node.defaultChild as CfnElement).logicalId);
    expect(negativeFailures.map((f) => `${f.rule} ${f.resource}`)).toEqual(expect.arrayContaining([
      `kms_key_rotation_enabled_check ${id(unrotated)}`,
      `iam_inline_policy_no_statements_with_full_access_check ${id(admin.node.findChild('DefaultPolicy'))}`,
      `s3_bucket_policy_ssl_requests_only_check ${id(plainHttp.policy!)}`,
      `s3_bucket_level_public_access_prohibited_check ${id(plainHttp)}`,
    ]));
  });
});
