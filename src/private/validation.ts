import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { bedrockResourceArnPattern, KMS_KEY_ARN, KMS_KEY_ARN_FORM } from '../policy/patterns';

/**
 * The error every construct of this library throws for bad input. Its message names the
 * construct path, the property, the value and the expected form.
 */
export class BedrockEncryptionError extends Error {
  constructor(message: string) {
    super(`${BEDROCK_ENCRYPTION_ERROR_MARKER} ${message}`);
    this.name = 'ValidationError';
    Object.setPrototypeOf(this, BedrockEncryptionError.prototype);
    // aws-cdk-lib's Errors.isConstructError and Errors.isValidationError test these global symbols
    // (Symbol.for, so any copy of aws-cdk-lib in the app reads them)
    for (const key of ['@aws-cdk/core.SynthesisError', '@aws-cdk/core.ValidationError']) {
      Object.defineProperty(this, Symbol.for(key), { value: true, enumerable: false });
    }
  }
}

/**
 * What every message of a `BedrockEncryptionError` starts with. jsii hands other languages the
 * message only (a Python `RuntimeError`, a Java `JsiiException`), so the message carries it.
 */
export const BEDROCK_ENCRYPTION_ERROR_MARKER = '[BedrockEncryptionError]';

/** Why a Bedrock resource's key must be in its region: the key policies AWS documents admit Bedrock in that region only. */
const SAME_REGION = 'the key policies AWS documents let Bedrock use the key only through its endpoint in the resource\'s region (kms:ViaService)';

/**
 * Why it must be in its account: no AWS page on encrypting Bedrock resources documents a key of
 * another account (README, "Keys in another account").
 */
const SAME_ACCOUNT = 'no AWS page on encrypting Bedrock resources documents a key of another account (README, "Keys in another account")';

/**
 * Collects validation problems for one construct and throws them together, before the
 * construct creates any child, so a throw never leaves half a construct behind.
 * Unresolved tokens are never validated.
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  constructor(private readonly scope: IConstruct, private readonly constructName: string) {}

  /** Records a problem unless `value` is undefined, a token or matches `pattern`. */
  public pattern(prop: string, value: string | undefined, pattern: RegExp, expected: string): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    if (!pattern.test(value)) {
      this.fail(prop, JSON.stringify(value), expected);
    }
    return this;
  }

  /** Records a problem unless `value` is undefined, a token or within [min, max]. */
  public range(prop: string, value: number | undefined, min: number, max: number, unit = ''): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    if (!Number.isFinite(value) || value < min || value > max || (Number.isInteger(min) && !Number.isInteger(value))) {
      this.fail(prop, String(value), `${Number.isInteger(min) ? 'a whole number' : 'a number'} from ${min} to ${max}${unit}`);
    }
    return this;
  }

  /** Records a problem unless the duration is undefined, unresolved or within [min, max] seconds. */
  public durationSeconds(prop: string, value: Duration | undefined, min: number, max: number): this {
    if (value === undefined || value.isUnresolved()) return this;
    const seconds = value.toSeconds({ integral: false });
    if (seconds < min || seconds > max) {
      this.fail(prop, value.toHumanString(), `a duration from ${Duration.seconds(min).toHumanString()} to ${Duration.seconds(max).toHumanString()}`);
    }
    return this;
  }

  /** Records a problem unless the duration is undefined, unresolved or within [min, max] whole days. */
  public durationDays(prop: string, value: Duration | undefined, min: number, max: number): this {
    if (value === undefined || value.isUnresolved()) return this;
    const days = value.toDays({ integral: false });
    if (!Number.isInteger(days) || days < min || days > max) {
      this.fail(prop, value.toHumanString(), `a whole number of days from ${min} to ${max}`);
    }
    return this;
  }

  /**
   * Records a problem unless the key's ARN (when resolved) is a KMS key ARN in the partition,
   * region and account of the stack that holds the construct.
   *
   * @param why why the key must be there, for the message
   */
  public kmsKey(prop: string, key: kms.IKey | undefined, why?: string): this {
    if (key === undefined || !isResolved(key.keyArn)) return this;
    const arn = key.keyArn;
    const match = KMS_KEY_ARN.exec(arn);
    if (!match) return this.fail(prop, arn, KMS_KEY_ARN_FORM);
    const [, partition, region, account] = match;
    const stack = Stack.of(this.scope);
    const stackRegion = isResolved(stack.region) ? stack.region : undefined;
    const stackPartition = isResolved(stack.partition) ? stack.partition
      : stackRegion !== undefined ? RegionInfo.get(stackRegion).partition : undefined;
    if (stackPartition !== undefined && partition !== stackPartition) {
      return this.fail(prop, arn, `a key in the stack's partition ${stackPartition}: ${why ?? SAME_REGION}`);
    }
    if (stackRegion !== undefined && region !== stackRegion) {
      return this.fail(prop, arn, `a key in the stack's region ${stackRegion}: ${why ?? SAME_REGION}`);
    }
    if (isResolved(stack.account) && account !== stack.account) {
      return this.fail(prop, arn, `a key in the stack's account ${stack.account}: ${why ?? SAME_ACCOUNT}`);
    }
    return this;
  }

  /**
   * Records a problem unless `value` is undefined, a token, or the ARN of one Bedrock resource of
   * `resourceType` (`agent`, `flow`, `knowledge-base`).
   */
  public bedrockArn(prop: string, value: string | undefined, resourceType: string, noun: string): this {
    return this.pattern(prop, value, bedrockResourceArnPattern(resourceType),
      `${noun} ARN (arn:<partition>:bedrock:<region>:<account>:${resourceType}/<id>)`);
  }

  /** Records a problem when `condition` is true. */
  public check(condition: boolean, prop: string, value: string, expected: string): this {
    if (condition) this.fail(prop, value, expected);
    return this;
  }

  /** Records a free-form problem. */
  public fail(prop: string, value: string, expected: string): this {
    this.problems.push(`${prop} must be ${expected}; got ${value}`);
    return this;
  }

  /** Throws a BedrockEncryptionError listing every recorded problem, if any. */
  public throwIfInvalid(): void {
    if (this.problems.length === 0) return;
    const where = `${this.constructName} at '${this.scope.node.path}'`;
    throw new BedrockEncryptionError(`${where}: ${this.problems.join('; ')}`);
  }
}

/** True when the string contains no unresolved token. */
export function isResolved(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}
