import { BEDROCK_ENCRYPTION_ERROR_MARKER, BedrockEncryptionError } from './private/validation';

/**
 * Tells the errors this library throws for bad input from any other error.
 *
 * Every construct validates its props before it creates anything and throws an error whose
 * message starts with `[BedrockEncryptionError]` and names the construct path, the property, the
 * value and the expected form. In TypeScript and JavaScript it is also a validation error of
 * aws-cdk-lib (`Errors.isValidationError(e)` is true). jsii hands Python, Java, Go and .NET the
 * message only: pass it to {@link isBedrockEncryptionErrorMessage}.
 *
 * @example
 * try {
 *   new EncryptedAgent(this, 'Agent', props);
 * } catch (e) {
 *   if (!BedrockEncryptionErrors.isBedrockEncryptionError(e)) throw e;
 * }
 */
export class BedrockEncryptionErrors {
  /**
   * True when `thrown` is an error this library threw for bad input (TypeScript, JavaScript),
   * or its message.
   */
  public static isBedrockEncryptionError(thrown: any): boolean {
    if (typeof thrown === 'string') return BedrockEncryptionErrors.isBedrockEncryptionErrorMessage(thrown);
    return thrown instanceof BedrockEncryptionError
      || (thrown instanceof Error && BedrockEncryptionErrors.isBedrockEncryptionErrorMessage(thrown.message));
  }

  /**
   * True when `message` is the message of an error this library threw for bad input: in Python
   * `str(e)` of the `RuntimeError`, in Java `e.getMessage()` of the `JsiiException`.
   */
  public static isBedrockEncryptionErrorMessage(message: string): boolean {
    return typeof message === 'string' && message.startsWith(`${BEDROCK_ENCRYPTION_ERROR_MARKER} `);
  }

  private constructor() {}
}
