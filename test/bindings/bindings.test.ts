/**
 * The Python and Java examples are written against the generated bindings. This test checks, from
 * source and in a second, that every symbol they use exists in the code jsii-pacmak generated:
 * classes, constructor keyword arguments and builder methods, static factories, methods and
 * properties, with a file and line for each that does not. The examples also run for real, from
 * the wheel and the jar (templates.test.ts).
 *
 * Needs `npx projen bindings` (dist/python, dist/java) to have run before jest.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const PY_MODULE = 'cdk_bedrock_encryption';
const PY_INIT = path.join(ROOT, 'dist', 'python', 'src', PY_MODULE, '__init__.py');
const JAVA_PACKAGE = 'io.github.cdkbedrockencryption';
const JAVA_DIR = path.join(ROOT, 'dist', 'java', 'src', 'main', 'java', ...JAVA_PACKAGE.split('.'));
const PY_EXAMPLE = path.join(ROOT, 'examples', 'python', 'app.py');
const JAVA_EXAMPLE = path.join(ROOT, 'examples', 'java', 'src', 'main', 'java', 'io', 'github', 'cdkbedrockencryption', 'examples', 'App.java');

function requireBindings(): void {
  const missing = [PY_INIT, JAVA_DIR].filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    throw new Error(`generated bindings not found (${missing.map((p) => path.relative(ROOT, p)).join(', ')}): run npx projen bindings first`);
  }
}

// ---------------------------------------------------------------- Python

interface PyMember { readonly returns: string | null; readonly kwargs: string[] }
interface PyClass { readonly init: string[]; readonly members: Record<string, PyMember>; readonly bases: string[] }
interface PyUse {
  readonly kind: 'class' | 'kwarg' | 'member';
  readonly owner?: string;
  readonly member?: string;
  readonly variable?: { type?: string; factory?: [string, string] };
  readonly name: string;
  readonly line: number;
}

function pythonSymbols(program: string): { offered: Record<string, PyClass>; used: PyUse[] } {
  const run = spawnSync('python3', [path.join(__dirname, 'python-symbols.py'), PY_INIT, PY_MODULE, program], { encoding: 'utf-8' });
  if (run.status !== 0) throw new Error(`python3 python-symbols.py failed: ${run.stderr || run.error}`);
  return JSON.parse(run.stdout);
}

/** The uses in `program` that the generated Python module does not offer, as readable lines. */
function missingInPython(program: string): { checked: number; missing: string[] } {
  const { offered, used } = pythonSymbols(program);
  const member = (cls: string | undefined, name: string): PyMember | undefined => {
    for (let c = cls; c !== undefined && offered[c];) {
      if (offered[c].members[name]) return offered[c].members[name];
      c = offered[c].bases.find((b) => offered[b]);
    }
    return undefined;
  };
  const typeOf = (v: NonNullable<PyUse['variable']>): string | undefined =>
    v.type ?? (v.factory ? member(v.factory[0], v.factory[1])?.returns ?? undefined : undefined);

  const missing: string[] = [];
  for (const u of used) {
    const where = `${path.basename(program)}:${u.line}`;
    if (u.kind === 'class' && !offered[u.name]) missing.push(`${where} class ${u.name}`);
    if (u.kind === 'kwarg') {
      const params = u.member === '__init__' ? offered[u.owner!]?.init : member(u.owner, u.member!)?.kwargs;
      if (!params?.includes(u.name)) missing.push(`${where} ${u.owner}${u.member === '__init__' ? '' : `.${u.member}`}(${u.name}=...)`);
    }
    if (u.kind === 'member') {
      const owner = u.owner ?? typeOf(u.variable!);
      if (!member(owner, u.name)) missing.push(`${where} ${owner ?? '?'}.${u.name}`);
    }
  }
  return { checked: used.length, missing };
}

// ---------------------------------------------------------------- Java

