import { BedrockEncryptionError } from './private/validation';

/**
 * Tells the errors this library throws for bad input from any other error.
 *
 * Every construct validates its props before it creates anything and throws a
 * `BedrockEncryptionError` (its `name`) whose message names the construct path, the property,
 * the value and the expected form. The class itself is not part of the jsii API, which cannot
 * export subclasses of `Error`; use this check, or the error's `name`, instead of `instanceof`.
 */
export class BedrockEncryptionErrors {
  /** True when `thrown` is a `BedrockEncryptionError` thrown by this library. */
  public static isBedrockEncryptionError(thrown: any): boolean {
    return thrown instanceof BedrockEncryptionError || (thrown instanceof Error && thrown.name === 'BedrockEncryptionError');
  }

  private constructor() {}
}
