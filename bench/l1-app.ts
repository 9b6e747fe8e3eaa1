/**
 * The example app's resources written by hand with CloudFormation (L1) constructs only: the
 * baseline for `synth-bench.ts`. Same keys, key policies, roles, policies, buckets and Bedrock
 * resources as `examples/app.ts`, one function per feature, ARNs built with `Fn.sub`.
 */
import { App, CfnDeletionPolicy, CfnOutput, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3vectors from 'aws-cdk-lib/aws-s3vectors';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { agentProps, flowProps, guardrailProps, keyActivityRules, knowledgeBaseProps, vectorIndexProps } from './app-content';

type Statement = Record<string, unknown>;
const doc = (statements: Statement[]) => ({ Version: '2012-10-17', Statement: statements });
const arn = (suffix: string) => Fn.sub(`arn:\${AWS::Partition}:${suffix}`);
const bedrockArn = (type: string) => arn(`bedrock:\${AWS::Region}:\${AWS::AccountId}:${type}`);
const foundationModel = (model: string) => arn(`bedrock:\${AWS::Region}::foundation-model/${model}`);
const via = (service: string) => Fn.sub(`${service}.\${AWS::Region}.\${AWS::URLSuffix}`);
const ACCOUNT = { Ref: 'AWS::AccountId' };
/** The CloudFormation execution role of the default bootstrap, which creates the Bedrock resources. */
const DEPLOYER = arn('iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}');

/**
 * The construct at `path` below `scope`, created on first use. Resources are placed at the
 * library's construct paths, so both apps have the same logical IDs (which a migration between
 * them must keep) and the comparison measures content, not naming.
 */
function at(scope: Construct, path: string): Construct {
  return path.split('/').reduce<Construct>((parent, id) => (parent.node.tryFindChild(id) as Construct | undefined) ?? new Construct(parent, id), scope);
}

function retain(resource: CfnResource): void {
  resource.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
  resource.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
}

function key(scope: Construct, path: string, statements: Statement[]): kms.CfnKey {
  const k = new kms.CfnKey(at(scope, path), 'Resource', {
    description: `Customer managed key for Amazon Bedrock resources (${path})`,
    enableKeyRotation: true,
    keyPolicy: doc([{ Effect: 'Allow', Principal: { AWS: arn('iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' }, ...statements]),
  });
  retain(k);
  new kms.CfnAlias(at(scope, `${path}/Alias`), 'Resource', { aliasName: `alias/bedrock/${k.node.path.replace(/\//g, '-')}`, targetKeyId: k.attrArn });
  return k;
}

function bedrockRole(scope: Construct, path: string, type: string): iam.CfnRole {
  return new iam.CfnRole(at(scope, path), 'Resource', {
    assumeRolePolicyDocument: doc([{
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': bedrockArn(`${type}/*`) } },
    }]),
  });
}

function servicePrincipalRole(scope: Construct, path: string, service: string): iam.CfnRole {
  return new iam.CfnRole(at(scope, path), 'Resource', {
    assumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }]),
  });
}

function policy(scope: Construct, path: string, role: iam.CfnRole, statements: Statement[]): iam.CfnPolicy {
  return new iam.CfnPolicy(at(scope, path), 'Resource', { policyName: path.replace(/\//g, ''), roles: [role.ref], policyDocument: doc(statements) });
}

function encryptedBucket(scope: Construct, path: string, k: kms.CfnKey): s3.CfnBucket {
  const bucket = new s3.CfnBucket(at(scope, path), 'Resource', {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ bucketKeyEnabled: true, serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: k.attrArn } }] },
    publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
  });
  retain(bucket);
  new s3.CfnBucketPolicy(at(scope, `${path}/Policy`), 'Resource', {
    bucket: bucket.ref,
    policyDocument: doc([{
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: [bucket.attrArn, Fn.join('', [bucket.attrArn, '/*'])],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }]),
  });
  return bucket;
}

