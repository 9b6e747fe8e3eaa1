import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { BedrockEncryptionChecks, CheckLevel } from '../../src/checks';
import { testStack } from '../util/synthesized-policies';

/** A stack in a new app with the checks added to the app. */
export function checkedStack(level?: CheckLevel): Stack {
  const app = new App();
  Aspects.of(app).add(new BedrockEncryptionChecks(level === undefined ? undefined : { level }));
  return testStack('Checked', app);
}

export const ruleMessage = (ruleId: string) => Match.stringLikeRegexp(`^\\[${ruleId}\\] `);

/** Every finding of `ruleId` in the stack, as [construct path, message]. */
export function findings(stack: Stack, ruleId: string, level: 'error' | 'warning' = 'error'): Array<[string, string]> {
  const a = Annotations.fromStack(stack);
  const found = level === 'error' ? a.findError('*', ruleMessage(ruleId)) : a.findWarning('*', ruleMessage(ruleId));
  return found.map((m) => [m.id, String(m.entry.data)]);
}

/** Every finding of any rule in the stack (errors and warnings), as [construct path, message]. */
export function allFindings(stack: Stack): Array<[string, string]> {
  const a = Annotations.fromStack(stack);
  const any = Match.stringLikeRegexp('^\\[cdk-bedrock-encryption:');
  return [...a.findError('*', any), ...a.findWarning('*', any)].map((m) => [m.id, String(m.entry.data)]);
}

/** Every finding in the stack but those of `ruleId` (tested on their own), as [construct path, message]. */
export function findingsExcept(stack: Stack, ruleId: string): Array<[string, string]> {
  return allFindings(stack).filter(([, message]) => !message.startsWith(`[${ruleId}] `));
}
