/**
 * Renders docs/POLICIES.md from the statement catalog (src/policy/catalog.ts): every statement the
 * library writes, where it goes, its principal, actions and conditions, the AWS page it follows,
 * and whether each condition is on that page or added by the library, and why.
 *
 *   npx projen docs          # writes docs/POLICIES.md
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { ENCRYPTABLE_RESOURCES } from '../src/mixins/encryptable-resources';
import { CATALOG, CatalogEntry, EXAMPLE } from '../src/policy/catalog';
import { RESOURCE_TYPES, l1NameOf, OUT_OF_SCOPE_KEY_PROPERTIES } from '../src/wiring/registry';

const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

function renderEntry(entry: CatalogEntry): string {
  const stack = new Stack();
  const statements = entry.build(EXAMPLE.scope).map((s) => stack.resolve(s.toStatementJson()));
  const lines = [
    `### \`${entry.builder}\``,
    '',
    `- **Where**: ${entry.placement}; **for**: ${entry.principal}.`,
    `- **Follows**: ${entry.pages.map((p) => `[${p.title}](${p.url})`).join('; ')}.`,
    ...(entry.notDocumented ? [`- **Not documented by AWS**: ${entry.notDocumented}`] : []),
  ];
  const keys = Object.entries(entry.conditions);
  if (keys.length === 0) {
    lines.push('- **Conditions**: none.');
  } else {
    lines.push('- **Conditions**:');
    for (const [key, source] of keys) {
      lines.push(`  - ${code(key)}: ${source === 'documented' ? 'on the page' : `added by the library. ${source.added}`}`);
    }
  }
  if (entry.note) lines.push(`- **Reading**: ${entry.note}`);
  lines.push('', '```json', JSON.stringify(statements, null, 2), '```', '');
  return lines.join('\n');
}

/** The key-property table (src/wiring/registry.ts): what the mixin sets and the checks read, and what is out of scope. */
function renderKeyProperties(): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const supported = RESOURCE_TYPES.map((p) => {
    const conditions = (p.appliesWhen ?? []).map((c) => `\`${c.l1Path.join('.')}\` ${c.equals === undefined ? 'is not set' : `is \`${c.equals}\``}`);
    const when = conditions.length > 0 ? ` (only when ${conditions.join(' and ')})` : '';
    const flag = p.awsOwnedKeyFlag ? `; \`${p.awsOwnedKeyFlag.join('.')}\` set to false with it` : '';
    const set = ENCRYPTABLE_RESOURCES.some((e) => e.cfnType === p.cfnType);
    const mixin = set ? `yes${flag}` : `no${p.notSetByMixin ? `: ${cell(p.notSetByMixin)}` : ''}`;
    return `| \`${p.cfnType}\` | \`${l1NameOf(p)}\`${when} | ${mixin} |`;
  });
  const outOfScope = OUT_OF_SCOPE_KEY_PROPERTIES.map((p) => `| \`${p.cfnType}\` | \`${p.l1Path.join('.')}\` | ${cell(p.reason)} |`);
  return [
    '## Key properties',
    '',
    'Where each resource type keeps its customer managed key (`src/wiring/registry.ts`). `BedrockEncryptionChecks` reads every',
    'row; `BedrockCustomerManagedKey` sets the ones marked yes, on the L1s of the installed aws-cdk-lib that have them.',
    '',
    '| Resource type | Property | Set by the mixin |',
    '| --- | --- | --- |',
    ...supported,
    '',
    'Key properties of the `aws-bedrock`, `aws-bedrockagentcore`, `aws-s3vectors` and `aws-opensearchserverless` L1s that are out',
    'of this table\'s scope (`test/completeness/key-properties.test.ts` fails for a key property of the installed aws-cdk-lib in neither list):',
    '',
    '| Resource type | Property | Reason |',
    '| --- | --- | --- |',
    ...outOfScope,
    '',
  ];
}

/** The whole document. */
export function renderPolicies(): string {
  const placements = ['key policy', 'identity policy', 'resource policy', 'trust policy'] as const;
  const header = [
    '# Policies',
    '',
    '<!-- Generated from src/policy/catalog.ts by `npx projen docs`; test/docs/policies.test.ts fails when it is stale. -->',
    '',
    'Every statement the library writes, from the builders in the `policy` submodule, rendered for the',
    `example account ${EXAMPLE.scope.account} in ${EXAMPLE.scope.region} with example principals and ARNs.`,
    'For each: where it goes, who it is for, the AWS page it follows, and whether each condition is on',
    'that page or added by the library, and why. Where the pages contradict each other or are silent,',
    '**Reading** says which reading the library takes.',
    '',
  ];
  const sections = placements.flatMap((placement) => {
    const entries = CATALOG.filter((e) => e.placement === placement);
    return entries.length === 0 ? [] : [`## ${placement[0].toUpperCase()}${placement.slice(1)} statements`, '', ...entries.map(renderEntry)];
  });
  return [...header, ...renderKeyProperties(), ...sections].join('\n').replace(/\n+$/, '\n');
}

if (require.main === module) {
  const file = path.resolve(__dirname, '..', 'docs', 'POLICIES.md');
  fs.writeFileSync(file, renderPolicies());
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
