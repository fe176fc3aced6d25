/** What apply and rollback send, and how: statements, transaction mode, destructive ones. No database. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { utf16Offset } from '../../server/src/database/execute';
import { planMigration, PlanError } from '../../server/src/database/plan';
import { readMigration } from '../../server/src/migration/migration';
import { initParser } from '../../server/src/sql/pg';
import { MemoryFileSystem } from '../helpers/memory-fs';

before(() => initParser());

function plan(path: string, files: Record<string, string>, direction: 'up' | 'down') {
  const fs = new MemoryFileSystem(files);
  return planMigration(readMigration(path, files[path], fs), direction);
}

const TEMPLATE = '/p/db/migrations/001_x.sql';

test('a commented-out DOWN section is sent uncommented, prose lines left out, at the offsets of the file', () => {
  const text = '-- UP Migration\nALTER TABLE t ADD COLUMN c int;\n\n-- DOWN Migration (Rollback)\n-- Undo the column\n--   ALTER TABLE t\n--   DROP COLUMN c;\n';
  const p = plan(TEMPLATE, { [TEMPLATE]: text }, 'down');
  assert.equal(p.commentedOut, true);
  assert.equal(p.transaction, true);
  assert.deepEqual(p.statements.map((s) => s.sql), ['ALTER TABLE t\n     DROP COLUMN c']);
  assert.equal(p.statements[0].line, 5);
  assert.equal(text.slice(p.statements[0].start, p.statements[0].start + 5), 'ALTER');
});

test('UP statements: goose StatementBegin bodies are one statement; psql meta-commands are skipped and noted', () => {
  const path = '/p/migrations/20240101000000_f.sql';
  const text = '-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n-- +goose StatementEnd\n\\set ON_ERROR_STOP on\nSELECT f();\n-- +goose Down\nDROP FUNCTION f();\n';
  const p = plan(path, { [path]: text }, 'up');
  assert.deepEqual(p.statements.map((s) => [s.number, s.line, s.sql]), [
    [1, 2, 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql'],
    [2, 5, 'SELECT f()'],
  ]);
  assert.deepEqual(p.notes, ['psql meta-command skipped (line 5): \\set ON_ERROR_STOP on']);
});

test('the transaction: one by default; statement by statement for CONCURRENTLY, VACUUM, runner opt-outs; the file\'s own BEGIN … COMMIT is used', () => {
  const mode = (text: string, path = TEMPLATE) => {
    const p = plan(path, { [path]: text }, 'up');
    return { transaction: p.transaction, mode: p.mode, sent: p.statements.map((s) => s.sql.split(' ')[0]), notes: p.notes };
  };
  assert.deepEqual(mode('CREATE TABLE a (id int);\nCREATE INDEX i ON a (id);'), { transaction: true, mode: 'in one transaction', sent: ['CREATE', 'CREATE'], notes: [] });
  assert.match(mode('CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY i ON a (id);').mode, /^statement by statement, each committed as it runs: CREATE INDEX CONCURRENTLY cannot run inside a transaction \(line 2\)$/);
  assert.match(mode('DROP INDEX CONCURRENTLY IF EXISTS i;').mode, /DROP INDEX CONCURRENTLY/);
  assert.match(mode('REINDEX INDEX CONCURRENTLY i;').mode, /REINDEX CONCURRENTLY/);
  assert.match(mode('VACUUM ANALYZE a;').mode, /VACUUM cannot run/);
  assert.equal(mode('ANALYZE a;').transaction, true);
  assert.match(mode('ALTER TABLE p DETACH PARTITION c CONCURRENTLY;').mode, /DETACH PARTITION CONCURRENTLY/);
  const dbmate = '/p/db/migrations/20240101000000_x.sql';
  assert.match(mode('-- migrate:up transaction:false\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n', dbmate).mode, /marker says transaction:false/);
  assert.equal(mode('-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n', dbmate).transaction, true);
  const own = mode('-- UP Migration\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n');
  assert.deepEqual(own, { transaction: true, mode: 'in one transaction', sent: ['CREATE'], notes: ["the file's own BEGIN (line 2) … COMMIT (line 4) is the transaction"] });
  assert.match(mode('BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON a (id);').mode, /statement by statement, as written: the file controls its transactions \(BEGIN line 1, COMMIT line 3\)/);
});

test('destructive UP statements are named: drops of data, DROP COLUMN, TRUNCATE, DELETE without WHERE; not DROP INDEX or filtered deletes', () => {
  const text = [
    'DROP TABLE IF EXISTS a, s.b;',
    'ALTER TABLE c DROP COLUMN x, ADD COLUMN y int;',
    'TRUNCATE d, e;',
    'DELETE FROM f;',
    'DELETE FROM f WHERE id = 1;',
    'DROP INDEX i;',
    'DROP SCHEMA old CASCADE;',
    'DROP TYPE mood;',
    'DROP VIEW v;',
  ].join('\n');
  const p = plan(TEMPLATE, { [TEMPLATE]: text }, 'up');
  assert.deepEqual(p.statements.map((s) => s.destructive ?? null), ['DROP TABLE a, s.b', 'DROP COLUMN c.x', 'TRUNCATE d, e', 'DELETE FROM f without WHERE', null, null, 'DROP SCHEMA old', 'DROP TYPE mood', null]);
});

test('the DOWN of a split migration comes from its twin, and the UP of a down file too', () => {
  const up = '/p/migrate/0001_x.up.sql';
  const down = '/p/migrate/0001_x.down.sql';
  const files = { [up]: 'CREATE TABLE x (id int);\n', [down]: 'DROP TABLE x;\n' };
  assert.deepEqual(plan(up, files, 'down').statements.map((s) => [s.path, s.sql]), [[down, 'DROP TABLE x']]);
  assert.deepEqual(plan(down, files, 'up').statements.map((s) => [s.path, s.sql]), [[up, 'CREATE TABLE x (id int)']]);
});

test('refused before running: no DOWN (with why), an empty part, a syntax error with its position', () => {
  assert.throws(() => plan(TEMPLATE, { [TEMPLATE]: 'CREATE TABLE a (id int);' }, 'down'), (e: Error) => e instanceof PlanError && /has no DOWN part \(add a DOWN section\)/.test(e.message));
  const up = '/p/migrate/0001_x.up.sql';
  assert.throws(() => plan(up, { [up]: 'CREATE TABLE x (id int);' }, 'down'), /no rollback file: \/p\/migrate\/0001_x\.down\.sql/);
  const goose = '/p/migrations/20240101000000_x.sql';
  assert.throws(() => plan(goose, { [goose]: '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\n' }, 'down'), /the DOWN part of .* has no statements/);
  assert.throws(() => plan(TEMPLATE, { [TEMPLATE]: '-- UP Migration\n\nSELECT 1;\nSELEC 2;\n' }, 'up'), /001_x\.sql:4:1: syntax error at or near "SELEC"/);
});

test('PostgreSQL positions count characters; the editor counts UTF-16 units', () => {
  assert.equal(utf16Offset("SELECT '🚀🚀' AS x, nope", 18), 20);
  assert.equal(utf16Offset('ünï', 2), 2);
  assert.equal(utf16Offset('ab', 10), 2);
});
