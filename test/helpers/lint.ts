/**
 * Test helpers for rules: lint SQL as a migration file (in an in-memory tree), read findings as
 * LSP-style ranges, and apply a finding's fix.
 */
import { before } from 'node:test';
import { Config, mergeConfig } from '../../server/src/config/config';
import { Finding, lint, LintResult } from '../../server/src/lint/lint';
import type { FileEdit, Fix } from '../../server/src/rules/rule';
import { LineIndex } from '../../server/src/sql/positions';
import { initParser } from '../../server/src/sql/pg';
import { MemoryFileSystem } from './memory-fs';

before(() => initParser());

export interface LintOptions {
  /** Path of the linted file (default: a template-style migration). */
  path?: string;
  /** Other files of the tree (rollback twins, neighbours, metadata). */
  files?: Record<string, string>;
  config?: Partial<Config>;
}

export const DEFAULT_PATH = '/project/db/migrations/20250101_test.sql';

export function lintSql(sql: string, options: LintOptions = {}): LintResult & { fs: MemoryFileSystem } {
  const path = options.path ?? DEFAULT_PATH;
  const fs = new MemoryFileSystem({ ...options.files, [path]: sql });
  return { ...lint(path, sql, fs, mergeConfig(options.config ?? {})), fs };
}

/** Findings of one rule, as `[startLine, startChar, endLine, endChar]` tuples (0-based, UTF-16). */
export function rangesOf(findings: Finding[], rule: string): number[][] {
  return findings.filter((f) => f.rule === rule).map((f) => [f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]);
}

/** Applies the edits of a fix to the files they touch; returns the new texts by path. */
export function applyFix(fix: Fix, files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  const byPath = new Map<string, FileEdit[]>();
  for (const edit of fix.edits) byPath.set(edit.path, [...(byPath.get(edit.path) ?? []), edit]);
  for (const [path, edits] of byPath) {
    let text = out[path] ?? '';
    const lines = new LineIndex(text);
    const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }));
    for (const span of spans.sort((a, b) => b.start - a.start)) text = text.slice(0, span.start) + span.text + text.slice(span.end);
    out[path] = text;
  }
  return out;
}

/** The fix of a finding whose title contains `title`. */
export function fixOf(finding: Finding | undefined, title: string): Fix {
  const fix = finding?.fixes.find((f) => f.title.includes(title));
  if (!fix) throw new Error(`no fix "${title}" on ${finding ? finding.rule : 'a missing finding'} (fixes: ${finding?.fixes.map((f) => f.title).join(', ')})`);
  return fix;
}
