import { ruleTests } from './rule-tester';

const UP = '-- UP Migration\n';
const DOWN = '\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n';

ruleTests('require-if-not-exists', {
  valid: [
    'CREATE TABLE IF NOT EXISTS t (id bigint);',
    'CREATE UNIQUE INDEX IF NOT EXISTS t_a ON t (a);',
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);',
    // A concurrent build after a drop of its name is re-runnable (a plain DROP INDEX is non-concurrent-index's concern).
    'DROP INDEX CONCURRENTLY IF EXISTS t_a;\nCREATE INDEX CONCURRENTLY t_a ON t (a);',
    'DROP INDEX CONCURRENTLY IF EXISTS app.t_a;\nCREATE UNIQUE INDEX CONCURRENTLY t_a ON app.t (a);',
    'DROP INDEX IF EXISTS t_a;\nCREATE INDEX CONCURRENTLY t_a ON t (a);',
    // Any object dropped IF EXISTS earlier in the part, then created again.
    'DROP TRIGGER IF EXISTS tr ON t;\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();',
    'DROP TRIGGER IF EXISTS tr ON public.t;\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();',
    'DROP TABLE IF EXISTS t;\nCREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\nALTER TABLE t ADD COLUMN a int;',
    'DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT 1;',
    'DROP MATERIALIZED VIEW IF EXISTS mv;\nCREATE MATERIALIZED VIEW mv AS SELECT 1;',
    'DROP FUNCTION IF EXISTS f(int);\nCREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;',
    'DROP SEQUENCE IF EXISTS s;\nCREATE SEQUENCE s;',
    'DROP SCHEMA IF EXISTS app CASCADE;\nCREATE SCHEMA app;',
    'DROP EXTENSION IF EXISTS pgcrypto;\nCREATE EXTENSION pgcrypto;',
    'ALTER TABLE t DROP COLUMN IF EXISTS a;\nALTER TABLE t ADD COLUMN a int;',
    { path: '/project/migrations/20240101120000_x.sql', sql: '-- +goose Up\nSELECT 1;\n-- +goose Down\nDROP TABLE IF EXISTS old;\nCREATE TABLE old (id int);\n' },
    'CREATE SEQUENCE IF NOT EXISTS s;',
    'CREATE SCHEMA IF NOT EXISTS app;',
    'CREATE EXTENSION IF NOT EXISTS pgcrypto;',
    'CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1;',
    'CREATE TABLE IF NOT EXISTS t2 AS SELECT * FROM t;',
    'ALTER TABLE t ADD COLUMN IF NOT EXISTS a int, ADD IF NOT EXISTS b int;',
    'CREATE OR REPLACE VIEW v AS SELECT 1;',
    'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
    'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$;',
    'CREATE OR REPLACE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();',
    // CREATE OR REPLACE TRIGGER only exists from PostgreSQL 14.
    { sql: 'CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();', config: { pgVersion: 13 } },
    // Constraint triggers cannot be replaced.
    'CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION f();',
    // Temporary objects live for one session; a re-run is a new session.
    'CREATE TEMP TABLE tmp_ids (id bigint);\nCREATE TEMPORARY VIEW tmp_v AS SELECT 1;\nCREATE TEMP SEQUENCE tmp_s;',
    'CREATE TEMP TABLE tmp_ids AS SELECT id FROM t;',
    // SELECT INTO is a query form, not a migration's CREATE TABLE.
    'SELECT 1 AS a INTO TEMP tmp_x;',
    // Objects that have no IF NOT EXISTS form.
    "CREATE TYPE mood AS ENUM ('sad', 'happy');\nCREATE DOMAIN posint AS int CHECK (VALUE > 0);",
    'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;',
    // Comments, strings and dollar quotes that mention the words.
    "-- CREATE TABLE t (id int);\n/* CREATE INDEX i ON t (a); */\nSELECT 'CREATE TABLE t (a int)', $$ ALTER TABLE t ADD COLUMN a int $$;",
    'DO $$ BEGIN CREATE TABLE t (id int); EXCEPTION WHEN duplicate_table THEN NULL; END $$;',
    // A commented-out DOWN section that already says IF NOT EXISTS.
    `${UP}SELECT 1;\n-- DOWN Migration (Rollback)\n-- Put the old table back\n-- CREATE TABLE IF NOT EXISTS old (id int);\n`,
    // goose DOWN part.
    { path: '/project/migrations/20240101120000_x.sql', sql: '-- +goose Up\nDROP TABLE IF EXISTS old;\n-- +goose Down\nCREATE TABLE IF NOT EXISTS old (id int);\n' },
  ],
  invalid: [
    {
      sql: 'CREATE TABLE t (id bigint);',
      errors: [{ messageId: 'ifNotExists', range: [0, 0, 0, 14], message: 'CREATE TABLE without IF NOT EXISTS fails if the migration is re-run.' }],
      fix: { title: 'Add IF NOT EXISTS', output: 'CREATE TABLE IF NOT EXISTS t (id bigint);' },
    },
    {
      name: 'schema-qualified quoted table name, head range covers it',
      sql: `${UP}CREATE UNLOGGED TABLE "my schema"."Events" (id bigint);${DOWN}`,
      errors: [{ messageId: 'ifNotExists', range: [1, 0, 1, 42] }],
      fix: { title: 'Add IF NOT EXISTS', output: `${UP}CREATE UNLOGGED TABLE IF NOT EXISTS "my schema"."Events" (id bigint);${DOWN}` },
    },
    {
      sql: 'CREATE UNIQUE INDEX t_a ON t (a);',
      errors: [{ messageId: 'ifNotExists', range: [0, 0, 0, 23] }],
      fix: { title: 'Add IF NOT EXISTS', output: 'CREATE UNIQUE INDEX IF NOT EXISTS t_a ON t (a);' },
    },
    // A concurrent build: IF NOT EXISTS would keep the INVALID index a failed build leaves; the drop goes first.
    {
      sql: 'CREATE INDEX CONCURRENTLY t_a ON t (a);',
      errors: [{ messageId: 'concurrentIndex', range: [0, 0, 0, 29], message: 'CREATE INDEX CONCURRENTLY fails if the migration is re-run, and IF NOT EXISTS would keep the INVALID index a failed build leaves behind: drop it first with DROP INDEX CONCURRENTLY IF EXISTS t_a.' }],
      fix: { title: 'DROP INDEX CONCURRENTLY IF EXISTS', output: 'DROP INDEX CONCURRENTLY IF EXISTS t_a;\nCREATE INDEX CONCURRENTLY t_a ON t (a);' },
    },
    {
      sql: '-- +goose NO TRANSACTION\n  CREATE UNIQUE INDEX CONCURRENTLY "T_a" ON app.t (a);',
      errors: [{ messageId: 'concurrentIndex', range: [1, 2, 1, 40] }],
      fix: { title: 'DROP INDEX CONCURRENTLY IF EXISTS', output: '-- +goose NO TRANSACTION\n  DROP INDEX CONCURRENTLY IF EXISTS app."T_a";\n  CREATE UNIQUE INDEX CONCURRENTLY "T_a" ON app.t (a);' },
    },
    {
      sql: "SELECT 'é 😀'; CREATE INDEX CONCURRENTLY t_a ON t (a);",
      errors: [{ messageId: 'concurrentIndex', range: [0, 15, 0, 44] }],
      fix: { title: 'DROP INDEX CONCURRENTLY IF EXISTS', output: "SELECT 'é 😀'; DROP INDEX CONCURRENTLY IF EXISTS t_a; CREATE INDEX CONCURRENTLY t_a ON t (a);" },
    },
    // The drop of another index, or a drop after the build, does not make it re-runnable.
    {
      sql: 'DROP INDEX CONCURRENTLY IF EXISTS t_b;\nCREATE INDEX CONCURRENTLY t_a ON t (a);',
      errors: [{ messageId: 'concurrentIndex', range: [1, 0, 1, 29] }],
      fix: { title: 'DROP INDEX CONCURRENTLY IF EXISTS', output: 'DROP INDEX CONCURRENTLY IF EXISTS t_b;\nDROP INDEX CONCURRENTLY IF EXISTS t_a;\nCREATE INDEX CONCURRENTLY t_a ON t (a);' },
    },
    {
      sql: 'CREATE INDEX CONCURRENTLY t_a ON t (a);\nDROP INDEX CONCURRENTLY IF EXISTS t_a;',
      errors: [{ messageId: 'concurrentIndex', range: [0, 0, 0, 29] }],
      fix: { title: 'DROP INDEX CONCURRENTLY IF EXISTS', output: 'DROP INDEX CONCURRENTLY IF EXISTS t_a;\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nDROP INDEX CONCURRENTLY IF EXISTS t_a;' },
    },
    {
      sql: 'CREATE INDEX CONCURRENTLY ON t (a);',
      errors: [{ messageId: 'unnamedConcurrentIndex', range: [0, 0, 0, 25], message: 'CREATE INDEX CONCURRENTLY without a name creates a second index when the migration is re-run: name the index and drop it first with DROP INDEX CONCURRENTLY IF EXISTS.' }],
    },
    // A DROP without IF EXISTS fails on the re-run itself (require-if-exists says so); CREATE after it still cannot re-run.
    {
      sql: 'DROP TRIGGER tr ON t;\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();',
      errors: [{ messageId: 'orReplace', range: [1, 0, 1, 17] }],
      fix: { title: 'OR REPLACE', output: 'DROP TRIGGER tr ON t;\nCREATE OR REPLACE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();' },
    },
    // A drop in the UP part does not cover the DOWN part.
    {
      path: '/project/migrations/20240101120000_x.sql',
      sql: '-- +goose Up\nDROP TABLE IF EXISTS old;\nSELECT 1;\n-- +goose Down\nCREATE TABLE old (id int);\n',
      errors: [{ messageId: 'ifNotExists', range: [4, 0, 4, 16] }],
      fix: { title: 'Add IF NOT EXISTS', output: '-- +goose Up\nDROP TABLE IF EXISTS old;\nSELECT 1;\n-- +goose Down\nCREATE TABLE IF NOT EXISTS old (id int);\n' },
    },
    // An unnamed index cannot take IF NOT EXISTS: reported, no fix.
    { sql: 'CREATE INDEX ON t (a);', errors: [{ messageId: 'unnamedIndex', range: [0, 0, 0, 12], message: 'CREATE INDEX without a name and IF NOT EXISTS creates a second index when the migration is re-run: name the index and add IF NOT EXISTS.' }] },
    { sql: 'CREATE SEQUENCE app.s START 10;', errors: [{ messageId: 'ifNotExists', range: [0, 0, 0, 21] }], fix: { title: 'Add IF NOT EXISTS', output: 'CREATE SEQUENCE IF NOT EXISTS app.s START 10;' } },
    { sql: 'CREATE SCHEMA app;', errors: [{ messageId: 'ifNotExists', range: [0, 0, 0, 17] }], fix: { title: 'Add IF NOT EXISTS', output: 'CREATE SCHEMA IF NOT EXISTS app;' } },
    // IF NOT EXISTS cannot go with schema elements: reported without a fix.
    { sql: 'CREATE SCHEMA app CREATE TABLE x (a int);', errors: [{ messageId: 'ifNotExists', range: [0, 0, 0, 17] }] },
    { sql: 'CREATE EXTENSION "uuid-ossp";', errors: [{ messageId: 'ifNotExists', range: [0, 0, 0, 28] }], fix: { title: 'Add IF NOT EXISTS', output: 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";' } },
    {
      sql: 'CREATE MATERIALIZED VIEW mv AS SELECT 1;',
      errors: [{ messageId: 'ifNotExists', range: [0, 0, 0, 27] }],
      fix: { title: 'Add IF NOT EXISTS', output: 'CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1;' },
    },
    { sql: 'CREATE TABLE t2 AS SELECT * FROM t;', errors: [{ messageId: 'ifNotExists', range: [0, 0, 0, 15] }], fix: { title: 'Add IF NOT EXISTS', output: 'CREATE TABLE IF NOT EXISTS t2 AS SELECT * FROM t;' } },
    {
      name: 'ADD COLUMN with and without COLUMN, ALTER TABLE ONLY on a qualified name',
      sql: 'ALTER TABLE ONLY public."T" ADD COLUMN a int, ADD b text DEFAULT \'x, y\';',
      errors: [{ messageId: 'addColumn', range: [0, 28, 0, 40], message: 'ADD COLUMN a without IF NOT EXISTS fails if the migration is re-run.' }, { messageId: 'addColumn', range: [0, 46, 0, 51] }],
      fix: { title: 'Add IF NOT EXISTS', finding: 1, output: 'ALTER TABLE ONLY public."T" ADD COLUMN a int, ADD IF NOT EXISTS b text DEFAULT \'x, y\';' },
    },
    {
      name: 'ALTER TABLE IF EXISTS',
      sql: 'ALTER TABLE IF EXISTS app.t ADD COLUMN a int;',
      errors: [{ messageId: 'addColumn', range: [0, 28, 0, 40] }],
      fix: { title: 'Add IF NOT EXISTS', output: 'ALTER TABLE IF EXISTS app.t ADD COLUMN IF NOT EXISTS a int;' },
    },
    // Even on a table created in the same migration: a re-run finds the column there.
    {
      sql: 'CREATE TABLE IF NOT EXISTS t (id int);\nALTER TABLE t ADD COLUMN a int;',
      errors: [{ messageId: 'addColumn', range: [1, 14, 1, 26] }],
      fix: { title: 'Add IF NOT EXISTS', output: 'CREATE TABLE IF NOT EXISTS t (id int);\nALTER TABLE t ADD COLUMN IF NOT EXISTS a int;' },
    },
    {
      sql: 'CREATE VIEW v AS SELECT 1;',
      errors: [{ messageId: 'orReplace', range: [0, 0, 0, 13], message: 'CREATE VIEW without OR REPLACE fails if the migration is re-run.' }],
      fix: { title: 'Add OR REPLACE', output: 'CREATE OR REPLACE VIEW v AS SELECT 1;' },
    },
    { sql: 'CREATE RECURSIVE VIEW app.v (n) AS SELECT 1;', errors: [{ messageId: 'orReplace', range: [0, 0, 0, 27] }], fix: { title: 'Add OR REPLACE', output: 'CREATE OR REPLACE RECURSIVE VIEW app.v (n) AS SELECT 1;' } },
    {
      sql: 'CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at = now(); RETURN NEW; END $$;',
      errors: [{ messageId: 'orReplace', range: [0, 0, 0, 28] }],
      fix: { title: 'Add OR REPLACE', output: 'CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at = now(); RETURN NEW; END $$;' },
    },
    { sql: 'CREATE PROCEDURE "App"."p"() LANGUAGE sql AS $$ SELECT 1 $$;', errors: [{ messageId: 'orReplace', range: [0, 0, 0, 26] }], fix: { title: 'Add OR REPLACE', output: 'CREATE OR REPLACE PROCEDURE "App"."p"() LANGUAGE sql AS $$ SELECT 1 $$;' } },
    {
      sql: 'CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();',
      errors: [{ messageId: 'orReplace', range: [0, 0, 0, 17] }],
      fix: { title: 'Add OR REPLACE', output: 'CREATE OR REPLACE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();' },
    },
    {
      sql: 'CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();',
      config: { pgVersion: 16 },
      errors: [{ messageId: 'orReplace', range: [0, 0, 0, 17] }],
      fix: { title: 'Add OR REPLACE', output: 'CREATE OR REPLACE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();' },
    },
    // Idempotency rules judge the DOWN part too (here: a DOWN that recreates a dropped table).
    {
      path: '/project/migrations/20240101120000_x.sql',
      sql: '-- +goose Up\nDROP TABLE IF EXISTS old;\n-- +goose Down\nCREATE TABLE old (id int);\n',
      errors: [{ messageId: 'ifNotExists', range: [3, 0, 3, 16] }],
      fix: { title: 'Add IF NOT EXISTS', output: '-- +goose Up\nDROP TABLE IF EXISTS old;\n-- +goose Down\nCREATE TABLE IF NOT EXISTS old (id int);\n' },
    },
    // A commented-out DOWN section is read as SQL, prose lines skipped.
    {
      sql: `${UP}DROP TABLE IF EXISTS old;\n\n-- DOWN Migration (Rollback)\n-- Recreate the table (empty)\n-- CREATE TABLE old (id int);\n`,
      errors: [{ messageId: 'ifNotExists', range: [5, 3, 5, 19] }],
      fix: { title: 'Add IF NOT EXISTS', output: `${UP}DROP TABLE IF EXISTS old;\n\n-- DOWN Migration (Rollback)\n-- Recreate the table (empty)\n-- CREATE TABLE IF NOT EXISTS old (id int);\n` },
    },
    // Multi-byte text and an emoji before the statement on its line.
    {
      sql: "SELECT 'é 日本語 😀'; CREATE TABLE \"données\" (\"😀\" text);",
      errors: [{ messageId: 'ifNotExists', range: [0, 19, 0, 41] }],
      fix: { title: 'Add IF NOT EXISTS', output: "SELECT 'é 日本語 😀'; CREATE TABLE IF NOT EXISTS \"données\" (\"😀\" text);" },
    },
    {
      name: 'CRLF lines and comments before the statement',
      sql: '-- 😀 first\r\n/* é */\r\n  CREATE TABLE t (id int);\r\n',
      errors: [{ messageId: 'ifNotExists', range: [2, 2, 2, 16] }],
      fix: { title: 'Add IF NOT EXISTS', output: '-- 😀 first\r\n/* é */\r\n  CREATE TABLE IF NOT EXISTS t (id int);\r\n' },
    },
  ],
});
