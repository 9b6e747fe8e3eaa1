import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The npm package holds what users need and nothing else: the compiled library, its jsii
 * assembly, API.md, README, LICENSE and package.json. Build files (scripts/, .ci/, cdk.out/,
 * test reports, sources) never ship.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const ALLOWED = [/^lib\/.+\.(js|d\.ts)$/, /^\.jsii$/, /^API\.md$/, /^README\.md$/, /^LICENSE$/, /^package\.json$/];

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8' });
  return JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
}

describe('the npm package', () => {
  // Files a demo or CI run leaves in the work tree, which must not ship.
  const strays = ['cdk.out/examples/stray.template.json', 'test-reports/stray.xml', '.deps-stamp'];
  let files: string[];
  beforeAll(() => {
    const made = strays.filter((f) => !fs.existsSync(path.join(ROOT, f)));
    for (const f of made) {
      fs.mkdirSync(path.dirname(path.join(ROOT, f)), { recursive: true });
      fs.writeFileSync(path.join(ROOT, f), '{}');
    }
    try {
      files = packedFiles();
    } finally {
      for (const f of made) fs.rmSync(path.join(ROOT, f));
    }
  });

  test('holds only the library, its assembly and its documents', () => {
    expect(files.filter((f) => !ALLOWED.some((re) => re.test(f)))).toEqual([]);
  });

  test('holds README, LICENSE, API.md and package.json', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'API.md', 'package.json']));
  });

  // After a compile (as in scripts/test.sh), the compiled library and its assembly are in it.
  const compiled = fs.existsSync(path.join(ROOT, '.jsii'));
  (compiled ? test : test.skip)('holds the compiled library and the jsii assembly', () => {
    expect(files).toEqual(expect.arrayContaining(['.jsii', 'lib/index.js', 'lib/index.d.ts']));
    expect(files.some((f) => f.startsWith('lib/') && f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
  });
});
