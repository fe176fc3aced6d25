import { DBMATE_PATH, GOLANG_UP_PATH, GOOSE_PATH, inEveryDownPart, SUPABASE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

const UP = '-- UP Migration\n';
const DOWN = '\n-- DOWN Migration (Rollback)\n-- CREATE TABLE IF NOT EXISTS legacy (id int);\n';

ruleTests('drop-table', {
  valid: [
    // The table is this migration's own (a staging table, a rebuilt table).
    'CREATE TABLE IF NOT EXISTS staging (id int);\nINSERT INTO t SELECT id FROM staging;\nDROP TABLE IF EXISTS staging;',
    'CREATE TABLE public.staging (id int);\nDROP TABLE IF EXISTS staging;',
    'CREATE TABLE staging AS SELECT 1 AS id;\nDROP TABLE IF EXISTS public.staging;',
    'CREATE TEMP TABLE tmp (id int);\nDROP TABLE tmp;',
    'CREATE TABLE IF NOT EXISTS a (id int);\nCREATE TABLE IF NOT EXISTS b (id int);\nDROP TABLE IF EXISTS a, b;',
    // Not tables.
    'DROP VIEW IF EXISTS v;\nDROP MATERIALIZED VIEW IF EXISTS mv;\nDROP INDEX IF EXISTS i;\nDROP SEQUENCE IF EXISTS s;\nDROP TYPE IF EXISTS e;',
    'ALTER TABLE t DROP COLUMN IF EXISTS a;',
    // Comments, strings, dollar quotes.
    "-- DROP TABLE legacy;\n/* DROP TABLE legacy; */\nSELECT 'DROP TABLE legacy', $$ DROP TABLE legacy; $$;",
    "DO $do$ BEGIN EXECUTE 'DROP TABLE legacy'; END $do$;",
    ...inEveryDownPart('DROP TABLE IF EXISTS legacy CASCADE;'),
  ],
  invalid: [
    { sql: 'DROP TABLE IF EXISTS legacy;', errors: [{ messageId: 'dropTable', range: [0, 0, 0, 27], message: 'Dropping table legacy breaks running code that still uses it, and its data is lost.' }] },
    { sql: `${UP}DROP TABLE legacy CASCADE;${DOWN}`, errors: [{ messageId: 'dropTable', range: [1, 0, 1, 25] }] },
    { sql: 'DROP TABLE IF EXISTS app."Legacy";', errors: [{ messageId: 'dropTable', range: [0, 0, 0, 33] }] },
    // One finding per existing table; the one created here is not reported.
    { sql: 'CREATE TABLE IF NOT EXISTS mine (id int);\nDROP TABLE IF EXISTS mine, theirs, other;', errors: [{ messageId: 'dropTable', range: [1, 0, 1, 40] }, { messageId: 'dropTable', range: [1, 0, 1, 40] }] },
    { sql: 'CREATE TABLE IF NOT EXISTS "Legacy" (id int);\nDROP TABLE IF EXISTS legacy;', errors: [{ messageId: 'dropTable', range: [1, 0, 1, 27] }] },
    { path: GOOSE_PATH, sql: '-- +goose Up\nDROP TABLE IF EXISTS legacy;\n-- +goose Down\nSELECT 1;\n', errors: [{ messageId: 'dropTable', range: [1, 0, 1, 27] }] },
    { path: DBMATE_PATH, sql: '-- migrate:up\nDROP TABLE IF EXISTS legacy;\n-- migrate:down\nSELECT 1;\n', errors: [{ messageId: 'dropTable', range: [1, 0, 1, 27] }] },
    { path: GOLANG_UP_PATH, files: { '/project/migrate/000002_change.down.sql': 'SELECT 1;\n' }, sql: 'DROP TABLE IF EXISTS legacy;\n', errors: [{ messageId: 'dropTable', range: [0, 0, 0, 27] }] },
    { path: SUPABASE_PATH, sql: 'DROP TABLE IF EXISTS legacy;\n', errors: [{ messageId: 'dropTable', range: [0, 0, 0, 27] }] },
    { sql: "SELECT '日本語 😀 é'; DROP TABLE IF EXISTS \"données\";", errors: [{ messageId: 'dropTable', range: [0, 19, 0, 49] }] },
    { sql: '-- é\r\n\r\n  DROP TABLE IF EXISTS legacy;\r\n', errors: [{ messageId: 'dropTable', range: [2, 2, 2, 29] }] },
  ],
});
