/**
 * Times synthesis of the example app against an L1 app that declares the same resources, in
 * one run, and prints the ratio. Not a test: timings depend on the machine.
 *
 *   npx projen bench [-- --iterations 20]
 *
 * The L1 baseline declares every resource of the example's templates as a plain CfnResource
 * with the same properties, dependencies and outputs: the least work any CDK app can do to
 * produce the same templates. The ratio is what the library's constructs, validation and
 * policy building cost on top of that.
 */
import { performance } from 'perf_hooks';
import { App, CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import { buildExampleApp } from '../examples/app';

interface Templates { [stackName: string]: any }

function synthesize(build: (app: App) => void): { ms: number; templates: Templates } {
  const start = performance.now();
  const app = new App();
  build(app);
  const assembly = app.synth();
  const ms = performance.now() - start;
  const templates: Templates = {};
  for (const stack of assembly.stacks) templates[stack.stackName] = stack.template;
  return { ms, templates };
}

/** An app that declares the given templates' resources and outputs as L1 constructs. */
function l1App(templates: Templates): (app: App) => void {
  return (app) => {
    for (const [stackName, template] of Object.entries(templates)) {
      const stack = new Stack(app, stackName);
      const resources: Record<string, CfnResource> = {};
      for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
        if (r.Type === 'AWS::CDK::Metadata') continue;
        const resource = new CfnResource(stack, id, { type: r.Type, properties: r.Properties });
        resource.overrideLogicalId(id);
        if (r.DeletionPolicy) resource.addOverride('DeletionPolicy', r.DeletionPolicy);
        if (r.UpdateReplacePolicy) resource.addOverride('UpdateReplacePolicy', r.UpdateReplacePolicy);
        resources[id] = resource;
      }
      for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
        for (const dep of [r.DependsOn ?? []].flat()) {
          if (resources[id] && resources[dep]) resources[id].addDependency(resources[dep]);
        }
      }
      for (const [id, o] of Object.entries<any>(template.Outputs ?? {})) {
        new CfnOutput(stack, id, { value: o.Value, description: o.Description }).overrideLogicalId(id);
      }
    }
  };
}

const bytes = (templates: Templates) => Object.values(templates).reduce((n, t) => n + JSON.stringify(t).length, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const arg = process.argv.indexOf('--iterations');
  const iterations = arg > 0 ? Number(process.argv[arg + 1]) : 15;
  const reference = synthesize((app) => buildExampleApp(app)).templates;
  const baseline = l1App(reference);

  // warm up both paths (module loading, JIT), then alternate so drift hits both alike
  for (let i = 0; i < 3; i++) { synthesize((app) => buildExampleApp(app)); synthesize(baseline); }
  const library: number[] = [];
  const l1: number[] = [];
  let l1Templates: Templates = {};
  for (let i = 0; i < iterations; i++) {
    library.push(synthesize((app) => buildExampleApp(app)).ms);
    const run = synthesize(baseline);
    l1.push(run.ms);
    l1Templates = run.templates;
  }

  const resources = Object.values(reference).reduce((n, t) => n + Object.keys(t.Resources ?? {}).length, 0);
  console.log(`example app: ${Object.keys(reference).length} stack(s), ${resources} resources; ${iterations} iterations, median`);
  console.log('| app | synth ms | template bytes |');
  console.log('| --- | ---: | ---: |');
  console.log(`| cdk-bedrock-encryption | ${median(library).toFixed(1)} | ${bytes(reference)} |`);
  console.log(`| L1 baseline | ${median(l1).toFixed(1)} | ${bytes(l1Templates)} |`);
  console.log(`| ratio | ${(median(library) / median(l1)).toFixed(2)}x | ${(bytes(reference) / bytes(l1Templates)).toFixed(2)}x |`);
}

main();
