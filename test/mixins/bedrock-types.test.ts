import { CfnParameter, CfnResource, Mixins, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as aoss from 'aws-cdk-lib/aws-opensearchserverless';
import { BedrockCustomerManagedKey } from '../../src/mixins';
import { RESOURCE_TYPES } from '../../src/wiring/registry';
import { OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStackWithoutDeploymentRole } from '../util/synthesized-policies';

/**
 * The mixin on the newer Bedrock types: Data Automation libraries, managed knowledge bases,
 * retrieval instructions and OpenSearch Serverless collections. L1s the installed aws-cdk-lib does
 * not have are skipped here; they run in the newest-aws-cdk-lib configuration.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = require('aws-cdk-lib/package.json').version;
const KEY_ARN = { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] };
const CREATOR = `arn:aws:iam::${TEST_ACCOUNT}:role/Deployer`;
const OTHER_CREATOR = `arn:aws:iam::${OTHER_ACCOUNT}:role/Deployer`;
const via = (service: string) => `${service}.${TEST_REGION}.amazonaws.com`;

/** A Cfn class of aws-bedrock the installed aws-cdk-lib may not have. */
const l1 = (name: string): any => (bedrock as any)[name];
const testIf = (condition: boolean) => (condition ? test : test.skip);

function atLeast(version: string): boolean {
  const [a, b] = [VERSION, version].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

function setup() {
  const stack = testStackWithoutDeploymentRole();
  const key = new kms.Key(stack, 'Key');
  const mixin = new BedrockCustomerManagedKey(key, { keyCreators: [new iam.ArnPrincipal(CREATOR)] });
  return { stack, key, mixin };
}

describe('Data Automation library', () => {
  const CfnDataAutomationLibrary = l1('CfnDataAutomationLibrary');

  testIf(CfnDataAutomationLibrary !== undefined)('gets encryptionConfiguration.kmsKeyId and the Data Automation creator statements', () => {
    const { stack, mixin } = setup();
    new CfnDataAutomationLibrary(stack, 'Library', { libraryName: 'library' }).with(mixin);

    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::DataAutomationLibrary', { EncryptionConfiguration: { KmsKeyId: KEY_ARN } });
    const policies = SynthesizedPolicies.of(stack);
    const use = (principal: string, service: string) => policies.evaluate({ principal, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': via(service) } });
    expect(use(CREATOR, 'bedrock')).toBe('Allowed');
    expect(use(CREATOR, 's3')).toBe('ImplicitlyDenied');
    expect(use(OTHER_CREATOR, 'bedrock')).toBe('ImplicitlyDenied');
    const grant = (operations: string[], forAws = 'true') => policies.evaluate({
      principal: CREATOR,
      action: 'kms:CreateGrant',
      context: { 'kms:ViaService': via('bedrock'), 'kms:GrantOperations': operations, 'kms:GrantIsForAWSResource': forAws },
    });
    expect(grant(['Decrypt', 'GenerateDataKey'])).toBe('Allowed');
    expect(grant(['Decrypt', 'ReEncryptFrom'])).toBe('ImplicitlyDenied');
    expect(grant(['Decrypt'], 'false')).toBe('ImplicitlyDenied');
  });

  testIf(CfnDataAutomationLibrary !== undefined)('keeps the other encryption settings and sets no encryption context', () => {
    const { stack, mixin } = setup();
    new CfnDataAutomationLibrary(stack, 'Library', { libraryName: 'library' }).with(mixin);
    const library = Template.fromStack(stack).findResources('AWS::Bedrock::DataAutomationLibrary');
    expect(Object.values(library)[0].Properties.EncryptionConfiguration).toEqual({ KmsKeyId: KEY_ARN });
  });
});

describe('retrieval instruction', () => {
  const CfnRetrievalInstruction = l1('CfnRetrievalInstruction');

  testIf(CfnRetrievalInstruction !== undefined)('gets customerEncryptionKeyArn; the creator uses the key only through Bedrock', () => {
    const { stack, mixin } = setup();
    new CfnRetrievalInstruction(stack, 'Instruction', { name: 'instruction', instruction: { persona: 'a librarian' } }).with(mixin);

    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::RetrievalInstruction', { CustomerEncryptionKeyArn: KEY_ARN });
    const policies = SynthesizedPolicies.of(stack);
    const decrypt = (principal: string, service: string) => policies.evaluate({ principal, action: 'kms:Decrypt', context: { 'kms:ViaService': via(service) } });
    expect(decrypt(CREATOR, 'bedrock')).toBe('Allowed');
    expect(decrypt(CREATOR, 'aoss')).toBe('ImplicitlyDenied');
    expect(decrypt(OTHER_CREATOR, 'bedrock')).toBe('ImplicitlyDenied');
    expect(policies.evaluate({ principal: 'bedrock.amazonaws.com', action: 'kms:Decrypt', context: { 'kms:ViaService': via('bedrock') } })).toBe('ImplicitlyDenied');
  });
});

describe('managed knowledge base', () => {
  // aws-cdk-lib 2.261.0 requires an embedding model ARN on a managed knowledge base; later releases do not.
  const EMBEDDING_MODEL_ARN = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0';
  const managed = (stack: Stack, type: string = 'MANAGED') => new bedrock.CfnKnowledgeBase(stack, 'Kb', {
    name: 'kb',
    roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/KbRole`,
    knowledgeBaseConfiguration: { type, ...(type === 'MANAGED' ? { managedKnowledgeBaseConfiguration: { embeddingModelType: 'MANAGED', embeddingModelArn: EMBEDDING_MODEL_ARN } } : {}) } as any,
  });

  testIf(atLeast('2.261.0'))('a MANAGED knowledge base gets the key at its managed server-side encryption configuration', () => {
    const { stack, mixin } = setup();
    managed(stack).with(mixin);

    Template.fromStack(stack).hasResourceProperties('AWS::Bedrock::KnowledgeBase', {
      KnowledgeBaseConfiguration: {
        Type: 'MANAGED',
        ManagedKnowledgeBaseConfiguration: { EmbeddingModelType: 'MANAGED', ServerSideEncryptionConfiguration: { KmsKeyArn: KEY_ARN } },
      },
    });
    const policies = SynthesizedPolicies.of(stack);
    const data = (principal: string, service: string) => policies.evaluate({ principal, action: 'kms:GenerateDataKey', context: { 'kms:ViaService': via(service) } });
    const role = `arn:aws:iam::${TEST_ACCOUNT}:role/KbRole`;
    // the knowledge base page (fully managed knowledge base): the service role needs no permission on the key
    expect(data(role, 'bedrock')).toBe('ImplicitlyDenied');
    expect(data(CREATOR, 'bedrock')).toBe('Allowed');
    expect(data(CREATOR, 's3')).toBe('ImplicitlyDenied');
    expect(data(`arn:aws:iam::${OTHER_ACCOUNT}:role/Creator`, 'bedrock')).toBe('ImplicitlyDenied');
    // Only the creator may create grants: for an AWS service, through Bedrock, for the operations the page lists.
    const grant = (principal: string, operations: string[]) => policies.evaluate({
      principal,
      action: 'kms:CreateGrant',
      context: { 'kms:ViaService': via('bedrock'), 'kms:GrantIsForAWSResource': 'true', 'kms:GrantOperations': operations },
    });
    expect(grant(CREATOR, ['Decrypt', 'GenerateDataKey'])).toBe('Allowed');
    expect(grant(CREATOR, ['Decrypt', 'ReEncryptFrom'])).toBe('ImplicitlyDenied');
    expect(grant(role, ['Decrypt'])).toBe('ImplicitlyDenied');
  });

  testIf(!atLeast('2.261.0'))('on an aws-cdk-lib whose CfnKnowledgeBase cannot render the managed configuration, applying throws and changes nothing', () => {
    const { stack, mixin } = setup();
    const kb = managed(stack);
    expect(() => kb.with(mixin)).toThrow(/AWS::Bedrock::KnowledgeBase at 'TestStack\/Kb': the installed aws-cdk-lib's L1 does not render/);
    const template = Template.fromStack(stack);
    expect(JSON.stringify(template.findResources('AWS::Bedrock::KnowledgeBase'))).not.toContain('Key961B73FD');
    expect(SynthesizedPolicies.of(stack).keyPolicyStatements()).toHaveLength(1);
  });

  test('VECTOR knowledge bases, and one whose type is a token, are left alone', () => {
    for (const token of [false, true]) {
      const { stack, mixin } = setup();
      const kb = managed(stack, token ? new CfnParameter(stack, 'KbType').valueAsString : 'VECTOR');
      expect(mixin.supports(kb)).toBe(false);
      Mixins.of(stack).apply(mixin);
      expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::Bedrock::KnowledgeBase'))).not.toContain('Key961B73FD');
    }
  });
});

describe('OpenSearch Serverless collection', () => {
  const collection = (stack: Stack, encryptionConfig?: aoss.CfnCollection.EncryptionConfigProperty) =>
    new aoss.CfnCollection(stack, 'Collection', { name: 'vectors', type: 'VECTORSEARCH', ...(encryptionConfig ? { encryptionConfig } : {}) } as any);

  test('gets encryptionConfig { awsOwnedKey: false, kmsKeyArn } and the creator statements OpenSearch Serverless documents', () => {
    const { stack, mixin } = setup();
    collection(stack).with(mixin);

    Template.fromStack(stack).hasResourceProperties('AWS::OpenSearchServerless::Collection', { EncryptionConfig: { AWSOwnedKey: false, KmsKeyArn: KEY_ARN } });
    const policies = SynthesizedPolicies.of(stack);
    const describe = (principal: string, service: string) => policies.evaluate({ principal, action: 'kms:DescribeKey', context: { 'kms:ViaService': via(service) } });
    expect(describe(CREATOR, 'aoss')).toBe('Allowed');
    expect(describe(CREATOR, 'bedrock')).toBe('ImplicitlyDenied');
    expect(describe(OTHER_CREATOR, 'aoss')).toBe('ImplicitlyDenied');
    const grant = (operations: string[]) => policies.evaluate({
      principal: CREATOR,
      action: 'kms:CreateGrant',
      context: { 'kms:ViaService': via('aoss'), 'kms:GrantOperations': operations, 'kms:GrantIsForAWSResource': 'true' },
    });
    expect(grant(['Decrypt', 'GenerateDataKey'])).toBe('Allowed');
    expect(grant(['Decrypt', 'CreateGrant'])).toBe('ImplicitlyDenied');
  });

  test('a collection that chose the AWS owned key is an error, and is not changed', () => {
    const { stack, mixin } = setup();
    const c = collection(stack, { awsOwnedKey: true });
    expect(() => c.with(mixin)).toThrow(/AWS::OpenSearchServerless::Collection at 'TestStack\/Collection': encryptionConfig.awsOwnedKey is true/);
    Template.fromStack(stack).hasResourceProperties('AWS::OpenSearchServerless::Collection', { EncryptionConfig: { AWSOwnedKey: true } });
  });

  test('a collection with another key is an error', () => {
    const { stack, mixin } = setup();
    const c = collection(stack, { awsOwnedKey: false, kmsKeyArn: new kms.Key(stack, 'Other').keyArn });
    expect(() => c.with(mixin)).toThrow(/encryptionConfig.kmsKeyArn is already set to another key/);
  });
});

test('supportedResourceTypes: every row of the key-property table but those the mixin does not set, each once', () => {
  const expected = RESOURCE_TYPES.filter((p) => p.notSetByMixin === undefined).map((p) => p.cfnType);
  expect([...BedrockCustomerManagedKey.supportedResourceTypes].sort()).toEqual([...new Set(expected)].sort());
  expect(new Set(BedrockCustomerManagedKey.supportedResourceTypes).size).toBe(BedrockCustomerManagedKey.supportedResourceTypes.length);
});

test('a plain CfnResource of a new type is not supported (no typed property to set)', () => {
  const { stack, mixin } = setup();
  expect(mixin.supports(new CfnResource(stack, 'Raw', { type: 'AWS::Bedrock::RetrievalInstruction' }))).toBe(false);
});
