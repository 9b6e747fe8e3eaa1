/**
 * cfn-lint, the newest from PyPI (installed into .bindings/venv by ./scripts/bindings.sh python), on
 * every template the tests synthesize: 0 errors, and every warning a documented exception
 * (cfn-lint-exceptions.ts) that is still needed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CFN_LINT_EXCEPTIONS } from './cfn-lint-exceptions';
import { covers, LintException, LintFinding, runVenvTool, show, writeLintTemplates } from './lint-templates';
import { acknowledgeCloudFormationFindings, TEST_ACCOUNT, TEST_REGION } from '../util/synthesized-policies';

const NEGATIVE = 'CfnLintNegativeControl';

interface CfnLintFinding extends LintFinding {
  readonly level: 'Error' | 'Warning' | 'Informational';
}

/** Runs cfn-lint on the `.json` templates in `dir`. */
function cfnLint(dir: string): CfnLintFinding[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
  // exit code: a bit for each level found (2 error, 4 warning, 8 informational); anything else is a failure of cfn-lint
  const stdout = runVenvTool('cfn-lint', ['--format', 'json', '--regions', TEST_REGION, '--', ...files], [0, 2, 4, 6, 8, 10, 12, 14]);
  return (JSON.parse(stdout) as any[]).map((m) => ({
    template: path.basename(m.Filename, '.json'),
    rule: m.Rule.Id,
    resource: m.Location.Path?.[0] === 'Resources' ? String(m.Location.Path[1]) : '(template)',
    message: m.Message,
    level: m.Level,
  }));
}

const version = () => runVenvTool('cfn-lint', ['--version'], [0]).trim();

describe('cfn-lint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proof-cfn-lint-'));
  const ids: Record<string, string> = {};
  const { names } = writeLintTemplates(dir, (app) => {
    // A key whose rotation is a string, a property an agent does not have, a GetAtt of nothing.
    const negative = new Stack(app, NEGATIVE, { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
    const key = new kms.Key(negative, 'Key', { enableKeyRotation: true });
    (key.node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', 'sometimes');
    const agent = new CfnResource(negative, 'Agent', { type: 'AWS::Bedrock::Agent', properties: { AgentName: 'agent', Colour: 'blue' } });
    const alias = new CfnResource(negative, 'Alias', {
      type: 'AWS::KMS::Alias',
      properties: { AliasName: 'alias/negative', TargetKeyId: Fn.getAtt('NoSuchKey', 'Arn') },
    });
    // aws-cdk-lib 2.262 and later find the same at synth (an error in the newest-aws-cdk-lib run)
    acknowledgeCloudFormationFindings(negative, ['F3012', 'F3002', 'F1020'], 'the negative control is broken on purpose');
    ids.key = negative.resolve((key.node.defaultChild as kms.CfnKey).logicalId);
    ids.agent = negative.resolve(agent.logicalId);
    ids.alias = negative.resolve(alias.logicalId);
    return [negative];
  });
  const all = cfnLint(dir);
  const findings = all.filter((f) => f.template !== NEGATIVE);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('lints the example app, every integ app and every proof stack', () => {
    console.log(`${version()} on ${names.length} templates`);
    expect(names.filter((n) => n.startsWith('integ.')).length).toBeGreaterThanOrEqual(8);
    expect(names).toEqual(expect.arrayContaining(['SupportAssistant', 'KnowledgeBaseOpenSearch', 'MixinEveryType', 'AgentImportedRole']));
  });

  test.each(names)('%s: no error', (name) => {
    expect(findings.filter((f) => f.template === name && f.level === 'Error').map(show)).toEqual([]);
  });

  test.each(names)('%s: every warning is a documented exception', (name) => {
    const unexplained = findings.filter((f) => f.template === name && f.level === 'Warning' && !CFN_LINT_EXCEPTIONS.some((e) => covers(e, f)));
    expect(unexplained.map(show)).toEqual([]);
  });

  test('every exception has a reason, and no warning is covered by two', () => {
    for (const e of CFN_LINT_EXCEPTIONS) expect(e.reason.length).toBeGreaterThanOrEqual(60);
    expect(findings.filter((f) => CFN_LINT_EXCEPTIONS.filter((e) => covers(e, f)).length > 1).map(show)).toEqual([]);
  });

  const describeException = (e: LintException) => `${e.rule} on ${e.resource}${e.message ? ` (${e.message})` : ''}`;
  test.each(CFN_LINT_EXCEPTIONS.map((e) => [describeException(e), e] as const))('exception %s is still needed', (_, exception) => {
    expect(findings.filter((f) => f.level === 'Warning' && covers(exception, f)).length).toBeGreaterThan(0);
  });

  test('negative control: a wrong property type, an unknown property and a GetAtt of a missing resource are errors', () => {
    const errors = all.filter((f) => f.template === NEGATIVE && f.level === 'Error').map((f) => `${f.rule} ${f.resource}`);
    expect(errors).toEqual(expect.arrayContaining([`E3012 ${ids.key}`, `E3002 ${ids.agent}`, `E1010 ${ids.alias}`]));
  });
});
