import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { addRoleStatements } from '../../src/private/wiring';
import { testStack } from '../util/synthesized-policies';

const statement = () => new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:us-east-1::foundation-model/m'] });

describe('addRoleStatements', () => {
  test('a role created in the app takes the statements: no output, no warning', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    const dependables = addRoleStatements(stack, role, [statement()], 'the thing');
    expect(dependables).toHaveLength(1);
    expect(Template.fromStack(stack).findOutputs('*')).toEqual({});
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'bedrock:InvokeModel' })] },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a mutable imported role gets a policy', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/Existing');
    addRoleStatements(stack, role, [statement()], 'the thing');
    expect(Template.fromStack(stack).findOutputs('*')).toEqual({});
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Roles: ['Existing'] });
  });

  test('an immutable role: the statements become the RolePolicyToAdd output and a warning', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/Existing', { mutable: false });
    addRoleStatements(stack, role, [statement()], 'the thing');
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.keys(outputs)).toEqual(['RolePolicyToAdd']);
    expect(JSON.parse(stack.resolve(outputs.RolePolicyToAdd.Value)).Statement).toEqual([stack.resolve(statement().toStatementJson())]);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('role arn:aws:iam::111111111111:role/Existing cannot be changed'));
  });
});
