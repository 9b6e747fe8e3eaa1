/**
 * The templates the independent linters (cfn-lint, checkov) check, and how to run them from the
 * virtual environment `scripts/bindings.sh python` builds (.bindings/venv).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { proofApp } from './stacks';

const ROOT = path.resolve(__dirname, '..', '..');
const VENV_BIN = path.join(ROOT, '.bindings', 'venv', 'bin');
const INTEG_DIR = path.join(ROOT, 'integ');

/** The path of `tool` in .bindings/venv; an error that says how to install it when it is missing. */
export function venvTool(tool: string): string {
  const file = path.join(VENV_BIN, tool);
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(ROOT, file)} not found: run ./scripts/bindings.sh python (or npx projen bindings:python), `
      + 'which installs cfn-lint and checkov (test/proof/requirements.txt) into .bindings/venv');
  }
  return file;
}

/** Runs `tool` from .bindings/venv; stdout, whatever the exit code, unless the exit code is not one of `ok`. */
export function runVenvTool(tool: string, args: string[], ok: number[]): string {
  const run = spawnSync(venvTool(tool), args, { encoding: 'utf-8', maxBuffer: 512 * 1024 * 1024 });
  if (run.error || !ok.includes(run.status!)) {
    throw new Error(`${tool} ${args.join(' ')} exited with ${run.status}: ${run.error ?? run.stderr.slice(-4000)}`);
  }
  return run.stdout;
}

/** What {@link writeLintTemplates} wrote. */
export interface LintTemplates {
  /** Template name (file name without `.json`) to template. */
  readonly templates: Record<string, any>;
  /** The names of the templates the tests synthesize; the negative control is not among them. */
  readonly names: string[];
}

/**
 * Writes into `dir` every template the tests synthesize: the example app and one stack per construct
 * variant not in it (test/proof/stacks.ts, synthesized now), every integ app's committed snapshot
 * (`integ.<app>.<stack>`; integ-runner keeps them equal to a fresh synth), and the stacks `negative`
 * adds to the app.
 */
export function writeLintTemplates(dir: string, negative: (app: App) => Stack[] = () => []): LintTemplates {
  const templates: Record<string, any> = {};
  const { app, stacks } = proofApp();
  const negatives = negative(app);
  const assembly = app.synth();
  for (const stack of [...stacks, ...negatives]) templates[stack.stackName] = assembly.getStackArtifact(stack.artifactId).template;
  for (const snapshot of fs.readdirSync(INTEG_DIR).filter((f) => /^integ\..+\.ts\.snapshot$/.test(f)).sort()) {
    const integ = snapshot.replace(/\.ts\.snapshot$/, '');
    for (const file of fs.readdirSync(path.join(INTEG_DIR, snapshot)).filter((f) => f.endsWith('.template.json'))) {
      templates[`${integ}.${file.replace(/\.template\.json$/, '')}`] = JSON.parse(fs.readFileSync(path.join(INTEG_DIR, snapshot, file), 'utf-8'));
    }
  }
  for (const [name, template] of Object.entries(templates)) fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(template, null, 1));
  const negativeNames = negatives.map((s) => s.stackName);
  return { templates, names: Object.keys(templates).filter((n) => !negativeNames.includes(n)) };
}

/** One accepted finding of a linter. */
export interface LintException {
  /** The rule or check id, for example `W3005` or `CKV_AWS_18`. */
  readonly rule: string;
  /** The logical ids of the resources it covers. */
  readonly resource: RegExp;
  /** For a rule that fires for several reasons on one resource: the findings' message. */
  readonly message?: RegExp;
  /** Why the finding is accepted. */
  readonly reason: string;
}

/** One finding of a linter on one resource of one template. */
export interface LintFinding {
  /** The template's name (its file name without `.json`). */
  readonly template: string;
  readonly rule: string;
  /** The logical id, or '(template)' when the finding names no resource. */
  readonly resource: string;
  readonly message: string;
}

/** Whether `exception` is written for `finding`. */
export const covers = (exception: LintException, finding: LintFinding) =>
  exception.rule === finding.rule && exception.resource.test(finding.resource) && (!exception.message || exception.message.test(finding.message));

/** A finding as one line. */
export const show = (f: LintFinding) => `${f.template} ${f.rule} ${f.resource}: ${f.message}`;
