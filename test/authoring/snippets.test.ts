/**
 * The contributed SQL snippets (snippets/sql.json): each body, with its placeholders at their
 * defaults, is valid PostgreSQL and passes safemig as the UP part of a migration on existing
 * tables; the marker snippets make files the engine reads in their convention.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyFix, fixOf, lintSql } from '../helpers/lint';
import { expandSnippet } from './expand-snippet';

const ROOT = join(__dirname, '..', '..');
interface Snippet {
  prefix: string;
  body: string[];
  description: string;
}
const SNIPPETS: Record<string, Snippet> = JSON.parse(readFileSync(join(ROOT, 'snippets', 'sql.json'), 'utf8'));
const byPrefix = new Map(Object.values(SNIPPETS).map((s) => [s.prefix, s]));

/** Snippets that write runner markers rather than statements: tested in files of their convention. */
const MARKER_SNIPPETS = ['mig-template', 'mig-sections', 'mig-goose', 'mig-goose-statement', 'mig-goose-no-transaction', 'mig-dbmate', 'mig-dbmate-no-transaction'];

/**
 * Findings a statement snippet is documented to leave (in its description). Empty for all: each
 * one is the safe form.
 */
const DOCUMENTED: Record<string, string[]> = {};

test('package.json contributes the snippets for SQL', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.snippets, [{ language: 'sql', path: './snippets/sql.json' }]);
});

test('every snippet has a unique mig- prefix, a description and a body', () => {
  const prefixes = Object.values(SNIPPETS).map((s) => s.prefix);
  assert.equal(new Set(prefixes).size, prefixes.length);
  for (const [name, s] of Object.entries(SNIPPETS)) {
    assert.match(s.prefix, /^mig-[a-z-]+$/, name);
    assert.ok(s.description.length > 20, name);
    assert.ok(Array.isArray(s.body) && s.body.length > 0, name);
  }
  for (const prefix of MARKER_SNIPPETS) assert.ok(byPrefix.has(prefix), prefix);
  // The safe forms the issue asks for.
  for (const prefix of ['mig-add-column', 'mig-add-column-default', 'mig-create-index', 'mig-drop-index', 'mig-foreign-key', 'mig-check', 'mig-set-not-null', 'mig-rename-column', 'mig-backfill', 'mig-lock-timeout', 'mig-transaction']) {
    assert.ok(byPrefix.has(prefix), prefix);
  }
});

test('the snippet expander reads VS Code’s snippet syntax', () => {
  assert.equal(expandSnippet('${1:users}.${2:id} = $1 ${3} $0'), 'users.id = users  ');
  assert.equal(expandSnippet('$1 before ${1:late}'), 'late before late', 'a mirror before its placeholder');
  assert.equal(expandSnippet('${1:a ${2:b} c} $2'), 'a b c b', 'nested placeholders');
  assert.equal(expandSnippet('${1|one,two|} \\$\\$ \\} $ $$ 5$'), 'one $$ } $ $$ 5$');
  assert.equal(expandSnippet('$CURRENT_YEAR-${CURRENT_MONTH}-${NOPE:x}'), '2025-11-x');
  assert.throws(() => expandSnippet('$NOPE'), /unknown snippet variable/);
  assert.throws(() => expandSnippet('${1:open'), /unclosed/);
  assert.equal(expandSnippet(['a $1', 'b'], { tabstops: { 1: 'X' } }), 'a X\nb');
});

