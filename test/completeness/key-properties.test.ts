import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { RESOURCE_TYPES, OUT_OF_SCOPE_KEY_PROPERTIES } from '../../src/wiring/registry';

/**
 * Every property of the installed aws-cdk-lib's L1s in Bedrock's, AgentCore's, AWS Agent
 * Registry's, S3 Vectors' and OpenSearch Serverless's CloudFormation namespaces that takes a KMS key is either supported (`RESOURCE_TYPES`) or out of scope with
 * a reason (`OUT_OF_SCOPE_KEY_PROPERTIES`), and every row of both names a property that exists.
 *
 * Every module of the installed aws-cdk-lib is looked at: those that declare a resource of such a
 * namespace (`@cloudformationResource`) are read in full.
 *
 * The properties are read from the generated type declarations of the installed aws-cdk-lib (the
 * one the tests load: the minimum, or the newest under test/compat/newest-cdk.jest.config.js),
 * with the TypeScript compiler API: each `Cfn<Name>Props` interface, its class's
 * `@cloudformationResource` type, and the struct interfaces of the `Cfn<Name>` namespace its
 * properties refer to, followed to any depth (array levels are not marked in the path).
 *
 * Detection rule: a property takes a KMS key when its type refers to no struct (a leaf: string,
 * boolean, token) and its name (case-insensitive) contains `kms` followed later by `key`
 * (`kmsKeyArn`, `kmsKeyId`, `kmsKey`), or contains `encryptionKey` (`encryptionKeyArn`,
 * `customerEncryptionKeyArn`), or ends with `ownedKey` (`awsOwnedKey`, the flag that chooses an
 * AWS owned key instead). `kmsEncryptionContext`, `apiKeyArn` (a secret) and `sseType` are not
 * key properties.
 */

/**
 * The CloudFormation namespaces whose resources keep Bedrock or AgentCore data: Bedrock's and
 * AgentCore's own (any `AWS::Bedrock*`, so a new Bedrock module is scanned without a change
 * here), AWS Agent Registry, and the vector stores of knowledge bases.
 */
const IN_SCOPE_NAMESPACE = /^AWS::(Bedrock\w*|AgentRegistry|S3Vectors|OpenSearchServerless)::/;

/**
 * Rows whose property arrived in an L1 that already existed at the minimum aws-cdk-lib: the
 * first version whose L1 has it. Below it, the row's property may be missing from the L1.
 */
const PROPERTY_SINCE: Record<string, string> = {
  'AWS::Bedrock::KnowledgeBase knowledgeBaseConfiguration.managedKnowledgeBaseConfiguration.serverSideEncryptionConfiguration.kmsKeyArn': '2.261.0',
  // not in CfnOAuth2CredentialProvider up to 2.263.0
  'AWS::BedrockAgentCore::OAuth2CredentialProvider oauth2ProviderConfigInput.customOauth2ProviderConfig.privateKeyJwtConfig.privateKeySource.kmsKeySource.kmsKeyArn': '2.264.0',
};

/** True when the property name takes a KMS key, by the rule above. */
function isKeyPropertyName(name: string): boolean {
  return /kms.*key/i.test(name) || /encryptionkey/i.test(name) || /ownedkey$/i.test(name);
}

/** The directory of the aws-cdk-lib the tests load (the moduleNameMapper may redirect it). */
function installedCdkLib(): { dir: string; version: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version: string = require('aws-cdk-lib/package.json').version;
  const root = path.resolve(__dirname, '..', '..');
  const candidates = [
    path.dirname(require.resolve('aws-cdk-lib/package.json')),
    path.join(root, '.compat-newest', 'node_modules', 'aws-cdk-lib'),
    path.join(root, 'node_modules', 'aws-cdk-lib'),
  ];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'package.json')) &&
    JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf-8')).version === version);
  if (dir === undefined) throw new Error(`cannot find the files of the loaded aws-cdk-lib ${version}`);
  return { dir, version };
}

interface L1Property {
  readonly cfnType: string;
  readonly l1Path: string[];
  /** True when the property's type refers to no struct of the L1. */
  readonly leaf: boolean;
}

