import * as events from 'aws-cdk-lib/aws-events';

/** The service name CloudTrail records in `userIdentity.invokedBy` for calls Amazon Bedrock makes. */
const BEDROCK_SERVICE = 'bedrock.amazonaws.com';

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
   * `CreateGrant` calls on the key that Amazon Bedrock did not make: calls whose CloudTrail
   * record has no `userIdentity.invokedBy` (a principal called KMS directly) or names another
   * service. Bedrock's own grants (model customization and import, agents) are expected and
   * not reported. `userAgent` is not used: the caller chooses it.
   */
  public static readonly CREATE_GRANT_NOT_BY_BEDROCK = new KeyActivity('CreateGrant', 'CreateGrant',
    'a grant on the key not created by Amazon Bedrock', {
      userIdentity: { invokedBy: [{ 'anything-but': BEDROCK_SERVICE }, { exists: false }] },
    });

  /**
   * `Decrypt` calls with the key that were denied: CloudTrail `errorCode` starting with
   * `AccessDenied` (which covers both `AccessDenied` and `AccessDeniedException`). `Decrypt` is
   * a read-only management event, so its rule receives read-only CloudTrail events
   * (`ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`). A denied call is reported only when
   * CloudTrail can name the key in the record's `resources`.
   */
  public static readonly DECRYPT_ACCESS_DENIED = new KeyActivity('DecryptAccessDenied', 'Decrypt',
    'a denied call to decrypt with the key', { errorCode: [{ prefix: 'AccessDenied' }] }, true);

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

  private constructor(name: string, eventName: string, description: string, extraDetail: { [key: string]: any } = {}, readOnlyEvent = false) {
    this.name = name;
    this.eventName = eventName;
    this.description = description;
    this.extraDetail = extraDetail;
    this.readOnlyEvent = readOnlyEvent;
  }

  /** The EventBridge pattern that matches this activity on any of `keyArns`. */
  public eventPattern(keyArns: string[]): events.EventPattern {
    return {
      source: ['aws.kms'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: [this.eventName],
        resources: { ARN: [...keyArns] },
        ...JSON.parse(JSON.stringify(this.extraDetail)),
      },
    };
  }
}
