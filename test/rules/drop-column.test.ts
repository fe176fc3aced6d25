import { DBMATE_PATH, GOLANG_UP_PATH, GOOSE_PATH, inEveryDownPart, SUPABASE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

const UP = '-- UP Migration\n';
const DOWN = '\n-- DOWN Migration (Rollback)\n-- ALTER TABLE users ADD COLUMN IF NOT EXISTS legacy text;\n';

ruleTests('drop-column', {
  valid: [
    // The table is this migration's own.
    'CREATE TABLE IF NOT EXISTS t (a int, b int);\nALTER TABLE t DROP COLUMN IF EXISTS b;',
    'CREATE TABLE public.t (a int, b int);\nALTER TABLE t DROP COLUMN IF EXISTS b;',
    'CREATE TABLE t (a int, b int);\nALTER TABLE public.t DROP COLUMN IF EXISTS b;',
    'CREATE TABLE IF NOT EXISTS "Events" (a int);\nALTER TABLE "Events" DROP COLUMN IF EXISTS a;',
    'CREATE TABLE t AS SELECT 1 AS a, 2 AS b;\nALTER TABLE t DROP COLUMN IF EXISTS b;',
    'CREATE TABLE t (a int, b int);\nALTER TABLE t RENAME TO u;\nALTER TABLE u DROP COLUMN IF EXISTS b;',
    // Still no running code knows a table this migration created, even once it holds rows.
    'CREATE TABLE t (a int, b int);\nINSERT INTO t SELECT a, b FROM u;\nALTER TABLE t DROP COLUMN IF EXISTS b;',
    // Drops that are not a column.
    'ALTER TABLE t ALTER COLUMN a DROP DEFAULT, ALTER COLUMN a DROP NOT NULL, DROP CONSTRAINT IF EXISTS t_a_check;',
    'DROP INDEX IF EXISTS t_a_idx;',
    // Comments, strings, dollar quotes.
    "-- ALTER TABLE t DROP COLUMN a;\n/* ALTER TABLE t DROP COLUMN a; */\nSELECT 'ALTER TABLE t DROP COLUMN a', $x$ ALTER TABLE t DROP COLUMN a; $x$;",
    "CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE t DROP COLUMN a; END $$;",
    // The DOWN part of every convention.
    ...inEveryDownPart('ALTER TABLE users DROP COLUMN IF EXISTS legacy;'),
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users DROP COLUMN IF EXISTS legacy;',
      errors: [{ messageId: 'dropColumn', range: [0, 18, 0, 46], message: 'Dropping column legacy of users breaks running code that still reads or writes it, and its data is lost.' }],
    },
    { sql: `${UP}ALTER TABLE users DROP legacy;${DOWN}`, errors: [{ messageId: 'dropColumn', range: [1, 18, 1, 29] }] },
    {
      name: 'two drops in one ALTER TABLE, ONLY, a quoted schema-qualified name',
      sql: 'ALTER TABLE ONLY "my schema"."a.b" DROP COLUMN "x,y" CASCADE, ADD COLUMN IF NOT EXISTS c int, DROP COLUMN IF EXISTS z;',
      errors: [{ messageId: 'dropColumn', range: [0, 35, 0, 60] }, { messageId: 'dropColumn', range: [0, 94, 0, 117] }],
    },
    { name: 'ALTER TABLE IF EXISTS', sql: 'ALTER TABLE IF EXISTS app.users DROP COLUMN IF EXISTS legacy;', errors: [{ messageId: 'dropColumn', range: [0, 32, 0, 60] }] },
    // Another table of the same name in another case is not this migration's.
    { sql: 'CREATE TABLE IF NOT EXISTS "T" (a int);\nALTER TABLE t DROP COLUMN IF EXISTS a;', errors: [{ messageId: 'dropColumn', range: [1, 14, 1, 37] }] },
    { sql: 'CREATE TABLE IF NOT EXISTS app.t (a int);\nALTER TABLE t DROP COLUMN IF EXISTS a;', errors: [{ messageId: 'dropColumn', range: [1, 14, 1, 37] }] },
    // UP parts of other conventions.
    { path: GOOSE_PATH, sql: '-- +goose Up\nALTER TABLE users DROP COLUMN IF EXISTS legacy;\n-- +goose Down\nALTER TABLE users ADD COLUMN IF NOT EXISTS legacy text;\n', errors: [{ messageId: 'dropColumn', range: [1, 18, 1, 46] }] },
    { path: DBMATE_PATH, sql: '-- migrate:up\nALTER TABLE users DROP COLUMN IF EXISTS legacy;\n\n-- migrate:down\nSELECT 1;\n', errors: [{ messageId: 'dropColumn', range: [1, 18, 1, 46] }] },
    { path: GOLANG_UP_PATH, files: { '/project/migrate/000002_change.down.sql': 'SELECT 1;\n' }, sql: 'ALTER TABLE users DROP COLUMN IF EXISTS legacy;\n', errors: [{ messageId: 'dropColumn', range: [0, 18, 0, 46] }] },
    { path: SUPABASE_PATH, sql: 'ALTER TABLE users DROP COLUMN IF EXISTS legacy;\n', errors: [{ messageId: 'dropColumn', range: [0, 18, 0, 46] }] },
    // Multi-byte text and an emoji before the clause on its line; CRLF before the statement.
    { sql: "SELECT 'é 日本語 😀'; ALTER TABLE \"données\" DROP COLUMN \"😀\";", errors: [{ messageId: 'dropColumn', range: [0, 41, 0, 57] }] },
    { sql: '-- 😀\r\nSELECT 1;\r\nALTER TABLE t\r\n  DROP COLUMN a;\r\n', errors: [{ messageId: 'dropColumn', range: [3, 2, 3, 15] }] },
  ],
});
