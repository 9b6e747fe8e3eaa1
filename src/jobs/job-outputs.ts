import { CfnOutput } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** A value of a job's API request, and what the request calls it. */
export interface JobOutput {
  /** The output's construct id. */
  readonly id: string;
  readonly value: string;
  readonly description: string;
}

/**
 * Adds the values of a job's API request as stack outputs, only when the user asked for them
 * (`outputs: true`): outputs count against the stack's limit of 200.
 */
export function addJobOutputs(scope: Construct, enabled: boolean | undefined, outputs: JobOutput[]): void {
  if (!enabled) return;
  for (const { id, value, description } of outputs) {
    new CfnOutput(scope, id, { value, description });
  }
}
