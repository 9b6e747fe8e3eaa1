/**
 * Synthesizes an integ app and writes its integ manifest (`integ.json`), the file the
 * `IntegTest` construct of `@aws-cdk/integ-tests-alpha` would write. With it, integ-runner
 * treats the app as a regular test case rather than a legacy one.
 */
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Manifest } from 'aws-cdk-lib/cloud-assembly-schema';

/** Synthesizes `app` and records `stacks` as the one test case `testName`. */
export function synthIntegCase(app: App, testName: string, stacks: Stack[]): void {
  const assembly = app.synth();
  Manifest.saveIntegManifest({
    version: Manifest.version(),
    testCases: {
      [`${testName}/DefaultTest`]: {
        stacks: stacks.map((s) => s.artifactId),
        // Deploying the previous snapshot first needs an AWS account; snapshots are compared offline.
        stackUpdateWorkflow: false,
      },
    },
  }, path.join(assembly.directory, 'integ.json'));
}
