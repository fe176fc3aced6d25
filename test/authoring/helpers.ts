/**
 * Helpers for the authoring tests: real temporary folders, a planned migration written the way
 * the CLI writes it, and every written file linted by the engine.
 */
import { after, before } from 'node:test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mergeConfig } from '../../server/src/config/config';
import { Finding, lint } from '../../server/src/lint/lint';
import { NewMigrationOptions, NewMigrationPlan, planNewMigration } from '../../server/src/authoring/plan';
import { writePlan } from '../../server/src/cli/new';
import { initParser } from '../../server/src/sql/pg';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';

before(() => initParser());

/** 2025-11-22 09:30:05 UTC. */
export const NOW = new Date(Date.UTC(2025, 10, 22, 9, 30, 5));
export const AUTHOR = { name: 'Jane Doe', email: 'jane@example.com' };

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A temporary tree: paths relative to its root; a path ending with `/` is an empty folder. */
export function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'safemig-new-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('/')) mkdirSync(join(root, path), { recursive: true });
    else {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  }
  return root;
}

export interface Scaffolded {
  plan: NewMigrationPlan;
  /** Created file paths relative to the tree's root. */
  created: string[];
  /** Text of a file of the tree after writing. */
  read(path: string): string;
}

/** Plans a migration in `root/dir` and writes it as `safemig new` does. */
export function scaffold(root: string, dir: string, description = 'add retry columns', options: Partial<NewMigrationOptions> = {}): Scaffolded {
  const plan = planNewMigration({ dir: join(root, dir), description, fs: new DiskFileSystem(), now: NOW, author: AUTHOR, ...options });
  writePlan(plan);
  return {
    plan,
    created: plan.files.map((f) => f.path.slice(root.length + 1)),
    read: (path) => readFileSync(join(root, path), 'utf8'),
  };
}

/** Findings of the engine on each given file (as written on disk), by path relative to `root`. */
export function lintFiles(root: string, paths: string[]): Record<string, string[]> {
  const fs = new DiskFileSystem();
  const out: Record<string, string[]> = {};
  for (const path of paths) {
    const abs = join(root, path);
    const findings: Finding[] = lint(abs, readFileSync(abs, 'utf8'), fs, mergeConfig({})).findings;
    out[path] = findings.map((f) => `${f.rule}: ${f.message}`);
  }
  return out;
}

/** `{ path: [] }` for each path: what lintFiles returns when nothing is reported. */
export function clean(paths: string[]): Record<string, string[]> {
  return Object.fromEntries(paths.map((p) => [p, []]));
}

/** The text at the plan's cursor: the line the cursor is on, split at the cursor. */
export function cursorLine(plan: NewMigrationPlan): { before: string; after: string; path: string } {
  const file = plan.files.find((f) => f.path === plan.cursor.path)!;
  const text = file.content;
  const lineStart = text.lastIndexOf('\n', plan.cursor.offset - 1) + 1;
  let lineEnd = text.indexOf('\n', plan.cursor.offset);
  if (lineEnd < 0) lineEnd = text.length;
  return { path: plan.cursor.path, before: text.slice(lineStart, plan.cursor.offset), after: text.slice(plan.cursor.offset, lineEnd) };
}
