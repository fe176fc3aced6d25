/**
 * `safemig check --fix` / `--fix-dry-run`: apply the quick fixes that cannot change what a
 * migration does to a database where it has not run yet, and that a reviewer can read at a
 * glance. The editor offers every fix; the CLI applies only these, unasked.
 */
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { lint } from '../lint/lint';
import type { FileEdit, Fix } from '../rules/rule';
import { LineIndex } from '../sql/positions';
import { DiskFileSystem } from '../workspace/node-fs';
import type { ConfigResolver } from '../workspace/settings';
import type { CheckJob } from './check-pool';
import { unifiedDiff } from './unified-diff';

/**
 * The fixes applied unasked, by rule ID and fix title prefix: guards that make a statement
 * re-runnable, a lock timeout, a generated rollback. Not `OR REPLACE` (it silently replaces
 * another definition), not `CONCURRENTLY` (the statement must then leave its transaction), not
 * `NOT VALID` (it splits a statement in two): those are for a person to decide.
 */
const SAFE_FIXES: { rule: string; title: string }[] = [
  { rule: 'require-if-not-exists', title: 'Add IF NOT EXISTS' },
  { rule: 'require-if-exists', title: 'Add IF EXISTS' },
  { rule: 'require-lock-timeout', title: 'Set lock_timeout' },
  { rule: 'missing-rollback', title: 'Add a DOWN section' },
  { rule: 'missing-rollback', title: 'Create the rollback file' },
  { rule: 'missing-rollback', title: 'Write the rollback file' },
  // The drop-first form of a concurrent build, when the rule offers it.
  { rule: 'concurrent-index-if-not-exists', title: '' },
];

const isSafe = (rule: string, fix: Fix) => SAFE_FIXES.some((safe) => safe.rule === rule && fix.title.startsWith(safe.title));

/** A fix can make another one possible (a DOWN section for what a guard was added to): a few rounds. */
const MAX_ROUNDS = 4;

export interface FixResult {
  /** Absolute path → the text after the fixes, for each file that changed (or is created). */
  changed: Map<string, string>;
  /** Absolute path → its text before (undefined for a created file). */
  before: Map<string, string | undefined>;
  /** Fixes applied, counted. */
  applied: number;
  /** Files that would have been changed but are symbolic links: never written through. */
  refused: string[];
}

/** Applies the safe fixes of `jobs` in memory, round after round until none is left. */
export function computeFixes(jobs: CheckJob[], resolver: ConfigResolver): FixResult {
  const result: FixResult = { changed: new Map(), before: new Map(), applied: 0, refused: [] };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Each round reads the texts of the rounds before, through the overlay.
    const fs = new DiskFileSystem((path) => result.changed.get(path));
    /** Files edited this round: a fix written against their old text would land in the wrong place. */
    const touched = new Set<string>();
    let appliedThisRound = 0;
    for (const job of jobs) {
      const text = textOf(job.path, fs, result);
      if (text === undefined || touched.has(job.path)) continue;
      const resolved = resolver.resolve(job.path);
      let findings;
      try {
        findings = lint(job.path, text, fs, resolved.config).findings;
      } catch {
        continue; // The check reports the failure.
      }
      const edits = new Map<string, FileEdit[]>();
      for (const finding of findings) {
        const fix = finding.fixes.find((f) => isSafe(finding.rule, f));
        if (!fix || !fits(fix, edits, touched, fs, result)) continue;
        for (const edit of fix.edits) edits.set(edit.path, [...(edits.get(edit.path) ?? []), edit]);
        result.applied++;
        appliedThisRound++;
      }
      for (const [path, fileEdits] of edits) {
        if (isSymlink(path)) {
          if (!result.refused.includes(path)) result.refused.push(path);
          continue;
        }
        const old = textOf(path, fs, result);
        if (!result.before.has(path)) result.before.set(path, old);
        result.changed.set(path, applyEdits(old ?? '', fileEdits));
        touched.add(path);
      }
    }
    if (appliedThisRound === 0) break;
  }
  for (const path of result.refused) result.changed.delete(path);
  return result;
}

/** The fix's edits can be applied with those already taken: no overlap, no file touched meanwhile, no file created over another. */
function fits(fix: Fix, taken: Map<string, FileEdit[]>, touched: Set<string>, fs: DiskFileSystem, result: FixResult): boolean {
  return fix.edits.every((edit) => {
    if (touched.has(edit.path)) return false;
    if (edit.create && textOf(edit.path, fs, result) !== undefined && !taken.has(edit.path)) return false;
    if (!edit.create && textOf(edit.path, fs, result) === undefined) return false;
    return (taken.get(edit.path) ?? []).every((other) => !overlaps(edit, other));
  });
}

/** Two edits touch the same text, or insert at the same place (their order would be a guess). */
function overlaps(a: FileEdit, b: FileEdit): boolean {
  const before = (p: FileEdit['range']['start'], q: FileEdit['range']['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !(before(a.range.end, b.range.start) || before(b.range.end, a.range.start));
}

function applyEdits(text: string, edits: FileEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
  let out = text;
  for (const s of spans.sort((x, y) => y.start - x.start)) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

function textOf(path: string, fs: DiskFileSystem, result: FixResult): string | undefined {
  const changed = result.changed.get(path);
  if (changed !== undefined) return changed;
  const read = fs.readText(path);
  return 'text' in read ? read.text : undefined;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Writes the fixed files (creating new rollback files). */
export function writeFixes(result: FixResult): void {
  for (const [path, text] of result.changed) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/** The fixes as one unified diff, paths relative to `cwd` (`a/…`, `b/…` as git writes them). */
export function fixesDiff(result: FixResult, cwd: string): string {
  let out = '';
  for (const [path, text] of [...result.changed].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const shown = relative(cwd, path).replace(/\\/g, '/');
    const before = result.before.get(path);
    out += unifiedDiff(before ?? '', text, before === undefined ? '/dev/null' : `a/${shown}`, `b/${shown}`);
  }
  return out;
}
