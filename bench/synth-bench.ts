/**
 * Times synthesis of the example app against a hand-written L1 app with the same resources
 * (bench/l1-app.ts), in one run, and how synthesis grows with 1, 10 and 100 copies of an
 * agent + flow + knowledge base. Not a test: timings depend on the machine.
 *
 *   npx projen bench [-- --iterations 15]
 */
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { assistant, buildL1App } from './l1-app';
import { buildExampleApp } from '../examples/app';
import { addSupportAssistant } from '../examples/support-assistant';

const TARGET_TIME = 1.15;
const TARGET_BYTES = 1.2;

interface Run { readonly ms: number; readonly bytes: number; readonly resources: Record<string, number> }

function synthesize(build: (app: App) => void): Run {
  const start = performance.now();
  const app = new App();
  build(app);
  const assembly = app.synth();
  const ms = performance.now() - start;
  let bytes = 0;
  const resources: Record<string, number> = {};
  for (const stack of assembly.stacks) {
    bytes += JSON.stringify(stack.template).length;
    for (const r of Object.values<any>(stack.template.Resources ?? {})) {
      if (r.Type !== 'AWS::CDK::Metadata') resources[r.Type] = (resources[r.Type] ?? 0) + 1;
    }
  }
  return { ms, bytes, resources };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** Runs both builds alternately `iterations` times after a warm-up; medians. */
function compare(library: (app: App) => void, l1: (app: App) => void, iterations: number, warmup = 2) {
  for (let i = 0; i < warmup; i++) { synthesize(library); synthesize(l1); }
  const runs = { library: [] as Run[], l1: [] as Run[] };
  for (let i = 0; i < iterations; i++) {
    runs.library.push(synthesize(library));
    runs.l1.push(synthesize(l1));
  }
  const summary = (rs: Run[]) => ({ ms: median(rs.map((r) => r.ms)), bytes: rs[0].bytes, resources: rs[0].resources });
  return { library: summary(runs.library), l1: summary(runs.l1) };
}

/** The scaling unit with the library: a knowledge base, an agent using it, a flow, and a caller. */
function libraryAssistant(scope: Construct): void {
  addSupportAssistant(scope);
}

/** N copies of `unit`, ten to a stack (a stack holds at most 500 resources). */
const copies = (n: number, unit: (scope: Construct) => void) => (app: App) => {
  for (let s = 0; s * 10 < n; s++) {
    const stack = new Stack(app, `Scale${s}`);
    for (let i = s * 10; i < Math.min(n, (s + 1) * 10); i++) unit(new Construct(stack, `Assistant${i}`));
  }
};

function main(): void {
  const arg = process.argv.indexOf('--iterations');
  const iterations = arg > 0 ? Number(process.argv[arg + 1]) : 15;
  const ratio = (a: number, b: number) => a / b;
  const verdict = (r: number, target: number) => (r <= target ? `meets <= ${target}x` : `MISSES <= ${target}x`);

  // 1. the example app against the same resources written in L1 constructs
  const example = compare((app) => { buildExampleApp(app); }, (app) => { buildL1App(app); }, iterations);
  console.log('## Example app vs hand-written L1 app\n');
  console.log(`resources: library ${total(example.library.resources)}, L1 ${total(example.l1.resources)}; ${iterations} iterations, median\n`);
  const types = [...new Set([...Object.keys(example.library.resources), ...Object.keys(example.l1.resources)])].sort();
  const mismatched = types.filter((t) => example.library.resources[t] !== example.l1.resources[t]);
  console.log(mismatched.length === 0 ? 'resource types and counts match\n'
    : `resource counts differ: ${mismatched.map((t) => `${t} ${example.library.resources[t] ?? 0} vs ${example.l1.resources[t] ?? 0}`).join(', ')}\n`);
  const timeRatio = ratio(example.library.ms, example.l1.ms);
  const bytesRatio = ratio(example.library.bytes, example.l1.bytes);
  console.log('| app | synth ms | template bytes |');
  console.log('| --- | ---: | ---: |');
  console.log(`| cdk-bedrock-encryption (examples/app.ts) | ${example.library.ms.toFixed(1)} | ${example.library.bytes} |`);
  console.log(`| hand-written L1 (bench/l1-app.ts) | ${example.l1.ms.toFixed(1)} | ${example.l1.bytes} |`);
  console.log(`| ratio | ${timeRatio.toFixed(2)}x (${verdict(timeRatio, TARGET_TIME)}) | ${bytesRatio.toFixed(2)}x (${verdict(bytesRatio, TARGET_BYTES)}) |`);

  // 2. growth: N copies of agent + flow + knowledge base
  console.log('\n## Scaling: N x (agent + flow + knowledge base + caller)\n');
  console.log('| N | resources | library ms | library ms/copy | L1 ms | L1 ms/copy | ratio |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const perCopy: number[] = [];
  for (const n of [1, 10, 100]) {
    const its = n === 100 ? 3 : n === 10 ? 5 : iterations;
    const r = compare(copies(n, libraryAssistant), copies(n, assistant), its, 1);
    perCopy.push(r.library.ms / n);
    console.log(`| ${n} | ${total(r.library.resources)} / ${total(r.l1.resources)} | ${r.library.ms.toFixed(1)} | ${(r.library.ms / n).toFixed(2)} | `
      + `${r.l1.ms.toFixed(1)} | ${(r.l1.ms / n).toFixed(2)} | ${ratio(r.library.ms, r.l1.ms).toFixed(2)}x |`);
  }
  const growth = perCopy[2] / perCopy[1];
  console.log(`\nms per copy at N=100 / at N=10: ${growth.toFixed(2)} (${growth <= 1.25 ? 'linear' : 'SUPERLINEAR'}; 1.00 = linear)`);
}

main();
