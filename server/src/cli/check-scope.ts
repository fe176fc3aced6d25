/**
 * Which of the migrations `safemig check` found it reports: with `--since REF`, only those added
 * or changed since the git ref; with `startAfter` in the config, none at or before that version
 * (isBeforeStart in workspace/settings.ts, which the editor applies too). The others are not linted,
 * but they stay on disk, where the rules read them for context (neighbours, twins, history).
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isNamedByFolder, parseMigrationName, sameVersion, splitPath } from '../migration/names';

export class ScopeError extends Error {}

/**
 * The files (real absolute paths) added or changed since `ref`, committed or not, untracked
 * ones included. Throws a ScopeError outside a git checkout or for a ref git does not know.
 */
export function changedSince(ref: string, cwd: string): Set<string> {
  const top = git(['rev-parse', '--show-toplevel'], cwd, () => `--since needs a git checkout, and ${cwd} is not inside one`).trim();
  git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd, () => `--since ${ref}: git knows no commit of that name`);
  const changed = git(['diff', '--name-only', '-z', '--no-renames', '--diff-filter=ACMRT', ref, '--'], top, (e) => `--since ${ref}: git diff failed (${e})`);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '-z'], top, (e) => `--since ${ref}: git ls-files failed (${e})`);
  return new Set(
    [...changed.split('\0'), ...untracked.split('\0')].filter((p) => p !== '').map((p) => join(top, p)),
  );
}

function git(args: string[], cwd: string, problem: (stderr: string) => string): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new ScopeError(`--since runs git, which could not be started (${run.error.message})`);
  if (run.status !== 0) throw new ScopeError(problem(run.stderr.trim()));
  return run.stdout;
}

/**
 * The migration `path` belongs to was added or changed: the file itself, or another file of the
 * same migration (its `.down.sql` twin, its rollback or undo file, a file of its diesel folder).
 */
export function isChanged(path: string, changed: Set<string>): boolean {
  const real = realOrSelf(path);
  if (changed.has(real)) return true;
  const { dir, base } = splitPath(real);
  if (isNamedByFolder(base)) return [...changed].some((p) => dirname(p) === dir);
  const version = parseMigrationName(base)?.version;
  if (!version) return false;
  for (const other of changed) {
    if (dirname(other) !== dir && dirname(dirname(other)) !== dir) continue;
    const otherVersion = parseMigrationName(splitPath(other).base.replace(/^(?:rollback|undo|down)_/i, ''))?.version;
    if (otherVersion && sameVersion(otherVersion, version)) return true;
  }
  return false;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
