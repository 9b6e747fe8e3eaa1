import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';

/**
 * Every integ app (integ/integ.*.ts) synthesizes, on whichever aws-cdk-lib the suite runs with:
 * integ-runner compares them with their snapshots on the minimum version, and this test is what
 * runs them on the newest one (scripts/newest-cdk.sh).
 */
const INTEG_DIR = path.resolve(__dirname, '..', '..', 'integ');
const apps = fs.readdirSync(INTEG_DIR).filter((f) => /^integ\..+\.ts$/.test(f)).sort();

describe('integ apps', () => {
  test('there are integ apps', () => {
    expect(apps.length).toBeGreaterThanOrEqual(8);
  });

  test.each(apps)('%s synthesizes its stacks without a dependency cycle', (file) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
    process.env.CDK_OUTDIR = outdir;
    try {
      // An integ app synthesizes when it is loaded; each is loaded once, in a registry of its own.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require(path.join(INTEG_DIR, file)));
    } finally {
      delete process.env.CDK_OUTDIR;
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
    const stacks = Object.values<any>(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      const template = JSON.parse(fs.readFileSync(path.join(outdir, stack.properties.templateFile), 'utf-8'));
      Template.fromJSON(template); // throws on a dependency cycle
      expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});
