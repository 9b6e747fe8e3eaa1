/**
 * The Python, Java and Go examples build the same app as examples/app.ts. Their templates,
 * synthesized with the cdk CLI from the real wheel, jar and Go module by the README's quick starts
 * (`npx projen bindings:python`, `bindings:java`, `bindings:go`, before jest in CI), are compared with the
 * TypeScript example's, synthesized here with the same cdk.json context: the same resource types
 * and counts, the same key-policy, identity-policy and trust statements, and nothing else
 * different but metadata and the hashes of logical ids.
 *
 * The Python, Java and Go apps run on the minimum aws-cdk-lib, so this test is left out of the run on
 * the newest one (test/compat/newest-cdk.jest.config.js).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from '../../examples/app';
import { comparableResources, comparableTemplate, policyStatementsOf, Resources, wholeStatement } from '../util/template-policies';

const ROOT = path.join(__dirname, '..', '..');
const STACK = 'SupportAssistant';

/** Each language: where the cdk CLI writes its template, and the command that does it. */
const LANGUAGES = {
  Python: { outdir: 'cdk.out/python', command: 'npx projen bindings:python (the README\'s "Python quick start")' },
  Java: { outdir: 'cdk.out/java', command: 'npx projen bindings:java (the README\'s "Java quick start")' },
  Go: { outdir: 'cdk.out/go', command: 'npx projen bindings:go (the README\'s "Go quick start")' },
};

function synthesizedTemplate(language: keyof typeof LANGUAGES): any {
  const { outdir, command } = LANGUAGES[language];
  const file = path.join(ROOT, outdir, `${STACK}.template.json`);
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(ROOT, file)} not found: the ${language} example's template is synthesized by ${command}; run it first`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

/** Resource type to count. */
const typeCounts = (resources: Resources) => Object.values<any>(resources).reduce<Record<string, number>>((counts, r) => {
  counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
}, {});

/** Statements per resource, whole, keyed and referring by logical ids without their hash. */
const statementsOf = (template: any) => policyStatementsOf(comparableResources(template), wholeStatement);

describe('the Python, Java and Go examples synthesize the TypeScript example', () => {
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'cdk.json'), 'utf-8')).context;
  const typescript = buildExampleApp(new App({ context })).synth().getStackByName(STACK).template;

  test('every language\'s cdk.json has the TypeScript example\'s context (feature flags)', () => {
    for (const language of ['python', 'java', 'go']) {
      const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', language, 'cdk.json'), 'utf-8'));
      expect({ language, context: cdkJson.context }).toEqual({ language, context });
      expect(cdkJson.output).toBe(`../../cdk.out/${language}`);
    }
  });

  describe.each(Object.keys(LANGUAGES) as Array<keyof typeof LANGUAGES>)('%s', (language) => {
    let template: any;
    beforeAll(() => { template = synthesizedTemplate(language); });

    test('the same resource types and counts', () => {
      const counts = typeCounts(comparableResources(typescript));
      expect(Object.values(counts).reduce((a, b) => a + b)).toBeGreaterThan(40);
      expect(typeCounts(comparableResources(template))).toEqual(counts);
    });

    test('the same key-policy, identity-policy and trust statements', () => {
      const expected = statementsOf(typescript);
      expect(Object.keys(expected).length).toBeGreaterThan(15);
      expect(statementsOf(template)).toEqual(expected);
    });

    test('nothing else differs but metadata and logical-id hashes', () => {
      expect(comparableTemplate(template)).toEqual(comparableTemplate(typescript));
    });
  });
});
