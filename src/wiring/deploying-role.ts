import { DefaultStackSynthesizer, Fn, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isResolved } from '../private/validation';

/**
 * The role that deploys the stack of `scope`, which creates the Bedrock resources and so needs
 * the key uses AWS documents for the principal that creates them: `given`, or the CloudFormation
 * execution role of the stack's `DefaultStackSynthesizer`. Undefined with any other synthesizer
 * (its deployment role is not known at synth time).
 */
export function deployingRoleArn(scope: IConstruct, given?: string): string | undefined {
  if (given !== undefined) return given;
  const synthesizer = Stack.of(scope).synthesizer;
  if (!(synthesizer instanceof DefaultStackSynthesizer)) return undefined;
  const arn = synthesizer.cloudFormationExecutionRoleArn;
  // The synthesizer renders '${AWS::Partition}' (and, for environment-agnostic stacks,
  // '${AWS::AccountId}', '${AWS::Region}') placeholders for Fn::Sub.
  return isResolved(arn) && arn.includes('${') ? Fn.sub(arn) : arn;
}
