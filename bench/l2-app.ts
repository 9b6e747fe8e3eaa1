/**
 * The example app's resources written by hand with aws-cdk-lib's own L2 constructs where it has
 * them (keys, roles, policies, buckets, the topic): a second baseline for `synth-bench.ts`. Bedrock,
 * S3 Vectors and the EventBridge rules stay L1 as in `l1-app.ts`, which this file mirrors function
 * by function: same logical IDs and the same statements, plus what the L2s write themselves.
 */
import { App, Aws, CfnOutput, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3vectors from 'aws-cdk-lib/aws-s3vectors';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { agentProps, flowProps, guardrailProps, keyActivityRules, knowledgeBaseProps, vectorIndexProps } from './app-content';

type Conditions = Record<string, unknown>;
const ACCOUNT = Aws.ACCOUNT_ID;
const BEDROCK = new iam.ServicePrincipal('bedrock.amazonaws.com');
/** The CloudFormation execution role of the default bootstrap, which creates the Bedrock resources. */
const DEPLOYER = new iam.ArnPrincipal(Fn.sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}'));

/** ARN of Bedrock resources of `type` (e.g. `agent/*`) in the stack's account and region. */
function bedrockArn(scope: Construct, type: string): string {
  const [resource, resourceName] = type.split('/');
  return Stack.of(scope).formatArn({ service: 'bedrock', resource, resourceName });
}

/** ARN of a foundation model, in the stack's region unless `region` is given. */
function foundationModel(scope: Construct, model: string, region?: string): string {
  return Stack.of(scope).formatArn({ service: 'bedrock', region, account: '', resource: 'foundation-model', resourceName: model });
}

/** The `kms:ViaService` value for calls made by `service` in the stack's region. */
function via(service: string): string {
  return `${service}.${Aws.REGION}.${Aws.URL_SUFFIX}`;
}

/** An identity-policy statement. */
function allow(actions: string[], resources: string[], conditions?: Conditions): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions, resources, conditions });
}

/** A key-policy statement for `principal`. */
function allowOnKey(principal: iam.IPrincipal, actions: string[], conditions?: Conditions): iam.PolicyStatement {
  return new iam.PolicyStatement({ principals: [principal], actions, resources: ['*'], conditions });
}

/** A rotated, retained key whose policy is the account root's `kms:*` and `statements`. */
function rootKey(scope: Construct, id: string, statements: iam.PolicyStatement[], description?: string): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
    policy: new iam.PolicyDocument({ statements: [allowOnKey(new iam.AccountRootPrincipal(), ['kms:*']), ...statements] }),
  });
}

/** Key `Key` under `scope`, described by its `path` below the assistant and aliased after its resource's path. */
function key(scope: Construct, path: string, statements: iam.PolicyStatement[]): kms.Key {
  const k = rootKey(scope, 'Key', statements, `Customer managed key for Amazon Bedrock resources (${path})`);
  k.addAlias(`alias/bedrock/${k.node.path.replace(/\//g, '-')}-Resource`);
  return k;
}

/** A role Bedrock assumes for resources of `type` in this account. */
function bedrockRole(scope: Construct, id: string, type: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: BEDROCK.withConditions({ StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': bedrockArn(scope, `${type}/*`) } }),
  });
}

/** Adds `statements` to the role's DefaultPolicy. */
function addToPolicy(role: iam.Role, statements: iam.PolicyStatement[]): iam.Policy {
  statements.forEach((statement) => role.addToPrincipalPolicy(statement));
  return role.node.findChild('DefaultPolicy') as iam.Policy;
}

