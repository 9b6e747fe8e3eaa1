import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * An app that loads two copies of the library (two versions in one node_modules) shares one
 * aws-cdk-lib: state the library keeps on constructs must be seen by both copies.
 */
const SHARED = ['aws-cdk-lib', 'constructs', ...['bedrock', 'events', 'iam', 'kms', 'logs', 'opensearchserverless', 's3', 's3vectors',
  'secretsmanager', 'sns'].map((m) => `aws-cdk-lib/aws-${m}`), 'aws-cdk-lib/region-info'];

function loadCopy(): typeof import('../../src') {
  let copy: typeof import('../../src') | undefined;
  jest.isolateModules(() => {
    for (const id of SHARED) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const shared = require(id);
      jest.doMock(id, () => shared);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    copy = require('../../src');
  });
  return copy!;
}

const a = loadCopy();
const b = loadCopy();

function guardrailWithKeyWithoutRotation(stack: cdk.Stack): void {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: false });
  new bedrock.CfnGuardrail(stack, 'Guardrail', {
    name: 'g',
    blockedInputMessaging: 'no',
    blockedOutputsMessaging: 'no',
    kmsKeyArn: key.keyArn,
    contentPolicyConfig: { filtersConfig: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
  });
}

test('the two copies are distinct classes over one aws-cdk-lib', () => {
  expect(a.BedrockEncryptionChecks).not.toBe(b.BedrockEncryptionChecks);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require('aws-cdk-lib').App).toBe(cdk.App);
});

test('a suppression made with one copy is honoured by the checks of the other, for resources added later', () => {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'S');
  b.BedrockEncryptionChecks.suppress(stack, b.BedrockEncryptionRules.KEY_ROTATION_OFF, 'Rotated by the key owner');
  guardrailWithKeyWithoutRotation(stack);
  cdk.Aspects.of(app).add(new a.BedrockEncryptionChecks());
  app.synth();
  AssertAnnotations.fromStack(stack).hasNoError('*', Match.stringLikeRegexp(a.BedrockEncryptionRules.KEY_ROTATION_OFF));
  // and without the suppression, the same app has the finding (the test can fail)
  const app2 = new cdk.App();
  const stack2 = new cdk.Stack(app2, 'S');
  guardrailWithKeyWithoutRotation(stack2);
  cdk.Aspects.of(app2).add(new a.BedrockEncryptionChecks());
  app2.synth();
  AssertAnnotations.fromStack(stack2).hasError('*', Match.stringLikeRegexp(a.BedrockEncryptionRules.KEY_ROTATION_OFF));
});

test('src/ keeps no module-level WeakMap or WeakSet', () => {
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const offenders = files(path.resolve(__dirname, '../../src')).filter((f) => f.endsWith('.ts'))
    .filter((f) => /new Weak(Map|Set)\b/.test(fs.readFileSync(f, 'utf-8')));
  expect(offenders).toEqual([]);
});
