/**
 * Runs the cfn-guard binary bundled in @cdklabs/cdk-validator-cfnguard with the AWS Control
 * Tower rules for KMS, IAM and S3, and reads which rule failed on which resource.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const PACKAGE = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const RULES = path.join(PACKAGE, 'rules', 'control-tower', 'cfn-guard');

/** The Control Tower rule folders the proof uses. */
export const RULE_SETS = ['keymanagementservice', 'identityandaccessmanagement', 's3'];

/** The cfn-guard binary for this platform. */
export function guardBinary(): string {
  const os = { linux: 'ubuntu', darwin: 'macos' }[process.platform as string];
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch as string];
  if (!os || !arch) throw new Error(`no bundled cfn-guard for ${process.platform}/${process.arch}`);
  return path.join(PACKAGE, 'bin', os, arch, 'cfn-guard');
}

/** One rule that failed on one resource of one template. */
export interface GuardFailure {
  /** The template file name without `.json` (the stack name). */
  readonly template: string;
  readonly rule: string;
  /** The logical id, or '(template)' when the failure names no resource. */
  readonly resource: string;
}

/** What cfn-guard reported for the templates. */
export interface GuardReport {
  readonly failures: GuardFailure[];
  /** Rule names each template was checked against and passed, per template. */
  readonly compliant: Record<string, string[]>;
}

function resourcePaths(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    node.forEach((n) => resourcePaths(n, into));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'path' && typeof value === 'string') {
        const m = /^\/Resources\/([^/]+)/.exec(value);
        if (m) into.add(m[1]);
      } else {
        resourcePaths(value, into);
      }
    }
  }
}

/** Validates every `.json` template in `dataDir` against the rule sets. */
export function runGuard(dataDir: string, ruleSets: string[] = RULE_SETS): GuardReport {
  const args = ['validate', '--data', dataDir, ...ruleSets.flatMap((r) => ['--rules', path.join(RULES, r)]),
    '--output-format', 'json', '--show-summary', 'none', '--structured'];
  let stdout: string;
  try {
    stdout = execFileSync(guardBinary(), args, { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  } catch (e: any) {
    // Exit code 19: some rule failed; the report is still on stdout. Anything else is an error.
    if (e.status !== 19) throw new Error(`cfn-guard exited with ${e.status}: ${e.stderr}`);
    stdout = e.stdout;
  }
  const failures: GuardFailure[] = [];
  const compliant: Record<string, string[]> = {};
  for (const file of JSON.parse(stdout) as any[]) {
    const template = path.basename(file.name, '.json');
    compliant[template] = file.compliant;
    for (const entry of file.not_compliant) {
      const ids = new Set<string>();
      resourcePaths(entry, ids);
      for (const resource of ids.size ? [...ids] : ['(template)']) failures.push({ template, rule: entry.Rule.name, resource });
    }
  }
  return { failures, compliant };
}
