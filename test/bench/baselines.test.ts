import { App } from 'aws-cdk-lib';
import { buildL1App } from '../../bench/l1-app';
import { buildL2App } from '../../bench/l2-app';
import { buildExampleApp } from '../../examples/app';

/**
 * The benchmark (bench/synth-bench.ts) compares the example app with the same resources written
 * by hand. These tests keep that comparison honest: same logical IDs and types, and the same
 * permissions in every key, identity and resource policy. No timing here.
 */
function templateOf(build: (app: App) => void): Record<string, any> {
  const app = new App();
  build(app);
  return app.synth().getStackByName('SupportAssistant').template.Resources;
}

const resourcesOf = (resources: Record<string, any>) => Object.entries(resources)
  .filter(([, r]) => r.Type !== 'AWS::CDK::Metadata')
  .map(([id, r]) => `${id} ${r.Type}`)
  .sort();

const POLICY_PROPERTY: Record<string, string> = {
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::IAM::Policy': 'PolicyDocument',
  'AWS::IAM::Role': 'AssumeRolePolicyDocument',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
};

/** Per resource, each statement as effect, actions and condition keys: what it allows, without how its values render. */
function permissionsOf(resources: Record<string, any>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, r] of Object.entries(resources)) {
    const property = POLICY_PROPERTY[r.Type];
    if (!property) continue;
    const statements: any[] = [r.Properties?.[property]?.Statement ?? []].flat();
    out[id] = statements.map((s) => {
      const actions = [s.Action].flat().sort().join(',');
      const conditions = Object.entries<any>(s.Condition ?? {}).flatMap(([op, block]) => Object.keys(block).map((k) => `${op}:${k}`)).sort().join(',');
      return `${s.Effect} ${actions} [${conditions}]`;
    }).sort();
  }
  return out;
}

describe('benchmark baselines', () => {
  const library = templateOf((app) => { buildExampleApp(app); });
  const baselines = {
    'bench/l1-app.ts': templateOf((app) => { buildL1App(app); }),
    'bench/l2-app.ts': templateOf((app) => { buildL2App(app); }),
  };

  test.each(Object.entries(baselines))('%s has the logical IDs and types of the example app', (_, baseline) => {
    expect(resourcesOf(library).length).toBeGreaterThan(40);
    expect(resourcesOf(baseline)).toEqual(resourcesOf(library));
  });

  test.each(Object.entries(baselines))('%s grants what the example app grants, statement by statement', (_, baseline) => {
    expect(permissionsOf(baseline)).toEqual(permissionsOf(library));
  });
});
