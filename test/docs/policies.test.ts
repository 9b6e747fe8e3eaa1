import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { renderPolicies } from '../../scripts/policies-doc';
import * as policy from '../../src/policy';
import { CATALOG, EXAMPLE } from '../../src/policy/catalog';

/**
 * docs/POLICIES.md lists every statement the library writes, and each condition's source. These
 * tests keep the catalog behind it complete and the document current.
 */
const DOC = path.resolve(__dirname, '..', '..', 'docs', 'POLICIES.md');

/** Static methods of the policy submodule that build no statement (ARN and scope helpers). */
const HELPERS = ['PolicyScopes.of', 'PolicyScopes.viaService', 'PolicyScopes.arn', 'BedrockResourceType.of', 'MonitoringStatements.ruleArn', 'BedrockResourceType.agentCore'];

/** `Class.method` for every public static method of the submodule's classes, read from their source. */
function builders(): string[] {
  const dir = path.resolve(__dirname, '..', '..', 'src', 'policy');
  const exported = new Set(Object.keys(policy));
  const found: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    let current: string | undefined;
    for (const line of fs.readFileSync(path.join(dir, file), 'utf-8').split('\n')) {
      const cls = /^export class (\w+)/.exec(line);
      if (cls) current = exported.has(cls[1]) ? cls[1] : undefined;
      const method = /^ {2}public static (\w+)\(/.exec(line);
      if (current && method) found.push(`${current}.${method[1]}`);
    }
  }
  return found.filter((b) => !HELPERS.includes(b)).sort();
}

function conditionKeys(statement: any): string[] {
  return Object.values<Record<string, unknown>>(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
}

describe('docs/POLICIES.md', () => {
  test('is current: npx projen docs regenerates it from src/policy/catalog.ts', () => {
    expect(fs.readFileSync(DOC, 'utf-8')).toEqual(renderPolicies());
  });

  test('the catalog lists every statement builder of the policy submodule, once', () => {
    const listed = CATALOG.map((e) => e.builder).sort();
    expect(builders().length).toBeGreaterThan(30);
    expect(listed).toEqual(builders());
  });

  test.each(CATALOG.map((e) => [e.builder, e] as const))('%s: every condition key it writes has a stated source, and no other', (_, entry) => {
    const statements = entry.build(EXAMPLE.scope).map((s) => new Stack().resolve(s.toStatementJson()));
    expect(statements.length).toBeGreaterThan(0);
    const written = [...new Set(statements.flatMap(conditionKeys))].sort();
    expect(Object.keys(entry.conditions).sort()).toEqual(written);
  });

  test.each(CATALOG.map((e) => [e.builder, e] as const))('%s cites AWS pages', (_, entry) => {
    expect(entry.pages.length).toBeGreaterThan(0);
    for (const page of entry.pages) expect(page.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  test('every added condition says why', () => {
    const added = CATALOG.flatMap((e) => Object.values(e.conditions)).filter((c) => c !== 'documented');
    expect(added.length).toBeGreaterThan(5);
    for (const c of added) expect((c as { added: string }).added.length).toBeGreaterThan(20);
  });
});
