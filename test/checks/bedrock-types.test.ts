import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as aoss from 'aws-cdk-lib/aws-opensearchserverless';
import { checkedStack, findings } from './helpers';
import { BedrockEncryptionRules } from '../../src/checks';
import { BedrockCustomerManagedKey } from '../../src/mixins';
import { acknowledgeCloudFormationFindings } from '../util/synthesized-policies';

/**
 * The checks on the newer Bedrock types. The rules read CloudFormation properties, so a plain
 * `CfnResource` of the type stands for an L1 the minimum aws-cdk-lib does not have (Session,
 * DataAutomationLibrary, RetrievalInstruction, a MANAGED knowledge base); the rendered template is
 * the same as the L1's.
 */

const NO_KEY = BedrockEncryptionRules.NO_CUSTOMER_MANAGED_KEY;
/** aws-cdk-lib 2.261.0 requires an embedding model ARN on a managed knowledge base; later releases do not. */
const EMBEDDING_MODEL_ARN = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0';
const OPENSEARCH = BedrockEncryptionRules.OPENSEARCH_AWS_OWNED_KEY;

const paths = (stack: Stack, rule: string) => findings(stack, rule).map(([p]) => p);

/** Resource type, properties without a key, the same with `key` set. */
const TYPES: Record<string, [Record<string, unknown>, (key: unknown) => Record<string, unknown>]> = {
  'AWS::Bedrock::Session': [{}, (key) => ({ EncryptionKeyArn: key })],
  'AWS::Bedrock::DataAutomationLibrary': [{ LibraryName: 'library' }, (key) => ({ LibraryName: 'library', EncryptionConfiguration: { KmsKeyId: key } })],
  'AWS::Bedrock::RetrievalInstruction': [{ Name: 'instruction', Instruction: { Persona: 'librarian' } },
    (key) => ({ Name: 'instruction', Instruction: { Persona: 'librarian' }, CustomerEncryptionKeyArn: key })],
  'AWS::Bedrock::AutomatedReasoningPolicy': [{ Name: 'policy' }, (key) => ({ Name: 'policy', KmsKeyId: key })],
  'AWS::Bedrock::KnowledgeBase': [
    { Name: 'kb', RoleArn: 'arn:aws:iam::111111111111:role/Kb', KnowledgeBaseConfiguration: { Type: 'MANAGED' } },
    (key) => ({
      Name: 'kb',
      RoleArn: 'arn:aws:iam::111111111111:role/Kb',
      KnowledgeBaseConfiguration: { Type: 'MANAGED', ManagedKnowledgeBaseConfiguration: { ServerSideEncryptionConfiguration: { KmsKeyArn: key } } },
    }),
  ],
};

describe.each(Object.keys(TYPES))('%s', (type) => {
  test('without a key: flagged by cdk-bedrock-encryption:noCustomerManagedKey, naming the property', () => {
    const stack = checkedStack();
    new CfnResource(stack, 'Resource', { type, properties: TYPES[type][0] });
    const found = findings(stack, NO_KEY);
    expect(found.map(([p]) => p)).toEqual(['/Checked/Resource']);
    expect(found[0][1]).toMatch(/has no customer managed key/);
  });

  test('with a customer managed key: silent', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new CfnResource(stack, 'Resource', { type, properties: TYPES[type][1](key.keyArn) });
    expect(paths(stack, NO_KEY)).toEqual([]);
  });

  test('with the AWS managed key: flagged', () => {
    const stack = checkedStack();
    const resource = new CfnResource(stack, 'Resource', { type, properties: TYPES[type][1]('alias/aws/bedrock') });
    acknowledgeCloudFormationFindings(resource, ['F3031'], 'an alias where the schema wants a key ARN: the case the rule reports');
    expect(paths(stack, NO_KEY)).toEqual(['/Checked/Resource']);
  });
});

test('the real L1s the installed aws-cdk-lib has are checked alike (CfnAutomatedReasoningPolicy)', () => {
  const stack = checkedStack();
  new bedrock.CfnAutomatedReasoningPolicy(stack, 'Policy', { name: 'policy' });
  expect(paths(stack, NO_KEY)).toEqual(['/Checked/Policy']);
});

test('a VECTOR knowledge base, or one whose type is a token, is not flagged (its key is on its data sources and store)', () => {
  const stack = checkedStack();
  new bedrock.CfnKnowledgeBase(stack, 'Vector', { name: 'kb', roleArn: 'arn:aws:iam::111111111111:role/Kb', knowledgeBaseConfiguration: { type: 'VECTOR' } });
  new CfnResource(stack, 'Token', {
    type: 'AWS::Bedrock::KnowledgeBase',
    properties: { Name: 'kb2', RoleArn: 'arn:aws:iam::111111111111:role/Kb', KnowledgeBaseConfiguration: { Type: new CfnParameter(stack, 'KbType').valueAsString } },
  });
  expect(paths(stack, NO_KEY)).toEqual([]);
});

