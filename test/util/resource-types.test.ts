import { Stack, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { identityPolicyProblems } from './identity-policy-resources';
import { discardSynthesizedTemplates, pendingProblems } from './resource-type-guard';
import { acceptedResources, requestProblem, unusableActions } from './resource-types';
import { evaluatePolicies, TEST_ACCOUNT, TEST_REGION, testStack } from './synthesized-policies';

const ENV = { account: TEST_ACCOUNT, region: TEST_REGION };
const arn = (resource: string) => `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:${resource}`;

describe('resource types from the Service Authorization Reference', () => {
  test('reads an action\'s accepted types, and says which actions accept only "*"', () => {
    expect(acceptedResources('bedrock:CreateModelImportJob')).toEqual([{ action: 'bedrock:CreateModelImportJob', wildcardOnly: true, types: [] }]);
    expect(acceptedResources('bedrock:CreateEvaluationJob')[0].types.map((t) => t.key).sort())
      .toEqual(['custom-model', 'default-prompt-router', 'foundation-model', 'prompt-router']);
    expect(acceptedResources('kms:ReEncrypt*').map((a) => a.action).sort()).toEqual(['kms:ReEncryptFrom', 'kms:ReEncryptTo']);
    expect(() => acceptedResources('bedrock:CreateEvaluationJobs')).toThrow(/no action bedrock:CreateEvaluationJobs/);
  });

  test('an action on a type it does not accept, and a wildcard-only action on an ARN, can never be allowed', () => {
    expect(unusableActions(['bedrock:CreateEvaluationJob'], [arn('evaluation-job/*')])).toEqual([
      expect.stringMatching(/^bedrock:CreateEvaluationJob on .*evaluation-job\/\*.*accepts custom-model/),
    ]);
    expect(unusableActions(['bedrock:RetrieveAndGenerate'], [arn('knowledge-base/KB12345678')])).toEqual([
      expect.stringMatching(/bedrock:RetrieveAndGenerate accepts only "\*"/),
    ]);
    expect(unusableActions(['bedrock:StopModelInvocationJob'], [`arn:aws:bedrock:${TEST_REGION}::foundation-model/m`])).toHaveLength(1);
  });

  test('the right types pass, and so does one matching resource among several', () => {
    expect(unusableActions(['bedrock:CreateModelImportJob', 'bedrock:RetrieveAndGenerate'], ['*'])).toEqual([]);
    expect(unusableActions(['bedrock:StopModelInvocationJob'], [arn('model-invocation-job/*')])).toEqual([]);
    expect(unusableActions(['bedrock:CreateEvaluationJob'], [arn('evaluation-job/*'), `arn:aws:bedrock:${TEST_REGION}::foundation-model/*`])).toEqual([]);
    expect(unusableActions(['s3:GetObject'], ['arn:aws:s3:::bucket/prefix/*'])).toEqual([]);
    expect(unusableActions(['kms:GenerateDataKey*'], [`arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/k`])).toEqual([]);
  });

  test('the test engine refuses requests IAM never receives', () => {
    expect(requestProblem('bedrock:CreateEvaluationJob', arn('evaluation-job/j'))).toMatch(/accepts custom-model, .*; .*evaluation-job\/j is none of them/);
    expect(requestProblem('bedrock:CreateModelImportJob', arn('model-import-job/j'))).toMatch(/accepts only "\*"/);
    expect(requestProblem('bedrock:CreateModelImportJob', '*')).toBeUndefined();
    expect(() => evaluatePolicies({ principal: `arn:aws:iam::${TEST_ACCOUNT}:role/R`, action: 'bedrock:CreateEvaluationJob', resource: arn('evaluation-job/j'), resourceAccount: TEST_ACCOUNT }))
      .toThrow(/not a request IAM receives/);
  });
});

describe('the check over synthesized templates', () => {
  function templateWith(statement: iam.PolicyStatement): { stack: Stack; template: any } {
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(statement);
    const template = Stage.of(stack)!.synth().getStackByName(stack.stackName).template;
    discardSynthesizedTemplates(); // written on purpose
    return { stack, template };
  }

  test('names the construct, the action, the resource and the accepted types', () => {
    const { template } = templateWith(new iam.PolicyStatement({
      actions: ['bedrock:CreateModelImportJob'], resources: [Stack.prototype.formatArn.call(new Stack(), { service: 'bedrock', resource: 'model-import-job', resourceName: '*' })],
    }));
    expect(identityPolicyProblems(template, ENV)).toEqual([
      expect.stringMatching(/^RoleDefaultPolicy[0-9A-F]{8}: bedrock:CreateModelImportJob on \["arn:aws:bedrock:.*model-import-job\/\*"\]: bedrock:CreateModelImportJob accepts only "\*"$/),
    ]);
  });

  test('resolves references to the resources of the template', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [role.roleArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [role.roleArn] }));
    const template = Stage.of(stack)!.synth().getStackByName(stack.stackName).template;
    discardSynthesizedTemplates(); // written on purpose
    expect(identityPolicyProblems(template, ENV)).toEqual([expect.stringMatching(/bedrock:InvokeModel on \["arn:aws:iam::\d+:role\/Role[0-9A-F]+"\]/)]);
  });

  test('after each test, every synthesized template is checked, naming the stack and the construct path', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:RetrieveAndGenerate'], resources: [`arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:knowledge-base/KB12345678`] }));
    Stage.of(stack)!.synth();
    const problems = pendingProblems();
    discardSynthesizedTemplates(); // written on purpose
    expect(problems).toEqual([expect.stringMatching(/^TestStack: TestStack\/Role\/DefaultPolicy\/Resource: bedrock:RetrieveAndGenerate on .*accepts only "\*"$/)]);
  });
});