/** Knowledge base on S3 Vectors with an S3 data source, all under one key. */
export function knowledgeBase(scope: Construct, embeddingModel: string, prefix: string) {
  const sessionKey = key(scope, 'ProductDocs/RetrievalSessionKey/Key', [
    { Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' },
  ]);
  const k = key(scope, 'ProductDocs/EncryptionKey/Key', [
    {
      Effect: 'Allow',
      Principal: { Service: 'indexing.s3vectors.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        'ArnLike': { 'aws:SourceArn': arn('s3vectors:${AWS::Region}:${AWS::AccountId}:bucket/*') },
        'StringEquals': { 'aws:SourceAccount': ACCOUNT },
        'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['aws:s3vectors:arn', 'aws:s3vectors:resource-id'] },
      },
    },
    { Effect: 'Allow', Principal: { AWS: DEPLOYER }, Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': via('s3vectors') } } },
  ]);
  const role = bedrockRole(scope, 'ProductDocs/Role', 'knowledge-base');
  const bucket = encryptedBucket(scope, 'ProductDocs/DataSourceBucket', k);
  const vectorBucket = new s3vectors.CfnVectorBucket(at(scope, 'ProductDocs'), 'VectorBucket', { encryptionConfiguration: { sseType: 'aws:kms', kmsKeyArn: k.attrArn } });
  const index = new s3vectors.CfnIndex(at(scope, 'ProductDocs'), 'VectorIndex', vectorIndexProps(vectorBucket.attrVectorBucketArn));
  const rolePolicy = policy(scope, 'ProductDocs/Role/DefaultPolicy', role, [
    { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: foundationModel(embeddingModel) },
    { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: k.attrArn },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket.attrArn, Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT }, StringLike: { 's3:prefix': [`${prefix}*`] } } },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: Fn.join('', [bucket.attrArn, `/${prefix}*`]), Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } } },
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: k.attrArn, Condition: { StringEquals: { 'kms:ViaService': via('s3') } } },
    { Effect: 'Allow', Action: ['s3vectors:PutVectors', 's3vectors:GetVectors', 's3vectors:DeleteVectors', 's3vectors:QueryVectors', 's3vectors:GetIndex'], Resource: index.attrIndexArn },
    {
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: k.attrArn,
      Condition: { 'StringEquals': { 'kms:ViaService': via('s3vectors') }, 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['aws:s3vectors:arn', 'aws:s3vectors:resource-id'] } },
    },
  ]);
  const kb = new bedrock.CfnKnowledgeBase(at(scope, 'ProductDocs'), 'Resource',
    knowledgeBaseProps(Fn.sub('docs-${AWS::StackName}'), role.attrArn, foundationModel(embeddingModel), index.attrIndexArn));
  kb.node.addDependency(rolePolicy);
  kb.node.addDependency(role);
  kb.node.addDependency(index);
  const dataSource = new bedrock.CfnDataSource(at(scope, 'ProductDocs'), 'DataSource', {
    knowledgeBaseId: kb.attrKnowledgeBaseId,
    name: 's3-data-source',
    dataDeletionPolicy: 'RETAIN',
    dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: bucket.attrArn, inclusionPrefixes: [prefix] } },
    serverSideEncryptionConfiguration: { kmsKeyArn: k.attrArn },
  });
  dataSource.node.addDependency(rolePolicy);
  dataSource.node.addDependency(role);
  return { kb, key: k, sessionKey };
}

/** Agent with memory and an alias, using the knowledge base. */
export function agent(scope: Construct, model: string, kbArn: string, kbId: string) {
  const role = bedrockRole(scope, 'SupportAgent/ServiceRole', 'agent');
  const k = key(scope, 'SupportAgent/EncryptionKey/Key', [
    { Effect: 'Allow', Principal: { AWS: DEPLOYER }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:bedrock:arn': bedrockArn('agent/*') } } },
    { Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:bedrock:arn': bedrockArn('agent/*') } } },
    {
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': bedrockArn('agent-alias/*') } },
    },
    {
      Effect: 'Allow',
      Principal: { AWS: DEPLOYER },
      Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn': bedrockArn('agent-alias/*') } },
    },
  ]);
  const profile = bedrockArn(`inference-profile/${model}`);
  const rolePolicy = policy(scope, 'SupportAgent/ServiceRole/DefaultPolicy', role, [
    { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetInferenceProfile'], Resource: profile },
    {
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: arn(`bedrock:*::foundation-model/${model.replace(/^[a-z-]+\./, '')}`),
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profile } },
    },
    { Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: kbArn },
    { Effect: 'Allow', Action: 'bedrock:RetrieveAndGenerate', Resource: '*' },
  ]);
  const a = new bedrock.CfnAgent(at(scope, 'SupportAgent'), 'Resource', agentProps(role.attrArn, k.attrArn, model, kbId));
  a.node.addDependency(rolePolicy);
  a.node.addDependency(role);
  const alias = new bedrock.CfnAgentAlias(at(scope, 'SupportAgent'), 'Alias', { agentAliasName: 'live', agentId: a.attrAgentId });
  return { agent: a, alias, key: k };
}

/** Flow: input -> prompt -> output, with a version and an alias. */
export function flow(scope: Construct, model: string) {
  const role = bedrockRole(scope, 'TicketSummary/ExecutionRole', 'flow');
  const k = key(scope, 'TicketSummary/EncryptionKey/Key', [role.attrArn, DEPLOYER].map((principal) => ({
    Effect: 'Allow',
    Principal: { AWS: principal },
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: '*',
    Condition: { StringLike: { 'kms:EncryptionContext:aws:bedrock-flows:arn': bedrockArn('flow/*') }, StringEquals: { 'kms:ViaService': via('bedrock') } },
  })));
  const rolePolicy = policy(scope, 'TicketSummary/ExecutionRole/DefaultPolicy', role, [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: foundationModel(model) }]);
  const f = new bedrock.CfnFlow(at(scope, 'TicketSummary'), 'Resource', flowProps(role.attrArn, k.attrArn, model));
  f.node.addDependency(rolePolicy);
  f.node.addDependency(role);
  const flowPolicy = policy(scope, 'TicketSummary/FlowPolicy', role, [{
    Effect: 'Allow',
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: k.attrArn,
    Condition: { StringEquals: { 'kms:EncryptionContext:aws:bedrock-flows:arn': f.attrArn, 'kms:ViaService': via('bedrock') } },
  }]);
  const version = new bedrock.CfnFlowVersion(at(scope, 'TicketSummary'), 'Version', { flowArn: f.attrArn, description: 'Definition v1' });
  version.node.addDependency(flowPolicy);
  const alias = new bedrock.CfnFlowAlias(at(scope, 'TicketSummary'), 'Alias', { flowArn: f.attrArn, name: 'live', routingConfiguration: [{ flowVersion: version.attrVersion }] });
  return { flow: f, alias, key: k };
}

/** Evaluation job prerequisites: key, role, dataset and output buckets, and a pipeline allowed to start it. */
export function evaluation(scope: Construct, evaluator: string) {
  const jobs = bedrockArn('evaluation-job/*');
  const k = key(scope, 'AnswerQuality/EncryptionKey/Key', [
    {
      Effect: 'Allow',
      Principal: { Service: 'bedrock.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:evaluationJobArn': jobs }, ArnLike: { 'aws:SourceArn': jobs } },
    },
    { Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': jobs } } },
  ]);
  const role = bedrockRole(scope, 'AnswerQuality/Role', 'evaluation-job');
  const dataset = encryptedBucket(scope, 'AnswerQuality/DatasetBucket', k);
  const output = encryptedBucket(scope, 'AnswerQuality/OutputBucket', k);
  policy(scope, 'AnswerQuality/Role/DefaultPolicy', role, [
    { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: k.attrArn, Condition: { StringEquals: { 'kms:ViaService': via('s3') } } },
    { Effect: 'Allow', Action: 'kms:DescribeKey', Resource: k.attrArn },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: Fn.join('', [dataset.attrArn, '/datasets/*']) },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: dataset.attrArn },
    { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], Resource: Fn.join('', [output.attrArn, '/results/*']) },
    { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: output.attrArn },
    { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: foundationModel(evaluator) },
    { Effect: 'Allow', Action: 'bedrock:CreateModelInvocationJob', Resource: [bedrockArn('model-invocation-job/*'), foundationModel(evaluator)] },
    { Effect: 'Allow', Action: 'bedrock:StopModelInvocationJob', Resource: bedrockArn('model-invocation-job/*') },
  ]);
  const pipeline = servicePrincipalRole(scope, 'EvaluationPipeline', 'states.amazonaws.com');
  policy(scope, 'EvaluationPipeline/DefaultPolicy', pipeline, [
    {
      Effect: 'Allow',
      Action: 'bedrock:CreateEvaluationJob',
      Resource: [foundationModel('*'), bedrockArn('custom-model/*'), bedrockArn('prompt-router/*'), bedrockArn('default-prompt-router/*')],
    },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: role.attrArn, Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } } },
    {
      Effect: 'Allow',
      Action: ['kms:DescribeKey', 'kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: k.attrArn,
      Condition: { StringEquals: { 'kms:ViaService': [via('bedrock'), via('s3')] } },
    },
  ]);
  return k;
}

/** A guardrail encrypted with a key of its own. */
export function guardrail(scope: Construct): kms.CfnKey {
  const k = key(scope, 'GuardrailKey/Key', [
    { Effect: 'Allow', Principal: { AWS: DEPLOYER }, Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': via('bedrock') } } },
    {
      Effect: 'Allow',
      Principal: { AWS: DEPLOYER },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': via('bedrock') }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  ]);
  new bedrock.CfnGuardrail(scope, 'ContentFilter', guardrailProps(k.attrArn));
  return k;
}

/** EventBridge rules on CloudTrail events for the keys, to an SNS topic encrypted with its own key. */
export function keyMonitor(scope: Construct, keys: kms.CfnKey[]): void {
  const topicName = 'SupportAssistant-KeyActivity';
  const forTopic = { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': arn(`sns:\${AWS::Region}:\${AWS::AccountId}:${topicName}`) } };
  const topicKey = new kms.CfnKey(at(scope, 'KeyActivity/TopicKey'), 'Resource', {
    enableKeyRotation: true,
    keyPolicy: doc([
      { Effect: 'Allow', Principal: { AWS: arn('iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*', Condition: forTopic },
    ]),
  });
  retain(topicKey);
  new kms.CfnAlias(at(scope, 'KeyActivity/TopicKey/Alias'), 'Resource', { aliasName: 'alias/key-activity/SupportAssistant-KeyActivity', targetKeyId: topicKey.attrArn });
  const topic = new sns.CfnTopic(at(scope, 'KeyActivity/Topic'), 'Resource', { topicName, kmsMasterKeyId: topicKey.attrArn });
  new sns.CfnTopicPolicy(at(scope, 'KeyActivity/Topic/Policy'), 'Resource', {
    topics: [topic.ref],
    policyDocument: doc([
      { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: topic.ref, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: topic.ref },
    ]),
  });
  keyActivityRules(at(scope, 'KeyActivity'), keys.map((k) => k.attrArn), topic.ref);
}

/** One agent + flow + knowledge base and a frontend role allowed to use them (the scaling unit). */
export function assistant(scope: Construct): kms.CfnKey[] {
  const frontend = servicePrincipalRole(scope, 'Frontend', 'lambda.amazonaws.com');
  const docs = knowledgeBase(scope, 'amazon.titan-embed-text-v2:0', 'docs/');
  const a = agent(scope, 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', docs.kb.attrKnowledgeBaseArn, docs.kb.attrKnowledgeBaseId);
  const f = flow(scope, 'anthropic.claude-3-haiku-20240307-v1:0');
  policy(scope, 'Frontend/DefaultPolicy', frontend, [
    { Effect: 'Allow', Action: 'bedrock:Retrieve', Resource: docs.kb.attrKnowledgeBaseArn },
    { Effect: 'Allow', Action: 'bedrock:RetrieveAndGenerate', Resource: '*' },
    { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: foundationModel('anthropic.claude-3-5-sonnet-20240620-v1:0') },
    { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: docs.sessionKey.attrArn, Condition: { StringEquals: { 'kms:ViaService': via('bedrock') } } },
    { Effect: 'Allow', Action: 'bedrock:InvokeAgent', Resource: a.alias.attrAgentAliasArn },
    { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: a.key.attrArn, Condition: { StringEquals: { 'kms:EncryptionContext:aws:bedrock:arn': a.agent.attrAgentArn } } },
    {
      Effect: 'Allow',
      Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'],
      Resource: a.key.attrArn,
      Condition: { StringEquals: { 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn': a.alias.attrAgentAliasArn } },
    },
    {
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: a.key.attrArn,
      Condition: { StringEquals: { 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn': a.alias.attrAgentAliasArn, 'kms:ViaService': via('bedrock') } },
    },
    { Effect: 'Allow', Action: 'bedrock:InvokeFlow', Resource: f.alias.attrArn },
    {
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: f.key.attrArn,
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:bedrock-flows:arn': f.flow.attrArn, 'kms:ViaService': via('bedrock') } },
    },
  ]);
  new CfnOutput(scope, 'AgentAliasArn', { value: a.alias.attrAgentAliasArn });
  new CfnOutput(scope, 'FlowAliasArn', { value: f.alias.attrArn });
  return [docs.key, a.key, f.key];
}

/** The example app (`examples/app.ts`) in L1 constructs. */
export function buildL1App(app: App = new App()): App {
  const stack = new Stack(app, 'SupportAssistant');
  const keys = assistant(stack);
  keys.push(evaluation(stack, 'anthropic.claude-3-haiku-20240307-v1:0'));
  keys.push(guardrail(stack));
  keyMonitor(stack, keys);
  return app;
}
