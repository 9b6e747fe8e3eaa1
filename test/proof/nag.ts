/**
 * Runs the cdk-nag packs (AwsSolutions, HIPAA Security, NIST 800-53 rev 5) over proof stacks as
 * validation plugins (`Validations.of(app).addPlugins`), acknowledges the accepted findings with
 * `Validations.of(resource).acknowledge`, and reads what is left from the validation report that
 * synthesis writes into the cloud assembly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import {
  AwsSolutionsChecks, HIPAASecurityChecks, IApplyRule, NagPack, NagPackProps, NagRuleCompliance, NIST80053R5Checks,
} from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ProofAcknowledgement } from './nag-suppressions';
import { proofApp } from './stacks';

/** One rule violation. */
export interface NagFinding {
  readonly stack: string;
  /** `/<construct path>` of the CloudFormation resource. */
  readonly path: string;
  readonly ruleId: string;
  /** The granular finding, for example `Action::kms:*`; '' for rules without findings. */
  readonly findingId: string;
  readonly severity: 'error' | 'warning';
  /** The reason of the acknowledgement that silenced it, if any. */
  readonly acknowledgedBecause?: string;
}

/** `ruleId[findingId]`, the way cdk-nag reports it and `acknowledge()` takes it. */
export function label(f: Pick<NagFinding, 'ruleId' | 'findingId'>): string {
  return f.findingId ? `${f.ruleId}[${f.findingId}]` : f.ruleId;
}

/** Whether `finding` is one that `a` is written for (rule, path and, for granular rules, finding). */
export function covers(a: ProofAcknowledgement, finding: NagFinding): boolean {
  if (a.id !== finding.ruleId || !a.path.test(finding.path)) return false;
  if (!a.findings) return finding.findingId === '';
  return a.findings.some((p) => (typeof p === 'string' ? p === finding.findingId : p.test(finding.findingId)));
}

/**
 * `Validations.of(scope).acknowledge({ id, reason })`. aws-cdk-lib versions whose rule ids take
 * every '::' for the plugin separator (2.261.0 among them) reject a granular finding with more than
 * one, such as `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:...]`; for those the
 * acknowledgement is recorded as `acknowledge()` records it, in the construct metadata the packs read.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  try {
    Validations.of(scope).acknowledge({ id, reason });
  } catch (e) {
    if (!/Invalid validation rule ID/.test((e as Error).message)) throw e;
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}

type PackClass = new (scope?: IConstruct, props?: NagPackProps) => NagPack;

/** A pack that also notes the stacks in which one of its rules passed on some resource. */
function recordingPack(Pack: PackClass, scope: IConstruct, passedIn: Set<string>): NagPack {
  const pack = new Pack(scope);
  // Every rule of a pack goes through its (protected) applyRule; the rule id is `<pack>-<rule function name>`.
  const applyRule = (pack as any).applyRule.bind(pack) as (params: IApplyRule) => void;
  (pack as any).applyRule = (params: IApplyRule): void => {
    const rule = params.rule;
    const recorded = (node: CfnResource) => {
      const result = rule(node);
      if (result === NagRuleCompliance.COMPLIANT) passedIn.add(Stack.of(node).stackName);
      return result;
    };
    Object.defineProperty(recorded, 'name', { value: rule.name });
    applyRule({ ...params, rule: recorded });
  };
  return pack;
}

const PACKS: PackClass[] = [AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks];

/** What a run of the packs reports. */
export interface NagRun {
  /** Every finding: the acknowledged ones (with their reason) and those in the validation report. */
  readonly findings: NagFinding[];
  /** The stacks in which some rule passed on some resource. */
  readonly passedIn: Set<string>;
  /** The names of the other validation plugins that failed (CloudFormation schema validation, for example). */
  readonly otherFailures: string[];
}

/** Adds the packs to `app` as validation plugins; synthesis reports to the cloud assembly, not the console. */
function addNagPacks(app: App, passedIn: Set<string>): NagPack[] {
  app.node.setContext(cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT, false);
  const packs = PACKS.map((Pack) => recordingPack(Pack, app, passedIn));
  Validations.of(app).addPlugins(...packs);
  return packs;
}

/**
 * Acknowledges, on its resource, each finding of the packs that an acknowledgement covers, and
 * synthesizes `app`. The packs are first run on the tree directly (`validateScope`) to learn the
 * granular finding ids; synthesis then runs them as plugins, and the report is what they found.
 */
function run(app: App, packs: NagPack[], acknowledgements: ProofAcknowledgement[], passedIn: Set<string>): NagRun {
  const constructs = new Map(app.node.findAll().map((c) => [c.node.path, c]));
  const finding = (constructPath: string, ruleName: string, severity: string, acknowledgedBecause?: string): NagFinding => {
    const [, ruleId, findingId = ''] = /^([^[]+)(?:\[(.*)\])?$/s.exec(ruleName)!;
    const construct = constructs.get(constructPath);
    return {
      stack: construct ? Stack.of(construct).stackName : constructPath.split('/')[0],
      path: `/${constructPath}`,
      ruleId,
      findingId,
      severity: severity === 'error' ? 'error' : 'warning',
      acknowledgedBecause,
    };
  };

  const acknowledged: NagFinding[] = [];
  for (const pack of packs) {
    for (const v of pack.validateScope(app).violations) {
      for (const r of v.violatingResources) {
        const f = finding(r.constructPath!, v.ruleName, v.severity ?? 'error');
        for (const a of acknowledgements.filter((ack) => covers(ack, f))) {
          acknowledge(constructs.get(r.constructPath!)!, label(f), a.reason);
          acknowledged.push({ ...f, acknowledgedBecause: a.reason });
        }
      }
    }
  }

  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, cxapi.VALIDATION_REPORT_FILE), 'utf8'));
  const names = new Set(packs.map((p) => p.name));
  const reported: NagFinding[] = [];
  const otherFailures: string[] = [];
  for (const pluginReport of report.pluginReports ?? []) {
    if (!names.has(pluginReport.pluginName)) {
      if (pluginReport.conclusion !== 'success') otherFailures.push(pluginReport.pluginName);
      continue;
    }
    for (const v of pluginReport.violations ?? []) {
      for (const c of v.violatingConstructs ?? []) reported.push(finding(c.constructPath, v.ruleName, v.severity));
    }
  }
  return { findings: [...acknowledged, ...reported], passedIn, otherFailures };
}

/** Runs the packs over the stacks `build` adds to a new app, with `acknowledgements` applied. */
export function checkApp(build: (app: App) => void, acknowledgements: ProofAcknowledgement[] = []): NagFinding[] {
  const passedIn = new Set<string>();
  const app = new App();
  const packs = addNagPacks(app, passedIn);
  build(app);
  return run(app, packs, acknowledgements, passedIn).findings;
}

/** Runs the packs over the proof stacks (all, or `only`) with `acknowledgements` applied. */
export function checkProofStacks(acknowledgements: ProofAcknowledgement[], only?: string[]): NagFinding[] {
  return runProofStacks(acknowledgements, only).findings;
}

/** {@link checkProofStacks}, also saying in which stacks a rule passed and which other plugins failed. */
export function runProofStacks(acknowledgements: ProofAcknowledgement[], only?: string[]): NagRun {
  const passedIn = new Set<string>();
  let packs: NagPack[] = [];
  const { app } = proofApp({ only, prepare: (a) => { packs = addNagPacks(a, passedIn); } });
  return run(app, packs, acknowledgements, passedIn);
}