test('each statement snippet is valid PostgreSQL and passes safemig on existing tables (with the generated rollback)', () => {
  const statementSnippets = Object.values(SNIPPETS).filter((s) => !MARKER_SNIPPETS.includes(s.prefix));
  assert.equal(statementSnippets.length, 11);
  for (const snippet of statementSnippets) {
    const sql = expandSnippet(snippet.body);
    assert.doesNotMatch(sql, /\$\{|\$\d/, `${snippet.prefix}: placeholders left`);
    const text = `-- Migration: ${snippet.prefix}\n\n-- UP Migration\n${sql}\n\n-- DOWN Migration (Rollback)\n`;
    const first = lintSql(text);
    assert.ok(first.migration.up.length > 0, `${snippet.prefix}: has statements`);
    assert.deepEqual(first.migration.up.filter((s) => !s.node).map((s) => text.slice(s.start, s.end)), [], `${snippet.prefix}: PostgreSQL parses every statement`);
    // The UP part is the snippet; the DOWN part is what the missing-rollback fix writes for it.
    const missing = first.findings.find((f) => f.rule === 'missing-rollback');
    const withRollback = missing ? applyFix(fixOf(missing, 'DOWN section'), { [first.migration.path]: text })[first.migration.path] : text;
    const { findings } = lintSql(withRollback);
    assert.deepEqual(findings.map((f) => `${f.rule}: ${f.message}`), (DOCUMENTED[snippet.prefix] ?? []), `${snippet.prefix}:\n${withRollback}`);
  }
});

test('each statement snippet in a numbered file with only an UP section: nothing but the missing rollback', () => {
  for (const snippet of Object.values(SNIPPETS).filter((s) => !MARKER_SNIPPETS.includes(s.prefix))) {
    const sql = expandSnippet(snippet.body);
    const text = `-- UP Migration\n${sql}\n`;
    const { findings } = lintSql(text, { path: '/project/migrations/agent/002_snippet.sql' });
    // Only the rollback may be missing here (no DOWN section was written).
    assert.deepEqual(findings.map((f) => f.rule).filter((r) => r !== 'missing-rollback'), [], snippet.prefix);
  }
});

const UP_SQL = "SET lock_timeout = '5s';\nALTER TABLE jobs ADD COLUMN IF NOT EXISTS retries integer;";
const DOWN_SQL = 'ALTER TABLE jobs DROP COLUMN IF EXISTS retries;';
const expand = (prefix: string, tabstops: Record<number, string> = {}) => expandSnippet(byPrefix.get(prefix)!.body, { tabstops });

test('mig-template and mig-sections: this project’s template, read as template sections', () => {
  const template = `${expand('mig-template', { 0: UP_SQL })}-- ${DOWN_SQL}\n`;
  assert.match(template, /^-- Migration: description\n-- Date: 2025-11-22\n-- Author: name\n\n-- UP Migration\n/);
  const sections = expand('mig-sections', { 1: UP_SQL, 2: `-- ${DOWN_SQL}` });
  for (const text of [template, sections]) {
    const { migration, findings } = lintSql(text, { path: '/p/migrations/20251122_add_retries.sql' });
    assert.equal(migration.convention.name, 'template');
    assert.deepEqual(migration.parts.map((p) => [p.kind, p.commentedOut, p.statements.length]), [['up', false, 2], ['down', true, 1]]);
    assert.deepEqual(findings, []);
  }
});

test('mig-goose, mig-goose-statement, mig-goose-no-transaction: goose parts, statement bodies, no transaction', () => {
  const path = '/p/db/migrations/20251122093000_add_retries.sql';
  const goose = lintSql(expand('mig-goose', { 1: UP_SQL, 2: DOWN_SQL }), { path });
  assert.equal(goose.migration.convention.name, 'goose');
  assert.deepEqual(goose.migration.parts.map((p) => [p.kind, p.runnerTransaction, p.statements.length]), [['up', true, 2], ['down', true, 1]]);
  assert.deepEqual(goose.findings, []);

  const fn = 'CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$$;';
  const body = `-- +goose Up\n${expand('mig-goose-statement', { 0: fn })}\n\n-- +goose Down\nDROP FUNCTION IF EXISTS touch();\n`;
  const statement = lintSql(body, { path });
  assert.deepEqual(statement.migration.up.map((s) => s.kind), ['CreateFunctionStmt']);
  assert.deepEqual(statement.findings, []);

  const concurrent = `${expand('mig-goose-no-transaction')}\n${expand('mig-goose', { 1: expand('mig-create-index'), 2: expand('mig-drop-index', { 1: 'table_name_column_name_idx' }) })}`;
  const noTx = lintSql(concurrent, { path });
  assert.deepEqual(noTx.migration.parts.map((p) => [p.kind, p.runnerTransaction]), [['up', false], ['down', false]]);
  assert.deepEqual(noTx.findings, []);
});

test('mig-dbmate and mig-dbmate-no-transaction: dbmate parts, with and without the transaction', () => {
  const path = '/p/db/migrations/20251122093000_add_retries.sql';
  const dbmate = lintSql(expand('mig-dbmate', { 1: UP_SQL, 2: DOWN_SQL }), { path });
  assert.equal(dbmate.migration.convention.name, 'dbmate');
  assert.deepEqual(dbmate.migration.parts.map((p) => [p.kind, p.runnerTransaction, p.statements.length]), [['up', true, 2], ['down', true, 1]]);
  assert.deepEqual(dbmate.findings, []);
  const noTx = lintSql(expand('mig-dbmate-no-transaction', { 1: expand('mig-create-index'), 2: expand('mig-drop-index', { 1: 'table_name_column_name_idx' }) }), { path });
  assert.deepEqual(noTx.migration.parts.map((p) => [p.kind, p.runnerTransaction]), [['up', false], ['down', false]]);
  assert.deepEqual(noTx.findings, []);
});
