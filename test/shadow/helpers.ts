/**
 * `safemig check --shadow` as a process on migration folders written to a temporary folder, and
 * its JSON report read back by rule.
 */
import { rmSync } from 'node:fs';
import { after } from 'node:test';
import { runCli, CliRun } from '../helpers/cli';
import { TEST_CACHE_DIR, writeTree } from '../database/helpers';

export interface Diagnostic {
  rule: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** A project with these files (paths relative to its root), removed after the test file. */
export function project(files: Record<string, string>): string {
  const root = writeTree(files);
  after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** Runs the CLI in `root` with the test machine's PGlite template. */
export function cli(args: string[], root: string): CliRun {
  return runCli(args, root, { SAFEMIG_CACHE_DIR: TEST_CACHE_DIR });
}

/** `check --format json` (plus `args`): the diagnostics of each file (as shown), and the exit code. */
export function checkJson(args: string[], root: string): { code: number | null; files: Map<string, Diagnostic[]>; stderr: string } {
  const run = cli(['check', '--format', 'json', ...args], root);
  if (run.stdout.trim() === '') throw new Error(`no JSON output (exit ${run.code}): ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { files: { path: string; diagnostics: Diagnostic[] }[] };
  return { code: run.code, files: new Map(report.files.map((f) => [f.path, f.diagnostics])), stderr: run.stderr };
}

/** The diagnostics of `rule` in a file, as `line:col-line:col message` (1-based, for readable failures). */
export function found(files: Map<string, Diagnostic[]>, path: string, rule: string): string[] {
  return (files.get(path) ?? [])
    .filter((d) => d.rule === rule)
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.message}`);
}

/** The span of `needle` in `text` (its `nth` occurrence), as `found` writes it: 1-based lines, UTF-16 columns. */
export function span(text: string, needle: string, nth = 0): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found`);
  }
  const pos = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return `${before.length}:${before[before.length - 1].length + 1}`;
  };
  return `${pos(at)}-${pos(at + needle.length)}`;
}
