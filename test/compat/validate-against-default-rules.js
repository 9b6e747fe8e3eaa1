// Jest setup file of the newest-aws-cdk-lib run (test/compat/newest-cdk.jest.config.js): every App
// the tests create, including the one `new Stack()` makes for itself, reads CDK_CONTEXT_JSON, so
// this turns on `@aws-cdk/core:validateAgainstDefaultRules` for all of them. aws-cdk-lib 2.262 and
// later validate each template against the CloudFormation resource schemas at synth; with the
// flag, a finding is an error instead of a warning.
const context = JSON.parse(process.env.CDK_CONTEXT_JSON || '{}');
process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...context, '@aws-cdk/core:validateAgainstDefaultRules': true });
