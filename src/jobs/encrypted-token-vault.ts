import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { IBedrockKey } from '../key/bedrock-key';
import { bedrockKeyFor } from '../key/bedrock-key-for';
import { AgentCoreTokenVaultEncryptionStatements } from '../policy/agentcore-token-vault';
import { PolicyScopes } from '../policy/scope';
import { PropsValidator } from '../private/validation';
import { writeIdentityPolicy } from '../wiring/policy-writer';

/** Properties of an {@link EncryptedTokenVault}. */
export interface EncryptedTokenVaultProps {
  /**
   * The key the token vault is to be encrypted with. A key whose policy this app cannot change (an
   * imported key) gets its statements as the `KeyPolicyToAdd` stack output and a synth warning.
   * Must be in the stack's account and region.
   *
   * @default - a new `BedrockKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The id of the token vault: letters, digits, `_` and `-`, 1 to 64 characters.
   *
   * @default 'default' (the account's token vault in the region)
   */
  readonly tokenVaultId?: string;
}

/** The key configuration of a token vault, with the AWS SDK's field names (`KmsConfiguration`). */
export interface TokenVaultKmsConfiguration {
  /** `CustomerManagedKey`. */
  readonly keyType: string;
  /** The ARN of the key. */
  readonly kmsKeyArn: string;
}

/**
 * The request for `SetTokenVaultCMK` (Amazon Bedrock AgentCore Control), with the AWS SDK's field
 * names (`SetTokenVaultCMKRequest`). Values may be tokens that resolve at deploy time.
 */
export interface SetTokenVaultCmkParameters {
  /** The token vault. */
  readonly tokenVaultId: string;
  /** The key to encrypt it with. */
  readonly kmsConfiguration: TokenVaultKmsConfiguration;
}

const TOKEN_VAULT_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * A customer managed key for the Amazon Bedrock AgentCore Identity token vault, which stores the
 * OAuth tokens and API keys of the account's agents. CloudFormation has no resource for the token
 * vault's key: this construct writes the key-policy statements of the AgentCore page "Set customer
 * managed key policy" (use through the identity service, by principals of the key's account, under
 * the token vault's encryption context), and gives the request to send
 * (`setTokenVaultCmkParameters`), as the job constructs do.
 *
 * @see https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/kms-key-policy-configuration.html
 */
export class EncryptedTokenVault extends Construct {
  /** The key the token vault is to be encrypted with. */
  public readonly encryptionKey: kms.IKey;

  /** The key with the statements the token vault needs: written into its policy, or reported. */
  public readonly bedrockKey: IBedrockKey;

  /** The id of the token vault. */
  public readonly tokenVaultId: string;

  /**
   * The ARN of the token vault.
   *
   * @attribute
   */
  public readonly tokenVaultArn: string;

  constructor(scope: Construct, id: string, props: EncryptedTokenVaultProps = {}) {
    new PropsValidator(scope, `EncryptedTokenVault '${id}'`)
      .pattern('tokenVaultId', props.tokenVaultId, TOKEN_VAULT_ID, '1 to 64 letters, digits, _ or -')
      .kmsKey('encryptionKey', props.encryptionKey)
      .throwIfInvalid();
    super(scope, id);
    const policyScope = PolicyScopes.of(this);
    this.tokenVaultId = props.tokenVaultId ?? 'default';
    this.tokenVaultArn = PolicyScopes.arn(policyScope, 'bedrock-agentcore', `token-vault/${this.tokenVaultId}`);
    this.bedrockKey = bedrockKeyFor(this, props.encryptionKey);
    this.encryptionKey = this.bedrockKey.key;
    this.bedrockKey.addStatements(...AgentCoreTokenVaultEncryptionStatements.keyUse(policyScope, this.tokenVaultId));
  }

  /**
   * Lets `grantee` set the key of the token vault: `bedrock-agentcore:SetTokenVaultCMK` on the token
   * vault, and the key use of the page, only through the identity service, under the token vault's
   * encryption context.
   */
  public grantSetTokenVaultCmk(grantee: iam.IGrantable): iam.Grant {
    return writeIdentityPolicy(grantee, [
      new iam.PolicyStatement({ actions: ['bedrock-agentcore:SetTokenVaultCMK', 'bedrock-agentcore:GetTokenVault'], resources: [this.tokenVaultArn] }),
      ...this.keyStatements(),
    ], { scope: this, subject: `callers of '${this.node.path}'` });
  }

  /**
   * Lets `grantee` use the encrypted token vault through AgentCore Identity: the key use of the
   * page, only through the identity service, under the token vault's encryption context.
   */
  public grantUse(grantee: iam.IGrantable): iam.Grant {
    return writeIdentityPolicy(grantee, this.keyStatements(), { scope: this, subject: `users of '${this.node.path}'` });
  }

  /** The `SetTokenVaultCMK` request: this token vault and this key, with the AWS SDK's field names. */
  public setTokenVaultCmkParameters(): SetTokenVaultCmkParameters {
    return {
      tokenVaultId: this.tokenVaultId,
      kmsConfiguration: { keyType: 'CustomerManagedKey', kmsKeyArn: this.encryptionKey.keyArn },
    };
  }

  private keyStatements(): iam.PolicyStatement[] {
    return AgentCoreTokenVaultEncryptionStatements.userIdentity(PolicyScopes.of(this), this.encryptionKey.keyArn, this.tokenVaultId);
  }
}
