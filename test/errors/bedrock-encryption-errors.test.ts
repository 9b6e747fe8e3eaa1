import { spawnSync } from 'child_process';
import * as core from 'aws-cdk-lib';
import { BedrockEncryptionErrors, BedrockKey } from '../../src';
import { venvTool } from '../proof/lint-templates';
import { testStack } from '../util/synthesized-policies';

/** The error a construct throws for bad input, caught. */
function badInputError(): unknown {
  try {
    new BedrockKey(testStack(), 'Key', { pendingWindow: core.Duration.days(3) });
  } catch (e) {
    return e;
  }
  throw new Error('BedrockKey accepted a pending window of 3 days');
}

describe('BedrockEncryptionErrors, from TypeScript', () => {
  test('the error of bad input is recognised, by the error and by its message', () => {
    const error = badInputError() as Error;
    expect(error.message).toMatch(/^\[BedrockEncryptionError\] BedrockKey 'Key' at 'TestStack': pendingWindow must be/);
    expect(BedrockEncryptionErrors.isBedrockEncryptionError(error)).toBe(true);
    expect(BedrockEncryptionErrors.isBedrockEncryptionError(error.message)).toBe(true);
    expect(BedrockEncryptionErrors.isBedrockEncryptionErrorMessage(error.message)).toBe(true);
  });

  test('aws-cdk-lib recognises it as a validation error of its own', () => {
    const error = badInputError();
    const errors = (core as any).Errors;
    expect(errors.isConstructError(error)).toBe(true);
    expect(errors.isValidationError(error)).toBe(true);
    expect((error as Error).name).toBe('ValidationError');
  });

  test('other errors are not: another Error, a message without the marker, a value that is no error', () => {
    expect(BedrockEncryptionErrors.isBedrockEncryptionError(new Error("BedrockKey 'Key' at 'TestStack': pendingWindow must be"))).toBe(false);
    expect(BedrockEncryptionErrors.isBedrockEncryptionError({ message: '[BedrockEncryptionError] forged' })).toBe(false);
    expect(BedrockEncryptionErrors.isBedrockEncryptionError(undefined)).toBe(false);
    expect(BedrockEncryptionErrors.isBedrockEncryptionErrorMessage('Error: [BedrockEncryptionError] later in the text')).toBe(false);
    expect((core as any).Errors.isValidationError(new Error('x'))).toBe(false);
  });
});

describe('BedrockEncryptionErrors, from Python (the wheel scripts/bindings.sh builds)', () => {
  test('the documented check works on the message of the RuntimeError jsii raises', () => {
    const script = [
      'import aws_cdk as cdk',
      'from cdk_bedrock_encryption import BedrockKey, BedrockEncryptionErrors',
      'stack = cdk.Stack(cdk.App(), "MyStack")',
      'try:',
      '    BedrockKey(stack, "Key", pending_window=cdk.Duration.days(3))',
      '    print("accepted")',
      'except RuntimeError as e:',
      '    print(BedrockEncryptionErrors.is_bedrock_encryption_error_message(str(e)))',
      '    print(BedrockEncryptionErrors.is_bedrock_encryption_error(str(e)))',
      '    print(BedrockEncryptionErrors.is_bedrock_encryption_error_message("something else"))',
      '    print(str(e).splitlines()[0])',
    ].join('\n');
    const run = spawnSync(venvTool('python'), ['-c', script], { encoding: 'utf-8' });
    expect(run.stderr).not.toMatch(/Traceback/);
    expect(run.stdout.trim().split('\n')).toEqual([
      'True',
      'True',
      'False',
      expect.stringMatching(/^\[BedrockEncryptionError\] BedrockKey 'Key' at 'MyStack': pendingWindow must be/),
    ]);
  });
});
