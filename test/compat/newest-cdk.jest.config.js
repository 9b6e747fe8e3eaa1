// Runs the jest suite against the newest aws-cdk-lib, constructs and @aws-cdk/aws-bedrock-alpha
// that the registry serves, installed by scripts/newest-cdk.sh into .compat-newest/. Every
// import of those packages, from the library, the tests and their tools (cdk-nag, cfn-guard),
// resolves there, so one copy of aws-cdk-lib is loaded.
const path = require('path');
const root = path.resolve(__dirname, '..', '..');
const modules = path.join(root, '.compat-newest', 'node_modules');
const base = require(path.join(root, 'package.json')).jest;

const mapped = ['aws-cdk-lib', 'constructs', '@aws-cdk/aws-bedrock-alpha'];
const escape = (s) => s.replace(/[/.-]/g, (c) => `\\${c}`);

module.exports = {
  ...base,
  rootDir: root,
  collectCoverage: false,
  moduleNameMapper: Object.fromEntries(mapped.flatMap((name) => [
    [`^${escape(name)}$`, path.join(modules, name)],
    [`^${escape(name)}/(.*)$`, `${path.join(modules, name)}/$1`],
  ])),
  // CloudFormation schema findings fail synthesis in this run (aws-cdk-lib validates at synth).
  setupFiles: [...(base.setupFiles ?? []), path.join(__dirname, 'validate-against-default-rules.js')],
  // The Python and Java examples run on the minimum aws-cdk-lib: their templates are compared with
  // the TypeScript example's on that version only.
  testPathIgnorePatterns: [...(base.testPathIgnorePatterns ?? []), '/test/bindings/templates\\.test\\.ts$'],
  reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports', outputName: 'junit-newest-cdk.xml' }]],
};
