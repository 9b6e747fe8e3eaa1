import * as iam from 'aws-cdk-lib/aws-iam';
import { allOf, BEDROCK_SERVICE_PRINCIPAL, ENCRYPT_DECRYPT_ACTIONS, stringMatch, viaService } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

/** The encryption context key Amazon Bedrock sets when it encrypts agent resources. */
const AGENT_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock:arn';

/**
 * The encryption context key of agent memory, which Bedrock encrypts with a hierarchical
 * keyring (hence the `aws-crypto-ec:` prefix); its value is an agent alias ARN.
 */
const MEMORY_CONTEXT_KEY = 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn';

/** Actions Bedrock needs to create and re-encrypt the data keys of agent memory. */
const MEMORY_KEY_ACTIONS = ['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'];

/**
 * Statements for agents whose resources and sessions are encrypted with a customer managed key.
 */
export class AgentEncryptionStatements {
  /**
   * Identity statement for a caller of `InvokeAgent`: use of the key only for this agent's
   * encryption context.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of agent resources with customer managed keys (CMK)", https://docs.aws.amazon.com/bedrock/latest/userguide/cmk-agent-resources.html, identity-based policy "EncryptAgents" (the same statement as the
  // earlier page's "EncryptDecryptAgents" for InvokeAgent callers).
  public static invokeAgentCallerIdentity(keyArn: string, agentArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: [keyArn],
        conditions: stringMatch(AGENT_CONTEXT_KEY, agentArn),
      }),
    ];
  }

  /**
   * Key-policy statement for the user or role that calls the agent APIs (`CreateAgent`,
   * `CreateAgentActionGroup`, `AssociateAgentKnowledgeBase`, ...; for CloudFormation, the
   * deployment role): use of the key only under the agent encryption context. Pass one agent
   * ARN, or a pattern such as `BedrockResourceType.AGENT.arnPattern(scope)` when the key policy
   * cannot name the agent.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of agent resources with customer managed keys (CMK)",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/cmk-agent-resources.html ("the user or the role calling the agent
  // API operations has the following permissions in the key policy"); the encryption context as in its identity policy.
  public static apiCallerKeyUse(caller: iam.IPrincipal, agentArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [caller],
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: ['*'],
        conditions: stringMatch(AGENT_CONTEXT_KEY, agentArn),
      }),
    ];
  }

  /**
   * Key-policy statement for `bedrock.amazonaws.com`: encrypt and decrypt only under the
   * agent encryption context. Pass one agent ARN, or a pattern such as
   * `BedrockResourceType.AGENT.arnPattern(scope)` when the key policy cannot name the agent.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of agent resources with customer managed keys (CMK)", https://docs.aws.amazon.com/bedrock/latest/userguide/cmk-agent-resources.html, resource-based policy (needed for action-group schemas in
  // encrypted S3 objects), and Amazon Bedrock User Guide, "Encryption of agent resources for agents created before January 22, 2025", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-agents.html, "AllowBedrockEncryptAgent".
  public static bedrockServiceKeyUse(agentArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: ['*'],
        conditions: stringMatch(AGENT_CONTEXT_KEY, agentArn),
      }),
    ];
  }

  /**
   * Key-policy statement for the service role of an agent created before 22 January 2025. Agents
   * created since follow the current page, which gives the role no key use: no construct writes it.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of agent resources for agents created before January 22, 2025", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-agents.html,
  // "AllowRoleEncryptAgent"; not on the current page (cmk-agent-resources.html).
  public static serviceRoleKeyUse(serviceRole: iam.IPrincipal): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [serviceRole],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
      }),
    ];
  }

  /** {@link serviceRoleKeyUse} as an identity statement on the key ARN (agents created before 22 January 2025). */
  // Source: the same statement as serviceRoleKeyUse, as an identity policy on the key ARN.
  public static serviceRoleIdentity(keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: [keyArn],
      }),
    ];
  }

  /**
   * Key-policy statement that lets Bedrock attach grants for the persistent resources of an agent
   * created before 22 January 2025, only grants for AWS resources (`kms:GrantIsForAWSResource`).
   * The current page has no grants: no construct writes it.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of agent resources for agents created before January 22, 2025", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-agents.html,
  // "AllowAttachmentPersistentResources"; not on the current page (cmk-agent-resources.html).
  public static persistentResourceGrantsKeyUse(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        resources: ['*'],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    ];
  }

  /**
   * Key-policy statement that lets Bedrock create and re-encrypt the data keys of agent
   * memory, only for agent aliases of this account and region.
   */
  // Source: Bedrock User Guide, "Permissions for long-term memory" (ltm-permissions.html), "Allow access for bedrock to enable long term memory".
  public static memoryServiceKeyUse(scope: PolicyScope): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: MEMORY_KEY_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': scope.account },
          ArnLike: { 'aws:SourceArn': BedrockResourceType.AGENT_ALIAS.arnPattern(scope) },
        },
      }),
    ];
  }

  /**
   * Key-policy statements for a principal that uses an agent with memory: control-plane data
   * key creation and re-encryption, and data-plane decryption through Bedrock, both under the
   * memory encryption context of `aliasArn` (an alias ARN or pattern).
   */
  // Source: Bedrock User Guide, "Permissions for long-term memory" (ltm-permissions.html), caller identity control-plane and data-plane statements.
  public static memoryCallerKeyUse(scope: PolicyScope, caller: iam.IPrincipal, aliasArn: string): iam.PolicyStatement[] {
    return AgentEncryptionStatements.memoryCallerStatements(scope, aliasArn, [caller], ['*']);
  }

  /** The same permissions as {@link memoryCallerKeyUse}, as identity statements on the key. */
  // Source: Bedrock User Guide, "Permissions for long-term memory" (ltm-permissions.html), "AgentsControlPlaneLongTermMemory" and "AgentsDataPlaneLongTermMemory".
  public static memoryCallerIdentity(scope: PolicyScope, keyArn: string, aliasArn: string): iam.PolicyStatement[] {
    return AgentEncryptionStatements.memoryCallerStatements(scope, aliasArn, [], [keyArn]);
  }

  /**
   * Key-policy statement for the identity that calls the Agents API to set the key on an agent
   * with memory (for CloudFormation, the deployment role): create and re-encrypt memory data keys
   * under the memory encryption context of `aliasArn` (an alias ARN or pattern). Only the
   * control-plane half of {@link memoryCallerKeyUse}: the data-plane `kms:Decrypt` is for callers
   * that invoke the agent.
   */
  // Source: Bedrock User Guide, "Encrypt agent sessions with customer managed key (CMK)" (ltm-permissions.html), "IAM permissions to
  // encrypt and decrypt agent memory": "needed for the identity calling Agents API to configure KMS key for agents with memory
  // enabled", statement "AgentsControlPlaneLongTermMemory", here in the key policy naming that identity.
  public static memoryApiCallerKeyUse(scope: PolicyScope, caller: iam.IPrincipal, aliasArn: string): iam.PolicyStatement[] {
    return AgentEncryptionStatements.memoryCallerStatements(scope, aliasArn, [caller], ['*']).slice(0, 1);
  }

  private static memoryCallerStatements(
    scope: PolicyScope, aliasArn: string, principals: iam.IPrincipal[], resources: string[],
  ): iam.PolicyStatement[] {
    const memoryContext = stringMatch(MEMORY_CONTEXT_KEY, aliasArn);
    return [
      new iam.PolicyStatement({
        principals,
        actions: MEMORY_KEY_ACTIONS,
        resources,
        conditions: memoryContext,
      }),
      new iam.PolicyStatement({
        principals,
        actions: ['kms:Decrypt'],
        resources,
        conditions: allOf(memoryContext, viaService(scope, 'bedrock')),
      }),
    ];
  }

  private constructor() {}
}