/** Every property path of every L1 of a module, by walking its declarations. */
function l1Properties(file: string): { types: Set<string>; properties: L1Property[] } {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.Latest, true);
  const propsByClass = new Map<string, ts.InterfaceDeclaration>();
  const structs = new Map<string, Map<string, ts.InterfaceDeclaration>>();
  const cfnTypes = new Map<string, string>();
  for (const statement of source.statements) {
    if (ts.isClassDeclaration(statement) && statement.name) {
      const tag = ts.getJSDocTags(statement).find((t) => t.tagName.text === 'cloudformationResource');
      const text = tag === undefined ? undefined : ts.getTextOfJSDocComment(tag.comment)?.trim();
      if (text) cfnTypes.set(statement.name.text, text);
    } else if (ts.isInterfaceDeclaration(statement) && /^Cfn\w+Props$/.test(statement.name.text)) {
      propsByClass.set(statement.name.text.replace(/Props$/, ''), statement);
    } else if (ts.isModuleDeclaration(statement) && statement.body && ts.isModuleBlock(statement.body)) {
      const members = new Map<string, ts.InterfaceDeclaration>();
      for (const s of statement.body.statements) if (ts.isInterfaceDeclaration(s)) members.set(s.name.text, s);
      structs.set(statement.name.text, members);
    }
  }

  /** The struct interfaces a property type refers to (`CfnX.YProperty`, in unions and arrays). */
  const structsIn = (type: ts.Node | undefined, cls: string): ts.InterfaceDeclaration[] => {
    const found: ts.InterfaceDeclaration[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isTypeReferenceNode(node)) {
        const name = node.typeName;
        if (ts.isQualifiedName(name) && ts.isIdentifier(name.left)) {
          const struct = structs.get(name.left.text)?.get(name.right.text);
          if (struct) found.push(struct);
        } else if (ts.isIdentifier(name)) {
          const struct = structs.get(cls)?.get(name.text);
          if (struct) found.push(struct);
        }
      }
      ts.forEachChild(node, visit);
    };
    if (type) visit(type);
    return found;
  };

  const properties: L1Property[] = [];
  const walk = (cfnType: string, cls: string, iface: ts.InterfaceDeclaration, prefix: string[], seen: Set<ts.InterfaceDeclaration>) => {
    for (const member of iface.members) {
      if (!ts.isPropertySignature(member) || member.name === undefined) continue;
      const l1Path = [...prefix, member.name.getText(source)];
      const nested = structsIn(member.type, cls);
      properties.push({ cfnType, l1Path, leaf: nested.length === 0 });
      for (const struct of nested) if (!seen.has(struct)) walk(cfnType, cls, struct, l1Path, new Set([...seen, struct]));
    }
  };
  for (const [cls, props] of propsByClass) {
    const cfnType = cfnTypes.get(cls);
    if (cfnType !== undefined) walk(cfnType, cls, props, [], new Set());
  }
  return { types: new Set(cfnTypes.values()), properties };
}

const { dir, version } = installedCdkLib();
/** Every module's generated L1 declarations that declare a resource of an in-scope namespace. */
function inScopeModules(): string[] {
  return fs.readdirSync(dir).sort().flatMap((module) => {
    const lib = path.join(dir, module, 'lib');
    if (!fs.existsSync(lib)) return [];
    return fs.readdirSync(lib).filter((f) => f.endsWith('.generated.d.ts')).map((f) => path.join(lib, f))
      .filter((file) => [...fs.readFileSync(file, 'utf-8').matchAll(/@cloudformationResource (\S+)/g)].some((m) => IN_SCOPE_NAMESPACE.test(m[1])));
  });
}
const MODULE_FILES = inScopeModules();
const scanned = MODULE_FILES.map(l1Properties);
const L1_TYPES = new Set(scanned.flatMap((s) => [...s.types]));
const ALL_PROPERTIES = scanned.flatMap((s) => s.properties);
const KEY_PROPERTY_PATHS = ALL_PROPERTIES.filter((p) => p.leaf && isKeyPropertyName(p.l1Path[p.l1Path.length - 1]));

const id = (cfnType: string, l1Path: string[]) => `${cfnType} ${l1Path.join('.')}`;
const supported = new Set(RESOURCE_TYPES.flatMap((p) => [id(p.cfnType, p.l1Path), ...(p.awsOwnedKeyFlag ? [id(p.cfnType, p.awsOwnedKeyFlag)] : [])]));
const outOfScope = new Set(OUT_OF_SCOPE_KEY_PROPERTIES.map((p) => id(p.cfnType, p.l1Path)));

/** True when `a` is at least `b` (x.y.z). */
function atLeast(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return true;
}

