import { App, CfnParameter, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { EncryptedKnowledgeBase, VectorStore } from '../../src/knowledge-base';
import { BedrockEncryptionError } from '../../src/private/validation';
import { acknowledgeEmptyTemplate, OTHER_ACCOUNT, SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const MODEL = 'amazon.titan-embed-text-v2:0';
const EXEC_ROLE = `arn:aws:iam::${TEST_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${TEST_ACCOUNT}-${TEST_REGION}`;
const CLUSTER_ARN = `arn:aws:rds:${TEST_REGION}:${TEST_ACCOUNT}:cluster:kb-cluster`;
const SECRET_ARN = `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:kb-creds-AbCdEf`;

function clean(stack: Stack): Template {
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::Lambda::Function', 0);
  return template;
}

function roleStatements(p: SynthesizedPolicies, kb: EncryptedKnowledgeBase): any[] {
  return p.identityPolicies(kb.role.node.defaultChild as any).flatMap((d) => d.Statement);
}

function parsePolicy(p: SynthesizedPolicies, resource: any): any {
  return JSON.parse(p.resolve(resource.Properties.Policy));
}

describe('OpenSearch Serverless', () => {
  const stack = testStack();
  const kb = new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: MODEL, vectorStore: VectorStore.openSearchServerless() });
  const template = clean(stack);
  const p = SynthesizedPolicies.of(stack);
  const resources = template.toJSON().Resources;
  const byType = (type: string) => Object.entries(resources).filter(([, r]: any) => r.Type === type) as Array<[string, any]>;
  const roleArn = p.arn(kb.role.node.defaultChild as any);
  const keyArn = p.arn(kb.encryptionKey.node.defaultChild as any);

  test('a VECTORSEARCH collection with standby replicas', () => {
    template.hasResourceProperties('AWS::OpenSearchServerless::Collection', { Type: 'VECTORSEARCH', StandbyReplicas: 'ENABLED' });
  });

  test('the encryption policy uses the key, not an AWS-owned key', () => {
    const [[, policy]] = byType('AWS::OpenSearchServerless::SecurityPolicy').filter(([, r]) => r.Properties.Type === 'encryption');
    const doc = parsePolicy(p, policy);
    expect(doc.AWSOwnedKey).toBe(false);
    expect(doc.KmsARN).toBe(keyArn);
    expect(doc.Rules).toEqual([{ ResourceType: 'collection', Resource: [`collection/${policy.Properties.Name}`] }]);
  });

  test('the network policy: the collection endpoint is public (CloudFormation creates the index through it), no Dashboards rule', () => {
    const [[, policy]] = byType('AWS::OpenSearchServerless::SecurityPolicy').filter(([, r]) => r.Properties.Type === 'network');
    const name = policy.Properties.Name;
    expect(policy.Properties.Policy).toBe(JSON.stringify([{ Rules: [{ ResourceType: 'collection', Resource: [`collection/${name}`] }], AllowFromPublic: true }]));
  });

  test('the data-access policy admits the KB role and the deployment role, nobody else', () => {
    const [[, policy]] = byType('AWS::OpenSearchServerless::AccessPolicy');
    const doc = parsePolicy(p, policy);
    expect(doc.map((d: any) => d.Principal)).toEqual([[roleArn], [EXEC_ROLE]]);
    expect(doc[0].Rules[1].Permission).toEqual(['aoss:DescribeIndex', 'aoss:ReadDocument', 'aoss:WriteDocument']);
    expect(doc[1].Rules[1].Permission).toContain('aoss:CreateIndex');
  });

  test('the index: knn_vector of the model size, created after the policies, before the KB', () => {
    const [[indexId, index]] = byType('AWS::OpenSearchServerless::Index');
    expect(index.Properties.Mappings.Properties['bedrock-knowledge-base-default-vector']).toMatchObject({ Type: 'knn_vector', Dimension: 1024 });
    const [[accessId]] = byType('AWS::OpenSearchServerless::AccessPolicy');
    const policyIds = byType('AWS::OpenSearchServerless::SecurityPolicy').map(([id]) => id);
    expect(index.DependsOn).toEqual(expect.arrayContaining([accessId, ...policyIds]));
    const [[collectionId, collection]] = byType('AWS::OpenSearchServerless::Collection');
    expect(collection.DependsOn).toEqual(expect.arrayContaining(policyIds));
    expect(resources[accessId].DependsOn).toContain(collectionId);
    template.hasResource('AWS::Bedrock::KnowledgeBase', { DependsOn: Match.arrayWith([indexId]) });
  });

  test('the knowledge base storage configuration', () => {
    template.hasResourceProperties('AWS::Bedrock::KnowledgeBase', {
      StorageConfiguration: {
        Type: 'OPENSEARCH_SERVERLESS',
        OpensearchServerlessConfiguration: {
          CollectionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DocsCollection'), 'Arn'] },
          VectorIndexName: 'bedrock-knowledge-base-default-index',
          FieldMapping: { VectorField: 'bedrock-knowledge-base-default-vector', TextField: 'AMAZON_BEDROCK_TEXT_CHUNK', MetadataField: 'AMAZON_BEDROCK_METADATA' },
        },
      },
    });
  });

  test('the role: aoss:APIAccessAll on the collection, no s3vectors', () => {
    const statements = roleStatements(p, kb);
    const collectionArn = p.arn(p.idsOfType('AWS::OpenSearchServerless::Collection')[0]);
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'aoss:APIAccessAll', Resource: collectionArn });
    expect(JSON.stringify(statements)).not.toContain('s3vectors');
  });

  test('the key policy lets the deployment role create the collection grant through aoss only', () => {
    const viaAoss = { 'kms:ViaService': `aoss.${TEST_REGION}.amazonaws.com` };
    const grant = { ...viaAoss, 'kms:GrantOperations': ['Decrypt', 'GenerateDataKey'], 'kms:GrantIsForAWSResource': 'true' };
    // The account-root statement delegates to IAM; an outside principal has no IAM policy here.
    const key = kb.encryptionKey as kms.Key;
    expect(p.evaluate({ principal: EXEC_ROLE, action: 'kms:CreateGrant', context: grant }, key)).toBe('Allowed');
    expect(p.evaluate({
      principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${OTHER_ACCOUNT}-${TEST_REGION}`,
      action: 'kms:CreateGrant',
      context: grant,
    }, key)).toBe('ImplicitlyDenied');
    const statements = p.keyPolicyStatements(key).filter((s: any) => s.Principal?.AWS === EXEC_ROLE);
    expect(statements.map((s: any) => s.Action)).toEqual(['kms:DescribeKey', 'kms:CreateGrant']);
  });

  test('options: public access stated, a given deployment role creates the index, more principals, no standby', () => {
    const s = testStack();
    new EncryptedKnowledgeBase(s, 'Docs', {
      embeddingModel: MODEL,
      vectorStore: VectorStore.openSearchServerless({
        collectionName: 'docs-kb',
        standbyReplicas: false,
        allowPublicAccess: true,
        dataAccessPrincipals: [`arn:aws:iam::${TEST_ACCOUNT}:role/Operator`],
      }),
      deploymentRole: iam.Role.fromRoleArn(s, 'Deployer', `arn:aws:iam::${TEST_ACCOUNT}:role/Deployer`),
    });
    const sp = SynthesizedPolicies.of(s);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::OpenSearchServerless::Collection', { Name: 'docs-kb', StandbyReplicas: 'DISABLED' });
    const res = t.toJSON().Resources;
    const net = Object.values(res).find((r: any) => r.Properties?.Type === 'network');
    expect(parsePolicy(sp, net)).toEqual([{ Rules: [{ ResourceType: 'collection', Resource: ['collection/docs-kb'] }], AllowFromPublic: true }]);
    const access = parsePolicy(sp, Object.values(res).find((r: any) => r.Type === 'AWS::OpenSearchServerless::AccessPolicy'));
    expect(access[0].Principal).toContain(`arn:aws:iam::${TEST_ACCOUNT}:role/Operator`);
    expect(access[1].Principal).toEqual([`arn:aws:iam::${TEST_ACCOUNT}:role/Deployer`]);
  });

  test('another synthesizer without deploymentRole is an error (the deploy would fail with 403)', () => {
    const s = new Stack(new App(), 'Cli', { env: { account: TEST_ACCOUNT, region: TEST_REGION }, synthesizer: new CliCredentialsStackSynthesizer() });
    acknowledgeEmptyTemplate(s);
    expect(() => new EncryptedKnowledgeBase(s, 'Docs', { embeddingModel: MODEL, vectorStore: VectorStore.openSearchServerless() }))
      .toThrow(/deploymentRole must be the role that deploys the stack, for an OpenSearch Serverless store/);
    Template.fromStack(s).resourceCountIs('AWS::KMS::Key', 0);
  });

  test('a private network policy is an error before anything is created: CloudFormation could not create the index', () => {
    const s = testStack();
    const make = () => new EncryptedKnowledgeBase(s, 'Docs', { embeddingModel: MODEL, vectorStore: VectorStore.openSearchServerless({ allowPublicAccess: false }) });
    expect(make).toThrow(BedrockEncryptionError);
    expect(make).toThrow(new RegExp(
      "^\\[BedrockEncryptionError\\] EncryptedKnowledgeBase 'Docs' at 'TestStack': vectorStore.allowPublicAccess must be true or unset: " +
      'CloudFormation creates the vector index \\(AWS::OpenSearchServerless::Index\\) through the collection endpoint.*' +
      'create the collection, its index \\(from inside the VPC, through an OpenSearch Serverless VPC endpoint\\).*' +
      'EncryptedKnowledgeBase.fromKnowledgeBaseAttributes; got false$'));
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.resourceCountIs('AWS::OpenSearchServerless::SecurityPolicy', 0);
  });

  test('a private network policy is reported with the other problems', () => {
    expect(() => new EncryptedKnowledgeBase(testStack(), 'Docs', {
      embeddingModel: MODEL, vectorStore: VectorStore.openSearchServerless({ allowPublicAccess: false, collectionName: 'Docs_KB' }),
    })).toThrow(/vectorStore.collectionName must be 3 to 32 lowercase.*; vectorStore.allowPublicAccess must be true or unset/);
  });

  test('a collection name token passes through unvalidated into the public network policy', () => {
    const s = testStack();
    const collectionName = new CfnParameter(s, 'CollectionName').valueAsString;
    new EncryptedKnowledgeBase(s, 'Docs', { embeddingModel: MODEL, vectorStore: VectorStore.openSearchServerless({ collectionName }) });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::OpenSearchServerless::SecurityPolicy', {
      Type: 'network',
      Name: { Ref: 'CollectionName' },
      Policy: { 'Fn::Join': ['', ['[{"Rules":[{"ResourceType":"collection","Resource":["collection/', { Ref: 'CollectionName' }, '"]}],"AllowFromPublic":true}]']] },
    });
    t.hasResourceProperties('AWS::OpenSearchServerless::Collection', { Name: { Ref: 'CollectionName' } });
  });

  test('bad names are rejected', () => {
    expect(() => new EncryptedKnowledgeBase(testStack(), 'Docs', { embeddingModel: MODEL, vectorStore: VectorStore.openSearchServerless({ collectionName: 'Docs_KB' }) }))
      .toThrow(/vectorStore.collectionName must be 3 to 32 lowercase/);
  });
});

describe('secret-backed stores', () => {
  function withSecret(stack: Stack, key = true) {
    const secretKey = key ? new kms.Key(stack, 'SecretKey') : undefined;
    const secret = secretsmanager.Secret.fromSecretAttributes(stack, 'Creds', { secretCompleteArn: SECRET_ARN, encryptionKey: secretKey });
    return { secret, secretKey };
  }

  const stores: Array<[string, (s: secretsmanager.ISecret) => VectorStore, string, object]> = [
    ['Pinecone', (secret) => VectorStore.pinecone({ connectionString: 'https://docs-abc.svc.pinecone.io', credentialsSecret: secret, indexNamespace: 'kb' }),
      'PineconeConfiguration', { ConnectionString: 'https://docs-abc.svc.pinecone.io', Namespace: 'kb', FieldMapping: { TextField: 'text', MetadataField: 'metadata' } }],
    ['MongoDB Atlas', (secret) => VectorStore.mongoDbAtlas({
      endpoint: 'cluster0.abcde.mongodb.net', databaseName: 'kb', collectionName: 'docs', vectorIndexName: 'vector_index', credentialsSecret: secret,
    }), 'MongoDbAtlasConfiguration', { Endpoint: 'cluster0.abcde.mongodb.net', DatabaseName: 'kb', CollectionName: 'docs', VectorIndexName: 'vector_index' }],
    ['RDS', (secret) => VectorStore.rds({ clusterArn: CLUSTER_ARN, databaseName: 'kb', tableName: 'bedrock_integration.bedrock_kb', credentialsSecret: secret }),
      'RdsConfiguration', {
        ResourceArn: CLUSTER_ARN,
        DatabaseName: 'kb',
        TableName: 'bedrock_integration.bedrock_kb',
        FieldMapping: { PrimaryKeyField: 'id', VectorField: 'embedding', TextField: 'chunks', MetadataField: 'metadata' },
      }],
  ];

  describe.each(stores)('%s', (_, store, configKey, expected) => {
    const stack = testStack();
    const { secret, secretKey } = withSecret(stack);
    const kb = new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: MODEL, vectorStore: store(secret) });
    const template = clean(stack);
    const p = SynthesizedPolicies.of(stack);
    const role = p.arn(kb.role.node.defaultChild as any);

    test('storage configuration names the secret', () => {
      template.hasResourceProperties('AWS::Bedrock::KnowledgeBase', {
        StorageConfiguration: { [configKey]: Match.objectLike({ ...expected, CredentialsSecretArn: SECRET_ARN }) },
      });
      template.resourceCountIs('AWS::S3Vectors::Index', 0);
      template.resourceCountIs('AWS::OpenSearchServerless::Collection', 0);
    });

    test('the role reads that secret only and decrypts it through Secrets Manager only', () => {
      expect(p.evaluateIdentity({ principal: role, action: 'secretsmanager:GetSecretValue', resource: SECRET_ARN })).toBe('Allowed');
      expect(p.evaluateIdentity({ principal: role, action: 'secretsmanager:GetSecretValue', resource: `${SECRET_ARN}x` })).toBe('ImplicitlyDenied');
      const via = (service: string) => ({ 'kms:ViaService': `${service}.${TEST_REGION}.amazonaws.com` });
      expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: via('secretsmanager') }, secretKey)).toBe('Allowed');
      expect(p.evaluate({ principal: role, action: 'kms:Decrypt', context: via('s3') }, secretKey)).toBe('ImplicitlyDenied');
      expect(p.evaluate({ principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/Docs`, action: 'kms:Decrypt', context: via('secretsmanager') }, secretKey))
        .toBe('ImplicitlyDenied');
    });

    test('the KB key carries no vector-store statement', () => {
      const kbKey = p.keyPolicyStatements(kb.encryptionKey.node.defaultChild as any);
      expect(JSON.stringify(kbKey)).not.toContain('s3vectors');
    });
  });

  test('RDS: the role uses the Data API on that cluster only', () => {
    const stack = testStack();
    const { secret } = withSecret(stack);
    const kb = new EncryptedKnowledgeBase(stack, 'Docs', {
      embeddingModel: MODEL, vectorStore: VectorStore.rds({ clusterArn: CLUSTER_ARN, databaseName: 'kb', tableName: 'kb', credentialsSecret: secret }),
    });
    const p = SynthesizedPolicies.of(stack);
    const role = p.arn(kb.role.node.defaultChild as any);
    expect(p.evaluateIdentity({ principal: role, action: 'rds-data:ExecuteStatement', resource: CLUSTER_ARN })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: role, action: 'rds-data:ExecuteStatement', resource: `${CLUSTER_ARN}-other` })).toBe('ImplicitlyDenied');
  });

  test('a secret whose key is unknown: a warning says which statement to add', () => {
    const stack = testStack();
    const { secret } = withSecret(stack, false);
    new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: MODEL, vectorStore: VectorStore.pinecone({ connectionString: 'https://x.pinecone.io', credentialsSecret: secret }) });
    Annotations.fromStack(stack).hasWarning('/TestStack/Docs',
      Match.stringLikeRegexp('credentials secret .* is not known.*fromSecretAttributes.*secretsmanager.us-east-1.amazonaws.com'));
  });

  const bad: Array<[string, (s: secretsmanager.ISecret) => VectorStore, RegExp]> = [
    ['Pinecone over http', (secret) => VectorStore.pinecone({ connectionString: 'http://docs.pinecone.io', credentialsSecret: secret }),
      /vectorStore.connectionString must be an https:\/\/ URL/],
    ['Pinecone as host:port', (secret) => VectorStore.pinecone({ connectionString: 'docs.pinecone.io:443', credentialsSecret: secret }),
      /vectorStore.connectionString must be an https:\/\/ URL/],
    ['MongoDB over http', (secret) => VectorStore.mongoDbAtlas({ endpoint: 'http://cluster0.mongodb.net', databaseName: 'kb', collectionName: 'c', vectorIndexName: 'v', credentialsSecret: secret }),
      /vectorStore.endpoint must be the Atlas cluster host name/],
    ['MongoDB outside mongodb.net', (secret) => VectorStore.mongoDbAtlas({ endpoint: 'atlas.example.com', databaseName: 'kb', collectionName: 'c', vectorIndexName: 'v', credentialsSecret: secret }),
      /vectorStore.endpoint must be the Atlas cluster host name, <cluster>.<id>.mongodb.net/],
    ['MongoDB as host:port', (secret) => VectorStore.mongoDbAtlas({ endpoint: 'cluster0.mongodb.net:27017', databaseName: 'kb', collectionName: 'c', vectorIndexName: 'v', credentialsSecret: secret }),
      /vectorStore.endpoint must be the Atlas cluster host name/],
    ['RDS with an instance ARN', (secret) => VectorStore.rds({ clusterArn: `arn:aws:rds:${TEST_REGION}:${TEST_ACCOUNT}:db:kb`, databaseName: 'kb', tableName: 'kb', credentialsSecret: secret }),
      /vectorStore.clusterArn must be an Aurora DB cluster ARN/],
  ];

  test.each(bad)('%s is rejected before anything is created', (_, store, message) => {
    const stack = testStack();
    const { secret } = withSecret(stack);
    expect(() => new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: MODEL, vectorStore: store(secret) })).toThrow(BedrockEncryptionError);
    expect(() => new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: MODEL, vectorStore: store(secret) })).toThrow(message);
    Template.fromStack(stack).resourceCountIs('AWS::Bedrock::KnowledgeBase', 0);
  });
});

