import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSql, rangesOf } from '../helpers/lint';
import { ruleTests } from './rule-tester';

const UP = '-- UP Migration\n';
const GOOSE = '/project/migrations/20240101120000_x.sql';

ruleTests('require-if-exists', {
  valid: [
    'DROP TABLE IF EXISTS t;',
    'DROP TABLE IF EXISTS a, b CASCADE;',
    'DROP INDEX IF EXISTS i;',
    'DROP INDEX CONCURRENTLY IF EXISTS i;',
    'DROP VIEW IF EXISTS v;\nDROP MATERIALIZED VIEW IF EXISTS mv;\nDROP SEQUENCE IF EXISTS s;\nDROP SCHEMA IF EXISTS app CASCADE;',
    'DROP TYPE IF EXISTS mood;\nDROP FUNCTION IF EXISTS f(int);\nDROP PROCEDURE IF EXISTS p();\nDROP TRIGGER IF EXISTS tr ON t;\nDROP EXTENSION IF EXISTS pgcrypto;',
    'ALTER TABLE t DROP COLUMN IF EXISTS a, DROP CONSTRAINT IF EXISTS c, DROP IF EXISTS b;',
    // Not a drop of an object: ALTER COLUMN … DROP DEFAULT / NOT NULL, DROP OWNED, REVOKE.
    'ALTER TABLE t ALTER COLUMN a DROP DEFAULT, ALTER COLUMN b DROP NOT NULL, ALTER COLUMN c DROP IDENTITY IF EXISTS;',
    // Comments, strings, dollar quotes.
    "-- DROP TABLE t;\n/* ALTER TABLE t DROP COLUMN a; */\nSELECT 'DROP TABLE t', $$ DROP INDEX i $$;",
    "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$;",
    // A commented-out DOWN section written with IF EXISTS, prose lines around it.
    `${UP}CREATE TABLE IF NOT EXISTS t (id int);\n\n-- DOWN Migration (Rollback)\n-- Remove the table again (no data yet)\n-- DROP TABLE IF EXISTS t;\n-- That is all.\n`,
    // goose, dbmate and golang-migrate DOWN parts written with IF EXISTS.
    { path: GOOSE, sql: '-- +goose Up\nCREATE TABLE IF NOT EXISTS t (id int);\n-- +goose Down\nDROP TABLE IF EXISTS t;\n' },
    { path: '/project/db/migrations/20240101120000_x.sql', sql: '-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP INDEX IF EXISTS i;\n' },
    { path: '/project/migrate/000001_init.down.sql', sql: 'DROP TABLE IF EXISTS t;\n', files: { '/project/migrate/000001_init.up.sql': 'CREATE TABLE IF NOT EXISTS t (id int);\n' } },
  ],
  invalid: [
    { sql: 'DROP TABLE t;', errors: [{ messageId: 'drop', range: [0, 0, 0, 12], message: 'DROP TABLE without IF EXISTS fails if the object is already gone (a re-run, a partial rollback).' }], fix: { title: 'Add IF EXISTS', output: 'DROP TABLE IF EXISTS t;' } },
    { sql: 'DROP TABLE app."Old", other CASCADE;', errors: [{ messageId: 'drop', range: [0, 0, 0, 35] }], fix: { title: 'Add IF EXISTS', output: 'DROP TABLE IF EXISTS app."Old", other CASCADE;' } },
    { sql: 'DROP INDEX CONCURRENTLY i;', errors: [{ messageId: 'drop', range: [0, 0, 0, 25] }], fix: { title: 'Add IF EXISTS', output: 'DROP INDEX CONCURRENTLY IF EXISTS i;' } },
    { sql: 'DROP VIEW v;', errors: [{ messageId: 'drop', range: [0, 0, 0, 11] }], fix: { title: 'Add IF EXISTS', output: 'DROP VIEW IF EXISTS v;' } },
    { sql: 'DROP MATERIALIZED VIEW mv;', errors: [{ messageId: 'drop', range: [0, 0, 0, 25] }], fix: { title: 'Add IF EXISTS', output: 'DROP MATERIALIZED VIEW IF EXISTS mv;' } },
    { sql: 'DROP SEQUENCE s;', errors: [{ messageId: 'drop', range: [0, 0, 0, 15] }], fix: { title: 'Add IF EXISTS', output: 'DROP SEQUENCE IF EXISTS s;' } },
    { sql: 'DROP SCHEMA app CASCADE;', errors: [{ messageId: 'drop', range: [0, 0, 0, 23] }], fix: { title: 'Add IF EXISTS', output: 'DROP SCHEMA IF EXISTS app CASCADE;' } },
    { sql: 'DROP TYPE mood;', errors: [{ messageId: 'drop', range: [0, 0, 0, 14] }], fix: { title: 'Add IF EXISTS', output: 'DROP TYPE IF EXISTS mood;' } },
    { sql: 'DROP FUNCTION f(int, text);', errors: [{ messageId: 'drop', range: [0, 0, 0, 26] }], fix: { title: 'Add IF EXISTS', output: 'DROP FUNCTION IF EXISTS f(int, text);' } },
    { sql: 'DROP PROCEDURE p();', errors: [{ messageId: 'drop', range: [0, 0, 0, 18] }], fix: { title: 'Add IF EXISTS', output: 'DROP PROCEDURE IF EXISTS p();' } },
    { sql: 'DROP TRIGGER tr ON t;', errors: [{ messageId: 'drop', range: [0, 0, 0, 20] }], fix: { title: 'Add IF EXISTS', output: 'DROP TRIGGER IF EXISTS tr ON t;' } },
    { sql: 'DROP EXTENSION pgcrypto;', errors: [{ messageId: 'drop', range: [0, 0, 0, 23] }], fix: { title: 'Add IF EXISTS', output: 'DROP EXTENSION IF EXISTS pgcrypto;' } },
    {
      name: 'ALTER TABLE clauses: DROP COLUMN, DROP without COLUMN, DROP CONSTRAINT',
      sql: 'ALTER TABLE t DROP COLUMN a, DROP b CASCADE, DROP CONSTRAINT t_c_check;',
      errors: [{ messageId: 'dropColumn', range: [0, 14, 0, 27], message: 'DROP COLUMN a without IF EXISTS fails if it is already gone (a re-run, a partial rollback).' }, { messageId: 'dropColumn', range: [0, 29, 0, 43] }, { messageId: 'dropConstraint', range: [0, 45, 0, 70], message: 'DROP CONSTRAINT t_c_check without IF EXISTS fails if it is already gone (a re-run, a partial rollback).' }],
      fix: { title: 'Add IF EXISTS', finding: 2, output: 'ALTER TABLE t DROP COLUMN a, DROP b CASCADE, DROP CONSTRAINT IF EXISTS t_c_check;' },
    },
    {
      name: 'ALTER TABLE ONLY on a quoted qualified name',
      sql: 'ALTER TABLE ONLY "my schema"."a.b" DROP COLUMN "x,y";',
      errors: [{ messageId: 'dropColumn', range: [0, 35, 0, 52] }],
      fix: { title: 'Add IF EXISTS', output: 'ALTER TABLE ONLY "my schema"."a.b" DROP COLUMN IF EXISTS "x,y";' },
    },
    {
      name: 'ALTER TABLE IF EXISTS',
      sql: 'ALTER TABLE IF EXISTS t DROP b;',
      errors: [{ messageId: 'dropColumn', range: [0, 24, 0, 30] }],
      fix: { title: 'Add IF EXISTS', output: 'ALTER TABLE IF EXISTS t DROP IF EXISTS b;' },
    },
    {
      name: 'comments between the clauses',
      sql: 'ALTER TABLE /* x, y */ t -- z, w\n  DROP COLUMN a /* q */, -- r\n  DROP CONSTRAINT c;',
      errors: [{ messageId: 'dropColumn', range: [1, 2, 1, 15] }, { messageId: 'dropConstraint', range: [2, 2, 2, 19] }],
      fix: { title: 'Add IF EXISTS', finding: 1, output: 'ALTER TABLE /* x, y */ t -- z, w\n  DROP COLUMN a /* q */, -- r\n  DROP CONSTRAINT IF EXISTS c;' },
    },
    // Both parts are judged: a goose DOWN section.
    {
      path: GOOSE,
      sql: '-- +goose Up\nCREATE TABLE IF NOT EXISTS t (id int);\n-- +goose Down\nDROP TABLE t;\n',
      errors: [{ messageId: 'drop', range: [3, 0, 3, 12] }],
      fix: { title: 'Add IF EXISTS', output: '-- +goose Up\nCREATE TABLE IF NOT EXISTS t (id int);\n-- +goose Down\nDROP TABLE IF EXISTS t;\n' },
    },
    // A golang-migrate down file.
    {
      path: '/project/migrate/000001_init.down.sql',
      files: { '/project/migrate/000001_init.up.sql': 'CREATE TABLE IF NOT EXISTS t (id int);\n' },
      sql: 'DROP TABLE t;\n',
      errors: [{ messageId: 'drop', range: [0, 0, 0, 12] }],
      fix: { title: 'Add IF EXISTS', output: 'DROP TABLE IF EXISTS t;\n' },
    },
    // A commented-out template DOWN section.
    {
      sql: `${UP}CREATE TABLE IF NOT EXISTS t (id int);\n\n-- DOWN Migration (Rollback)\n-- Remove the table again (no data yet)\n-- DROP TABLE t;\n`,
      errors: [{ messageId: 'drop', range: [5, 3, 5, 15] }],
      fix: { title: 'Add IF EXISTS', output: `${UP}CREATE TABLE IF NOT EXISTS t (id int);\n\n-- DOWN Migration (Rollback)\n-- Remove the table again (no data yet)\n-- DROP TABLE IF EXISTS t;\n` },
    },
    // Prose with apostrophes (a runaway string once uncommented) and numbered steps between the SQL.
    {
      sql: `${UP}SELECT 1;\n\n-- DOWN Migration (Rollback)\n-- Don't run this unless the import failed.\n-- 1. drop the table\n--    DROP TABLE t;\n-- 2. and the type\n--    DROP TYPE e;\n-- That's all.\n`,
      errors: [{ messageId: 'drop', range: [6, 6, 6, 18] }, { messageId: 'drop', range: [8, 6, 8, 17] }],
      fix: {
        title: 'Add IF EXISTS',
        finding: 1,
        output: `${UP}SELECT 1;\n\n-- DOWN Migration (Rollback)\n-- Don't run this unless the import failed.\n-- 1. drop the table\n--    DROP TABLE t;\n-- 2. and the type\n--    DROP TYPE IF EXISTS e;\n-- That's all.\n`,
      },
    },
    // Multi-byte text and an emoji before the statement on its line.
    {
      sql: "SELECT '日本語', '😀'; ALTER TABLE \"é\" DROP COLUMN \"😀\";",
      errors: [{ messageId: 'dropColumn', range: [0, 36, 0, 52] }],
      fix: { title: 'Add IF EXISTS', output: "SELECT '日本語', '😀'; ALTER TABLE \"é\" DROP COLUMN IF EXISTS \"😀\";" },
    },
    {
      name: 'CRLF lines before the statement',
      sql: '-- é\r\nSELECT 1;\r\n\r\nDROP INDEX i;\r\n',
      errors: [{ messageId: 'drop', range: [3, 0, 3, 12] }],
      fix: { title: 'Add IF EXISTS', output: '-- é\r\nSELECT 1;\r\n\r\nDROP INDEX IF EXISTS i;\r\n' },
    },
  ],
});

test('a long commented-out DOWN section of prose is read quickly, and the SQL in it is found', () => {
  const lines = Array.from({ length: 3000 }, (_, i) => (i % 100 === 99 ? `-- DROP TABLE t${i};` : `-- note ${i}: it's about the thing (see ticket ${i})`));
  const started = Date.now();
  const { findings } = lintSql(`${UP}SELECT 1;\n-- DOWN Migration (Rollback)\n${lines.join('\n')}\n`);
  assert.equal(rangesOf(findings, 'require-if-exists').length, 30);
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
});