/** The index just after the parenthesized group that opens at `open`. */
function skipParens(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '"') { i = src.indexOf('"', i + 1); continue; }
    if (src[i] === '(') depth++;
    if (src[i] === ')' && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced parentheses at ${open}`);
}

const lineAt = (src: string, index: number) => src.slice(0, index).split('\n').length;

/** The uses in `program` (Java source) that the generated Java package does not offer. */
function missingInJava(program: string): { checked: number; missing: string[] } {
  const src = fs.readFileSync(program, 'utf-8');
  const generated = (cls: string) => {
    const file = path.join(JAVA_DIR, `${cls}.java`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : undefined;
  };
  const declares = (cls: string, pattern: string) => new RegExp(pattern).test(generated(cls) ?? '');
  const missing: string[] = [];
  let checked = 0;
  const check = (ok: boolean, index: number, what: string) => {
    checked++;
    if (!ok) missing.push(`${path.basename(program)}:${lineAt(src, index)} ${what}`);
  };

  const imported = new Set<string>();
  for (const m of src.matchAll(new RegExp(`^import ${JAVA_PACKAGE.replace(/\./g, '\\.')}\\.(\\w+);`, 'gm'))) {
    imported.add(m[1]);
    check(generated(m[1]) !== undefined, m.index!, `class ${m[1]}`);
  }
  const ours = [...imported].join('|') || '(?!)';

  // Builder chains: X.Builder.create(...).a(...).b(...).build() and X.builder().a(...).build()
  for (const m of src.matchAll(new RegExp(`\\b(${ours})\\.(Builder\\.create|builder)\\(`, 'g'))) {
    const cls = m[1];
    check(declares(cls, m[2] === 'builder' ? 'static Builder builder\\(' : 'public static Builder create\\('), m.index!, `${cls}.${m[2]}()`);
    let i = skipParens(src, m.index! + m[0].length - 1);
    for (let next = /^\s*\.(\w+)\(/.exec(src.slice(i)); next; next = /^\s*\.(\w+)\(/.exec(src.slice(i))) {
      const name = next[1];
      if (name !== 'build') check(declares(cls, `public Builder ${name}\\(`), i, `${cls}.Builder.${name}(...)`);
      i = skipParens(src, i + next[0].length - 1);
      if (name === 'build') break;
    }
  }

  // Static factories: X.method(...)
  for (const m of src.matchAll(new RegExp(`\\b(${ours})\\.([a-z]\\w*)\\(`, 'g'))) {
    if (m[2] === 'builder') continue;
    check(declares(m[1], `public static [^(=]*\\b${m[2]}\\(`), m.index!, `${m[1]}.${m[2]}(...)`);
  }

  // Methods and getters on variables declared with one of our types: `X v = ...; v.method(...)`
  const variables = new Map<string, string>();
  for (const m of src.matchAll(new RegExp(`\\b(${ours})\\s+(\\w+)\\s*=`, 'g'))) variables.set(m[2], m[1]);
  for (const [name, cls] of variables) {
    for (const m of src.matchAll(new RegExp(`\\b${name}\\.(\\w+)\\(`, 'g'))) {
      check(declares(cls, `public [^(=]*\\b${m[1]}\\(`), m.index!, `${cls}#${m[1]}(...)`);
    }
  }
  return { checked, missing };
}

// ---------------------------------------------------------------- tests

describe('bindings: the examples use only symbols the generated code has', () => {
  beforeAll(requireBindings);

  test('examples/python/app.py', () => {
    const { checked, missing } = missingInPython(PY_EXAMPLE);
    expect(missing).toEqual([]);
    // classes, keyword arguments, factories, grant methods and properties
    expect(checked).toBeGreaterThanOrEqual(25);
  });

  test('examples/java/.../App.java', () => {
    const { checked, missing } = missingInJava(JAVA_EXAMPLE);
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(25);
  });

  test('the Python check catches a misspelled class, keyword argument and method', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-'));
    const program = path.join(dir, 'bad.py');
    fs.writeFileSync(program, fs.readFileSync(PY_EXAMPLE, 'utf-8')
      .replace('    EncryptedAgent,\n', '    EncryptedAgent,\n    EncryptedAgentt,\n')
      .replace('agent_name=', 'agentName=')
      .replace('agent.grant_invoke(', 'agent.grantInvoke('));
    const { missing } = missingInPython(program);
    expect(missing).toEqual([
      expect.stringMatching(/^bad\.py:\d+ class EncryptedAgentt$/),
      expect.stringMatching(/^bad\.py:\d+ EncryptedAgent\(agentName=\.\.\.\)$/),
      expect.stringMatching(/^bad\.py:\d+ EncryptedAgent\.grantInvoke$/),
    ]);
  });

  test('the Java check catches a misspelled class, builder method, factory and method', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-'));
    const program = path.join(dir, 'Bad.java');
    fs.writeFileSync(program, fs.readFileSync(JAVA_EXAMPLE, 'utf-8')
      .replace('import io.github.cdkbedrockencryption.KeyActivityMonitor;',
        'import io.github.cdkbedrockencryption.KeyActivityMonitor;\nimport io.github.cdkbedrockencryption.KeyActivityMonitors;')
      .replace('.agentName(', '.agent_name(')
      .replace('BedrockCustomerManagedKey.fromBedrockKey(', 'BedrockCustomerManagedKey.from_bedrock_key(')
      .replace('agent.grantInvoke(', 'agent.grant_invoke('));
    const { missing } = missingInJava(program);
    expect(missing).toHaveLength(4);
    expect(missing).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Bad\.java:\d+ EncryptedAgent#grant_invoke\(\.\.\.\)$/),
      expect.stringMatching(/^Bad\.java:\d+ EncryptedAgent\.Builder\.agent_name\(\.\.\.\)$/),
      expect.stringMatching(/^Bad\.java:\d+ BedrockCustomerManagedKey\.from_bedrock_key\(\.\.\.\)$/),
      expect.stringMatching(/^Bad\.java:\d+ class KeyActivityMonitors$/),
    ]));
  });
});