describe(`key properties of aws-cdk-lib ${version}`, () => {
  test('every module is looked at, and those of the in-scope namespaces are scanned', () => {
    const modules = MODULE_FILES.map((f) => path.basename(path.dirname(path.dirname(f))));
    expect(modules).toEqual(expect.arrayContaining(['aws-bedrock', 'aws-bedrockagentcore', 'aws-opensearchserverless', 'aws-s3vectors']));
    if (atLeast(version, '2.274.0')) expect(modules).toContain('aws-agentregistry');
    expect(modules).not.toContain('aws-s3');
    for (const t of ['AWS::Bedrock::Agent', 'AWS::BedrockMantle::Project', 'AWS::AgentRegistry::Registry', 'AWS::S3Vectors::Index']) {
      expect([t, IN_SCOPE_NAMESPACE.test(t)]).toEqual([t, true]);
    }
    for (const t of ['AWS::DevOpsAgent::AgentSpace', 'AWS::S3::Bucket', 'AWS::SecurityAgent::AgentSpace']) {
      expect([t, IN_SCOPE_NAMESPACE.test(t)]).toEqual([t, false]);
    }
  });

  test('the scan finds the L1s and key properties it must (the detection works on this version)', () => {
    expect(L1_TYPES).toContain('AWS::Bedrock::Agent');
    expect(L1_TYPES).toContain('AWS::OpenSearchServerless::Collection');
    expect(KEY_PROPERTY_PATHS.map((p) => id(p.cfnType, p.l1Path))).toEqual(expect.arrayContaining([
      'AWS::Bedrock::Agent customerEncryptionKeyArn',
      'AWS::Bedrock::DataSource serverSideEncryptionConfiguration.kmsKeyArn',
      'AWS::OpenSearchServerless::Collection encryptionConfig.awsOwnedKey',
      'AWS::S3Vectors::VectorBucket encryptionConfiguration.kmsKeyArn',
    ]));
  });

  test('the detection rule', () => {
    for (const name of ['kmsKeyArn', 'kmsKeyId', 'customerEncryptionKeyArn', 'encryptionKeyArn', 'awsOwnedKey', 'customerKmsKeyArn']) {
      expect([name, isKeyPropertyName(name)]).toEqual([name, true]);
    }
    for (const name of ['kmsEncryptionContext', 'apiKeyArn', 'apiKeyId', 'sseType', 'roleArn', 'keyName']) {
      expect([name, isKeyPropertyName(name)]).toEqual([name, false]);
    }
  });

  test('every key property is supported (RESOURCE_TYPES) or out of scope with a reason (OUT_OF_SCOPE_KEY_PROPERTIES)', () => {
    const unlisted = KEY_PROPERTY_PATHS
      .map((p) => id(p.cfnType, p.l1Path))
      .filter((p) => !supported.has(p) && !outOfScope.has(p));
    expect(unlisted).toEqual([]);
  });

  test('every row whose L1 exists names properties the L1 has (no typo)', () => {
    const known = new Set(ALL_PROPERTIES.map((p) => id(p.cfnType, p.l1Path)));
    const rows = [
      ...RESOURCE_TYPES.flatMap((p) => [
        { cfnType: p.cfnType, l1Path: p.l1Path, key: id(p.cfnType, p.l1Path) },
        ...(p.awsOwnedKeyFlag ? [{ cfnType: p.cfnType, l1Path: p.awsOwnedKeyFlag, key: id(p.cfnType, p.l1Path) }] : []),
        ...(p.appliesWhen ?? []).map((c) => ({ cfnType: p.cfnType, l1Path: c.l1Path, key: id(p.cfnType, p.l1Path) })),
      ]),
      ...OUT_OF_SCOPE_KEY_PROPERTIES.map((p) => ({ cfnType: p.cfnType, l1Path: p.l1Path, key: id(p.cfnType, p.l1Path) })),
    ];
    const missing = rows
      .filter((r) => L1_TYPES.has(r.cfnType))
      .filter((r) => PROPERTY_SINCE[r.key] === undefined || atLeast(version, PROPERTY_SINCE[r.key]))
      .map((r) => id(r.cfnType, r.l1Path))
      .filter((p) => !known.has(p));
    expect(missing).toEqual([]);
  });

  test('the out-of-scope list names each property once, none of them supported, each with a reason', () => {
    const ids = OUT_OF_SCOPE_KEY_PROPERTIES.map((p) => id(p.cfnType, p.l1Path));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((p) => supported.has(p))).toEqual([]);
    for (const p of OUT_OF_SCOPE_KEY_PROPERTIES) expect(p.reason.length).toBeGreaterThan(40);
  });
});
