/**
 * Property-based tests of every validated prop: random strings and numbers either build a
 * construct whose stack synthesizes, or throw BedrockEncryptionError and leave nothing behind
 * (no child with the construct's id, no resource in the template). Never a TypeError, never
 * another error class, never half a construct.
 */
import { CfnParameter, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { BedrockKey, EncryptedAgent, EncryptedAgentProps, EncryptedEvaluationJob, EncryptedFlow, EncryptedFlowProps, EncryptedKnowledgeBase, EncryptedKnowledgeBaseProps, EncryptedModelCustomization, EncryptedModelImport, VectorStore } from '../../src';
import { BedrockEncryptionError } from '../../src/private/validation';
import { TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

/**
 * A fixed seed keeps CI reproducible; set FUZZ_SEED to explore other inputs
 * (`FUZZ_SEED=$RANDOM npx jest test/fuzz`). fast-check prints the seed of a failing run.
 */
const RUNS = { numRuns: 60, seed: Number(process.env.FUZZ_SEED ?? 20261122) };
const ID = 'Fuzzed';

type Outcome = 'built' | 'rejected';

/**
 * Values the library accepts and CloudFormation's resource schemas reject. aws-cdk-lib 2.262 and
 * later check every template against those schemas at synth, and the newest-aws-cdk-lib run makes
 * a finding an error (`@aws-cdk/core:validateAgainstDefaultRules`). Each entry is a check the
 * library lacks (it should throw its own BedrockEncryptionError naming the prop): until it has it,
 * the fuzz test of that prop accepts this finding, and only this one; a test below fails once the
 * library rejects the example itself.
 */
const CLOUDFORMATION_REJECTS: Array<{ readonly test: string; readonly finding: RegExp; readonly example: (stack: Stack) => void }> = [
  // (empty: the MongoDB Atlas endpoint, the last entry, is now checked by the library with CloudFormation's pattern)
];

/** The known finding for the running test, if any. */
const knownFinding = () => CLOUDFORMATION_REJECTS.find((g) => expect.getState().currentTestName?.endsWith(` ${g.test}`))?.finding;

/** The stack's resources; undefined when CloudFormation validation rejects it with the finding listed for this test. */
function synthesize(stack: Stack): Record<string, any> | undefined {
  try {
    return Template.fromStack(stack).toJSON().Resources ?? {};
  } catch (e) {
    const finding = knownFinding();
    const errors = String((e as Error).message).split('\n').filter((l) => /^\s*ERROR /.test(l));
    if (finding && errors.length > 0 && errors.every((l) => finding.test(l))) return undefined;
    throw e;
  }
}

/**
 * Builds the construct `ID` in a fresh stack and returns what happened. Any error other than
 * BedrockEncryptionError, a rejection that leaves a child or a resource behind, or a built
 * construct whose stack does not synthesize fails the property.
 */
function attempt(build: (stack: Stack) => void, prepare: (stack: Stack) => void = () => {}): Outcome {
  const stack = testStack();
  prepare(stack);
  const cfnResources = () => stack.node.findAll().filter((c) => c instanceof CfnResource).length;
  const before = cfnResources();
  try {
    build(stack);
  } catch (e) {
    if (!(e instanceof BedrockEncryptionError)) {
      throw new Error(`expected BedrockEncryptionError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    }
    if (stack.node.tryFindChild(ID) !== undefined) throw new Error(`rejected, but '${ID}' was left in the stack: ${e.message}`);
    const after = cfnResources();
    if (after !== before) throw new Error(`rejected, but ${after - before} resource(s) were left in the stack: ${e.message}`);
    return 'rejected';
  }
  const resources = synthesize(stack);
  if (resources === undefined) return 'built'; // built; its template has a known CloudFormation finding
  if (Object.keys(resources).length <= before) throw new Error('built, but the template has no resource from it');
  return 'built';
}

/** Runs `property` and checks that both outcomes occurred, so the generator reaches both sides. */
function fuzz<T>(arb: fc.Arbitrary<T>, run: (value: T) => Outcome): void {
  const seen = new Set<Outcome>();
  fc.assert(fc.property(arb, (value) => { seen.add(run(value)); }), RUNS);
  expect([...seen].sort()).toEqual(['built', 'rejected']);
}

// ----------------------------------------------------------------- generators

/** Any string: printable ASCII, any UTF-16 unit (lone surrogates included), or a well-formed value. */
function text(valid?: fc.Arbitrary<string>, maxLength = 120): fc.Arbitrary<string> {
  const random = [
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.constantFrom('', ' ', '\n', 'null', 'undefined', 'arn:aws:bedrock:::', '__proto__', 'constructor'),
  ];
  return valid ? fc.oneof(valid, ...random) : fc.oneof(...random);
}

/** Any number: integers around the valid range, fractions, NaN, infinities, -0, huge values. */
function number(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min, max }),
    fc.integer({ min: min - 10, max: max + 10 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE),
  );
}

/** A Duration from `unit(amount)`, or nothing when aws-cdk-lib itself rejects the amount. */
function duration(unit: (n: number) => Duration, amount: number): Duration | undefined {
  try {
    return unit(amount);
  } catch {
    return undefined; // aws-cdk-lib's own Duration check (negative, NaN): not this library's input
  }
}

const NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
const name = () => text(fc.stringMatching(NAME).filter((s) => s.length <= 100));
const MODELS = fc.constantFrom(
  'anthropic.claude-3-haiku-20240307-v1:0',
  'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
  `arn:aws:bedrock:${TEST_REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`,
  `arn:aws:bedrock:${TEST_REGION}:${TEST_ACCOUNT}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0`,
);
const prefix = () => text(fc.constantFrom('docs/', 'a/b/', 'train/', 'x'), 60);

// ----------------------------------------------------------------- EncryptedAgent

const agentProps = (over: Partial<EncryptedAgentProps>): EncryptedAgentProps => ({
  agentName: 'support-agent',
  foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
  instruction: 'You answer questions about orders, politely and briefly, in the language of the user.',
  ...over,
});
const agent = (over: Partial<EncryptedAgentProps>) => attempt((s) => new EncryptedAgent(s, ID, agentProps(over)));

describe('fuzz EncryptedAgent', () => {
  test('agentName', () => fuzz(name(), (agentName) => agent({ agentName })));
  test('aliasName', () => fuzz(name(), (aliasName) => agent({ aliasName })));
  test('instruction', () => fuzz(text(fc.string({ minLength: 40, maxLength: 200 }), 200), (instruction) => agent({ instruction })));
  test('foundationModel', () => fuzz(text(MODELS), (foundationModel) => agent({ foundationModel })));
  test('idleSessionTtl (seconds and milliseconds)', () => fuzz(fc.tuple(number(60, 3600), fc.boolean()), ([n, millis]) => {
    const idleSessionTtl = duration(millis ? Duration.millis : Duration.seconds, millis ? n * 1000 : n);
    fc.pre(idleSessionTtl !== undefined);
    return agent({ idleSessionTtl });
  }));
  test('memory.storageDays', () => fuzz(number(1, 365), (storageDays) => agent({ memory: { storageDays } })));
});

// ----------------------------------------------------------------- EncryptedFlow

const node = (nodeName: string, type: string, configuration: object, io: object) => ({ name: nodeName, type, configuration, ...io });
function flowDefinition(source: string, target: string) {
  return {
    nodes: [
      node('Start', 'Input', { input: {} }, { outputs: [{ name: 'document', type: 'String' }] }),
      node('End', 'Output', { output: {} }, { inputs: [{ name: 'document', type: 'String', expression: '$.data' }] }),
    ],
    connections: [{
      name: 'StartToEnd',
      type: 'Data',
      source,
      target,
      configuration: { data: { sourceOutput: 'document', targetInput: 'document' } },
    }],
  };
}
/** A connection end: mostly an existing node, sometimes anything. */
const nodeName = () => fc.oneof({ arbitrary: fc.constantFrom('Start', 'End'), weight: 4 }, { arbitrary: text(undefined, 20), weight: 1 });
const flow = (over: Partial<EncryptedFlowProps>) =>
  attempt((s) => new EncryptedFlow(s, ID, { flowName: 'ticket-summary', definition: flowDefinition('Start', 'End'), ...over }));

describe('fuzz EncryptedFlow', () => {
  test('flowName', () => fuzz(name(), (flowName) => flow({ flowName })));
  test('aliasName', () => fuzz(name(), (aliasName) => flow({ aliasName })));
  test('definition connection source and target', () =>
    // both ends must be valid at once to build, so valid names are weighted up
    fuzz(fc.tuple(nodeName(), nodeName()),
      ([source, target]) => flow({ definition: flowDefinition(source, target) })));
});

// ----------------------------------------------------------------- EncryptedKnowledgeBase

const EMBEDDING = 'amazon.titan-embed-text-v2:0';
const kb = (over: Partial<EncryptedKnowledgeBaseProps>) =>
  attempt((s) => new EncryptedKnowledgeBase(s, ID, { embeddingModel: EMBEDDING, ...over }));
const secret = (s: Stack) => secretsmanager.Secret.fromSecretCompleteArn(s, 'Creds',
  `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:kb-creds-AbCdEf`);
const mongoDbAtlas = (s: Stack, endpoint: string) =>
  VectorStore.mongoDbAtlas({ endpoint, databaseName: 'kb', collectionName: 'docs', vectorIndexName: 'vector_index', credentialsSecret: secret(s) });

describe('fuzz EncryptedKnowledgeBase', () => {
  test('embeddingModel', () => fuzz(
    text(fc.constantFrom(EMBEDDING, 'amazon.titan-embed-text-v1', 'cohere.embed-english-v3', `arn:aws:bedrock:${TEST_REGION}::foundation-model/${EMBEDDING}`)),
    (embeddingModel) => kb({ embeddingModel })));
  test('dimensions', () => fuzz(fc.oneof(fc.constantFrom(256, 512, 1024), number(1, 4096)), (dimensions) => kb({ dimensions })));
  test('dimensions with a model it does not know (a token)', () => fuzz(number(1, 4096), (dimensions) =>
    attempt((s) => new EncryptedKnowledgeBase(s, ID, { embeddingModel: new CfnParameter(s, 'Model').valueAsString, dimensions }))));
  test('inclusionPrefixes', () => fuzz(fc.array(prefix(), { maxLength: 4 }), (inclusionPrefixes) => kb({ inclusionPrefixes })));
  test('Pinecone connectionString', () => fuzz(
    text(fc.constantFrom('https://docs-abc.svc.pinecone.io', 'https://x.pinecone.io:443/v1')),
    (connectionString) => attempt((s) => new EncryptedKnowledgeBase(s, ID, {
      embeddingModel: EMBEDDING,
      vectorStore: VectorStore.pinecone({ connectionString, credentialsSecret: secret(s) }),
    }))));
  test('MongoDB Atlas endpoint', () => fuzz(
    text(fc.constantFrom('cluster0.abcde.mongodb.net', 'a.b')),
    (endpoint) => attempt((s) => new EncryptedKnowledgeBase(s, ID, { embeddingModel: EMBEDDING, vectorStore: mongoDbAtlas(s, endpoint) }))));
});

describe('values the library accepts and CloudFormation rejects (CLOUDFORMATION_REJECTS)', () => {
  // Whether this aws-cdk-lib validates templates at synth with findings as errors (the newest-aws-cdk-lib run).
  const validates = (() => {
    const stack = testStack();
    new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic', properties: { NoSuchProperty: 1 } });
    try {
      Template.fromStack(stack);
      return false;
    } catch {
      return true;
    }
  })();

  if (CLOUDFORMATION_REJECTS.length > 0) {
    test.each(CLOUDFORMATION_REJECTS.map((g) => [g.test, g] as const))('%s: still accepted by the library; rejected by CloudFormation where aws-cdk-lib validates', (_, gap) => {
      const stack = testStack();
      gap.example(stack); // a BedrockEncryptionError here: the library checks it now, remove the entry
      if (validates) expect(() => Template.fromStack(stack)).toThrow(gap.finding);
    });
  }

  test('a former entry, a MongoDB Atlas endpoint outside mongodb.net, is the library\'s own error now', () => {
    const stack = testStack();
    expect(() => new EncryptedKnowledgeBase(stack, ID, { embeddingModel: EMBEDDING, vectorStore: mongoDbAtlas(stack, 'a.b') }))
      .toThrow(BedrockEncryptionError);
    expect(typeof validates).toBe('boolean');
  });
});

// ----------------------------------------------------------------- BedrockKey

describe('fuzz BedrockKey', () => {
  const key = (over: object) => attempt((s) => new BedrockKey(s, ID, over));
  test('alias', () => fuzz(text(fc.stringMatching(/^(alias\/)?[a-zA-Z0-9:/_-]{1,250}$/), 260), (alias) => key({ alias })));
  test('pendingWindow', () => fuzz(number(7, 30), (n) => {
    const pendingWindow = duration(Duration.days, n);
    fc.pre(pendingWindow !== undefined);
    return key({ pendingWindow });
  }));
  test('rotationPeriod', () => fuzz(number(90, 2560), (n) => {
    const rotationPeriod = duration(Duration.days, n);
    fc.pre(rotationPeriod !== undefined);
    return key({ rotationPeriod });
  }));
});

// ----------------------------------------------------------------- jobs

describe('fuzz jobs', () => {
  test('EncryptedEvaluationJob evaluatorModels', () => fuzz(fc.array(text(MODELS), { maxLength: 3 }),
    (evaluatorModels) => attempt((s) => new EncryptedEvaluationJob(s, ID, { evaluatorModels }))));
  test('EncryptedEvaluationJob datasetPrefix and outputPrefix', () => fuzz(fc.tuple(prefix(), prefix()),
    ([datasetPrefix, outputPrefix]) => attempt((s) => new EncryptedEvaluationJob(s, ID, { datasetPrefix, outputPrefix }))));
  test('EncryptedModelCustomization baseModel', () => fuzz(
    text(fc.constantFrom('amazon.titan-text-express-v1:0:8k', `arn:aws:bedrock:${TEST_REGION}::foundation-model/amazon.titan-text-express-v1:0:8k`)),
    (baseModel) => attempt((s) => new EncryptedModelCustomization(s, ID, { baseModel }))));
  test('EncryptedModelCustomization trainingDataPrefix and outputPrefix', () => fuzz(fc.tuple(prefix(), prefix()),
    ([trainingDataPrefix, outputPrefix]) => attempt((s) =>
      new EncryptedModelCustomization(s, ID, { baseModel: 'amazon.titan-text-express-v1:0:8k', trainingDataPrefix, outputPrefix }))));
  test('EncryptedModelImport modelDataPrefix', () => fuzz(prefix(),
    (modelDataPrefix) => attempt((s) => new EncryptedModelImport(s, ID, { modelDataPrefix }))));
});

describe('the fuzz harness itself', () => {
  test('reports another error class, a half-built stack and a construct left behind', () => {
    expect(() => attempt(() => { throw new TypeError('x is undefined'); })).toThrow(/expected BedrockEncryptionError, got TypeError/);
    expect(() => attempt((s) => {
      new CfnResource(s, 'Orphan', { type: 'AWS::SNS::Topic' });
      throw new BedrockEncryptionError('bad');
    })).toThrow(/1 resource\(s\) were left in the stack/);
    expect(() => attempt((s) => { new Construct(s, ID); throw new BedrockEncryptionError('bad'); })).toThrow(/'Fuzzed' was left in the stack/);
  });
});
