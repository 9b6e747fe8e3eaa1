/**
 * What a Python user pays: synthesizes the example app from Python (examples/python/app.py, on the
 * wheel in .bindings/venv) and from TypeScript (examples/app.ts), and the same app hand-written
 * with aws-cdk-lib's L2 constructs in both languages (bench/python/l2_app.py, bench/l2-app.ts),
 * in one run, and prints the ratios pair by pair. A Python app pays a jsii round trip for every
 * construct call: an L3 makes fewer calls than hand-written L2 code, so it should cost a Python
 * user less. Not a test: timings depend on the machine.
 *
 *   npx projen bench:python [-- --iterations 11]
 *
 * Before timing anything, the run checks that each Python app's template equals its TypeScript
 * twin's (but for metadata), so the comparison is between the same apps.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App } from 'aws-cdk-lib';
import { buildL2App } from './l2-app';
import { buildExampleApp } from '../examples/app';
import { comparableTemplate } from '../test/util/template-policies';

const ROOT = path.join(__dirname, '..');
const PYTHON = path.join(ROOT, '.bindings', 'venv', 'bin', 'python');

interface Measured {
  /** The first synthesis in the process, in ms. */
  readonly firstMs: number;
  /** The median of the later ones, in ms. */
  readonly ms: number;
  readonly template: any;
  /** jsii round trips per synthesis (Python only). */
  readonly roundTrips?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The TypeScript apps, first synthesis and then `iterations` more, in turn. */
function typescript(iterations: number): Record<string, Measured> {
  const builds: Record<string, (app: App) => void> = { library: (app) => { buildExampleApp(app); }, l2: (app) => { buildL2App(app); } };
  const synthesize = (build: (app: App) => void) => {
    const start = performance.now();
    const app = new App();
    build(app);
    const assembly = app.synth();
    return { ms: performance.now() - start, template: assembly.getStackByName('SupportAssistant').template };
  };
  const first = Object.fromEntries(Object.entries(builds).map(([name, build]) => [name, synthesize(build)]));
  const runs: Record<string, number[]> = { library: [], l2: [] };
  for (let i = 0; i < iterations; i++) for (const [name, build] of Object.entries(builds)) runs[name].push(synthesize(build).ms);
  return Object.fromEntries(Object.keys(builds).map((name) =>
    [name, { firstMs: first[name].ms, ms: median(runs[name]), template: first[name].template }]));
}

/** The Python apps, in a fresh Python process: its import time, and the same measures. */
function python(iterations: number): { importMs: number; apps: Record<string, Measured> } {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`${path.relative(ROOT, PYTHON)} not found: run ./scripts/bindings.sh python (npx projen bench:python does)`);
  }
  const args = [path.join(__dirname, 'python', 'bench.py'), '--iterations', String(iterations)];
  const run = spawnSync(PYTHON, args, { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024, cwd: ROOT });
  if (run.status !== 0) {
    throw new Error(`the Python benchmark failed (exit ${run.status}). Reproduce with: ${path.relative(ROOT, PYTHON)} ${args.map((a) => path.relative(ROOT, a) || a).join(' ')}\n${run.stderr}`);
  }
  const out = JSON.parse(run.stdout);
  return {
    importMs: out.import_ms,
    apps: Object.fromEntries(Object.entries<any>(out.apps).map(([name, a]) =>
      [name, { firstMs: a.first_ms, ms: a.ms, template: a.template, roundTrips: a.round_trips }])),
  };
}

const x = (r: number) => `${r.toFixed(2)}x`;

function main(): void {
  const arg = process.argv.indexOf('--iterations');
  const iterations = arg > 0 ? Number(process.argv[arg + 1]) : 11;

  const ts = typescript(iterations);
  const py = python(iterations);

  // the same apps in both languages, or the ratios mean nothing
  for (const name of ['library', 'l2']) {
    const [a, b] = [comparableTemplate(py.apps[name].template), comparableTemplate(ts[name].template)];
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      throw new Error(`the Python ${name} app's template differs from the TypeScript one's (beyond metadata): fix the Python app first`);
    }
  }
  const resources = Object.keys(comparableTemplate(ts.library.template).Resources).length;

  const lib = { ts: ts.library, py: py.apps.library };
  const l2 = { ts: ts.l2, py: py.apps.l2 };
  console.log('## The example app from Python and from TypeScript\n');
  console.log(`Each Python app has the same template as its TypeScript twin (${resources} resources); ${iterations} runs of each after the first, median.\n`);
  console.log('| app | TypeScript ms | Python ms | Python / TypeScript | jsii round trips |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| cdk-bedrock-encryption (examples/app.ts, examples/python/app.py) | ${lib.ts.ms.toFixed(1)} | ${lib.py.ms.toFixed(1)} | ${x(lib.py.ms / lib.ts.ms)} | ${lib.py.roundTrips} |`);
  console.log(`| hand-written with aws-cdk-lib L2s (bench/l2-app.ts, bench/python/l2_app.py) | ${l2.ts.ms.toFixed(1)} | ${l2.py.ms.toFixed(1)} | ${x(l2.py.ms / l2.ts.ms)} | ${l2.py.roundTrips} |`);
  console.log(`| library / hand-written L2 | ${x(lib.ts.ms / l2.ts.ms)} | ${x(lib.py.ms / l2.py.ms)} | | ${x(lib.py.roundTrips! / l2.py.roundTrips!)} |`);
  console.log('\nFirst synthesis in a fresh process, ms (Python: after importing aws_cdk and the library, '
    + `${py.importMs.toFixed(0)} ms, which starts the jsii runtime and loads both assemblies):\n`);
  console.log('| app | TypeScript | Python | Python / TypeScript |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| cdk-bedrock-encryption | ${lib.ts.firstMs.toFixed(0)} | ${lib.py.firstMs.toFixed(0)} | ${x(lib.py.firstMs / lib.ts.firstMs)} |`);
  console.log(`| hand-written with L2s | ${l2.ts.firstMs.toFixed(0)} | ${l2.py.firstMs.toFixed(0)} | ${x(l2.py.firstMs / l2.ts.firstMs)} |`);

  const faster = lib.py.ms < l2.py.ms;
  console.log(`\nFor a Python user the library is ${faster ? 'faster' : 'SLOWER'} than the same app hand-written with L2s: `
    + `${x(lib.py.ms / l2.py.ms)} the time, with ${lib.py.roundTrips} jsii round trips instead of ${l2.py.roundTrips}. `
    + `In TypeScript, with no round trips, it is ${x(lib.ts.ms / l2.ts.ms)}.`);
}

main();
