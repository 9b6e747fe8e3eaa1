/**
 * The API guard (`npx projen compat`, in the ci task): jsii-diff compares the compiled assembly with
 * the baseline in .api-baseline (the last release's), experimental APIs included, and fails on a
 * breaking change unless .compatignore declares its key. Here a copy of the baseline with one more
 * type and one more method stands for a release whose API the work tree has since broken.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const BASELINE = path.join(ROOT, '.api-baseline');
const compiled = fs.existsSync(path.join(ROOT, '.jsii'));

/** The arguments of the compat task, from .projen/tasks.json. */
function compatArgs(): string[] {
  const task = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf-8')).tasks.compat;
  return task.steps[0].exec.split(' ');
}

function jsiiDiff(baseline: string, ignoreFile?: string) {
  const args = compatArgs().slice(1).map((a) => (a === '.api-baseline' ? baseline : a));
  if (ignoreFile) args[args.indexOf('.compatignore')] = ignoreFile;
  const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-diff'), args, { cwd: ROOT, encoding: 'utf-8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the API baseline', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(BASELINE, 'package.json'), 'utf-8'));
  const assembly = JSON.parse(fs.readFileSync(path.join(BASELINE, '.jsii'), 'utf-8'));

  test('is a jsii assembly of this library, with the package.json jsii-diff loads it by', () => {
    expect(assembly.name).toBe('cdk-bedrock-encryption');
    expect(manifest).toMatchObject({ name: `${assembly.name}-api-baseline`, version: assembly.version });
    expect(Object.keys(assembly.types).length).toBeGreaterThan(50);
    expect(compatArgs()).toEqual(expect.arrayContaining(['jsii-diff', '.api-baseline', '--error-on', 'all', '--ignore-file', '.compatignore']));
  });

  (compiled ? describe : describe.skip)('against the compiled library', () => {
    let broken: string;
    beforeAll(() => {
      // the baseline with a type and a method the library does not have: a removal each
      broken = fs.mkdtempSync(path.join(os.tmpdir(), 'api-baseline-'));
      const types = { ...assembly.types };
      types['cdk-bedrock-encryption.RemovedSince'] = {
        ...types['cdk-bedrock-encryption.BedrockEncryptionWarnings'],
        fqn: 'cdk-bedrock-encryption.RemovedSince',
        name: 'RemovedSince',
      };
      const key = types['cdk-bedrock-encryption.BedrockKey'];
      types['cdk-bedrock-encryption.BedrockKey'] = { ...key, methods: [...(key.methods ?? []), { name: 'removedMethod', docs: { summary: 'Gone.' } }] };
      fs.writeFileSync(path.join(broken, '.jsii'), JSON.stringify({ ...assembly, types }));
      fs.writeFileSync(path.join(broken, 'package.json'), JSON.stringify(manifest));
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(broken, 'node_modules'));
    });
    afterAll(() => fs.rmSync(broken, { recursive: true, force: true }));

    test('the committed baseline passes (breaking changes since it are declared)', () => {
      const run = jsiiDiff(BASELINE);
      expect({ status: run.status, output: run.output.replace(/^!!.*\n/gm, '') }).toEqual({ status: 0, output: expect.any(String) });
    });

    test('a removed type or method fails, with its key', () => {
      const run = jsiiDiff(broken);
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('removed:cdk-bedrock-encryption.RemovedSince');
      expect(run.output).toContain('removed:cdk-bedrock-encryption.BedrockKey.removedMethod');
    });

    test('passes once .compatignore declares the keys', () => {
      const ignore = path.join(broken, 'compatignore');
      fs.writeFileSync(ignore, '# declared\nremoved:cdk-bedrock-encryption.RemovedSince\nremoved:cdk-bedrock-encryption.BedrockKey.removedMethod\n');
      expect(jsiiDiff(broken, ignore).status).toBe(0);
    });
  });
});
