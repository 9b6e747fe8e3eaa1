import { checkAction, checkStatement, FoundStatement, statementsOf } from './iam-catalog';
import { proofApp } from './stacks';

describe('IAM catalog: every action and condition key exists in the Service Authorization Reference', () => {
  const { app, stacks } = proofApp();
  const assembly = app.synth();
  const byStack = stacks.map((s) => [s.stackName, statementsOf(assembly.getStackArtifact(s.artifactId).template)] as const);

  test('finds key, identity, trust and bucket policies and the key-policy outputs of imported keys', () => {
    const all = byStack.flatMap(([, found]) => found);
    const kinds = new Set(all.map((f) => (f.source === 'Output' ? 'Output' : `${f.source} ${f.where.replace(/^[^.]+\./, '').replace(/[#[(].*$/, '')}`)));
    expect([...kinds].sort()).toEqual([
      'AWS::IAM::Policy PolicyDocument',
      'AWS::IAM::Role AssumeRolePolicyDocument',
      'AWS::KMS::Key KeyPolicy',
      'AWS::S3::BucketPolicy PolicyDocument',
      'AWS::SNS::TopicPolicy PolicyDocument',
      'Output',
    ]);
    expect(all.filter((f) => f.source === 'Output' && /KeyPolicyToAdd/.test(f.where)).length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(100);
  });

  test.each(byStack)('%s', async (_, found: readonly FoundStatement[]) => {
    expect(found.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const { where, statement } of found) {
      for (const p of await checkStatement(statement)) problems.push(`${where}: ${p}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the catalog check rejects what IAM would not know', () => {
  test.each([
    ['kmsDescribeKey', /not of the form/],
    ['kms:DescribeKeys', /matches no kms action/],
    ['kms:GenerateDataKeys*', /matches no kms action/],
    ['bedrok:InvokeModel', /no service 'bedrok'/],
  ])('action %s', async (action, message) => {
    expect(await checkAction(action)).toEqual([expect.stringMatching(message)]);
    expect(await checkStatement({ Effect: 'Allow', Action: ['kms:Decrypt', action], Resource: '*' })).toEqual([expect.stringMatching(message)]);
  });

  test('real actions and wildcards that match real actions pass', async () => {
    for (const action of ['kms:DescribeKey', 'KMS:describekey', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'bedrock:InvokeModel', 's3vectors:PutVectors', '*']) {
      expect(await checkAction(action)).toEqual([]);
    }
  });

  test('a misspelled or unknown condition key fails', async () => {
    const statement = (key: string) => ({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { [key]: 'x' } } });
    expect(await checkStatement(statement('kms:EncriptionContext:aws:bedrock:arn')))
      .toEqual([expect.stringMatching(/'kms:EncriptionContext:aws:bedrock:arn' is not in the Service Authorization Reference/)]);
    expect(await checkStatement(statement('aws:SourceAcount'))).toEqual([expect.stringMatching(/not in the Service Authorization Reference/)]);
    expect(await checkStatement(statement('kms:ViaServices'))).toEqual([expect.stringMatching(/not in the Service Authorization Reference/)]);
  });

  test('a real condition key of another service than the actions fails', async () => {
    expect(await checkStatement({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringLike: { 's3:prefix': 'docs/' } } }))
      .toEqual([expect.stringMatching(/'s3:prefix' belongs to 's3'/)]);
  });

  test('global keys, service keys and keys with a variable part pass', async () => {
    expect(await checkStatement({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'bedrock:InvokeModel', 's3:ListBucket', 'iam:PassRole'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111', 'kms:ViaService': 'bedrock.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:bedrock:arn': 'x' },
        ArnLike: { 'bedrock:InferenceProfileArn': 'x', 'aws:SourceArn': 'x' },
        StringLike: { 's3:prefix': 'docs/', 'iam:PassedToService': 'bedrock.amazonaws.com' },
      },
    })).toEqual([]);
  });

  test('a JSON policy inside an Fn::Join output is read', () => {
    const found = statementsOf({
      Outputs: { Policy: { Value: { 'Fn::Join': ['', ['{"Statement":[{"Effect":"Allow","Action":"kmsDescribeKey","Principal":{"AWS":"', { Ref: 'R' }, '"}}]}']] } } },
    });
    expect(found).toEqual([{ where: 'Outputs.Policy(json)#0', source: 'Output', statement: { Effect: 'Allow', Action: 'kmsDescribeKey', Principal: { AWS: 'TOKEN' } } }]);
  });
});
