/**
 * Runs after every test (jest `setupFilesAfterEnv`): every template any test synthesized is read,
 * and every Allow statement of every identity policy in it (`AWS::IAM::Policy`,
 * `AWS::IAM::ManagedPolicy`, the inline policies of roles, users and groups) is checked against the
 * resource types the Service Authorization Reference gives for each of its actions. A statement
 * whose action can never match its resources (a wildcard-only action on an ARN, an action on a
 * resource type it does not accept) fails the test that synthesized it, naming the construct, the
 * action, the resources and the types the action accepts.
 *
 * This covers every construct, every `grant*` method, the mixin on every type and every integ app
 * the suite synthesizes, on both aws-cdk-lib versions the suite runs on. A test that synthesizes
 * such a statement on purpose calls `discardSynthesizedTemplates()`.
 */
import { CfnElement, Stack, Stage } from 'aws-cdk-lib';
import { identityPolicyProblems } from './identity-policy-resources';

type Assembly = ReturnType<Stage['synth']>;

const synthesized: { assembly: Assembly; stage: Stage }[] = [];
const seen = new WeakSet<Assembly>();
const originalSynth = Stage.prototype.synth;

Stage.prototype.synth = function synth(this: Stage, ...args: Parameters<Stage['synth']>): Assembly {
  const assembly = originalSynth.apply(this, args);
  if (!seen.has(assembly)) {
    seen.add(assembly);
    synthesized.push({ assembly, stage: this });
  }
  return assembly;
};

/** Skips the check for what this test synthesized so far: for tests that write such a statement on purpose. */
export function discardSynthesizedTemplates(): void {
  synthesized.splice(0);
}

/** The construct path of each CloudFormation element of the stack with `artifactId`, by logical id. */
function constructPaths(stage: Stage, artifactId: string): Map<string, string> {
  const paths = new Map<string, string>();
  const stack = stage.node.findAll().find((c): c is Stack => Stack.isStack(c) && c.artifactId === artifactId);
  if (!stack) return paths;
  for (const c of stack.node.findAll()) {
    if (c instanceof CfnElement && Stack.of(c) === stack) paths.set(stack.resolve(c.logicalId), c.node.path);
  }
  return paths;
}

/** The problems of every template synthesized since the last check, each naming its stack and construct. */
export function pendingProblems(): string[] {
  const problems: string[] = [];
  for (const { assembly, stage } of synthesized) {
    for (const artifact of assembly.stacksRecursively) {
      const found = identityPolicyProblems(artifact.template, artifact.environment);
      if (found.length === 0) continue;
      const paths = constructPaths(stage, artifact.id);
      problems.push(...found.map((p) => `${artifact.stackName}: ${p.replace(/^([A-Za-z0-9]+):/, (_, id) => `${paths.get(id) ?? id}:`)}`));
    }
  }
  return problems;
}

afterEach(() => {
  const problems = pendingProblems();
  synthesized.splice(0);
  if (problems.length > 0) {
    throw new Error(`identity-policy statements that IAM can never match (resource types from the Service Authorization Reference):\n  ${problems.join('\n  ')}`);
  }
});