/** A private bucket encrypted with `k`, retained, TLS only. */
function encryptedBucket(scope: Construct, id: string, k: kms.Key): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: k,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/** Knowledge base on S3 Vectors with an S3 data source, all under one key. */
export function knowledgeBase(scope: Construct, embeddingModel: string, prefix: string) {
  const docs = new Construct(scope, 'ProductDocs');
  const sessionKey = key(new Construct(docs, 'RetrievalSessionKey'), 'ProductDocs/RetrievalSessionKey/Key', [
    allowOnKey(BEDROCK, ['kms:GenerateDataKey', 'kms:Decrypt']),
  ]);
  const k = key(new Construct(docs, 'EncryptionKey'), 'ProductDocs/EncryptionKey/Key', [
    allowOnKey(new iam.ServicePrincipal('indexing.s3vectors.amazonaws.com'), ['kms:Decrypt'], {
      'ArnLike': { 'aws:SourceArn': Stack.of(scope).formatArn({ service: 's3vectors', resource: 'bucket', resourceName: '*' }) },
      'StringEquals': { 'aws:SourceAccount': ACCOUNT },
      'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['aws:s3vectors:arn', 'aws:s3vectors:resource-id'] },
    }),
    allowOnKey(DEPLOYER, ['kms:GenerateDataKey'], { StringEquals: { 'kms:ViaService': via('s3vectors') } }),
  ]);
  const role = bedrockRole(docs, 'Role', 'knowledge-base');
  const bucket = encryptedBucket(docs, 'DataSourceBucket', k);
  const vectorBucket = new s3vectors.CfnVectorBucket(docs, 'VectorBucket', { encryptionConfiguration: { sseType: 'aws:kms', kmsKeyArn: k.keyArn } });
  const index = new s3vectors.CfnIndex(docs, 'VectorIndex', vectorIndexProps(vectorBucket.attrVectorBucketArn));
  addToPolicy(role, [
    allow(['bedrock:InvokeModel'], [foundationModel(scope, embeddingModel)]),
    allow(['kms:GenerateDataKey', 'kms:Decrypt'], [k.keyArn]),
    allow(['s3:ListBucket'], [bucket.bucketArn], { StringEquals: { 'aws:ResourceAccount': ACCOUNT }, StringLike: { 's3:prefix': [`${prefix}*`] } }),
    allow(['s3:GetObject'], [bucket.arnForObjects(`${prefix}*`)], { StringEquals: { 'aws:ResourceAccount': ACCOUNT } }),
    allow(['kms:Decrypt'], [k.keyArn], { StringEquals: { 'kms:ViaService': via('s3') } }),
    allow(['s3vectors:PutVectors', 's3vectors:GetVectors', 's3vectors:DeleteVectors', 's3vectors:QueryVectors', 's3vectors:GetIndex'],
      [index.attrIndexArn]),
    allow(['kms:Decrypt', 'kms:GenerateDataKey'], [k.keyArn], {
      'StringEquals': { 'kms:ViaService': via('s3vectors') },
      'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['aws:s3vectors:arn', 'aws:s3vectors:resource-id'] },
    }),
  ]);
  const kb = new bedrock.CfnKnowledgeBase(docs, 'Resource',
    knowledgeBaseProps(`docs-${Aws.STACK_NAME}`, role.roleArn, foundationModel(scope, embeddingModel), index.attrIndexArn));
  kb.node.addDependency(role, index);
  const dataSource = new bedrock.CfnDataSource(docs, 'DataSource', {
    knowledgeBaseId: kb.attrKnowledgeBaseId,
    name: 's3-data-source',
    dataDeletionPolicy: 'RETAIN',
    dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: bucket.bucketArn, inclusionPrefixes: [prefix] } },
    serverSideEncryptionConfiguration: { kmsKeyArn: k.keyArn },
  });
  dataSource.node.addDependency(role);
  return { kb, key: k, sessionKey };
}