describe('S3 Vectors', () => {
  test('the vector bucket and the index are both SSE-KMS with the knowledge base key, and the KB names them', () => {
    const stack = testStack();
    const kb = new EncryptedKnowledgeBase(stack, 'Docs', { embeddingModel: 'amazon.titan-embed-text-v2:0' });
    const template = Template.fromStack(stack);
    const keyArn = stack.resolve(kb.encryptionKey.keyArn);
    template.hasResourceProperties('AWS::S3Vectors::VectorBucket', { EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: keyArn } });
    template.hasResourceProperties('AWS::S3Vectors::Index', { EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: keyArn } });
    template.hasResourceProperties('AWS::Bedrock::KnowledgeBase', {
      StorageConfiguration: {
        Type: 'S3_VECTORS',
        S3VectorsConfiguration: { IndexArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('VectorIndex'), 'IndexArn'] }, VectorBucketArn: Match.anyValue() },
      },
    });
  });

  test('the role that creates the vector bucket gets the key use: the given deploymentRole, else the CloudFormation execution role', () => {
    const creatorsOf = (stack: Stack, kb: EncryptedKnowledgeBase) => SynthesizedPolicies.of(stack)
      .keyPolicyStatements(kb.encryptionKey.node.defaultChild as kms.CfnKey)
      .filter((st: any) => JSON.stringify(st.Condition ?? {}).includes('s3vectors')).map((st: any) => st.Principal?.AWS).filter(Boolean);
    const byDefault = testStack();
    const kbByDefault = new EncryptedKnowledgeBase(byDefault, 'Docs', { embeddingModel: 'amazon.titan-embed-text-v2:0' });
    expect(creatorsOf(byDefault, kbByDefault)).toEqual([EXEC_ROLE]);
    const given = testStack();
    const deployer = `arn:aws:iam::${TEST_ACCOUNT}:role/Deployer`;
    const kbGiven = new EncryptedKnowledgeBase(given, 'Docs', {
      embeddingModel: 'amazon.titan-embed-text-v2:0', deploymentRole: iam.Role.fromRoleArn(given, 'Deployer', deployer),
    });
    expect(creatorsOf(given, kbGiven)).toEqual([deployer]);
  });
});
