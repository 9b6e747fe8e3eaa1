import { App } from 'aws-cdk-lib';
import { buildL1App } from '../../bench/l1-app';
import { buildL2App } from '../../bench/l2-app';
import { buildExampleApp } from '../../examples/app';
import { policyStatementsOf, resourcesOf } from '../util/template-policies';

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
    expect(policyStatementsOf(baseline)).toEqual(policyStatementsOf(library));
  });
});
