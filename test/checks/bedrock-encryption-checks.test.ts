import * as fs from 'fs';
import { join } from 'path';
import * as bedrockAlpha from '@aws-cdk/aws-bedrock-alpha';
import { App, Aspects, CfnResource, Annotations as CoreAnnotations, IAspect, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as aoss from 'aws-cdk-lib/aws-opensearchserverless';
import * as s3vectors from 'aws-cdk-lib/aws-s3vectors';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import { allFindings, checkedStack, findings, findingsExcept } from './helpers';
import { buildExampleApp } from '../../examples/app';
import { BedrockCustomerManagedKey, EncryptedAgent, EncryptedEvaluationJob, EncryptedFlow, EncryptedKnowledgeBase, EncryptedModelCustomization, EncryptedModelImport, VectorStore } from '../../src';
import { BedrockEncryptionChecks, BedrockEncryptionRules, CheckLevel } from '../../src/checks';
import { BedrockEncryptionError } from '../../src/private/validation';
import { HAIKU, INPUT_NODE, OUTPUT_NODE, inlinePromptNode } from '../flow/definitions';
import { acknowledgeCloudFormationFindings, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const R = BedrockEncryptionRules;
const KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/service-role`;
const INSTRUCTION = 'You answer questions about orders, politely and briefly, in the language of the user.';

/** A minimal L1 of each Bedrock type with a key property: the factory, and the key property path in the template. */
const KEYED_L1S: Array<[string, (s: Stack, keyArn?: string) => CfnResource, string]> = [
  ['AWS::Bedrock::Agent', (s, k) => new bedrock.CfnAgent(s, 'R', { agentName: 'a', customerEncryptionKeyArn: k }), 'CustomerEncryptionKeyArn'],
  ['AWS::Bedrock::AutomatedReasoningPolicy', (s, k) => new bedrock.CfnAutomatedReasoningPolicy(s, 'R', { name: 'p', kmsKeyId: k }), 'KmsKeyId'],
  ['AWS::Bedrock::Blueprint', (s, k) => new bedrock.CfnBlueprint(s, 'R', { blueprintName: 'b', schema: {}, type: 'DOCUMENT', kmsKeyId: k }), 'KmsKeyId'],
  ['AWS::Bedrock::DataAutomationProject', (s, k) => new bedrock.CfnDataAutomationProject(s, 'R', { projectName: 'p', kmsKeyId: k }), 'KmsKeyId'],
  ['AWS::Bedrock::DataSource', (s, k) => new bedrock.CfnDataSource(s, 'R', {
    name: 'd',
    knowledgeBaseId: 'KB12345678',
    dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } },
    serverSideEncryptionConfiguration: k === undefined ? undefined : { kmsKeyArn: k },
  }), 'ServerSideEncryptionConfiguration.KmsKeyArn'],
  ['AWS::Bedrock::Flow', (s, k) => new bedrock.CfnFlow(s, 'R', { name: 'f', executionRoleArn: ROLE_ARN, customerEncryptionKeyArn: k }), 'CustomerEncryptionKeyArn'],
  ['AWS::Bedrock::Guardrail', (s, k) => new bedrock.CfnGuardrail(s, 'R', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no', kmsKeyArn: k }), 'KmsKeyArn'],
  ['AWS::Bedrock::Prompt', (s, k) => new bedrock.CfnPrompt(s, 'R', { name: 'p', customerEncryptionKeyArn: k }), 'CustomerEncryptionKeyArn'],
  ['AWS::BedrockAgentCore::Gateway', (s, k) => new agentcore.CfnGateway(s, 'R', {
    name: 'g', authorizerType: 'AWS_IAM', protocolType: 'MCP', roleArn: ROLE_ARN, kmsKeyArn: k,
  }), 'KmsKeyArn'],
  ['AWS::BedrockAgentCore::Memory', (s, k) => new agentcore.CfnMemory(s, 'R', { name: 'm', eventExpiryDuration: 30, encryptionKeyArn: k }), 'EncryptionKeyArn'],
];

describe(R.NO_CUSTOMER_MANAGED_KEY, () => {
  test.each(KEYED_L1S)('%s without a key: one error on the L1, naming the property to set', (_type, make, property) => {
    const stack = checkedStack();
    make(stack);
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)).toEqual([
      ['/Checked/R', expect.stringContaining(`has no customer managed key, so AWS encrypts its data with a key you do not control. Set ${property} (`)],
    ]);
  });

  // Whether the key's policy lets the resource use it is KeyPolicyMissingStatements' (test/checks/key-policy-missing-statements.test.ts).
  test.each(KEYED_L1S)('%s with a key: silent', (_type, make) => {
    const stack = checkedStack();
    make(stack, KEY_ARN);
    expect(findingsExcept(stack, R.KEY_POLICY_MISSING_STATEMENTS)).toEqual([]);
  });

  test.each(KEYED_L1S)('%s with a key of the stack: silent', (_type, make) => {
    const stack = checkedStack();
    make(stack, new kms.Key(stack, 'Key', { enableKeyRotation: true }).keyArn);
    expect(findingsExcept(stack, R.KEY_POLICY_MISSING_STATEMENTS)).toEqual([]);
  });

  test('an AWS managed key alias counts as no customer managed key', () => {
    const stack = checkedStack();
    const agent = new bedrock.CfnAgent(stack, 'R', { agentName: 'a', customerEncryptionKeyArn: `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:alias/aws/bedrock` });
    // CloudFormation's schema wants a key ARN there, and says so at synth where aws-cdk-lib validates: the rule explains why
    acknowledgeCloudFormationFindings(agent, ['F3031'], 'an alias ARN where CloudFormation wants a key ARN, on purpose');
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)).toEqual([
      ['/Checked/R', expect.stringContaining(`names the AWS managed key arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:alias/aws/bedrock in CustomerEncryptionKeyArn`)],
    ]);
  });

  test('a plain CfnResource of a Bedrock type is checked too', () => {
    const stack = checkedStack();
    new CfnResource(stack, 'R', { type: 'AWS::Bedrock::Prompt', properties: { Name: 'p' } });
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY).map(([path]) => path)).toEqual(['/Checked/R']);
  });

  test('Bedrock types without a key property are not checked', () => {
    const stack = checkedStack();
    new bedrock.CfnAgentAlias(stack, 'Alias', { agentId: 'AGENT12345', agentAliasName: 'live' });
    new bedrock.CfnKnowledgeBase(stack, 'Kb', {
      name: 'kb', roleArn: ROLE_ARN, knowledgeBaseConfiguration: { type: 'KENDRA', kendraKnowledgeBaseConfiguration: { kendraIndexArn: 'arn:aws:kendra:us-east-1:111111111111:index/0123abcd-4567-89ef-0123-456789abcdef' } },
    });
    new bedrock.CfnGuardrail(stack, 'Bad', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' });
    expect(allFindings(stack).map(([path]) => path)).toEqual(['/Checked/Bad']);
  });

  describe('property overrides count', () => {
    test('a key given with addPropertyOverride: silent', () => {
      const stack = checkedStack();
      const guardrail = new bedrock.CfnGuardrail(stack, 'R', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' });
      guardrail.addPropertyOverride('KmsKeyArn', KEY_ARN);
      expect(allFindings(stack)).toEqual([]);
    });

    test('a nested key given with addPropertyOverride: silent', () => {
      const stack = checkedStack();
      const ds = KEYED_L1S.find(([t]) => t === 'AWS::Bedrock::DataSource')![1](stack);
      ds.addPropertyOverride('ServerSideEncryptionConfiguration.KmsKeyArn', KEY_ARN);
      expect(allFindings(stack)).toEqual([]);
    });

    test('a key removed with addPropertyDeletionOverride: fires', () => {
      const stack = checkedStack();
      const agent = new bedrock.CfnAgent(stack, 'R', { agentName: 'a', customerEncryptionKeyArn: KEY_ARN });
      agent.addPropertyDeletionOverride('CustomerEncryptionKeyArn');
      expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY).map(([path]) => path)).toEqual(['/Checked/R']);
    });

    test('a key set on the L1 after the aspect was added: silent', () => {
      const stack = checkedStack();
      const agent = new bedrock.CfnAgent(stack, 'R', { agentName: 'a' });
      agent.customerEncryptionKeyArn = KEY_ARN;
      expect(findingsExcept(stack, R.KEY_POLICY_MISSING_STATEMENTS)).toEqual([]);
    });
  });

  describe('@aws-cdk/aws-bedrock-alpha L2s', () => {
    const model = bedrockAlpha.BedrockFoundationModel.ANTHROPIC_CLAUDE_HAIKU_4_5_V1_0;

    test('an Agent without kmsKey fires on its CfnAgent', () => {
      const stack = checkedStack();
      new bedrockAlpha.Agent(stack, 'Agent', { foundationModel: model, instruction: INSTRUCTION });
      expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)).toEqual([
        ['/Checked/Agent/Resource', expect.stringContaining('Set CustomerEncryptionKeyArn (CfnAgent.customerEncryptionKeyArn)')],
      ]);
      // The alpha agent's role trust carries aws:SourceAccount and aws:SourceArn.
      expect(findings(stack, R.SERVICE_ROLE_TRUST_UNCONDITIONED)).toEqual([]);
    });

    test('an Agent with kmsKey: silent for this rule', () => {
      const stack = checkedStack();
      new bedrockAlpha.Agent(stack, 'Agent', { foundationModel: model, instruction: INSTRUCTION, kmsKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
      expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)).toEqual([]);
    });

    test('a Guardrail without kmsKey fires on its CfnGuardrail', () => {
      const stack = checkedStack();
      new bedrockAlpha.Guardrail(stack, 'Guardrail', { guardrailName: 'guard' });
      expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)).toEqual([
        ['/Checked/Guardrail/MyGuardrail', expect.stringContaining('Set KmsKeyArn (CfnGuardrail.kmsKeyArn)')],
      ]);
    });
  });
});

describe(R.OPENSEARCH_AWS_OWNED_KEY, () => {
  const encryptionPolicy = (stack: Stack, policy: string, type = 'encryption') =>
    new aoss.CfnSecurityPolicy(stack, 'Encryption', { name: 'kb-policy', type, policy });
  const rules = [{ ResourceType: 'collection', Resource: ['collection/kb'] }];

  test('an encryption policy with AWSOwnedKey true fires', () => {
    const stack = checkedStack();
    encryptionPolicy(stack, JSON.stringify({ Rules: rules, AWSOwnedKey: true }));
    expect(findings(stack, R.OPENSEARCH_AWS_OWNED_KEY)).toEqual([
      ['/Checked/Encryption', expect.stringContaining('Set "AWSOwnedKey": false and "KmsARN" to a customer managed key')],
    ]);
  });

  test('a policy with tokens and AWSOwnedKey true fires', () => {
    const stack = checkedStack();
    encryptionPolicy(stack, stack.toJsonString({ Rules: [{ ResourceType: 'collection', Resource: [`collection/${stack.stackName}`] }], AWSOwnedKey: true }));
    expect(findings(stack, R.OPENSEARCH_AWS_OWNED_KEY).map(([path]) => path)).toEqual(['/Checked/Encryption']);
  });

  test('a customer managed key: silent', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    encryptionPolicy(stack, stack.toJsonString({ Rules: rules, AWSOwnedKey: false, KmsARN: key.keyArn }));
    expect(allFindings(stack)).toEqual([]);
  });

  test('a network policy is not an encryption policy: silent', () => {
    const stack = checkedStack();
    encryptionPolicy(stack, JSON.stringify([{ Rules: rules, AllowFromPublic: true }]), 'network');
    expect(allFindings(stack)).toEqual([]);
  });
});

describe(R.S3_VECTORS_SSE_S3, () => {
  test('a vector bucket without encryption configuration (SSE-S3 by default) fires', () => {
    const stack = checkedStack();
    new s3vectors.CfnVectorBucket(stack, 'Bucket', {});
    expect(findings(stack, R.S3_VECTORS_SSE_S3)).toEqual([
      ['/Checked/Bucket', expect.stringContaining('vector bucket is encrypted with SSE-S3 (AES256)')],
    ]);
  });

  test('a vector bucket with AES256 fires', () => {
    const stack = checkedStack();
    new s3vectors.CfnVectorBucket(stack, 'Bucket', { encryptionConfiguration: { sseType: 'AES256' } });
    expect(findings(stack, R.S3_VECTORS_SSE_S3).map(([path]) => path)).toEqual(['/Checked/Bucket']);
  });

  test('an index with AES256 fires; an index without encryption configuration inherits its bucket\'s', () => {
    const stack = checkedStack();
    const index = (id: string, sseType?: string) => new s3vectors.CfnIndex(stack, id, {
      vectorBucketName: 'vectors',
      dataType: 'float32',
      dimension: 1024,
      distanceMetric: 'cosine',
      encryptionConfiguration: sseType === undefined ? undefined : { sseType },
    });
    index('Plain', 'AES256');
    index('Inherits');
    expect(findings(stack, R.S3_VECTORS_SSE_S3)).toEqual([['/Checked/Plain', expect.stringContaining('vector index is encrypted with SSE-S3')]]);
  });

  test('aws:kms: silent', () => {
    const stack = checkedStack();
    new s3vectors.CfnVectorBucket(stack, 'Bucket', { encryptionConfiguration: { sseType: 'aws:kms', kmsKeyArn: KEY_ARN } });
    expect(allFindings(stack)).toEqual([]);
  });
});

describe(R.KEY_ROTATION_OFF, () => {
  test('a key without rotation used by a Bedrock resource fires on the key, naming the user', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key');
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', customerEncryptionKeyArn: key.keyArn });
    expect(findings(stack, R.KEY_ROTATION_OFF)).toEqual([
      ['/Checked/Key/Resource', expect.stringContaining('protects Bedrock data (Checked/Agent) but automatic rotation is off. Set EnableKeyRotation to true')],
    ]);
  });

  test('a key without rotation used by nothing Bedrock: silent', () => {
    const stack = checkedStack();
    new kms.Key(stack, 'Key');
    expect(allFindings(stack)).toEqual([]);
  });

  test('rotation on: silent', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new bedrock.CfnFlow(stack, 'Flow', { name: 'f', executionRoleArn: ROLE_ARN, customerEncryptionKeyArn: key.keyArn });
    expect(allFindings(stack)).toEqual([]);
  });

  test('used by an S3 Vectors bucket and an OpenSearch Serverless encryption policy: fires', () => {
    const stack = checkedStack();
    const vectorsKey = new kms.Key(stack, 'VectorsKey');
    const searchKey = new kms.Key(stack, 'SearchKey');
    new s3vectors.CfnVectorBucket(stack, 'Bucket', { encryptionConfiguration: { sseType: 'aws:kms', kmsKeyArn: vectorsKey.keyArn } });
    new aoss.CfnSecurityPolicy(stack, 'Encryption', {
      name: 'kb-policy',
      type: 'encryption',
      policy: stack.toJsonString({ Rules: [{ ResourceType: 'collection', Resource: ['collection/kb'] }], AWSOwnedKey: false, KmsARN: searchKey.keyArn }),
    });
    expect(findings(stack, R.KEY_ROTATION_OFF).map(([path]) => path).sort()).toEqual(['/Checked/SearchKey/Resource', '/Checked/VectorsKey/Resource']);
  });

  test('a key given with addPropertyOverride counts; a key replaced by an override does not', () => {
    const stack = checkedStack();
    const replaced = new kms.Key(stack, 'Replaced');
    const used = new kms.Key(stack, 'Used');
    const guardrail = new bedrock.CfnGuardrail(stack, 'G', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no', kmsKeyArn: replaced.keyArn });
    guardrail.addPropertyOverride('KmsKeyArn', used.keyArn);
    expect(findings(stack, R.KEY_ROTATION_OFF).map(([path]) => path)).toEqual(['/Checked/Used/Resource']);
  });

  test('a key in another stack of the app counts', () => {
    const app = new App();
    Aspects.of(app).add(new BedrockEncryptionChecks());
    const keys = testStack('Keys', app);
    const agents = testStack('Agents', app);
    const key = new kms.Key(keys, 'Key');
    new bedrock.CfnAgent(agents, 'Agent', { agentName: 'a', customerEncryptionKeyArn: key.keyArn });
    expect(findings(keys, R.KEY_ROTATION_OFF)).toEqual([['/Keys/Key/Resource', expect.stringContaining('(Agents/Agent)')]]);
    expect(findingsExcept(agents, R.KEY_POLICY_MISSING_STATEMENTS)).toEqual([]);
  });
});

describe(R.UNCONDITIONED_SERVICE_PRINCIPAL, () => {
  test('a statement for a service principal without a condition fires, naming the statement and the service', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'Logs', principals: [new iam.ServicePrincipal('logs.amazonaws.com')], actions: ['kms:Decrypt'], resources: ['*'],
    }));
    expect(findings(stack, R.UNCONDITIONED_SERVICE_PRINCIPAL)).toEqual([
      ['/Checked/Key/Resource', expect.stringContaining("(statement 1 ('Logs') for logs.amazonaws.com)")],
    ]);
  });

  test('two such statements: one finding naming both', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    key.grantDecrypt(new iam.ServicePrincipal('bedrock.amazonaws.com'));
    key.grantEncrypt(new iam.ServicePrincipal('s3.amazonaws.com'));
    const found = findings(stack, R.UNCONDITIONED_SERVICE_PRINCIPAL);
    expect(found).toEqual([['/Checked/Key/Resource', expect.stringMatching(/statement 1 for bedrock.amazonaws.com; statement 2 for s3.amazonaws.com/)]]);
  });

  test('a statement that only describes the key: silent, since DescribeKey uses no data; DescribeKey with another action fires', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com')], actions: ['kms:DescribeKey'], resources: ['*'],
    }));
    expect(allFindings(stack)).toEqual([]);
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'Both', principals: [new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com')], actions: ['kms:DescribeKey', 'kms:Decrypt'], resources: ['*'],
    }));
    expect(findings(stack, R.UNCONDITIONED_SERVICE_PRINCIPAL)).toEqual([
      ['/Checked/Key/Resource', expect.stringContaining("(statement 2 ('Both') for bedrock-agentcore.amazonaws.com)")],
    ]);
  });

  test('a conditioned statement and the default key policy: silent', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logs.amazonaws.com')],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT } },
    }));
    new kms.Key(stack, 'Plain', { enableKeyRotation: true });
    expect(allFindings(stack)).toEqual([]);
  });
});

describe(R.SERVICE_ROLE_TRUST_UNCONDITIONED, () => {
  const bedrockPrincipal = () => new iam.ServicePrincipal('bedrock.amazonaws.com');

  test('a role trusted by Bedrock with no condition fires, naming both missing keys', () => {
    const stack = checkedStack();
    new iam.Role(stack, 'Role', { assumedBy: bedrockPrincipal() });
    expect(findings(stack, R.SERVICE_ROLE_TRUST_UNCONDITIONED)).toEqual([
      ['/Checked/Role/Resource', expect.stringContaining('statement 0 for bedrock.amazonaws.com lacks aws:SourceAccount and aws:SourceArn')],
    ]);
  });

  test('aws:SourceAccount alone is not enough', () => {
    const stack = checkedStack();
    new iam.Role(stack, 'Role', { assumedBy: bedrockPrincipal().withConditions({ StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT } }) });
    expect(findings(stack, R.SERVICE_ROLE_TRUST_UNCONDITIONED)).toEqual([
      ['/Checked/Role/Resource', expect.stringContaining('statement 0 for bedrock.amazonaws.com lacks aws:SourceArn)')],
    ]);
  });

  test('an unconditioned statement next to a conditioned one fires', () => {
    const stack = checkedStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: bedrockPrincipal() });
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      principals: [bedrockPrincipal()],
      conditions: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent/*` } },
    }));
    expect(findings(stack, R.SERVICE_ROLE_TRUST_UNCONDITIONED).map(([path]) => path)).toEqual(['/Checked/Role/Resource']);
  });

  test('a Bedrock AgentCore role is checked too', () => {
    const stack = checkedStack();
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com') });
    expect(findings(stack, R.SERVICE_ROLE_TRUST_UNCONDITIONED).map(([path]) => path)).toEqual(['/Checked/Role/Resource']);
  });

  test('both conditions, or another service: silent', () => {
    const stack = checkedStack();
    new iam.Role(stack, 'Role', {
      assumedBy: bedrockPrincipal().withConditions({
        StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:agent/*` },
      }),
    });
    new iam.Role(stack, 'Lambda', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(allFindings(stack)).toEqual([]);
  });
});

describe('reporting', () => {
  const badAgent = (stack: Stack) => new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a' });

  test('one finding per construct and rule, with the aspect added twice and the app synthesized twice', () => {
    const app = new App();
    Aspects.of(app).add(new BedrockEncryptionChecks());
    Aspects.of(app).add(new BedrockEncryptionChecks());
    const stack = testStack('Checked', app);
    Aspects.of(stack).add(new BedrockEncryptionChecks());
    badAgent(stack);
    app.synth();
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)).toHaveLength(1);
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)).toHaveLength(1);
  });

  test('nothing is reported without the aspect', () => {
    const stack = testStack();
    badAgent(stack);
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    expect(allFindings(stack)).toEqual([]);
  });

  test('the aspect on one stack checks only that stack', () => {
    const app = new App();
    const checked = testStack('Checked', app);
    const other = testStack('Other', app);
    Aspects.of(checked).add(new BedrockEncryptionChecks());
    badAgent(checked);
    badAgent(other);
    expect(findings(checked, R.NO_CUSTOMER_MANAGED_KEY).map(([path]) => path)).toEqual(['/Checked/Agent']);
    expect(allFindings(other)).toEqual([]);
  });

  test('CheckLevel.WARNING reports warnings acknowledgeable by rule id, and no errors', () => {
    const stack = checkedStack(CheckLevel.WARNING);
    badAgent(stack);
    Annotations.fromStack(stack).hasWarning('/Checked/Agent',
      Match.stringLikeRegexp(`^\\[${R.NO_CUSTOMER_MANAGED_KEY}\\] .* \\[ack: ${R.NO_CUSTOMER_MANAGED_KEY}\\]$`));
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });

  test('a warning acknowledged with Annotations.acknowledgeWarning on a parent is not reported', () => {
    const stack = checkedStack(CheckLevel.WARNING);
    const team = new Construct(stack, 'Team');
    new bedrock.CfnAgent(team, 'Agent', { agentName: 'a' });
    new bedrock.CfnGuardrail(stack, 'Guardrail', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' });
    CoreAnnotations.of(team).acknowledgeWarning(R.NO_CUSTOMER_MANAGED_KEY, 'the team agent holds public data only');
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY, 'warning').map(([path]) => path)).toEqual(['/Checked/Guardrail']);
  });

  test('an ERROR aspect and a WARNING aspect on the same resource: error', () => {
    const app = new App();
    Aspects.of(app).add(new BedrockEncryptionChecks({ level: CheckLevel.WARNING }));
    const stack = testStack('Checked', app);
    Aspects.of(stack).add(new BedrockEncryptionChecks({ level: CheckLevel.ERROR }));
    badAgent(stack);
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY).map(([path]) => path)).toEqual(['/Checked/Agent']);
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY, 'warning')).toEqual([]);
  });

  test('a resource added by a later aspect is checked', () => {
    const app = new App();
    Aspects.of(app).add(new BedrockEncryptionChecks());
    const stack = testStack('Checked', app);
    const adder: IAspect = {
      visit(node: IConstruct) {
        if (node === stack && !stack.node.tryFindChild('Late')) new bedrock.CfnPrompt(stack, 'Late', { name: 'p' });
      },
    };
    Aspects.of(stack).add(adder);
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY).map(([path]) => path)).toEqual(['/Checked/Late']);
  });

  test('next to cdk-nag: both report, neither breaks the other', () => {
    // cdk-nag 3 is a validation plugin: its findings go to the validation report in the cloud assembly
    const app = new App({ context: { [cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    Aspects.of(app).add(new BedrockEncryptionChecks());
    const stack = testStack('Checked', app);
    new kms.Key(stack, 'Key'); // AwsSolutions-KMS5: rotation off
    badAgent(stack);
    const report = JSON.parse(fs.readFileSync(join(app.synth().directory, cxapi.VALIDATION_REPORT_FILE), 'utf8'));
    const nag = report.pluginReports.find((r: any) => r.pluginName === 'AwsSolutions');
    expect(nag.violations.find((v: any) => v.ruleName === 'AwsSolutions-KMS5').violatingConstructs.map((c: any) => c.constructPath))
      .toEqual(['Checked/Key/Resource']);
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY).map(([path]) => path)).toEqual(['/Checked/Agent']);
  });
});

describe('suppression', () => {
  const badRole = (stack: Stack, id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });

  test('silences one rule for one construct and its children, and records the reason in the template', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key');
    key.grantDecrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', customerEncryptionKeyArn: key.keyArn });
    badRole(stack, 'Suppressed');
    badRole(stack, 'Other');
    BedrockEncryptionChecks.suppress(key, R.KEY_ROTATION_OFF, 'Rotated by the key owner\'s own process');
    BedrockEncryptionChecks.suppress(stack.node.findChild('Suppressed'), R.SERVICE_ROLE_TRUST_UNCONDITIONED, 'Legacy role, replaced in Q3');

    expect(findings(stack, R.KEY_ROTATION_OFF)).toEqual([]);
    expect(findings(stack, R.UNCONDITIONED_SERVICE_PRINCIPAL).map(([path]) => path)).toEqual(['/Checked/Key/Resource']);
    expect(findings(stack, R.SERVICE_ROLE_TRUST_UNCONDITIONED).map(([path]) => path)).toEqual(['/Checked/Other/Resource']);

    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      Metadata: { cdk_bedrock_encryption: { rules_to_suppress: [{ id: R.KEY_ROTATION_OFF, reason: 'Rotated by the key owner\'s own process' }] } },
    });
    template.hasResource('AWS::IAM::Role', {
      Metadata: { cdk_bedrock_encryption: { rules_to_suppress: [{ id: R.SERVICE_ROLE_TRUST_UNCONDITIONED, reason: 'Legacy role, replaced in Q3' }] } },
    });
    expect(Object.values(template.findResources('AWS::IAM::Role')).filter((r: any) => r.Metadata?.cdk_bedrock_encryption)).toHaveLength(1);
  });

  test('applies to resources added under the construct after the call', () => {
    const stack = checkedStack();
    BedrockEncryptionChecks.suppress(stack, R.NO_CUSTOMER_MANAGED_KEY, 'Prompts hold no customer data');
    new bedrock.CfnPrompt(stack, 'Prompt', { name: 'p' });
    expect(allFindings(stack)).toEqual([]);
    Template.fromStack(stack).hasResource('AWS::Bedrock::Prompt', {
      Metadata: { cdk_bedrock_encryption: { rules_to_suppress: [{ id: R.NO_CUSTOMER_MANAGED_KEY, reason: 'Prompts hold no customer data' }] } },
    });
  });

  test('two rules on one resource are both recorded', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key');
    key.grantDecrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a' }).with(new BedrockCustomerManagedKey(key));
    BedrockEncryptionChecks.suppress(key, R.KEY_ROTATION_OFF, 'a');
    BedrockEncryptionChecks.suppress(key, R.UNCONDITIONED_SERVICE_PRINCIPAL, 'b');
    expect(allFindings(stack)).toEqual([]);
    Template.fromStack(stack).hasResource('AWS::KMS::Key', {
      Metadata: { cdk_bedrock_encryption: { rules_to_suppress: [{ id: R.KEY_ROTATION_OFF, reason: 'a' }, { id: R.UNCONDITIONED_SERVICE_PRINCIPAL, reason: 'b' }] } },
    });
  });

  test('a suppression written as template metadata by hand is honored', () => {
    const stack = checkedStack();
    const agent = new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a' });
    agent.addMetadata('cdk_bedrock_encryption', { rules_to_suppress: [{ id: R.NO_CUSTOMER_MANAGED_KEY, reason: 'test agent' }] });
    expect(allFindings(stack)).toEqual([]);
  });

  test.each(['', '   ', undefined as unknown as string])('requires a reason (%p)', (reason) => {
    const stack = checkedStack();
    const agent = new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a' });
    expect(() => BedrockEncryptionChecks.suppress(agent, R.NO_CUSTOMER_MANAGED_KEY, reason)).toThrow(BedrockEncryptionError);
    expect(() => BedrockEncryptionChecks.suppress(agent, R.NO_CUSTOMER_MANAGED_KEY, reason))
      .toThrow(/BedrockEncryptionChecks.suppress at 'Checked\/Agent': reason must be a non-blank explanation/);
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY).map(([path]) => path)).toEqual(['/Checked/Agent']);
    expect(Template.fromStack(stack).toJSON().Resources.Agent.Metadata).toBeUndefined();
  });

  test('rejects an unknown rule id', () => {
    const stack = checkedStack();
    expect(() => BedrockEncryptionChecks.suppress(stack, 'cdk-bedrock-encryption:noCMK', 'typo'))
      .toThrow(/ruleId must be one of cdk-bedrock-encryption:noCustomerManagedKey, .*; got "cdk-bedrock-encryption:noCMK"/);
  });
});

describe('silent on this library', () => {
  test('on every construct of the library, with a bad resource next to them as a control', () => {
    const stack = checkedStack();
    const kb = new EncryptedKnowledgeBase(stack, 'VectorsKb', { embeddingModel: 'amazon.titan-embed-text-v2:0' });
    new EncryptedKnowledgeBase(stack, 'SearchKb', { embeddingModel: 'amazon.titan-embed-text-v2:0', vectorStore: VectorStore.openSearchServerless() });
    const frontend = new iam.Role(stack, 'Frontend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    kb.grantRetrieveAndGenerate(frontend, HAIKU);
    const agent = new EncryptedAgent(stack, 'Agent', {
      agentName: 'support',
      foundationModel: HAIKU,
      instruction: INSTRUCTION,
      memory: { storageDays: 30 },
      aliasName: 'live',
      knowledgeBases: [{ knowledgeBase: kb, description: 'Product manuals' }],
    });
    agent.grantInvoke(frontend);
    const flow = new EncryptedFlow(stack, 'Flow', {
      flowName: 'summary', aliasName: 'live', definition: { nodes: [INPUT_NODE, inlinePromptNode('Summarize', HAIKU), OUTPUT_NODE], connections: [] },
    });
    flow.grantInvoke(frontend);
    new EncryptedEvaluationJob(stack, 'Evaluation', { evaluatorModels: [HAIKU] });
    new EncryptedModelCustomization(stack, 'FineTune', { baseModel: HAIKU });
    new EncryptedModelImport(stack, 'Import');
    new bedrock.CfnGuardrail(stack, 'Control', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' });

    // The resources the rules read are there...
    const template = Template.fromStack(stack);
    for (const type of ['AWS::Bedrock::Agent', 'AWS::Bedrock::Flow', 'AWS::Bedrock::DataSource', 'AWS::S3Vectors::VectorBucket',
      'AWS::OpenSearchServerless::SecurityPolicy', 'AWS::KMS::Key', 'AWS::IAM::Role']) {
      expect(Object.keys(template.findResources(type)).length).toBeGreaterThan(0);
    }
    // ...and only the control fires.
    expect(allFindings(stack)).toEqual([['/Checked/Control', expect.stringContaining(R.NO_CUSTOMER_MANAGED_KEY)]]);
  });

  test('on the example app', () => {
    const app = buildExampleApp();
    Aspects.of(app).add(new BedrockEncryptionChecks({ level: CheckLevel.WARNING }));
    const stacks = app.node.children.filter((c): c is Stack => c instanceof Stack);
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      expect(allFindings(stack)).toEqual([]);
      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    }
  });
});

describe('BedrockEncryptionRules', () => {
  test('ids are stable', () => {
    expect(BedrockEncryptionRules.all()).toEqual([
      'cdk-bedrock-encryption:noCustomerManagedKey',
      'cdk-bedrock-encryption:openSearchAwsOwnedKey',
      'cdk-bedrock-encryption:s3VectorsSseS3',
      'cdk-bedrock-encryption:keyRotationOff',
      'cdk-bedrock-encryption:unconditionedServicePrincipal',
      'cdk-bedrock-encryption:serviceRoleTrustUnconditioned',
      'cdk-bedrock-encryption:keyPolicyMissingStatements',
    ]);
  });
});
