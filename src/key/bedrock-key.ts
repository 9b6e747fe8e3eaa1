import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { PropsValidator } from '../private/validation';
import { unwrittenKeyPolicyJson, writeKeyPolicy } from '../wiring/policy-writer';

/** Properties of a new {@link BedrockKey}. */
export interface BedrockKeyProps {
  /**
   * Alias of the key, with or without the `alias/` prefix.
   *
   * @default - `alias/bedrock/<unique name of this construct>`
   */
  readonly alias?: string;

  /**
   * Description of the key.
   *
   * @default 'Customer managed key for Amazon Bedrock resources (<construct path>)'
   */
  readonly description?: string;

  /**
   * What happens to the key when it leaves the stack. A deleted key makes everything it
   * encrypted unreadable, so the key is kept unless you say otherwise.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Waiting period before a key scheduled for deletion is deleted: 7 to 30 days.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * Automatic rotation period: 90 to 2560 days. Rotation is always on.
   *
   * @default Duration.days(365)
   */
  readonly rotationPeriod?: Duration;
}

/** A KMS key used by Amazon Bedrock resources, and the key-policy statements they need. */
export interface IBedrockKey extends IConstruct {
  /** The key. */
  readonly key: kms.IKey;

  /** The ARN of the key. */
  readonly keyArn: string;

  /** True when statements for this key could not be written into its policy and must be added by hand. */
  readonly hasUnwrittenStatements: boolean;

  /**
   * The key-policy statements this app could not write for this key, as a policy-document JSON
   * string (tokens resolve at deploy time). Empty when every statement was written.
   */
  readonly unwrittenPolicyJson: string;

  /**
   * Adds statements to the key policy. When the policy cannot be changed by this app (an
   * imported key), they are collected into one `KeyPolicyToAdd` stack output under the key, and
   * a synth warning names the key and the output: a statement is never dropped silently.
   *
   * @returns true when every statement went into the key policy
   */
  addStatements(...statements: iam.PolicyStatement[]): boolean;
}

/** What new and wrapped keys share: statements are written into the key policy, or reported. */
abstract class BedrockKeyBase extends Construct implements IBedrockKey {
  public abstract readonly key: kms.IKey;
  public abstract readonly keyArn: string;

  public addStatements(...statements: iam.PolicyStatement[]): boolean {
    return writeKeyPolicy(this.key, statements, {
      scope: this,
      subject: `the Bedrock resources of '${this.node.scope?.node.path ?? this.node.path}'`,
    });
  }

  public get hasUnwrittenStatements(): boolean {
    return this.unwrittenPolicyJson !== '';
  }

  public get unwrittenPolicyJson(): string {
    return unwrittenKeyPolicyJson(this.key);
  }
}

/** An existing key, wrapped so statements for it are written or reported. */
class WrappedBedrockKey extends BedrockKeyBase {
  public readonly key: kms.IKey;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, key: kms.IKey) {
    validateKeyEnvironment(scope, id, key);
    super(scope, id);
    this.key = key;
    this.keyArn = key.keyArn;
  }
}

/**
 * A new customer managed KMS key for Amazon Bedrock resources: rotation on, an alias,
 * retained on stack deletion, administered by the account root.
 *
 * Use `BedrockKey.fromKey` for a key that exists already; statements its policy cannot take
 * are rendered as the key-policy JSON its administrator must add.
 */
export class BedrockKey extends BedrockKeyBase {
  /**
   * Wraps an existing key, created elsewhere in the app or imported. Statements its policy
   * cannot take are emitted as a stack output and a synth warning. Throws when the key's ARN
   * names a region or account other than the stack's (when both are known).
   */
  public static fromKey(scope: Construct, id: string, key: kms.IKey): IBedrockKey {
    return new WrappedBedrockKey(scope, id, key);
  }

  public readonly key: kms.IKey;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: BedrockKeyProps = {}) {
    validateKeyProps(scope, id, props);
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: props.description ?? `Customer managed key for Amazon Bedrock resources (${this.node.path})`,
      enableKeyRotation: true,
      rotationPeriod: props.rotationPeriod,
      pendingWindow: props.pendingWindow ?? Duration.days(30),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      alias: props.alias ?? `alias/bedrock/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
    });
    this.keyArn = this.key.keyArn;
  }
}

function validateKeyProps(scope: Construct, id: string, props: BedrockKeyProps): void {
  const v = new PropsValidator(scope, `BedrockKey '${id}'`);
  v.pattern('alias', props.alias, /^(?!(alias\/)?aws\/)(alias\/)?[a-zA-Z0-9:/_-]{1,250}$/,
    "a KMS alias name: letters, digits, '/', '_', '-' and ':', optionally prefixed 'alias/', not in the reserved 'alias/aws/' namespace");
  v.durationDays('pendingWindow', props.pendingWindow, 7, 30);
  v.durationDays('rotationPeriod', props.rotationPeriod, 90, 2560);
  v.throwIfInvalid();
}

function validateKeyEnvironment(scope: Construct, id: string, key: kms.IKey): void {
  new PropsValidator(scope, `BedrockKey '${id}'`).kmsKey('key', key).throwIfInvalid();
}
