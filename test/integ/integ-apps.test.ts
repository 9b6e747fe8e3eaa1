import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { assemblyGraph, findCycle } from '../util/assembly-graph';

/**
 * Every integ app (integ/integ.*.ts) synthesizes, on whichever aws-cdk-lib the suite runs with:
 * integ-runner compares them with their snapshots on the minimum version, and this test is what
 * runs them on the newest one (scripts/newest-cdk.sh). Each is synthesized under
 * BedrockEncryptionChecks, which must find nothing in what the library builds, and its stacks are
 * walked (Ref, Fn::GetAtt, Fn::Sub, Fn::ImportValue, DependsOn) for a dependency cycle.
 */
const INTEG_DIR = path.resolve(__dirname, '..', '..', 'integ');
const apps = fs.readdirSync(INTEG_DIR).filter((f) => /^integ\..+\.ts$/.test(f)).sort();

/**
 * Synthesizes an integ app into a new directory and returns it. An integ app synthesizes when it
 * is loaded; each is loaded once, in a registry of its own, whose App adds the checks (as
 * warnings, so every finding is in the manifest) before it synthesizes.
 */
function synthIntegApp(file: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  process.env.CDK_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const cdk: typeof import('aws-cdk-lib') = require('aws-cdk-lib');
      const checks: typeof import('../../src/checks') = require('../../src/checks');
      const synth = cdk.App.prototype.synth;
      cdk.App.prototype.synth = function (this: App, options) {
        cdk.Aspects.of(this).add(new checks.BedrockEncryptionChecks({ level: checks.CheckLevel.WARNING }));
        return synth.call(this, options);
      };
      try {
        require(path.join(INTEG_DIR, file));
      } finally {
        cdk.App.prototype.synth = synth;
      }
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
  } finally {
    delete process.env.CDK_OUTDIR;
  }
  return outdir;
}

describe('integ apps', () => {
  test('there are integ apps', () => {
    expect(apps.length).toBeGreaterThanOrEqual(8);
  });

  test.each(apps)('%s synthesizes its stacks without a dependency cycle', (file) => {
    const outdir = synthIntegApp(file);
    const graph = assemblyGraph(new CloudAssembly(outdir));
    expect(findCycle(graph.stacks)).toBeUndefined();
    expect(findCycle(graph.resources)).toBeUndefined();
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
    const stacks = Object.values<any>(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      const template = JSON.parse(fs.readFileSync(path.join(outdir, stack.properties.templateFile), 'utf-8'));
      Template.fromJSON(template); // throws on a dependency cycle
      expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
      const findings = Object.entries<any[]>(stack.metadata ?? {}).flatMap(([at, entries]) => entries
        .filter((e) => typeof e.data === 'string' && e.data.startsWith('[cdk-bedrock-encryption:'))
        .map((e) => `${at}: ${e.data}`));
      expect(findings).toEqual([]);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('integ.imported-key.ts: the file the warning names holds the statements, every role named by its fixed name', () => {
    const outdir = synthIntegApp('integ.imported-key.ts');
    const assembly = new CloudAssembly(outdir);
    const [stack] = assembly.stacks;
    const warning = stack.messages.map((m) => String(m.entry.data)).find((m) => m.includes('[ack: cdk-bedrock-encryption:keyPolicyNotUpdated]'))!;
    const file = /in '([^']+\.json)' in the cloud assembly/.exec(warning)![1];
    const document = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8'));
    expect(JSON.stringify(document)).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
    const roleNames = Object.values<any>(stack.template.Resources).filter((r) => r.Type === 'AWS::IAM::Role').map((r) => r.Properties.RoleName);
    const named = document.Statement.map((st: any) => st.Condition?.StringEquals?.['aws:PrincipalArn']).filter((arn: unknown) => arn !== undefined);
    expect(named.length).toBeGreaterThan(0);
    for (const arn of named) expect(roleNames.map((n: string) => `arn:aws:iam::123456789012:role/${n}`)).toContain(arn);
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});
