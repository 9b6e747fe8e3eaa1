/**
 * What the two hand-written baselines (`l1-app.ts`, `l2-app.ts`) write the same way whatever
 * constructs hold their keys and roles: the Bedrock resources' own settings, the vector index and
 * the key-activity rules. Values match `examples/app.ts`.
 */
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3vectors from 'aws-cdk-lib/aws-s3vectors';
import { Construct } from 'constructs';
import { ticketSummaryDefinition } from '../examples/support-assistant';

/** The agent, given its role, key, model and knowledge base. */
export function agentProps(roleArn: string, keyArn: string, model: string, kbId: string): bedrock.CfnAgentProps {
  return {
    agentName: 'support-agent',
    agentResourceRoleArn: roleArn,
    autoPrepare: true,
    customerEncryptionKeyArn: keyArn,
    foundationModel: model,
    instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
    memoryConfiguration: { enabledMemoryTypes: ['SESSION_SUMMARY'], storageDays: 30 },
    knowledgeBases: [{ knowledgeBaseId: kbId, description: 'Product manuals and FAQs', knowledgeBaseState: 'ENABLED' }],
  };
}

/** The ticket-summary flow, given its role, key and model. */
export function flowProps(roleArn: string, keyArn: string, model: string): bedrock.CfnFlowProps {
  return { name: 'ticket-summary', executionRoleArn: roleArn, customerEncryptionKeyArn: keyArn, definition: ticketSummaryDefinition(model) };
}

/** The knowledge base on an S3 Vectors index. */
export function knowledgeBaseProps(name: string, roleArn: string, embeddingModelArn: string, indexArn: string): bedrock.CfnKnowledgeBaseProps {
  return {
    name,
    roleArn,
    knowledgeBaseConfiguration: {
      type: 'VECTOR',
      vectorKnowledgeBaseConfiguration: {
        embeddingModelArn,
        embeddingModelConfiguration: { bedrockEmbeddingModelConfiguration: { dimensions: 1024, embeddingDataType: 'FLOAT32' } },
      },
    },
    storageConfiguration: { type: 'S3_VECTORS', s3VectorsConfiguration: { indexArn } },
  };
}

/** The vector index of the knowledge base (1024 dimensions, Bedrock's metadata keys not filterable). */
export function vectorIndexProps(vectorBucketArn: string): s3vectors.CfnIndexProps {
  return {
    vectorBucketArn,
    dataType: 'float32',
    dimension: 1024,
    distanceMetric: 'cosine',
    metadataConfiguration: { nonFilterableMetadataKeys: ['AMAZON_BEDROCK_TEXT', 'AMAZON_BEDROCK_METADATA'] },
  };
}

/** The guardrail, encrypted with `kmsKeyArn`. */
export function guardrailProps(kmsKeyArn: string): bedrock.CfnGuardrailProps {
  return {
    name: 'support-content-filter',
    blockedInputMessaging: 'Sorry, I cannot help with that.',
    blockedOutputsMessaging: 'Sorry, I cannot answer that.',
    contentPolicyConfig: { filtersConfig: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] },
    kmsKeyArn,
  };
}

/** One watched key activity: construct id, CloudTrail event name, more detail to match, rule state. */
type KeyActivity = [string, string, Record<string, unknown>, string?];

const KEY_ACTIVITIES: KeyActivity[] = [
  ['DisableKey', 'DisableKey', {}], ['ScheduleKeyDeletion', 'ScheduleKeyDeletion', {}], ['PutKeyPolicy', 'PutKeyPolicy', {}],
  ['CreateGrant', 'CreateGrant', { userIdentity: { invokedBy: [{ 'anything-but': 'bedrock.amazonaws.com' }, { exists: false }] } }],
  ['DecryptAccessDenied', 'Decrypt', { errorCode: [{ prefix: 'AccessDenied' }] }, 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'],
];

/** The names of the key-activity rules, for the statements that let only them publish. */
export const KEY_ACTIVITY_RULE_NAMES = KEY_ACTIVITIES.map(([id]) => `key-activity-${id}`);

/**
 * One EventBridge rule per key activity under `monitor`, sending to the topic. L1 in both
 * baselines: `events.Rule` cannot set the Decrypt rule's state, and `targets.SnsTopic` would add
 * unconditioned grants on the topic and its key.
 */
export function keyActivityRules(monitor: Construct, keyArns: string[], topicArn: string): void {
  for (const [id, name, extra, state] of KEY_ACTIVITIES) {
    new events.CfnRule(new Construct(monitor, id), 'Resource', {
      name: `key-activity-${id}`,
      state: state ?? 'ENABLED',
      eventPattern: {
        'source': ['aws.kms'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': { eventSource: ['kms.amazonaws.com'], eventName: [name], resources: { ARN: keyArns }, ...extra },
      },
      targets: [{ arn: topicArn, id: 'Topic' }],
    });
  }
}