describe('OpenSearch Serverless collections', () => {
  const encryptionPolicy = (stack: Stack, id: string, resource: string, document: Record<string, unknown>) =>
    new aoss.CfnSecurityPolicy(stack, id, { name: id.toLowerCase(), type: 'encryption', policy: JSON.stringify({ Rules: [{ ResourceType: 'collection', Resource: [resource] }], ...document }) });
  const collection = (stack: Stack, encryptionConfig?: aoss.CfnCollection.EncryptionConfigProperty) =>
    new aoss.CfnCollection(stack, 'Collection', { name: 'vectors', type: 'VECTORSEARCH', ...(encryptionConfig ? { encryptionConfig } : {}) } as any);

  test('encryptionConfig.awsOwnedKey true: flagged by the OpenSearch rule', () => {
    const stack = checkedStack();
    collection(stack, { awsOwnedKey: true });
    const found = findings(stack, OPENSEARCH);
    expect(found.map(([p]) => p)).toEqual(['/Checked/Collection']);
    expect(found[0][1]).toMatch(/EncryptionConfig.AWSOwnedKey to true/);
  });

  test('no key in encryptionConfig and no encryption policy: flagged', () => {
    const stack = checkedStack();
    collection(stack);
    expect(paths(stack, OPENSEARCH)).toEqual(['/Checked/Collection']);
  });

  test('a customer managed key in encryptionConfig: silent (and not flagged by the no-key rule either)', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    collection(stack, { awsOwnedKey: false, kmsKeyArn: key.keyArn });
    expect(paths(stack, OPENSEARCH)).toEqual([]);
    expect(paths(stack, NO_KEY)).toEqual([]);
  });

  test('a matching encryption policy with a customer managed key (exact or wildcard): silent', () => {
    for (const resource of ['collection/vectors', 'collection/vec*']) {
      const stack = checkedStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      new aoss.CfnSecurityPolicy(stack, 'Policy', {
        name: 'policy',
        type: 'encryption',
        policy: Stack.of(stack).toJsonString({ Rules: [{ ResourceType: 'collection', Resource: [resource] }], AWSOwnedKey: false, KmsARN: key.keyArn }),
      });
      collection(stack);
      expect(paths(stack, OPENSEARCH)).toEqual([]);
    }
  });

  test('an encryption policy for other collections, or one on the AWS owned key: the collection is flagged', () => {
    const stack = checkedStack();
    encryptionPolicy(stack, 'Other', 'collection/other*', { AWSOwnedKey: false, KmsARN: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    encryptionPolicy(stack, 'Owned', 'collection/vectors', { AWSOwnedKey: true });
    collection(stack);
    expect(paths(stack, OPENSEARCH).sort()).toEqual(['/Checked/Collection', '/Checked/Owned']);
  });
});

describe('cdk-bedrock-encryption:keyPolicyMissingStatements on a managed knowledge base', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const managedKbL1 = Number(require('aws-cdk-lib/package.json').version.split('.')[1]) >= 261;
  const testIf = managedKbL1 ? test : test.skip;

  testIf('the knowledge base role needs no key use (fully managed knowledge base page): silent with or without the mixin\'s statements', () => {
    for (const withMixin of [false, true]) {
      const stack = checkedStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const role = new iam.Role(stack, 'KbRole', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
      const kb = new bedrock.CfnKnowledgeBase(stack, 'Kb', {
        name: 'kb',
        roleArn: role.roleArn,
        knowledgeBaseConfiguration: { type: 'MANAGED', managedKnowledgeBaseConfiguration: { embeddingModelType: 'MANAGED', embeddingModelArn: EMBEDDING_MODEL_ARN } } as any,
      });
      if (withMixin) {
        kb.with(new BedrockCustomerManagedKey(key));
      } else {
        (kb as any).knowledgeBaseConfiguration = {
          type: 'MANAGED',
          managedKnowledgeBaseConfiguration: { embeddingModelType: 'MANAGED', embeddingModelArn: EMBEDDING_MODEL_ARN, serverSideEncryptionConfiguration: { kmsKeyArn: key.keyArn } },
        };
      }
      expect(paths(stack, BedrockEncryptionRules.KEY_POLICY_MISSING_STATEMENTS)).toEqual([]);
      expect(paths(stack, NO_KEY)).toEqual([]);
    }
  });
});
