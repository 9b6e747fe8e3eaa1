/**
 * Synthesizes an integ app and writes its integ manifest (`integ.json`), the file the
 * `IntegTest` construct of `@aws-cdk/integ-tests-alpha` would write. With it, integ-runner
 * treats the app as a regular test case rather than a legacy one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { IntegManifest } from 'aws-cdk-lib/cloud-assembly-schema';

/**
 * The cloud assembly schema version the newest integ-runner (2.197) reads. aws-cdk-lib writes
 * schema 54 from 2.258 on, which integ-runner refuses to read although nothing it reads changed:
 * the manifests of the snapshot (the assembly's, the asset manifests, the integ manifest) say 53.
 */
const INTEG_RUNNER_SCHEMA_VERSION = '53.0.0';

/** Synthesizes `app` and records `stacks` as the one test case `testName`. */
export function synthIntegCase(app: App, testName: string, stacks: Stack[]): void {
  const assembly = app.synth();
  for (const file of manifestsIn(assembly.directory)) {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const version = /^(\d+)\.\d+\.\d+$/.exec(String(manifest.version));
    if (version && Number(version[1]) > Number(INTEG_RUNNER_SCHEMA_VERSION.split('.')[0])) {
      manifest.version = INTEG_RUNNER_SCHEMA_VERSION;
      delete manifest.minimumCliVersion;
      fs.writeFileSync(file, JSON.stringify(manifest, undefined, 2));
    }
  }
  const integManifest: IntegManifest = {
    version: INTEG_RUNNER_SCHEMA_VERSION,
    testCases: {
      [`${testName}/DefaultTest`]: {
        stacks: stacks.map((s) => s.artifactId),
        // Deploying the previous snapshot first needs an AWS account; snapshots are compared offline.
        stackUpdateWorkflow: false,
      },
    },
  };
  // written as is: Manifest.saveIntegManifest would stamp aws-cdk-lib's own schema version on it
  fs.writeFileSync(path.join(assembly.directory, 'integ.json'), JSON.stringify(integManifest, undefined, 2));
}

/** The manifests (`manifest.json`, `*.assets.json`) of the assembly in `dir` and of every nested assembly. */
function manifestsIn(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return manifestsIn(full);
    return entry.name === 'manifest.json' || entry.name.endsWith('.assets.json') ? [full] : [];
  });
}
