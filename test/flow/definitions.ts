import { CfnFlow } from 'aws-cdk-lib/aws-bedrock';
import { ACCOUNT, REGION } from '../fixtures/seed-statements';

export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
export const SONNET_PROFILE = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0';
export const KB_ID = 'KB12345678';
export const AGENT_ALIAS_ARN = `arn:aws:bedrock:${REGION}:${ACCOUNT}:agent-alias/AGENT12345/ALIAS12345`;
export const LAMBDA_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:notify`;
export const PROMPT_ARN = `arn:aws:bedrock:${REGION}:${ACCOUNT}:prompt/PROMPT1234`;

const data = (sourceOutput: string, targetInput: string) => ({ data: { sourceOutput, targetInput } });

/** A connection of type Data from `source`'s output to `target`'s input. */
export function connect(source: string, sourceOutput: string, target: string, targetInput: string): CfnFlow.FlowConnectionProperty {
  return { name: `${source}To${target}`, type: 'Data', source, target, configuration: data(sourceOutput, targetInput) };
}

export const INPUT_NODE: CfnFlow.FlowNodeProperty = {
  name: 'FlowInput', type: 'Input', configuration: { input: {} }, outputs: [{ name: 'document', type: 'String' }],
};

export const OUTPUT_NODE: CfnFlow.FlowNodeProperty = {
  name: 'FlowOutput', type: 'Output', configuration: { output: {} }, inputs: [{ name: 'document', type: 'String', expression: '$.data' }],
};

/** A prompt node with an inline prompt for `modelId`. */
export function inlinePromptNode(name: string, modelId: string): CfnFlow.FlowNodeProperty {
  return {
    name,
    type: 'Prompt',
    configuration: {
      prompt: {
        sourceConfiguration: {
          inline: {
            modelId,
            templateType: 'TEXT',
            templateConfiguration: { text: { text: 'Summarize: {{topic}}', inputVariables: [{ name: 'topic' }] } },
          },
        },
      },
    },
    inputs: [{ name: 'topic', type: 'String', expression: '$.data' }],
    outputs: [{ name: 'modelCompletion', type: 'String' }],
  };
}

/** input → prompt (inline, Claude 3 Haiku) → output: the README example. */
export const PROMPT_FLOW: CfnFlow.FlowDefinitionProperty = {
  nodes: [INPUT_NODE, inlinePromptNode('Summarize', HAIKU), OUTPUT_NODE],
  connections: [
    connect('FlowInput', 'document', 'Summarize', 'topic'),
    connect('Summarize', 'modelCompletion', 'FlowOutput', 'document'),
  ],
};

/** input → prompt → knowledge base (with a model) → agent → Lambda → output. */
export const FULL_FLOW: CfnFlow.FlowDefinitionProperty = {
  nodes: [
    INPUT_NODE,
    inlinePromptNode('Summarize', HAIKU),
    {
      name: 'Lookup',
      type: 'KnowledgeBase',
      configuration: { knowledgeBase: { knowledgeBaseId: KB_ID, modelId: SONNET_PROFILE } },
      inputs: [{ name: 'retrievalQuery', type: 'String', expression: '$.data' }],
      outputs: [{ name: 'outputText', type: 'String' }],
    },
    {
      name: 'Triage',
      type: 'Agent',
      configuration: { agent: { agentAliasArn: AGENT_ALIAS_ARN } },
      inputs: [{ name: 'agentInputText', type: 'String', expression: '$.data' }],
      outputs: [{ name: 'agentResponse', type: 'String' }],
    },
    {
      name: 'Notify',
      type: 'LambdaFunction',
      configuration: { lambdaFunction: { lambdaArn: LAMBDA_ARN } },
      inputs: [{ name: 'codeHookInput', type: 'String', expression: '$.data' }],
      outputs: [{ name: 'functionResponse', type: 'String' }],
    },
    OUTPUT_NODE,
  ],
  connections: [
    connect('FlowInput', 'document', 'Summarize', 'topic'),
    connect('Summarize', 'modelCompletion', 'Lookup', 'retrievalQuery'),
    connect('Lookup', 'outputText', 'Triage', 'agentInputText'),
    connect('Triage', 'agentResponse', 'Notify', 'codeHookInput'),
    connect('Notify', 'functionResponse', 'FlowOutput', 'document'),
  ],
};

/** The statements FULL_FLOW needs, in the test account and region, exactly. */
export const FULL_FLOW_STATEMENTS = [
  {
    Effect: 'Allow',
    Action: ['bedrock:InvokeModel'],
    Resource: [
      `arn:aws:bedrock:${REGION}::foundation-model/${HAIKU}`,
      `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/${SONNET_PROFILE}`,
    ],
  },
  {
    Effect: 'Allow',
    Action: ['bedrock:InvokeModel'],
    Resource: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0'],
    Condition: { StringEquals: { 'bedrock:InferenceProfileArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/${SONNET_PROFILE}` } },
  },
  { Effect: 'Allow', Action: ['bedrock:Retrieve'], Resource: [`arn:aws:bedrock:${REGION}:${ACCOUNT}:knowledge-base/${KB_ID}`] },
  { Effect: 'Allow', Action: ['bedrock:RetrieveAndGenerate'], Resource: ['*'] },
  { Effect: 'Allow', Action: ['bedrock:InvokeAgent'], Resource: [AGENT_ALIAS_ARN] },
  { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [LAMBDA_ARN] },
];

/** The smallest flow: its input passed to its output. */
export const PASS_THROUGH_FLOW = {
  nodes: [INPUT_NODE, OUTPUT_NODE],
  connections: [connect('FlowInput', 'document', 'FlowOutput', 'document')],
};
