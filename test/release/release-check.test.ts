/**
 * The release up to the publish step (`npx projen release:check`, scripts/release-check.sh): on a
 * fresh clone, with no credentials, every artifact is built into dist/ with the release version and
 * checked (the npm tarball, the wheel and the sdist, the Maven bundle, the Go module and the Go
 * example). A broken artifact fails here, in CI, and not at publishing.
 *
 * It builds the minimum aws-cdk-lib's artifacts, so the run on the newest aws-cdk-lib
 * (test/compat/newest-cdk.jest.config.js maps aws-cdk-lib to .compat-newest/) leaves it out.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
/** A 0.x release version (0.1.0 first), as a pattern. */
const V = '0\\.\\d+\\.\\d+';
const onNewestCdk = require.resolve('aws-cdk-lib').includes(`${path.sep}.compat-newest${path.sep}`);
const inGit = spawnSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: ROOT, encoding: 'utf-8' }).stdout.trim() === 'false';

(onNewestCdk || !inGit ? describe.skip : describe)('the release check', () => {
  let run: { status: number | null; output: string };
  beforeAll(() => {
    const result = spawnSync('bash', ['scripts/release-check.sh'], { cwd: ROOT, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
    run = { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  }, 25 * 60_000);

  const tail = () => run.output.split('\n').slice(-60).join('\n');

  test('builds and checks every artifact (scripts/release-check.sh)', () => {
    expect({ status: run.status, tail: run.status === 0 ? '' : tail() }).toEqual({ status: 0, tail: '' });
    expect(run.output).toMatch(/release check: 0\.\d+\.\d+ \(v0\.\d+\.\d+\) built and checked for npm, PyPI, Maven Central and Go/);
  });

  test.each([
    ['the release version, its tag and its changelog', new RegExp(`ok: version ${V}, tag v${V}, dist\\/changelog\\.md`)],
    ['no committed file changed by the release build', /ok: no committed file changed/],
    ['npm: the tarball', new RegExp(`ok: cdk-bedrock-encryption@${V}\\.jsii\\.tgz: \\d+ files, version ${V}`)],
    ['PyPI: twine check, the wheel and the sdist in clean venvs', new RegExp(`ok: twine check --strict; the wheel and the sdist install and import, version ${V}`)],
    ['Maven Central: the POM and the three jars', new RegExp(`ok: the POM, the jar, -sources\\.jar and -javadoc\\.jar, version ${V}`)],
    ['Go: the module builds', new RegExp(`ok: go build \\.\\/\\.\\.\\. and go vet of the module, version ${V}`)],
    ['Go: the example builds against it and synthesizes', /ok: the Go example builds against the module and synthesizes \(\d+ resources\)/],
  ])('%s', (_name, line) => {
    expect(run.output).toMatch(line);
  });
});
