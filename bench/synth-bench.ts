/**
 * Times synthesis of the example app against the same resources written by hand, in one run:
 * with aws-cdk-lib L2 constructs (bench/l2-app.ts) and with CloudFormation L1 constructs only
 * (bench/l1-app.ts). All three apps have the same logical IDs and resource types, which the run
 * checks. Then shows how synthesis grows with 1, 10 and 100 copies of an agent + flow +
 * knowledge base. Not a test: timings depend on the machine.
 *
 *   npx projen bench [-- --iterations 21]
 */
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { assistant, buildL1App } from './l1-app';
import { assistantL2, buildL2App } from './l2-app';
import { buildExampleApp, SupportAssistantStack } from '../examples/app';
import { addSupportAssistant } from '../examples/support-assistant';

/** Synth time of the example app against the same app hand-written with aws-cdk-lib L2s. */
const TARGET_TIME_VS_L2 = 1.10;
const TARGET_BYTES = 1.2;

type Build = (app: App) => void;
interface Run { readonly ms: number; readonly bytes: number; readonly resources: string[] }
interface Summary { readonly name: string; readonly ms: number; readonly runs: number[]; readonly bytes: number; readonly resources: string[] }

function synthesize(build: Build): Run {
  const start = performance.now();
  const app = new App();
  build(app);
  const assembly = app.synth();
  const ms = performance.now() - start;
  let bytes = 0;
  const resources: string[] = [];
  for (const stack of assembly.stacks) {
    bytes += JSON.stringify(stack.template).length;
    for (const [id, r] of Object.entries<any>(stack.template.Resources ?? {})) {
      if (r.Type !== 'AWS::CDK::Metadata') resources.push(`${stack.stackName}.${id} ${r.Type}`);
    }
  }
  return { ms, bytes, resources: resources.sort() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs every build in turn `iterations` times after a warm-up; median time of each. */
function compare(builds: Record<string, Build>, iterations: number, warmup = 2): Summary[] {
  const names = Object.keys(builds);
  for (let i = 0; i < warmup; i++) names.forEach((n) => synthesize(builds[n]));
  const runs = new Map<string, Run[]>(names.map((n) => [n, []]));
  for (let i = 0; i < iterations; i++) names.forEach((n) => runs.get(n)!.push(synthesize(builds[n])));
  return names.map((name) => {
    const rs = runs.get(name)!;
    return { name, ms: median(rs.map((r) => r.ms)), runs: rs.map((r) => r.ms), bytes: rs[0].bytes, resources: rs[0].resources };
  });
}

/** Says whether every app has the same logical IDs and resource types as the first. */
function sameResources(summaries: Summary[]): string {
  const [first, ...rest] = summaries;
  const problems = rest.flatMap((s) => {
    const missing = first.resources.filter((r) => !s.resources.includes(r));
    const extra = s.resources.filter((r) => !first.resources.includes(r));
    return missing.length + extra.length === 0 ? [] : [`${s.name}: missing ${missing.join(', ') || '-'}; extra ${extra.join(', ') || '-'}`];
  });
  return problems.length === 0
    ? `${first.resources.length} resources in each app, with the same logical IDs and types`
    : `RESOURCES DIFFER from ${first.name}:\n${problems.join('\n')}`;
}

/** N copies of `unit`, ten to a stack (a stack holds at most 500 resources). */
const copies = (n: number, unit: (scope: Construct) => void): Build => (app) => {
  for (let s = 0; s * 10 < n; s++) {
    const stack = new Stack(app, `Scale${s}`);
    for (let i = s * 10; i < Math.min(n, (s + 1) * 10); i++) unit(new Construct(stack, `Assistant${i}`));
  }
};

const x = (r: number) => `${r.toFixed(2)}x`;

/**
 * The median of per-round ratios: each round synthesizes every app once, in turn, so the ratio of
 * one round compares runs made under the same machine load.
 */
const ratio = (a: Summary, b: Summary) => median(a.runs.map((ms, i) => ms / b.runs[i]));
const verdict = (r: number, target: number) => (r <= target ? `meets <= ${target}x` : `MISSES <= ${target}x`);

function main(): void {
  const arg = process.argv.indexOf('--iterations');
  const iterations = arg > 0 ? Number(process.argv[arg + 1]) : 21;

  // 1. the example app against the same resources written by hand
  const example = compare({
    'cdk-bedrock-encryption: examples/app.ts': (app) => { buildExampleApp(app); },
    'the same stack without the BedrockEncryptionChecks aspect': (app) => { new SupportAssistantStack(app, 'SupportAssistant'); },
    'hand-written with aws-cdk-lib L2s: bench/l2-app.ts': (app) => { buildL2App(app); },
    'hand-written with L1s: bench/l1-app.ts': (app) => { buildL1App(app); },
  }, iterations);
  const [library, , l2, l1] = example;
  console.log('## Example app vs the same resources written by hand\n');
  console.log(`${sameResources(example)}; ${iterations} rounds; times are medians, ratios the median of per-round ratios\n`);
  console.log('| app | synth ms | vs L1 | vs L2 | template bytes | vs L1 |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const s of example) {
    console.log(`| ${s.name} | ${s.ms.toFixed(1)} | ${x(ratio(s, l1))} | ${x(ratio(s, l2))} | ${s.bytes} | ${x(s.bytes / l1.bytes)} |`);
  }
  console.log(`\nexamples/app.ts: synth time ${x(ratio(library, l2))} of the L2 app (${verdict(ratio(library, l2), TARGET_TIME_VS_L2)}), `
    + `${x(ratio(library, l1))} of the L1 app; template bytes ${x(library.bytes / l1.bytes)} of the L1 app `
    + `(${verdict(library.bytes / l1.bytes, TARGET_BYTES)})`);

  // 2. growth: N copies of agent + flow + knowledge base
  console.log('\n## Scaling: N x (agent + flow + knowledge base + caller)\n');
  console.log('| N | resources | library ms/copy | L2 ms/copy | L1 ms/copy | library vs L1 | library vs L2 |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const perCopy: number[] = [];
  for (const n of [1, 10, 100]) {
    const its = n === 100 ? 3 : n === 10 ? 5 : iterations;
    const [lib, byL2, byL1] = compare({
      library: copies(n, (scope) => { addSupportAssistant(scope); }),
      l2: copies(n, (scope) => { assistantL2(scope); }),
      l1: copies(n, (scope) => { assistant(scope); }),
    }, its, 1);
    if (!sameResources([lib, byL2, byL1]).includes('same logical IDs')) throw new Error(sameResources([lib, byL2, byL1]));
    perCopy.push(lib.ms / n);
    console.log(`| ${n} | ${lib.resources.length} | ${(lib.ms / n).toFixed(2)} | ${(byL2.ms / n).toFixed(2)} | ${(byL1.ms / n).toFixed(2)} | `
      + `${x(ratio(lib, byL1))} | ${x(ratio(lib, byL2))} |`);
  }
  const growth = perCopy[2] / perCopy[1];
  console.log(`\nlibrary ms per copy at N=100 / at N=10: ${growth.toFixed(2)} (${growth <= 1.25 ? 'linear' : 'SUPERLINEAR'}; 1.00 = linear)`);
}

main();
