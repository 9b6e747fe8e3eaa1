import * as events from 'aws-cdk-lib/aws-events';

/**
 * The AWS services that create grants on the keys this library configures, as CloudTrail names
 * them in `userIdentity.invokedBy` of their `CreateGrant` calls. Their grants are expected, so
 * {@link KeyActivity.CREATE_GRANT_NOT_BY_BEDROCK} does not report them; this list is the default
 * of {@link KeyActivityMonitorProps.grantingServices}.
 */
// Sources, one service each:
// - bedrock.amazonaws.com: Amazon Bedrock User Guide, "Monitor the encryption keys for imported models",
//   https://docs.aws.amazon.com/bedrock/latest/userguide/import-model-monitor-encryption-keys.html
//   (a CreateGrant record with "invokedBy": "bedrock.amazonaws.com").
// - bedrock-agentcore.amazonaws.com: Amazon Bedrock AgentCore Developer Guide, "Gateway encryption",
//   https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-encryption.html (and the policy engine
//   and memory encryption pages): AgentCore creates grants, kms:CreateGrant through
//   kms:ViaService bedrock-agentcore.<region>.amazonaws.com. No AgentCore page shows the record; the value follows
//   the Bedrock record above (the service's principal name).
// - aoss.amazonaws.com: Amazon OpenSearch Service Developer Guide, "Encryption in Amazon OpenSearch Serverless",
//   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html
//   ("OpenSearch Serverless creates a grant on your behalf by sending a CreateGrant request to AWS KMS").
// Not listed, because they do not create grants on the keys this library configures: CloudWatch Logs (uses the
// key policy, https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html), Amazon S3
// SSE-KMS, and Secrets Manager ("does not use grants to gain access to the KMS key",
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
const GRANTING_SERVICES: readonly string[] = Object.freeze([
  'bedrock.amazonaws.com',
  'bedrock-agentcore.amazonaws.com',
  'aoss.amazonaws.com',
]);

/**
 * An activity on a KMS key that {@link KeyActivityMonitor} reports, recorded by CloudTrail as a
 * KMS management event and delivered to EventBridge as `AWS API Call via CloudTrail`.
 *
 * Every pattern names the keys by `detail.resources[].ARN`, where CloudTrail records the key
 * ARN of every KMS operation on a key (`requestParameters.keyId` holds whatever the caller
 * passed: a key id, an alias or an ARN, and is absent from `Decrypt` calls that let KMS find
 * the key in the ciphertext).
 */
export class KeyActivity {
  /** `DisableKey` calls on the key, successful or not. */
  public static readonly DISABLE_KEY = new KeyActivity('DisableKey', 'DisableKey', 'a call to disable the key');

  /** `ScheduleKeyDeletion` calls on the key, successful or not. */
  public static readonly SCHEDULE_KEY_DELETION = new KeyActivity('ScheduleKeyDeletion', 'ScheduleKeyDeletion', 'a call to schedule the deletion of the key');

  /** `PutKeyPolicy` calls on the key, successful or not. */
  public static readonly PUT_KEY_POLICY = new KeyActivity('PutKeyPolicy', 'PutKeyPolicy', 'a call to replace the key policy');

  /**
   * `CreateGrant` calls on the key that no expected granting service made: calls whose CloudTrail
   * record has no `userIdentity.invokedBy` (a principal called KMS directly) or names a service
   * outside the monitor's `grantingServices` (by default Amazon Bedrock, Amazon Bedrock AgentCore
   * and OpenSearch Serverless, the services that create grants on the keys this library
   * configures; see {@link KeyActivity.defaultGrantingServices}). Their grants are expected and not
   * reported. `userAgent` is not used: the caller chooses it. (The name predates the other
   * services and is kept for compatibility.)
   */
  public static readonly CREATE_GRANT_NOT_BY_BEDROCK = new KeyActivity('CreateGrant', 'CreateGrant',
    'a grant on the key not created by an expected AWS service', {}, false, true);

  /**
   * `Decrypt` calls with the key that were denied: CloudTrail `errorCode` starting with
   * `AccessDenied` (which covers both `AccessDenied` and `AccessDeniedException`). `Decrypt` is
   * a read-only management event, so its rule receives read-only CloudTrail events
   * (`ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`). A denied call is reported only when
   * CloudTrail can name the key in the record's `resources`.
   */
  public static readonly DECRYPT_ACCESS_DENIED = new KeyActivity('DecryptAccessDenied', 'Decrypt',
    'a denied call to decrypt with the key', { errorCode: [{ prefix: 'AccessDenied' }] }, true);

  /**
   * The services whose `CreateGrant` calls are expected, the default of
   * {@link KeyActivityMonitorProps.grantingServices}: `bedrock.amazonaws.com`,
   * `bedrock-agentcore.amazonaws.com` and `aoss.amazonaws.com`. A new list each call.
   */
  public static defaultGrantingServices(): string[] {
    return [...GRANTING_SERVICES];
  }

  /** Every activity, the default of {@link KeyActivityMonitorProps.activities}. */
  public static all(): KeyActivity[] {
    return [
      KeyActivity.DISABLE_KEY,
      KeyActivity.SCHEDULE_KEY_DELETION,
      KeyActivity.PUT_KEY_POLICY,
      KeyActivity.CREATE_GRANT_NOT_BY_BEDROCK,
      KeyActivity.DECRYPT_ACCESS_DENIED,
    ];
  }

  /** A short name, unique among activities, used in construct ids and rule names. */
  public readonly name: string;

  /** The KMS operation, as CloudTrail records it in `eventName`. */
  public readonly eventName: string;

  /** What the activity is, in words, for rule descriptions. */
  public readonly description: string;

  /**
   * True when the operation is a read-only management event, which a rule receives only in
   * the state `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
   */
  public readonly readOnlyEvent: boolean;

  private readonly extraDetail: { [key: string]: any };

  /** True when the pattern leaves out calls made by the granting services. */
  private readonly excludesGrantingServices: boolean;

  private constructor(name: string, eventName: string, description: string, extraDetail: { [key: string]: any } = {},
    readOnlyEvent = false, excludesGrantingServices = false) {
    this.name = name;
    this.eventName = eventName;
    this.description = description;
    this.extraDetail = extraDetail;
    this.readOnlyEvent = readOnlyEvent;
    this.excludesGrantingServices = excludesGrantingServices;
  }

  /**
   * The EventBridge pattern that matches this activity on any of `keyArns`.
   *
   * @param keyArns the ARNs of the watched keys
   * @param grantingServices the services whose calls {@link KeyActivity.CREATE_GRANT_NOT_BY_BEDROCK}
   *   leaves out, as CloudTrail names them in `userIdentity.invokedBy` (an empty list leaves out none;
   *   when omitted, {@link KeyActivity.defaultGrantingServices}). Other activities ignore it.
   */
  public eventPattern(keyArns: string[], grantingServices?: string[]): events.EventPattern {
    const services = grantingServices ?? GRANTING_SERVICES;
    const invokedBy = this.excludesGrantingServices && services.length > 0
      // anything-but never matches an absent field: `exists: false` keeps the calls a principal made directly.
      ? { userIdentity: { invokedBy: [{ 'anything-but': [...services] }, { exists: false }] } }
      : {};
    return {
      source: ['aws.kms'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: [this.eventName],
        resources: { ARN: [...keyArns] },
        ...JSON.parse(JSON.stringify(this.extraDetail)),
        ...invokedBy,
      },
    };
  }
}
