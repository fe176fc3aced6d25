/** Outline (document symbols) and folding ranges of migration files, and the server answering them. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentSymbol, FoldingRange } from 'vscode-languageserver';
import { documentSymbols, foldingRanges, statementLabel } from '../../server/src/lsp/symbols';
import { lintSql } from '../helpers/lint';
import { TestClient } from '../helpers/lsp-client';

const TEMPLATE = [
  '-- Migration: add retry columns', // 0
  '-- Date: 2025-11-22', // 1
  '-- Author: Jane Doe', // 2
  '', // 3
  '-- UP Migration', // 4
  "SET lock_timeout = '5s';", // 5
  'ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;', // 6
  'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx', // 7
  '  ON users (email);', // 8
  '', // 9
  '-- DOWN Migration (Rollback)', // 10
  '-- DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;', // 11
  '-- ALTER TABLE users', // 12
  '--   DROP COLUMN IF EXISTS email;', // 13
  '', // 14
].join('\n');

type Tuple = [number, number, number, number];
const r = (range: { start: { line: number; character: number }; end: { line: number; character: number } }): Tuple => [range.start.line, range.start.character, range.end.line, range.end.character];
const outline = (symbols: DocumentSymbol[]) =>
  symbols.map((s) => ({ name: s.name, detail: s.detail, range: r(s.range), selection: r(s.selectionRange), children: (s.children ?? []).map((c) => [c.name, r(c.range), r(c.selectionRange)]) }));

test('template file: UP and DOWN parts from marker to last line, statements labelled from the parse tree', () => {
  const { migration } = lintSql(TEMPLATE);
  assert.deepEqual(outline(documentSymbols(migration)), [
    {
      name: 'UP',
      detail: '-- UP Migration',
      range: [4, 0, 8, 19],
      selection: [4, 0, 4, 15],
      children: [
        ["SET lock_timeout = '5s'", [5, 0, 5, 24], [5, 0, 5, 23]],
        ['ALTER TABLE users ADD COLUMN email', [6, 0, 6, 54], [6, 0, 6, 53]],
        ['CREATE INDEX CONCURRENTLY users_email_idx ON users', [7, 0, 8, 19], [7, 0, 7, 55]],
      ],
    },
    {
      name: 'DOWN',
      detail: '-- DOWN Migration (Rollback), commented out',
      range: [10, 0, 13, 33],
      selection: [10, 0, 10, 28],
      children: [
        ['DROP INDEX CONCURRENTLY users_email_idx', [11, 3, 11, 53], [11, 3, 11, 52]],
        ['ALTER TABLE users DROP COLUMN email', [12, 3, 13, 33], [12, 3, 12, 20]],
      ],
    },
  ]);
});

test('a freshly scaffolded file shows both parts, empty', () => {
  const { migration } = lintSql('-- Migration: x\n-- Date: 2025-11-22\n-- Author: A\n\n-- UP Migration\n\n\n-- DOWN Migration (Rollback)\n');
  assert.deepEqual(outline(documentSymbols(migration)), [
    { name: 'UP', detail: '-- UP Migration', range: [4, 0, 4, 15], selection: [4, 0, 4, 15], children: [] },
    { name: 'DOWN', detail: '-- DOWN Migration (Rollback)', range: [7, 0, 7, 28], selection: [7, 0, 7, 28], children: [] },
  ]);
});

test('goose: parts say the runner’s transaction; a split file has one part named by its role', () => {
  const goose = lintSql('-- +goose Up\nCREATE TABLE IF NOT EXISTS t (id int);\n\n-- +goose Down\nDROP TABLE IF EXISTS t;\n', { path: '/p/db/migrations/20250101120000_t.sql' });
  assert.deepEqual(
    documentSymbols(goose.migration).map((s) => [s.name, s.detail, s.children!.map((c) => c.name)]),
    [
      ['UP', '-- +goose Up, in a transaction', ['CREATE TABLE t']],
      ['DOWN', '-- +goose Down, in a transaction', ['DROP TABLE t']],
    ],
  );
  const down = lintSql('DROP TABLE IF EXISTS t;\n', { path: '/p/migrate/000001_t.down.sql', files: { '/p/migrate/000001_t.up.sql': 'CREATE TABLE t (id int);' } });
  assert.deepEqual(outline(documentSymbols(down.migration)), [
    { name: 'DOWN', detail: 'golang-migrate down file, in a transaction', range: [0, 0, 0, 23], selection: [0, 0, 0, 22], children: [['DROP TABLE t', [0, 0, 0, 23], [0, 0, 0, 22]]] },
  ]);
  assert.deepEqual(documentSymbols(lintSql('', { path: '/p/migrate/000002_x.up.sql' }).migration), [], 'an empty split file has no symbols');
});

test('ranges are UTF-16 with emoji and CRLF before the statement', () => {
  const { migration } = lintSql('-- 🚀 café ☕\r\n-- UP Migration\r\n  ALTER TABLE "naïve_🚀" DROP COLUMN IF EXISTS x; -- 🚀\r\n-- DOWN Migration\r\n');
  assert.deepEqual(outline(documentSymbols(migration))[0], {
    name: 'UP',
    detail: '-- UP Migration',
    range: [1, 0, 2, 55],
    selection: [1, 0, 1, 15],
    children: [['ALTER TABLE "naïve_🚀" DROP COLUMN x', [2, 2, 2, 49], [2, 2, 2, 48]]],
  });
});

test('labels: the kind and the objects, as PostgreSQL reads them, short', () => {
  const cases: [string, string][] = [
    ['ALTER TABLE users ADD COLUMN IF NOT EXISTS email text, ADD COLUMN retries int NOT NULL DEFAULT 0', 'ALTER TABLE users ADD COLUMN email, ADD COLUMN retries'],
    ['ALTER TABLE "Orders" ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID', 'ALTER TABLE "Orders" ADD CONSTRAINT orders_user_fk FOREIGN KEY NOT VALID'],
    ['ALTER TABLE public.orders VALIDATE CONSTRAINT orders_user_fk, ENABLE ROW LEVEL SECURITY', 'ALTER TABLE public.orders VALIDATE CONSTRAINT orders_user_fk, ENABLE ROW LEVEL SECURITY'],
    ['ALTER TABLE t ADD CHECK (a > 0)', 'ALTER TABLE t ADD CHECK'],
    ['ALTER TABLE t ALTER COLUMN c TYPE bigint USING c::bigint, ALTER COLUMN c SET NOT NULL, ALTER COLUMN d DROP DEFAULT, DROP COLUMN e', 'ALTER TABLE t ALTER COLUMN c TYPE bigint, ALTER COLUMN c SET NOT NULL, … (+2 more)'],
    ['ALTER TABLE t ALTER COLUMN c TYPE varchar(20), ALTER COLUMN d SET DEFAULT 1', 'ALTER TABLE t ALTER COLUMN c TYPE varchar(20), ALTER COLUMN d SET DEFAULT'],
    ['ALTER TABLE users RENAME COLUMN a TO b', 'ALTER TABLE users RENAME COLUMN a TO b'],
    ['ALTER TABLE users RENAME TO people', 'ALTER TABLE users RENAME TO people'],
    ['ALTER INDEX i RENAME TO j', 'ALTER INDEX i RENAME TO j'],
    ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx ON s.t (a)', 'CREATE UNIQUE INDEX CONCURRENTLY idx ON s.t'],
    ['CREATE INDEX ON t (a)', 'CREATE INDEX ON t'],
    ['CREATE TABLE IF NOT EXISTS public.users (id int)', 'CREATE TABLE public.users'],
    ['CREATE TABLE t2 AS SELECT 1', 'CREATE TABLE t2 AS'],
    ['CREATE MATERIALIZED VIEW mv AS SELECT 1', 'CREATE MATERIALIZED VIEW mv'],
    ['CREATE OR REPLACE VIEW v AS SELECT 1', 'CREATE VIEW v'],
    ['CREATE OR REPLACE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$', 'CREATE FUNCTION app.f'],
    ['CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()', 'CREATE TRIGGER trg ON t'],
    ['CREATE SEQUENCE IF NOT EXISTS s', 'CREATE SEQUENCE s'],
    ["CREATE TYPE mood AS ENUM ('a')", 'CREATE TYPE mood AS ENUM'],
    ['CREATE EXTENSION IF NOT EXISTS pgcrypto', 'CREATE EXTENSION pgcrypto'],
    ['CREATE SCHEMA IF NOT EXISTS app', 'CREATE SCHEMA app'],
    ['DROP INDEX CONCURRENTLY IF EXISTS a.old_idx, b, c', 'DROP INDEX CONCURRENTLY a.old_idx, b, …'],
    ['DROP TABLE IF EXISTS "Users"', 'DROP TABLE "Users"'],
    ['DROP FUNCTION IF EXISTS f(int)', 'DROP FUNCTION f'],
    ['INSERT INTO t (a) VALUES (1)', 'INSERT INTO t'],
    ['UPDATE t SET a = 1 WHERE b', 'UPDATE t'],
    ['DELETE FROM t WHERE a', 'DELETE FROM t'],
    ['TRUNCATE a, b', 'TRUNCATE a, b'],
    ['DO $$ BEGIN PERFORM 1; END $$', 'DO block'],
    ["SET lock_timeout = '5s'", "SET lock_timeout = '5s'"],
    ['BEGIN', 'BEGIN'],
    ['GRANT SELECT ON users TO app_reader', 'GRANT SELECT ON users TO app_reader'],
    ["COMMENT ON TABLE users IS 'a very long comment that goes on and on'", "COMMENT ON TABLE users IS 'a very long comment…"],
    ['ALTER TABLE t ADD COLUMN x int DEFAULT', 'ALTER TABLE t ADD COLUMN x int DEFAULT'],
  ];
  for (const [sql, label] of cases) {
    const { migration } = lintSql(`-- UP Migration\n${sql};\n`);
    const [statement] = migration.up;
    assert.equal(statementLabel(statement, migration.text), label, sql);
  }
  const broken = lintSql('-- UP Migration\nALTER TABLE t ADD COLUMN x int DEFAULT;\n').migration;
  assert.equal(documentSymbols(broken)[0].children![0].detail, 'syntax error');
});

test('folding: the header comments, each part from its marker, multi-line statements; one range per start line', () => {
  const { migration } = lintSql(TEMPLATE);
  const ranges: FoldingRange[] = foldingRanges(migration);
  assert.deepEqual(ranges, [
    { startLine: 0, endLine: 2, kind: 'comment' },
    { startLine: 4, endLine: 8, kind: 'region' },
    { startLine: 7, endLine: 8 },
    { startLine: 10, endLine: 13, kind: 'region' },
    { startLine: 12, endLine: 13 },
  ]);
});

test('folding: block comments and comment runs inside a part; single lines do not fold', () => {
  const sql = '-- +goose Up\n/* a\n   b */\nSELECT 1;\n-- one\nSELECT 2; -- trailing\n-- first\n-- second\n-- +goose Down\nSELECT 3;\n';
  const { migration } = lintSql(sql, { path: '/p/db/migrations/20250101120000_t.sql' });
  assert.deepEqual(foldingRanges(migration), [
    { startLine: 0, endLine: 7, kind: 'region' },
    { startLine: 1, endLine: 2, kind: 'comment' },
    { startLine: 6, endLine: 7, kind: 'comment' },
    { startLine: 8, endLine: 9, kind: 'region' },
  ]);
});

// --- over LSP -------------------------------------------------------------------------------

let root: string;
let client: TestClient;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'safemig-symbols-'));
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
  client = await TestClient.start({ root });
});

after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

test('the server answers documentSymbol and foldingRange for migrations, and null for other SQL', async () => {
  const path = join(root, 'db', 'migrations', '001_users.sql');
  await client.open(path, TEMPLATE);
  const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: client.uri(path) } })) as DocumentSymbol[];
  assert.deepEqual(symbols.map((s) => [s.name, s.children!.length]), [['UP', 3], ['DOWN', 2]]);
  const folds = (await client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri: client.uri(path) } })) as FoldingRange[];
  assert.deepEqual(folds.map((f) => [f.startLine, f.endLine]), [[0, 2], [4, 8], [7, 8], [10, 13], [12, 13]]);

  const other = join(root, 'report.sql');
  await client.open(other, 'SELECT 1;\n');
  assert.equal(await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: client.uri(other) } }), null);
  assert.equal(await client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri: client.uri(other) } }), null);
});