/** Agent with memory and an alias, using the knowledge base. */
export function agent(scope: Construct, model: string, kbArn: string, kbId: string) {
  const supportAgent = new Construct(scope, 'SupportAgent');
  const role = bedrockRole(supportAgent, 'ServiceRole', 'agent');
  const k = key(new Construct(supportAgent, 'EncryptionKey'), 'SupportAgent/EncryptionKey/Key', [
    allowOnKey(DEPLOYER, ['kms:GenerateDataKey', 'kms:Decrypt'], {
      StringLike: { 'kms:EncryptionContext:aws:bedrock:arn': bedrockArn(scope, 'agent/*') },
    }),
    allowOnKey(BEDROCK, ['kms:GenerateDataKey', 'kms:Decrypt'], {
      StringLike: { 'kms:EncryptionContext:aws:bedrock:arn': bedrockArn(scope, 'agent/*') },
    }),
    allowOnKey(BEDROCK, ['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'], {
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': bedrockArn(scope, 'agent-alias/*') },
    }),
    allowOnKey(DEPLOYER, ['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'], {
      StringLike: { 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn': bedrockArn(scope, 'agent-alias/*') },
    }),
  ]);
  const profile = bedrockArn(scope, `inference-profile/${model}`);
  addToPolicy(role, [
    allow(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetInferenceProfile'], [profile]),
    allow(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], [foundationModel(scope, model.replace(/^[a-z-]+\./, ''), '*')], {
      StringEquals: { 'bedrock:InferenceProfileArn': profile },
    }),
    allow(['bedrock:Retrieve'], [kbArn]),
    allow(['bedrock:RetrieveAndGenerate'], ['*']),
  ]);
  const a = new bedrock.CfnAgent(supportAgent, 'Resource', agentProps(role.roleArn, k.keyArn, model, kbId));
  a.node.addDependency(role);
  const alias = new bedrock.CfnAgentAlias(supportAgent, 'Alias', { agentAliasName: 'live', agentId: a.attrAgentId });
  return { agent: a, alias, key: k };
}

/** Flow: input -> prompt -> output, with a version and an alias. */
export function flow(scope: Construct, model: string) {
  const ticketSummary = new Construct(scope, 'TicketSummary');
  const role = bedrockRole(ticketSummary, 'ExecutionRole', 'flow');
  const k = key(new Construct(ticketSummary, 'EncryptionKey'), 'TicketSummary/EncryptionKey/Key', [
    ...[role, DEPLOYER].map((principal) => allowOnKey(principal, ['kms:GenerateDataKey', 'kms:Decrypt'], {
      StringLike: { 'kms:EncryptionContext:aws:bedrock-flows:arn': bedrockArn(scope, 'flow/*') },
      StringEquals: { 'kms:ViaService': via('bedrock') },
    })),
  ]);
  addToPolicy(role, [allow(['bedrock:InvokeModel'], [foundationModel(scope, model)])]);
  const f = new bedrock.CfnFlow(ticketSummary, 'Resource', flowProps(role.roleArn, k.keyArn, model));
  f.node.addDependency(role);
  const flowPolicy = new iam.Policy(ticketSummary, 'FlowPolicy', {
    roles: [role],
    statements: [allow(['kms:GenerateDataKey', 'kms:Decrypt'], [k.keyArn], {
      StringEquals: { 'kms:EncryptionContext:aws:bedrock-flows:arn': f.attrArn, 'kms:ViaService': via('bedrock') },
    })],
  });
  const version = new bedrock.CfnFlowVersion(ticketSummary, 'Version', { flowArn: f.attrArn, description: 'Definition v1' });
  version.node.addDependency(flowPolicy);
  const alias = new bedrock.CfnFlowAlias(ticketSummary, 'Alias', {
    flowArn: f.attrArn,
    name: 'live',
    routingConfiguration: [{ flowVersion: version.attrVersion }],
  });
  return { flow: f, alias, key: k };
}

/** Evaluation job prerequisites: key, role, dataset and output buckets, and a pipeline allowed to start it. */
export function evaluation(scope: Construct, evaluator: string): kms.Key {
  const answerQuality = new Construct(scope, 'AnswerQuality');
  const k = key(new Construct(answerQuality, 'EncryptionKey'), 'AnswerQuality/EncryptionKey/Key', [
    allowOnKey(BEDROCK, ['kms:GenerateDataKey', 'kms:Decrypt'], {
      StringLike: { 'kms:EncryptionContext:evaluationJobArn': bedrockArn(scope, 'evaluation-job/*') },
      ArnLike: { 'aws:SourceArn': bedrockArn(scope, 'evaluation-job/*') },
    }),
    allowOnKey(BEDROCK, ['kms:DescribeKey'], { ArnLike: { 'aws:SourceArn': bedrockArn(scope, 'evaluation-job/*') } }),
  ]);
  const role = bedrockRole(answerQuality, 'Role', 'evaluation-job');
  const dataset = encryptedBucket(answerQuality, 'DatasetBucket', k);
  const output = encryptedBucket(answerQuality, 'OutputBucket', k);
  addToPolicy(role, [
    allow(['kms:Decrypt', 'kms:GenerateDataKey'], [k.keyArn], { StringEquals: { 'kms:ViaService': via('s3') } }),
    allow(['kms:DescribeKey'], [k.keyArn]),
    allow(['s3:GetObject'], [dataset.arnForObjects('datasets/*')]),
    allow(['s3:ListBucket'], [dataset.bucketArn]),
    allow(['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], [output.arnForObjects('results/*')]),
    allow(['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], [output.bucketArn]),
    allow(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], [foundationModel(scope, evaluator)]),
    allow(['bedrock:CreateModelInvocationJob'], [bedrockArn(scope, 'model-invocation-job/*'), foundationModel(scope, evaluator)]),
    allow(['bedrock:StopModelInvocationJob'], [bedrockArn(scope, 'model-invocation-job/*')]),
  ]);
  const pipeline = new iam.Role(scope, 'EvaluationPipeline', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
  addToPolicy(pipeline, [
    allow(['bedrock:CreateEvaluationJob'], [
      foundationModel(scope, '*'),
      ...['custom-model/*', 'prompt-router/*', 'default-prompt-router/*'].map((r) => bedrockArn(scope, r)),
    ]),
    allow(['iam:PassRole'], [role.roleArn], { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } }),
    allow(['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'], [k.keyArn], { StringEquals: { 'kms:ViaService': [via('bedrock'), via('s3')] } }),
  ]);
  return k;
}

/** A guardrail encrypted with a key of its own. */
export function guardrail(scope: Construct): kms.Key {
  const k = key(new Construct(scope, 'GuardrailKey'), 'GuardrailKey/Key', [
    allowOnKey(DEPLOYER, ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], { StringEquals: { 'kms:ViaService': via('bedrock') } }),
    allowOnKey(DEPLOYER, ['kms:CreateGrant'], { StringEquals: { 'kms:ViaService': via('bedrock') }, Bool: { 'kms:GrantIsForAWSResource': 'true' } }),
  ]);
  new bedrock.CfnGuardrail(scope, 'ContentFilter', guardrailProps(k.keyArn));
  return k;
}

/** EventBridge rules on CloudTrail events for the keys, to an SNS topic encrypted with its own key. */
export function keyMonitor(scope: Construct, keys: kms.IKey[]): void {
  const keyActivity = new Construct(scope, 'KeyActivity');
  const topicName = 'SupportAssistant-KeyActivity';
  const topicArn = Stack.of(scope).formatArn({ service: 'sns', resource: topicName });
  const forTopic = { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } };
  const eventBridge = new iam.ServicePrincipal('events.amazonaws.com');
  const topicKey = rootKey(keyActivity, 'TopicKey', [allowOnKey(eventBridge, ['kms:GenerateDataKey*', 'kms:Decrypt'], forTopic)]);
  topicKey.addAlias('alias/key-activity/SupportAssistant-KeyActivity');
  const topic = new sns.Topic(keyActivity, 'Topic', { topicName, masterKey: topicKey, enforceSSL: true });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: [eventBridge],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
  }));
  keyActivityRules(keyActivity, keys.map((k) => k.keyArn), topic.topicArn);
}

/** One agent + flow + knowledge base and a frontend role allowed to use them (the scaling unit). */
export function assistantL2(scope: Construct): kms.Key[] {
  const frontend = new iam.Role(scope, 'Frontend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const docs = knowledgeBase(scope, 'amazon.titan-embed-text-v2:0', 'docs/');
  const a = agent(scope, 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', docs.kb.attrKnowledgeBaseArn, docs.kb.attrKnowledgeBaseId);
  const f = flow(scope, 'anthropic.claude-3-haiku-20240307-v1:0');
  addToPolicy(frontend, [
    allow(['bedrock:Retrieve'], [docs.kb.attrKnowledgeBaseArn]),
    allow(['bedrock:RetrieveAndGenerate'], ['*']),
    allow(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], [foundationModel(scope, 'anthropic.claude-3-5-sonnet-20240620-v1:0')]),
    allow(['kms:GenerateDataKey', 'kms:Decrypt'], [docs.sessionKey.keyArn], { StringEquals: { 'kms:ViaService': via('bedrock') } }),
    allow(['bedrock:InvokeAgent'], [a.alias.attrAgentAliasArn]),
    allow(['kms:GenerateDataKey', 'kms:Decrypt'], [a.key.keyArn], { StringEquals: { 'kms:EncryptionContext:aws:bedrock:arn': a.agent.attrAgentArn } }),
    allow(['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'], [a.key.keyArn], {
      StringEquals: { 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn': a.alias.attrAgentAliasArn },
    }),
    allow(['kms:Decrypt'], [a.key.keyArn], {
      StringEquals: { 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn': a.alias.attrAgentAliasArn, 'kms:ViaService': via('bedrock') },
    }),
    allow(['bedrock:InvokeFlow'], [f.alias.attrArn]),
    allow(['kms:GenerateDataKey', 'kms:Decrypt'], [f.key.keyArn], {
      StringEquals: { 'kms:EncryptionContext:aws:bedrock-flows:arn': f.flow.attrArn, 'kms:ViaService': via('bedrock') },
    }),
  ]);
  new CfnOutput(scope, 'AgentAliasArn', { value: a.alias.attrAgentAliasArn });
  new CfnOutput(scope, 'FlowAliasArn', { value: f.alias.attrArn });
  return [docs.key, a.key, f.key];
}

/** The example app (`examples/app.ts`) in L2 constructs where aws-cdk-lib has them. */
export function buildL2App(app: App = new App()): App {
  const stack = new Stack(app, 'SupportAssistant');
  const keys = assistantL2(stack);
  keys.push(evaluation(stack, 'anthropic.claude-3-haiku-20240307-v1:0'));
  keys.push(guardrail(stack));
  keyMonitor(stack, keys);
  return app;
}
