/**
 * checkov's CloudFormation checks (installed into .bindings/venv by ./scripts/bindings.sh python) on
 * every template the tests synthesize: 0 failed checks, except documented exceptions
 * (checkov-exceptions.ts) that are still needed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { CHECKOV_EXCEPTIONS } from './checkov-exceptions';
import { covers, LintFinding, runVenvTool, show, writeLintTemplates } from './lint-templates';
import { TEST_ACCOUNT, TEST_REGION } from '../util/synthesized-policies';

const NEGATIVE = 'CheckovNegativeControl';

/** The resource types the issue holds to 0 failed checks: Bedrock, KMS, IAM, S3, SNS, EventBridge, OpenSearch Serverless. */
const IN_SCOPE = /^AWS::(Bedrock|KMS|IAM|S3|SNS|Events|OpenSearchServerless)::/;

interface CheckovResult extends LintFinding {
  readonly type: string;
  readonly passed: boolean;
}

/** Runs checkov's CloudFormation checks on the templates in `dir`; no network (--skip-download). */
function checkov(dir: string): CheckovResult[] {
  // exit code 1: some check failed; the report is still on stdout
  const stdout = runVenvTool('checkov', ['--directory', dir, '--framework', 'cloudformation', '--skip-download', '--output', 'json'], [0, 1]);
  const reports = [JSON.parse(stdout)].flat();
  return reports.flatMap((report: any) => [
    ...report.results.passed_checks.map((c: any) => ({ c, passed: true })),
    ...report.results.failed_checks.map((c: any) => ({ c, passed: false })),
  ]).map(({ c, passed }) => {
    const [type, resource] = c.resource.split('.');
    return { template: path.basename(c.file_path, '.json'), rule: c.check_id, resource, type, passed, message: c.check_name };
  });
}

describe('checkov', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proof-checkov-'));
  const ids: Record<string, string> = {};
  const { names, templates } = writeLintTemplates(dir, (app) => {
    // A key without rotation, a topic without encryption, a role allowed everything.
    const negative = new Stack(app, NEGATIVE, { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
    const id = (c: IConstruct) => negative.resolve((c.node.defaultChild as CfnElement).logicalId);
    ids.key = id(new kms.Key(negative, 'Unrotated', { enableKeyRotation: false }));
    ids.topic = id(new sns.Topic(negative, 'Plain'));
    const admin = new iam.Role(negative, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    admin.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
    ids.policy = id(admin.node.findChild('DefaultPolicy'));
    return [negative];
  });
  const all = checkov(dir);
  const results = all.filter((r) => r.template !== NEGATIVE);
  const failures = results.filter((r) => !r.passed);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('checks every template', () => {
    expect(new Set(results.map((r) => r.template))).toEqual(new Set(names));
  });

  test.each(names)('%s: every failed check is a documented exception', (name) => {
    const unexplained = failures.filter((f) => f.template === name && !CHECKOV_EXCEPTIONS.some((e) => covers(e, f)));
    expect(unexplained.map(show)).toEqual([]);
  });

  test('no failed check on a Bedrock, KMS, IAM, S3, SNS, EventBridge or OpenSearch Serverless resource but the exceptions', () => {
    expect(failures.filter((f) => IN_SCOPE.test(f.type) && !CHECKOV_EXCEPTIONS.some((e) => covers(e, f))).map(show)).toEqual([]);
  });

  test('the key, role, policy, bucket, topic and agent checks ran on every template with such a resource', () => {
    const expected: Record<string, string[]> = {
      'AWS::KMS::Key': ['CKV_AWS_7', 'CKV_AWS_33'], // rotation, no wildcard principal
      'AWS::IAM::Policy': ['CKV_AWS_62', 'CKV_AWS_63', 'CKV_AWS_109', 'CKV_AWS_111'], // no admin, no "*" action, constrained writes
      'AWS::IAM::Role': ['CKV_AWS_60', 'CKV_AWS_61'], // trust: specific principals, no assume-role across services
      'AWS::S3::Bucket': ['CKV_AWS_19', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'], // encryption, public access blocked
      'AWS::SNS::Topic': ['CKV_AWS_26'], // encrypted
      'AWS::Bedrock::Agent': ['CKV_AWS_373'], // a customer managed key
    };
    for (const name of names) {
      const types = new Set(Object.values<any>(templates[name].Resources).map((r) => r.Type));
      const passed = new Set(results.filter((r) => r.template === name && r.passed).map((r) => r.rule));
      for (const [type, checks] of Object.entries(expected)) {
        if (!types.has(type)) continue;
        expect({ name, type, missing: checks.filter((c) => !passed.has(c)) }).toEqual({ name, type, missing: [] });
      }
    }
  });

  test('every exception has a reason', () => {
    for (const e of CHECKOV_EXCEPTIONS) expect(e.reason.length).toBeGreaterThanOrEqual(60);
  });

  test.each(CHECKOV_EXCEPTIONS.map((e) => [`${e.rule} on ${e.resource}`, e] as const))('exception %s is still needed', (_, exception) => {
    expect(failures.filter((f) => covers(exception, f)).length).toBeGreaterThan(0);
  });

  test('negative control: an unrotated key, an unencrypted topic and a "*" policy fail', () => {
    const negativeFailures = all.filter((r) => r.template === NEGATIVE && !r.passed).map((f) => `${f.rule} ${f.resource}`);
    expect(negativeFailures).toEqual(expect.arrayContaining([
      `CKV_AWS_7 ${ids.key}`,
      `CKV_AWS_26 ${ids.topic}`,
      `CKV_AWS_62 ${ids.policy}`,
      `CKV_AWS_63 ${ids.policy}`,
    ]));
  });
});
