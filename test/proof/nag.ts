/**
 * Runs the cdk-nag packs (AwsSolutions, HIPAA Security, NIST 800-53 rev 5) over proof stacks and
 * records every finding, suppressed or not, with the construct path it was found on.
 */
import { App, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks, HIPAASecurityChecks, INagLogger, NagLoggerComplianceData, NagLoggerErrorData, NagLoggerNonComplianceData,
  NagLoggerSuppressedData, NagMessageLevel, NagSuppressions, NIST80053R5Checks,
} from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ProofSuppression } from './nag-suppressions';
import { proofApp } from './stacks';

/** One rule violation. */
export interface NagFinding {
  readonly stack: string;
  /** `/<construct path>` of the CloudFormation resource. */
  readonly path: string;
  readonly ruleId: string;
  /** The granular finding, for example `Action::kms:*`; '' for rules without findings. */
  readonly findingId: string;
  readonly level: NagMessageLevel;
  /** The reason of the suppression that silenced it, if any. */
  readonly suppressedBecause?: string;
}

/** `ruleId[findingId]`, the way cdk-nag prints it. */
export function label(f: NagFinding): string {
  return f.findingId ? `${f.ruleId}[${f.findingId}]` : f.ruleId;
}

class RecordingLogger implements INagLogger {
  public readonly findings: NagFinding[] = [];
  /** The stacks in which some rule passed on some resource: checked, even without a finding. */
  public readonly passedIn = new Set<string>();
  public onCompliance(d: NagLoggerComplianceData): void {
    this.passedIn.add(Stack.of(d.resource).stackName);
  }
  public onNotApplicable(): void {}
  public onNonCompliance(d: NagLoggerNonComplianceData): void {
    this.record(d.resource, d.ruleId, d.findingId, d.ruleLevel);
  }
  public onSuppressed(d: NagLoggerSuppressedData): void {
    this.record(d.resource, d.ruleId, d.findingId, d.ruleLevel, d.suppressionReason);
  }
  public onError(d: NagLoggerErrorData): void {
    this.record(d.resource, d.ruleId, `rule failed: ${d.errorMessage}`, NagMessageLevel.ERROR);
  }
  public onSuppressedError(d: NagLoggerErrorData): void {
    this.record(d.resource, d.ruleId, `rule failed: ${d.errorMessage}`, NagMessageLevel.ERROR, 'suppressed');
  }
  private record(resource: CfnResource, ruleId: string, findingId: string, level: NagMessageLevel, suppressedBecause?: string) {
    this.findings.push({ stack: Stack.of(resource).stackName, path: `/${resource.node.path}`, ruleId, findingId, level, suppressedBecause });
  }
}

/** Adds the three packs to `scope`, reporting to `logger` (no report files). */
export function addNagPacks(scope: IConstruct, logger: INagLogger): void {
  const props = { reports: false, additionalLoggers: [logger] };
  for (const pack of [new AwsSolutionsChecks(props), new HIPAASecurityChecks(props), new NIST80053R5Checks(props)]) {
    Aspects.of(scope).add(pack);
  }
}

/** Applies each suppression to the CloudFormation resources under `scope` its path matches. */
export function applySuppressions(scope: IConstruct, suppressions: ProofSuppression[]): void {
  for (const resource of scope.node.findAll().filter((c): c is CfnResource => c instanceof CfnResource)) {
    for (const s of suppressions) {
      if (s.path.test(`/${resource.node.path}`)) {
        NagSuppressions.addResourceSuppressions(resource, [{ id: s.id, reason: s.reason, appliesTo: s.appliesTo }]);
      }
    }
  }
}

/** Runs the packs over the stacks `build` adds to a new app, with `suppressions` applied. */
export function checkApp(build: (app: App) => void, suppressions: ProofSuppression[] = []): NagFinding[] {
  const logger = new RecordingLogger();
  const app = new App();
  addNagPacks(app, logger);
  build(app);
  applySuppressions(app, suppressions);
  app.synth();
  return logger.findings;
}

/** Runs the packs over the proof stacks (all, or `only`) with `suppressions` applied. */
export function checkProofStacks(suppressions: ProofSuppression[], only?: string[]): NagFinding[] {
  return runProofStacks(suppressions, only).findings;
}

/** What {@link runProofStacks} reports. */
export interface NagRun {
  readonly findings: NagFinding[];
  /** The stacks in which some rule passed on some resource. */
  readonly passedIn: Set<string>;
}

/** {@link checkProofStacks}, also saying in which stacks a rule passed. */
export function runProofStacks(suppressions: ProofSuppression[], only?: string[]): NagRun {
  const logger = new RecordingLogger();
  const { app } = proofApp({ only, prepare: (a) => addNagPacks(a, logger) });
  applySuppressions(app, suppressions);
  app.synth();
  return { findings: logger.findings, passedIn: logger.passedIn };
}

/** Whether `finding` is one that `s` is written for (rule, path and, for granular rules, finding). */
export function covers(s: ProofSuppression, finding: NagFinding): boolean {
  if (s.id !== finding.ruleId || !s.path.test(finding.path)) return false;
  if (!s.appliesTo) return true;
  return s.appliesTo.some((a) => {
    if (typeof a === 'string') return a === finding.findingId;
    const m = /^\/(.*)\/([a-z]*)$/s.exec(a.regex)!;
    return new RegExp(m[1], m[2]).test(finding.findingId);
  });
}
