/**
 * Reads the templates the cdk CLI synthesized into a cloud assembly and prints, for every
 * resource that stores data Amazon Bedrock uses, which KMS key protects it.
 *
 *   ts-node examples/report.ts cdk.out/examples
 */
import * as fs from 'fs';
import * as path from 'path';

/** Where each resource type keeps its key, as a path into its properties. */
const KEY_PROPERTIES: Record<string, string[]> = {
  'AWS::Bedrock::Agent': ['CustomerEncryptionKeyArn'],
  'AWS::Bedrock::Flow': ['CustomerEncryptionKeyArn'],
  'AWS::Bedrock::Prompt': ['CustomerEncryptionKeyArn'],
  'AWS::Bedrock::Guardrail': ['KmsKeyArn'],
  'AWS::Bedrock::DataSource': ['ServerSideEncryptionConfiguration', 'KmsKeyArn'],
  'AWS::S3Vectors::VectorBucket': ['EncryptionConfiguration', 'KmsKeyArn'],
  'AWS::S3Vectors::Index': ['EncryptionConfiguration', 'KmsKeyArn'],
  'AWS::S3::Bucket': ['BucketEncryption', 'ServerSideEncryptionConfiguration', '0', 'ServerSideEncryptionByDefault', 'KMSMasterKeyID'],
  'AWS::SecretsManager::Secret': ['KmsKeyId'],
  'AWS::SNS::Topic': ['KmsMasterKeyId'],
};

interface Row { stack: string; resource: string; type: string; key: string }

function main(assemblyDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf-8'));
  const rows: Row[] = [];
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf-8'));
    rows.push(...reportStack(artifactId, template));
  }
  if (rows.length === 0) {
    throw new Error(`no Bedrock resources found in ${assemblyDir}`);
  }
  const widths = ['stack', 'resource', 'type', 'key'].map((k) => Math.max(k.length, ...rows.map((r) => (r as any)[k].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(['STACK', 'RESOURCE', 'TYPE', 'PROTECTED BY']));
  for (const r of rows) console.log(line([r.stack, r.resource, r.type, r.key]));
  const unprotected = rows.filter((r) => r.key.startsWith('NOT ENCRYPTED'));
  console.log(`\n${rows.length - unprotected.length} of ${rows.length} resources encrypted with a customer managed key.`);
  if (unprotected.length > 0) process.exitCode = 1;
}

function reportStack(stackName: string, template: any): Row[] {
  const resources: Record<string, any> = template.Resources ?? {};
  const rows: Row[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const keyPath = KEY_PROPERTIES[resource.Type];
    if (!keyPath) continue;
    const keyRef = keyPath.reduce((value: any, part) => value?.[part], resource.Properties);
    const inherited = keyRef === undefined ? inheritedKey(resources, resource) : undefined;
    rows.push({
      stack: stackName,
      resource: displayPath(stackName, id, resource),
      type: resource.Type,
      key: keyRef !== undefined ? describeKey(resources, keyRef)
        : inherited ? `${describeKey(resources, inherited)}, from its vector bucket`
          : 'NOT ENCRYPTED with a customer managed key',
    });
  }
  return rows;
}

/** An S3 Vectors index without its own setting is encrypted like the vector bucket it is in. */
function inheritedKey(resources: Record<string, any>, resource: any): any {
  if (resource.Type !== 'AWS::S3Vectors::Index') return undefined;
  const bucketId = Object.keys(resources).find((id) =>
    resources[id].Type === 'AWS::S3Vectors::VectorBucket' && JSON.stringify(resource.Properties).includes(`"${id}"`));
  return bucketId ? resources[bucketId].Properties?.EncryptionConfiguration?.KmsKeyArn : undefined;
}

/** The construct path CDK records in the metadata, without the stack name and default child. */
function displayPath(stackName: string, id: string, resource: any): string {
  const cdkPath: string | undefined = resource.Metadata?.['aws:cdk:path'];
  if (!cdkPath) return id;
  return cdkPath.replace(new RegExp(`^${stackName}/`), '').replace(/\/Resource$/, '');
}

/** A key reference as a person reads it: its alias, rotation, and construct path. */
function describeKey(resources: Record<string, any>, keyRef: any): string {
  const keyId: string | undefined = keyRef?.['Fn::GetAtt']?.[0] ?? keyRef?.Ref;
  if (!keyId || !resources[keyId]) {
    return typeof keyRef === 'string' ? `imported key ${keyRef}` : `key ${JSON.stringify(keyRef)}`;
  }
  const key = resources[keyId];
  const alias = Object.values(resources).find((r: any) =>
    r.Type === 'AWS::KMS::Alias' && JSON.stringify(r.Properties?.TargetKeyId).includes(`"${keyId}"`));
  const name = alias ? alias.Properties.AliasName : keyId;
  const rotation = key.Properties?.EnableKeyRotation ? 'rotation on' : 'ROTATION OFF';
  return `${typeof name === 'string' ? name : keyId} (${rotation})`;
}

main(process.argv[2] ?? 'cdk.out/examples');
