/**
 * CHANGELOG.md is generated (`npx projen changelog`, scripts/changelog.ts) and names the commit it
 * was generated up to: generated again up to that commit, it is the same file, and it lists every
 * "BREAKING CHANGE:" footer of the commits before it.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { breakingChanges, changelog, generatedFrom } from '../../scripts/changelog';

const ROOT = path.resolve(__dirname, '..', '..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf-8' }).trim();
const inGit = (() => {
  try {
    return git('rev-parse', '--is-shallow-repository') === 'false';
  } catch {
    return false;
  }
})();

(inGit ? describe : describe.skip)('CHANGELOG.md', () => {
  const text = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf-8');
  const from = generatedFrom(text);

  test('names a commit of this history', () => {
    expect(from).toMatch(/^[0-9a-f]{40}$/);
    expect(() => git('merge-base', '--is-ancestor', from!, 'HEAD')).not.toThrow();
  });

  test('is what `npx projen changelog` writes for that commit', () => {
    expect(text).toEqual(changelog(from!));
  });

  test('lists every breaking change in the commits\' footers', () => {
    const log = git('log', '--format=%B%x1e', from!);
    const footers = log.split('\x1e').filter((body) => /^BREAKING[ -]CHANGE:/m.test(body));
    expect(footers.length).toBeGreaterThanOrEqual(4);
    for (const body of footers) {
      for (const note of breakingChanges({ sha: '', subject: '', body: body.trim() })) {
        expect(text).toContain(note);
      }
    }
  });

  test('a footer\'s whole paragraph is the note; a "type!:" header without one is the note', () => {
    expect(breakingChanges({ sha: '', subject: 'feat: x', body: 'Why.\n\nBREAKING CHANGE: a is\nremoved: use b\n\nRefs #1' }))
      .toEqual(['a is removed: use b']);
    expect(breakingChanges({ sha: '', subject: 'refactor(key)!: drop the <id> prop', body: '' })).toEqual(['drop the \\<id\\> prop']);
    expect(breakingChanges({ sha: '', subject: 'fix: y', body: 'no footer' })).toEqual([]);
  });
});
