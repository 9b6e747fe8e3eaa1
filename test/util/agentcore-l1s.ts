import { CfnResource, Stack } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';

/**
 * A minimal L1 of each Amazon Bedrock AgentCore type with a key property, built from the class
 * the installed aws-cdk-lib has (many arrive after this library's minimum aws-cdk-lib): the
 * CloudFormation type, the L1 class name, a factory, and the key property's path in the template.
 */
export interface AgentCoreL1 {
  readonly type: string;
  readonly l1: string;
  readonly make: (stack: Stack, props: { roleArn: string; keyArn?: string; id?: string }) => CfnResource;
  readonly keyPath: string[];
}

const L1S = agentcore as unknown as Record<string, new (scope: Stack, id: string, props: any) => CfnResource>;
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

export const AGENTCORE_L1S: AgentCoreL1[] = [
  {
    type: 'AWS::BedrockAgentCore::Memory',
    l1: 'CfnMemory',
    make: (s, { keyArn, id = 'Memory' }) => new L1S.CfnMemory(s, id, { name: 'memory', eventExpiryDuration: 30, encryptionKeyArn: keyArn }),
    keyPath: ['EncryptionKeyArn'],
  },
  {
    type: 'AWS::BedrockAgentCore::Gateway',
    l1: 'CfnGateway',
    make: (s, { roleArn, keyArn, id = 'Gateway' }) => new L1S.CfnGateway(s, id, {
      name: 'gateway', authorizerType: 'AWS_IAM', protocolType: 'MCP', roleArn, kmsKeyArn: keyArn,
    }),
    keyPath: ['KmsKeyArn'],
  },
  {
    type: 'AWS::BedrockAgentCore::PolicyEngine',
    l1: 'CfnPolicyEngine',
    make: (s, { keyArn, id = 'PolicyEngine' }) => new L1S.CfnPolicyEngine(s, id, { name: 'engine', encryptionKeyArn: keyArn }),
    keyPath: ['EncryptionKeyArn'],
  },
  {
    type: 'AWS::BedrockAgentCore::Evaluator',
    l1: 'CfnEvaluator',
    make: (s, { keyArn, id = 'Evaluator' }) => new L1S.CfnEvaluator(s, id, {
      evaluatorName: 'evaluator',
      level: 'SESSION',
      evaluatorConfig: {
        llmAsAJudge: {
          instructions: 'Rate the session using {context}',
          ratingScale: { categorical: [{ label: 'Good', definition: 'The agent performed well' }, { label: 'Bad', definition: 'The agent performed poorly' }] },
          modelConfig: { bedrockEvaluatorModelConfig: { modelId: MODEL } },
        },
      },
      kmsKeyArn: keyArn,
    }),
    keyPath: ['KmsKeyArn'],
  },
  {
    type: 'AWS::BedrockAgentCore::Dataset',
    l1: 'CfnDataset',
    make: (s, { keyArn, id = 'Dataset' }) => new L1S.CfnDataset(s, id, {
      datasetName: 'dataset', schemaType: 'AGENTCORE_EVALUATION_PREDEFINED_V1', kmsKeyArn: keyArn,
    }),
    keyPath: ['KmsKeyArn'],
  },
  {
    type: 'AWS::BedrockAgentCore::ConfigurationBundle',
    l1: 'CfnConfigurationBundle',
    make: (s, { keyArn, id = 'Bundle' }) => new L1S.CfnConfigurationBundle(s, id, {
      bundleName: 'bundle', components: { agent: { configuration: { systemPrompt: 'You are helpful.' } } }, kmsKeyArn: keyArn,
    }),
    keyPath: ['KmsKeyArn'],
  },
  {
    type: 'AWS::BedrockAgentCore::Harness',
    l1: 'CfnHarness',
    make: (s, { roleArn, keyArn, id = 'Harness' }) => new L1S.CfnHarness(s, id, {
      harnessName: 'harness',
      executionRoleArn: roleArn,
      model: { bedrockModelConfig: { modelId: MODEL } },
      memory: keyArn === undefined ? undefined : { managedMemoryConfiguration: { encryptionKeyArn: keyArn } },
    }),
    keyPath: ['Memory', 'ManagedMemoryConfiguration', 'EncryptionKeyArn'],
  },
];

/** True when the installed aws-cdk-lib has the L1 class. */
export function hasL1(l1: string): boolean {
  return typeof L1S[l1] === 'function';
}

/** `describe` when the installed aws-cdk-lib has the L1, `describe.skip` when it does not (it arrives in a later aws-cdk-lib). */
export function describeIfL1(l1: string): jest.Describe {
  return hasL1(l1) ? describe : describe.skip;
}

/** `{ A: { B: value } }` for the path `['A', 'B']`. */
export function atPath(path: string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<any>((inner, segment) => ({ [segment]: inner }), value);
}
