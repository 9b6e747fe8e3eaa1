import { CfnParameter, Lazy, Stack } from 'aws-cdk-lib';
import { CfnApplicationInferenceProfile, CfnFlow, CfnKnowledgeBase } from 'aws-cdk-lib/aws-bedrock';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  AGENT_ALIAS_ARN, connect, FULL_FLOW, FULL_FLOW_STATEMENTS, HAIKU, INPUT_NODE, inlinePromptNode, OUTPUT_NODE, PROMPT_ARN, PROMPT_FLOW,
} from './definitions';
import { FlowDefinitionPermissions } from '../../src/flow';
import { ACCOUNT, REGION } from '../fixtures/seed-statements';
import { normalize, rendered, SCOPE } from '../util/statements';

const read = (definition: CfnFlow.FlowDefinitionProperty) => FlowDefinitionPermissions.of(SCOPE, definition);
const FM = (id: string, region = REGION) => `arn:aws:bedrock:${region}::foundation-model/${id}`;

describe('derived execution-role permissions', () => {
  test('input → prompt → knowledge base → agent → Lambda → output: exactly these actions on exactly these resources', () => {
    const permissions = read(FULL_FLOW);
    expect(rendered(permissions.statements)).toEqual(FULL_FLOW_STATEMENTS.map(normalize));
    expect(permissions.problems).toEqual([]);
    expect(permissions.gaps).toEqual([]);
  });

  test('input → prompt → output: InvokeModel on the one model, nothing else', () => {
    expect(rendered(read(PROMPT_FLOW).statements)).toEqual([
      normalize({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: FM(HAIKU) }),
    ]);
  });

  test('input → output (and condition, iterator, collector, inline code nodes) need nothing', () => {
    const permissions = read({
      nodes: [
        INPUT_NODE,
        { name: 'Check', type: 'Condition', configuration: { condition: { conditions: [{ name: 'default' }] } } },
        { name: 'Each', type: 'Iterator', configuration: { iterator: {} } },
        { name: 'All', type: 'Collector', configuration: { collector: {} } },
        { name: 'Code', type: 'InlineCode', configuration: { inlineCode: { code: 'x', language: 'Python_3' } } },
        OUTPUT_NODE,
      ],
      connections: [connect('FlowInput', 'document', 'FlowOutput', 'document')],
    });
    expect(permissions.statements).toEqual([]);
    expect(permissions.gaps).toEqual([]);
    expect(permissions.problems).toEqual([]);
  });

  test('the same model in two nodes is granted once', () => {
    const permissions = read({ nodes: [inlinePromptNode('A', HAIKU), inlinePromptNode('B', HAIKU)] });
    expect(rendered(permissions.statements)[0].Resource).toEqual([FM(HAIKU)]);
  });

  test('a knowledge base without a model: Retrieve only', () => {
    const permissions = read({ nodes: [{ name: 'Kb', type: 'KnowledgeBase', configuration: { knowledgeBase: { knowledgeBaseId: 'KB12345678' } } }] });
    expect(rendered(permissions.statements)).toEqual([
      normalize({ Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: `arn:aws:bedrock:${REGION}:${ACCOUNT}:knowledge-base/KB12345678` }),
    ]);
  });

  test('a prompt from Prompt management: GetPrompt and RenderPrompt on it; its model is a gap', () => {
    const permissions = read({
      nodes: [{ name: 'Managed', type: 'Prompt', configuration: { prompt: { sourceConfiguration: { resource: { promptArn: PROMPT_ARN } } } } }],
    });
    expect(rendered(permissions.statements)).toEqual([
      normalize({ Effect: 'Allow', Action: ['bedrock:GetPrompt', 'bedrock:RenderPrompt'], Resource: PROMPT_ARN }),
    ]);
    expect(permissions.gaps).toEqual([`node 'Managed': the model of prompt ${PROMPT_ARN} is not in the definition: grant bedrock:InvokeModel on it`]);
  });

  test.each([
    ['a foundation-model id', HAIKU, [FM(HAIKU)]],
    ['a foundation-model ARN', FM(HAIKU, 'us-west-2'), [FM(HAIKU, 'us-west-2')]],
    ['a provisioned model ARN', `arn:aws:bedrock:${REGION}:${ACCOUNT}:provisioned-model/abc123`, [`arn:aws:bedrock:${REGION}:${ACCOUNT}:provisioned-model/abc123`]],
  ])('InvokeModel for %s', (_, modelId, arns) => {
    const permissions = read({ nodes: [inlinePromptNode('P', modelId)] });
    expect(rendered(permissions.statements)).toEqual([normalize({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: arns })]);
    expect(permissions.gaps).toEqual([]);
  });

  test.each([
    ['a cross-Region profile id', 'eu.amazon.nova-lite-v1:0', `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/eu.amazon.nova-lite-v1:0`, 'amazon.nova-lite-v1:0'],
    ['a global profile ARN', `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0`,
      `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0`, 'anthropic.claude-sonnet-4-20250514-v1:0'],
  ])('InvokeModel for %s: the profile, and its model in every region only through it', (_, modelId, profileArn, model) => {
    const permissions = read({ nodes: [inlinePromptNode('P', modelId)] });
    expect(rendered(permissions.statements)).toEqual([
      normalize({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: profileArn }),
      normalize({
        Effect: 'Allow',
        Action: 'bedrock:InvokeModel',
        Resource: FM(model, '*'),
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
      }),
    ]);
    expect(permissions.gaps).toEqual([]);
  });

  test('a model id that is not one is a problem', () => {
    expect(read({ nodes: [inlinePromptNode('P', 'claude')] }).problems).toEqual([
      expect.stringMatching(/^definition.nodes\[0\].configuration.prompt.sourceConfiguration.inline.modelId must be a foundation model id .*or the ARN of another Bedrock model; got 'claude'$/),
    ]);
  });

  test('an application inference profile: granted on it; the models behind it are a gap', () => {
    const arn = `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/abc123`;
    const permissions = read({ nodes: [inlinePromptNode('P', arn)] });
    expect(rendered(permissions.statements)[0].Resource).toEqual([arn]);
    expect(permissions.gaps).toEqual([`node 'P': its model ${arn} routes to models the definition does not name: grant bedrock:InvokeModel on them`]);
  });

  test('Lex, S3 retrieval and storage (this account only), guardrails and loops', () => {
    const botAlias = `arn:aws:lex:${REGION}:${ACCOUNT}:bot-alias/BOT1234567/ALIAS12345`;
    const permissions = read({
      nodes: [
        { name: 'Intent', type: 'Lex', configuration: { lex: { botAliasArn: botAlias, localeId: 'en_US' } } },
        { name: 'Read', type: 'Retrieval', configuration: { retrieval: { serviceConfiguration: { s3: { bucketName: 'in-bucket' } } } } },
        { name: 'Write', type: 'Storage', configuration: { storage: { serviceConfiguration: { s3: { bucketName: 'out-bucket' } } } } },
        {
          name: 'Guarded',
          type: 'Prompt',
          configuration: {
            prompt: {
              sourceConfiguration: { inline: { modelId: HAIKU, templateType: 'TEXT', templateConfiguration: { text: { text: 'x' } } } },
              guardrailConfiguration: { guardrailIdentifier: 'gr12345678', guardrailVersion: '1' },
            },
          },
        },
        {
          name: 'Repeat',
          type: 'Loop',
          configuration: {
            loop: {
              definition: {
                nodes: [{ name: 'Inner', type: 'LambdaFunction', configuration: { lambdaFunction: { lambdaArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:inner` } } }],
              },
            },
          },
        },
      ],
    });
    expect(rendered(permissions.statements)).toEqual([
      normalize({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: FM(HAIKU) }),
      normalize({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:inner` }),
      normalize({ Effect: 'Allow', Action: 'lex:RecognizeUtterance', Resource: botAlias }),
      normalize({ Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/gr12345678` }),
      normalize({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::in-bucket/*',
        Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } },
      }),
      normalize({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::out-bucket/*',
        Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } },
      }),
    ]);
    expect(permissions.gaps).toEqual([]);
  });

  test('node types it does not know, and reranking, are gaps', () => {
    const permissions = read({
      nodes: [
        { name: 'Future', type: 'Teleport', configuration: { teleport: { target: 'x' } } as any },
        {
          name: 'Ranked',
          type: 'KnowledgeBase',
          configuration: {
            knowledgeBase: {
              knowledgeBaseId: 'KB12345678',
              rerankingConfiguration: { type: 'BEDROCK_RERANKING_MODEL', bedrockRerankingConfiguration: { modelConfiguration: { modelArn: 'x' } } },
            },
          },
        },
      ],
    });
    expect(permissions.gaps).toEqual([
      "node 'Future': teleport nodes are not read by this library: add the permissions it needs",
      "node 'Ranked': reranking is not read: grant bedrock:Rerank and bedrock:InvokeModel on the reranking model",
    ]);
  });
});

describe('tokens', () => {
  test('are granted on their ARN: ARN fields as they are, ids built into an ARN', () => {
    const stack = new Stack();
    const kb = new CfnKnowledgeBase(stack, 'Kb', { name: 'kb', roleArn: 'arn:aws:iam::111111111111:role/x', knowledgeBaseConfiguration: { type: 'VECTOR' } });
    const fn = lambda.Function.fromFunctionName(stack, 'Fn', 'notify');
    const agentAlias = new CfnParameter(stack, 'AgentAlias').valueAsString;
    const permissions = FlowDefinitionPermissions.of(SCOPE, {
      nodes: [
        { name: 'Kb', type: 'KnowledgeBase', configuration: { knowledgeBase: { knowledgeBaseId: kb.attrKnowledgeBaseId } } },
        { name: 'Agent', type: 'Agent', configuration: { agent: { agentAliasArn: agentAlias } } },
        { name: 'Fn', type: 'LambdaFunction', configuration: { lambdaFunction: { lambdaArn: fn.functionArn } } },
      ],
    });
    const statements = permissions.statements.map((s) => stack.resolve(s.toStatementJson()));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'bedrock:Retrieve',
        Resource: { 'Fn::Join': ['', [`arn:aws:bedrock:${REGION}:${ACCOUNT}:knowledge-base/`, { 'Fn::GetAtt': ['Kb', 'KnowledgeBaseId'] }]] },
      },
      { Effect: 'Allow', Action: 'bedrock:InvokeAgent', Resource: { Ref: 'AgentAlias' } },
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: stack.resolve(fn.functionArn) },
    ]);
    expect(permissions.problems).toEqual([]);
  });

  test('a model ARN token is granted as it is, with a gap for what it may route to', () => {
    const stack = new Stack();
    const profile = new CfnApplicationInferenceProfile(stack, 'Profile', { inferenceProfileName: 'p', modelSource: { copyFrom: FM(HAIKU) } });
    const permissions = FlowDefinitionPermissions.of(SCOPE, { nodes: [inlinePromptNode('P', profile.attrInferenceProfileArn)] });
    expect(stack.resolve(permissions.statements[0].toStatementJson()).Resource).toEqual({ 'Fn::GetAtt': ['Profile', 'InferenceProfileArn'] });
    expect(permissions.gaps).toEqual([
      "node 'P': its model is a token: bedrock:InvokeModel is granted on it; if it is an inference profile or a prompt router, also grant the models it routes to",
    ]);
  });

  test('a model token that may be an id or an ARN is granted as a foundation-model id, with a gap', () => {
    const stack = new Stack();
    const model = new CfnParameter(stack, 'Model').valueAsString;
    const permissions = FlowDefinitionPermissions.of(SCOPE, { nodes: [inlinePromptNode('P', model)] });
    expect(stack.resolve(permissions.statements[0].toStatementJson()).Resource)
      .toEqual({ 'Fn::Join': ['', [`arn:aws:bedrock:${REGION}::foundation-model/`, { Ref: 'Model' }]] });
    expect(permissions.gaps).toHaveLength(1);
  });

  test('a definition, nodes list or node that is a token is a gap, not an error', () => {
    const lazyNodes = Lazy.any({ produce: () => [] }) as any;
    expect(read(Lazy.any({ produce: () => ({}) }) as any).gaps).toEqual(['definition is a token and cannot be read: add the permissions its nodes need']);
    const nodes = read({ nodes: lazyNodes, connections: [connect('A', 'x', 'B', 'y')] });
    expect(nodes.gaps).toEqual(['definition.nodes is a token and cannot be read: add the permissions its nodes need']);
    expect(nodes.problems).toEqual([]);
    const node = read({ nodes: [INPUT_NODE, Lazy.any({ produce: () => ({}) }) as any], connections: [connect('FlowInput', 'document', 'Hidden', 'y')] });
    expect(node.gaps).toEqual(['definition.nodes[1] is a token and cannot be read: add the permissions it needs']);
    expect(node.problems).toEqual([]);
  });
  test('tokens inside a node are gaps naming the node', () => {
    const token = () => Lazy.any({ produce: () => ({}) }) as any;
    const permissions = read({
      nodes: [
        { name: 'A', type: 'Prompt', configuration: token() },
        { name: 'B', type: 'Prompt', configuration: { prompt: token() } },
        { name: 'C', type: 'Prompt', configuration: { prompt: { sourceConfiguration: token() } } },
        { name: 'D', type: 'Prompt', configuration: { prompt: { sourceConfiguration: { resource: token(), inline: token() }, guardrailConfiguration: token() } } },
        { name: 'E', type: 'Storage', configuration: { storage: { serviceConfiguration: token() } } },
        { name: 'F', type: 'Retrieval', configuration: { retrieval: { serviceConfiguration: {} } } },
        { name: 'G', type: 'Loop', configuration: { loop: { definition: token() } } },
      ],
    });
    expect(permissions.statements).toEqual([]);
    expect(permissions.gaps).toEqual([
      "node 'A': its configuration is a token and cannot be read",
      "node 'B': its prompt configuration is a token and cannot be read",
      "node 'C': its prompt source is a token and cannot be read",
      "node 'D': its guardrail configuration is a token and cannot be read: grant bedrock:ApplyGuardrail on the guardrail",
      "node 'D': its prompt resource is a token and cannot be read",
      "node 'D': its inline prompt is a token and cannot be read",
      "node 'E': its S3 configuration is a token and cannot be read",
      "node 'F': only S3 retrieval is read: add the permissions its service needs",
      'definition.nodes[6].configuration.loop.definition is a token and cannot be read: add the permissions its nodes need',
    ]);
  });

  test('a guardrail given by ARN, or by a token that may be either', () => {
    const stack = new Stack();
    const arn = `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/gr12345678`;
    const guarded = (name: string, guardrailIdentifier: string): any => ({
      name, type: 'KnowledgeBase', configuration: { knowledgeBase: { knowledgeBaseId: 'KB12345678', guardrailConfiguration: { guardrailIdentifier } } },
    });
    const permissions = read({ nodes: [guarded('A', arn), guarded('B', new CfnParameter(stack, 'G').valueAsString)] });
    expect(stack.resolve(permissions.statements[1].toStatementJson()).Resource).toEqual([
      arn,
      { 'Fn::Join': ['', [`arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/`, { Ref: 'G' }]] },
    ]);
    expect(permissions.gaps).toEqual([expect.stringMatching(/^node 'B': its guardrail is a token that may be an id or an ARN/)]);
  });
});

describe('checks', () => {
  test('a connection to a node that does not exist', () => {
    const permissions = read({
      nodes: PROMPT_FLOW.nodes,
      connections: [connect('FlowInput', 'document', 'Summarise', 'topic'), connect('Nowhere', 'x', 'FlowOutput', 'document')],
    });
    expect(permissions.problems).toEqual([
      "definition.connections[0].target must be the name of a node of definition ('FlowInput', 'Summarize', 'FlowOutput'); got 'Summarise'",
      "definition.connections[1].source must be the name of a node of definition ('FlowInput', 'Summarize', 'FlowOutput'); got 'Nowhere'",
    ]);
  });

  test('connections inside a loop join the loop\'s nodes', () => {
    const permissions = read({
      nodes: [{
        name: 'Repeat',
        type: 'Loop',
        configuration: { loop: { definition: { nodes: [INPUT_NODE], connections: [connect('FlowInput', 'document', 'Outside', 'x')] } } },
      }],
    });
    expect(permissions.problems).toEqual([
      "definition.nodes[0].configuration.loop.definition.connections[0].target must be the name of a node of definition.nodes[0].configuration.loop.definition ('FlowInput'); got 'Outside'",
    ]);
  });

  test('duplicate node names and ARN fields that are not ARNs', () => {
    const permissions = read({
      nodes: [INPUT_NODE, INPUT_NODE, { name: 'Agent', type: 'Agent', configuration: { agent: { agentAliasArn: 'ALIAS12345' } } }],
    });
    expect(permissions.problems).toEqual([
      "definition.nodes[1].name must be unique among the nodes of the definition; got 'FlowInput'",
      "definition.nodes[2].configuration.agent.agentAliasArn must be an ARN; got 'ALIAS12345'",
    ]);
    expect(permissions.statements).toEqual([]);
  });

  test('a valid agent alias ARN is not a problem', () => {
    expect(read({ nodes: [{ name: 'A', type: 'Agent', configuration: { agent: { agentAliasArn: AGENT_ALIAS_ARN } } }] }).problems).toEqual([]);
  });
});
