import { GOOSE_PATH, inEveryDownPart, SUPABASE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

ruleTests('rename-column', {
  valid: [
    // No running code knows a table this migration created, even once it holds rows.
    'CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t SELECT a FROM u;\nALTER TABLE t RENAME COLUMN a TO b;',
    'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t RENAME COLUMN a TO b;',
    'CREATE TABLE app.t (a int);\nALTER TABLE app.t RENAME a TO b;',
    'CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;\nALTER TABLE u RENAME COLUMN a TO b;',
    // Not a column rename.
    'ALTER TABLE t RENAME CONSTRAINT t_a_check TO t_a_positive;',
    'ALTER INDEX t_a_idx RENAME TO t_a_key;',
    // Comments, strings, dollar quotes.
    "-- ALTER TABLE t RENAME COLUMN a TO b;\nSELECT 'ALTER TABLE t RENAME COLUMN a TO b', $$ ALTER TABLE t RENAME a TO b $$;",
    ...inEveryDownPart('ALTER TABLE users RENAME COLUMN full_name TO name;'),
  ],
  invalid: [
    { sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;', errors: [{ messageId: 'renameColumn', range: [0, 0, 0, 49], message: 'Renaming column name of users to full_name breaks running code that uses the old name.' }] },
    { sql: 'ALTER TABLE users RENAME name TO full_name;', errors: [{ messageId: 'renameColumn', range: [0, 0, 0, 42] }] },
    { sql: 'ALTER TABLE IF EXISTS ONLY "app"."Users" RENAME COLUMN "Name" TO "FullName";', errors: [{ messageId: 'renameColumn', range: [0, 0, 0, 75] }] },
    { sql: 'CREATE TABLE IF NOT EXISTS other (a int);\nALTER TABLE users RENAME COLUMN name TO full_name;', errors: [{ messageId: 'renameColumn', range: [1, 0, 1, 49] }] },
    { path: GOOSE_PATH, sql: '-- +goose Up\nALTER TABLE users RENAME COLUMN name TO full_name;\n-- +goose Down\nALTER TABLE users RENAME COLUMN full_name TO name;\n', errors: [{ messageId: 'renameColumn', range: [1, 0, 1, 49] }] },
    { path: SUPABASE_PATH, sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;\n', errors: [{ messageId: 'renameColumn', range: [0, 0, 0, 49] }] },
    { sql: "SELECT '😀 é 日本語'; ALTER TABLE \"日本語\" RENAME \"é\" TO \"😀\";", errors: [{ messageId: 'renameColumn', range: [0, 19, 0, 55] }] },
    { sql: '-- é\r\n/* 😀 */ ALTER TABLE t\r\n  RENAME a TO b;\r\n', errors: [{ messageId: 'renameColumn', range: [1, 9, 2, 15] }] },
  ],
});
