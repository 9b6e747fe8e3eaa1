import * as iam from 'aws-cdk-lib/aws-iam';
import { inIdentityPolicy, viaAgentCore } from './agentcore';
import { AgentCoreMemoryEncryptionStatements } from './agentcore-memory';
import { InvocationLoggingEncryptionStatements } from './invocation-logging';
import { PolicyScope } from './scope';

/**
 * Statements for Amazon Bedrock AgentCore harnesses whose managed memory is encrypted with a
 * customer managed key (`memory.managedMemoryConfiguration.encryptionKeyArn`).
 *
 * No AWS page documents the key use of a harness. A harness creates and manages an AgentCore
 * Memory in the account; the library gives the principal that creates the harness the key use
 * AWS documents for the principal that sets up a memory ("Encrypt your Amazon Bedrock AgentCore
 * Memory"), only through AgentCore, and a principal that uses harnesses the same without
 * `kms:CreateGrant`.
 */
export class AgentCoreHarnessEncryptionStatements {
  /** The prefix of the names of the log groups AgentCore runtimes, and so harnesses, write to. */
  public static readonly RUNTIME_LOG_GROUP_PREFIX = '/aws/bedrock-agentcore/runtimes/';

  /** Identity statement for the principal that creates harnesses with managed memory encrypted with `keyArn`. */
  // Not documented by AWS for harnesses; follows https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/storage-encryption.html.
  public static creatorIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.creatorIdentity(scope, keyArn);
  }

  /** The same permissions as {@link creatorIdentity}, as a key-policy statement naming `creator` (for CloudFormation, the deployment role). */
  // Not documented by AWS for harnesses; follows storage-encryption.html with the principal named.
  public static creatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.creatorKeyUse(scope, creator);
  }

  /** Key-policy statement for a principal that uses harnesses but does not create them: {@link creatorKeyUse} without `kms:CreateGrant`. */
  // Not documented by AWS for harnesses; follows storage-encryption.html with the principal named, kms:CreateGrant left out.
  public static userKeyUse(scope: PolicyScope, user: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreMemoryEncryptionStatements.userKeyUse(scope, user);
  }

  /**
   * Identity statement for a harness's execution role: the key use of a memory user
   * ({@link userKeyUse}) on `keyArn`, only through AgentCore. The harness reads and writes its managed
   * memory with this role.
   */
  // Not documented by AWS for harnesses; follows storage-encryption.html as an identity statement on the key,
  // kms:CreateGrant left out (the page gives grant rights to the principal that sets up the memory).
  public static executionRoleIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ ...inIdentityPolicy(keyArn), actions: HARNESS_MEMORY_USE_ACTIONS, conditions: viaAgentCore(scope) })];
  }

  /**
   * Key-policy statement for CloudWatch Logs (`logs.<region>.<url suffix>`): use of the key only when
   * the encryption context names a log group of AgentCore runtimes of this account and region
   * (`kms:EncryptionContext:aws:logs:arn` like
   * `arn:<partition>:logs:<region>:<account>:log-group:/aws/bedrock-agentcore/runtimes/*`). A harness
   * writes its logs to the log group of its runtime, whose name AgentCore derives from the runtime id
   * it generates at deployment; with this statement the key can be associated with that log group
   * (`logs:AssociateKmsKey`) once it exists.
   */
  // Source: CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS Key Management Service"
  // (encrypt-log-data-kms.html), as InvocationLoggingEncryptionStatements.cloudWatchLogsKeyUse; the log group name
  // pattern is the runtime log groups' prefix of "Security and access controls" (harness-security.html).
  public static runtimeLogsKeyUse(scope: PolicyScope): iam.PolicyStatement[] {
    return InvocationLoggingEncryptionStatements.cloudWatchLogsKeyUse(scope, `${AgentCoreHarnessEncryptionStatements.RUNTIME_LOG_GROUP_PREFIX}*`);
  }

  private constructor() {}
}

/** What a harness's execution role does with the key of its managed memory: a memory user's actions. */
const HARNESS_MEMORY_USE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'];
