import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../examples/app';

/** Where each resource type keeps its key (see examples/report.ts). */
const KEY_PROPERTY: Record<string, (p: any) => unknown> = {
  'AWS::Bedrock::Agent': (p) => p.CustomerEncryptionKeyArn,
  'AWS::Bedrock::Flow': (p) => p.CustomerEncryptionKeyArn,
  'AWS::Bedrock::DataSource': (p) => p.ServerSideEncryptionConfiguration?.KmsKeyArn,
  'AWS::S3Vectors::VectorBucket': (p) => p.EncryptionConfiguration?.SseType === 'aws:kms' && p.EncryptionConfiguration?.KmsKeyArn,
  'AWS::S3::Bucket': (p) => p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID,
};

describe('the example app', () => {
  const app = buildExampleApp();
  const stacks = app.node.children.filter((c): c is Stack => c instanceof Stack);

  test('has stacks', () => {
    expect(stacks.map((s) => s.stackName)).toEqual(['SupportAssistant']);
  });

  test.each(stacks.map((s) => [s.stackName, s] as const))('%s synthesizes without a dependency cycle or a Lambda function', (_, stack) => {
    const template = Template.fromStack(stack); // throws on a dependency cycle
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test.each(stacks.map((s) => [s.stackName, s] as const))('%s: every data-holding resource names a customer managed key of the stack', (_, stack) => {
    const resources: Record<string, any> = Template.fromStack(stack).toJSON().Resources;
    const keys = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThan(0);
    const protectedTypes = new Set<string>();
    for (const resource of Object.values(resources)) {
      const keyOf = KEY_PROPERTY[resource.Type];
      if (!keyOf) continue;
      const ref = keyOf(resource.Properties ?? {}) as any;
      expect(keys).toContain(ref?.['Fn::GetAtt']?.[0]);
      protectedTypes.add(resource.Type);
    }
    expect([...protectedTypes].sort()).toEqual(Object.keys(KEY_PROPERTY).sort());
  });

  test('every key rotates and is retained', () => {
    for (const stack of stacks) {
      const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
      for (const key of Object.values<any>(keys)) {
        expect(key.Properties.EnableKeyRotation).toBe(true);
        expect(key.DeletionPolicy).toBe('Retain');
      }
    }
  });
});
