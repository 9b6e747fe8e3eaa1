/**
 * Reads the templates the cdk CLI synthesized into a cloud assembly and prints, for every
 * Amazon Bedrock resource and every resource that stores data Bedrock uses, which KMS key
 * protects it. Exits non-zero when one is not under a customer managed key.
 *
 *   ts-node examples/report.ts cdk.out/examples
 */
import * as fs from 'fs';
import * as path from 'path';
import { cfnPathOf, RESOURCE_TYPES } from '../src/wiring/registry';

/** Where each resource type keeps its key: the library's table for Bedrock, plus the stores around it. */
const KEY_PATHS: Record<string, string[]> = {
  ...Object.fromEntries(RESOURCE_TYPES.map((p) => [p.cfnType, cfnPathOf(p)])),
  'AWS::S3Vectors::VectorBucket': ['EncryptionConfiguration', 'KmsKeyArn'],
  'AWS::S3Vectors::Index': ['EncryptionConfiguration', 'KmsKeyArn'],
  'AWS::S3::Bucket': ['BucketEncryption', 'ServerSideEncryptionConfiguration', '0', 'ServerSideEncryptionByDefault', 'KMSMasterKeyID'],
  'AWS::SecretsManager::Secret': ['KmsKeyId'],
  'AWS::SNS::Topic': ['KmsMasterKeyId'],
  'AWS::Logs::LogGroup': ['KmsKeyId'],
};

/** Resource types the report lists: every Bedrock, AgentCore and S3 Vectors type, and the stores above. */
function isReported(type: string): boolean {
  return /^AWS::(Bedrock|BedrockAgentCore|S3Vectors)::/.test(type) || type in KEY_PATHS;
}

interface Row { resource: string; type: string; key: string; encrypted: boolean }

function main(assemblyDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf-8'));
  const stacks = Object.entries<any>(manifest.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  let total = 0;
  let unprotected = 0;
  for (const [stackName, artifact] of stacks) {
    const templateFile = path.join(assemblyDir, artifact.properties.templateFile);
    const rows = reportStack(stackName, JSON.parse(fs.readFileSync(templateFile, 'utf-8')));
    console.log(`Stack ${stackName}: template ${path.relative(process.cwd(), templateFile)}\n`);
    const widths = (['resource', 'type', 'key'] as const).map((k) => Math.max(k.length, ...rows.map((r) => r[k].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    console.log(line(['RESOURCE', 'TYPE', 'PROTECTED BY']));
    for (const r of rows) console.log(line([r.resource, r.type, r.key]));
    console.log('');
    total += rows.length;
    unprotected += rows.filter((r) => !r.encrypted).length;
  }
  if (total === 0) throw new Error(`no Bedrock resources found in ${assemblyDir}`);
  console.log(`${total - unprotected} of ${total} resources are protected by a customer managed key.`);
  if (unprotected > 0) process.exitCode = 1;
}

function reportStack(stackName: string, template: any): Row[] {
  const resources: Record<string, any> = template.Resources ?? {};
  const keyOf = (id: string): any => {
    const keyPath = KEY_PATHS[resources[id].Type];
    return keyPath?.reduce((value: any, part) => value?.[part], resources[id].Properties);
  };
  const rows: Row[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (!isReported(resource.Type)) continue;
    const name = displayPath(stackName, id, resource);
    const own = keyOf(id);
    if (own !== undefined) {
      rows.push({ resource: name, type: resource.Type, key: describeKey(resources, own), encrypted: true });
      continue;
    }
    // An alias, a version, a knowledge base or an index keeps its data in a resource it references.
    const holder = referencedIds(resource.Properties).find((ref) => resources[ref] && keyOf(ref) !== undefined);
    rows.push(holder
      ? {
        resource: name,
        type: resource.Type,
        key: `${describeKey(resources, keyOf(holder))}, through ${displayPath(stackName, holder, resources[holder])}`,
        encrypted: true,
      }
      : { resource: name, type: resource.Type, key: 'NOT ENCRYPTED with a customer managed key', encrypted: false });
  }
  return rows;
}

/** Logical ids a value references with Ref or Fn::GetAtt, in order of appearance. */
function referencedIds(value: any): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value === null || typeof value !== 'object') return [];
  if (typeof value.Ref === 'string') return [value.Ref];
  if (Array.isArray(value['Fn::GetAtt'])) return [value['Fn::GetAtt'][0]];
  return Object.values(value).flatMap(referencedIds);
}

/** The construct path CDK records in the metadata, without the stack name and default child. */
function displayPath(stackName: string, id: string, resource: any): string {
  const cdkPath: string | undefined = resource.Metadata?.['aws:cdk:path'];
  if (!cdkPath) return id;
  return cdkPath.replace(new RegExp(`^${stackName}/`), '').replace(/\/Resource$/, '');
}

/** A key reference as a person reads it: its alias and rotation. */
function describeKey(resources: Record<string, any>, keyRef: any): string {
  const keyId: string | undefined = keyRef?.['Fn::GetAtt']?.[0] ?? keyRef?.Ref;
  if (!keyId || !resources[keyId]) {
    return typeof keyRef === 'string' ? `imported key ${keyRef}` : `key ${JSON.stringify(keyRef)}`;
  }
  const alias = Object.values(resources).find((r: any) =>
    r.Type === 'AWS::KMS::Alias' && JSON.stringify(r.Properties?.TargetKeyId).includes(`"${keyId}"`));
  const name = typeof alias?.Properties?.AliasName === 'string' ? alias.Properties.AliasName : `key ${keyId} (no alias)`;
  const rotation = resources[keyId].Properties?.EnableKeyRotation ? 'rotation on' : 'ROTATION OFF';
  return `${name} (${rotation})`;
}

main(process.argv[2] ?? 'cdk.out/examples');
