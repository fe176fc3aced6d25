import { GOOSE_PATH, inEveryDownPart, SUPABASE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

ruleTests('rename-table', {
  valid: [
    'CREATE TABLE IF NOT EXISTS t_new (a int);\nALTER TABLE t_new RENAME TO t_final;',
    'CREATE TABLE public.t_new (a int);\nALTER TABLE t_new RENAME TO t_final;',
    // The swap of a table copied into a new one: no running code knows the new one (the DROP is drop-table's).
    'CREATE TABLE IF NOT EXISTS t_new (a int);\nINSERT INTO t_new SELECT a FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;',
    // Renaming a constraint, an index, a view, a sequence or a column is not a table rename.
    'ALTER TABLE t RENAME CONSTRAINT c1 TO c2;',
    'ALTER INDEX i1 RENAME TO i2;',
    'ALTER VIEW v1 RENAME TO v2;',
    'ALTER SEQUENCE s1 RENAME TO s2;',
    'ALTER TABLE t RENAME COLUMN a TO b;',
    "-- ALTER TABLE t RENAME TO u;\nSELECT 'ALTER TABLE t RENAME TO u', $$ ALTER TABLE t RENAME TO u $$;",
    ...inEveryDownPart('ALTER TABLE accounts RENAME TO users;'),
  ],
  invalid: [
    { sql: 'ALTER TABLE users RENAME TO accounts;', errors: [{ messageId: 'renameTable', range: [0, 0, 0, 36], message: 'Renaming table users to accounts breaks running code that uses the old name.' }] },
    { sql: 'ALTER TABLE IF EXISTS app."Users" RENAME TO "Accounts";', errors: [{ messageId: 'renameTable', range: [0, 0, 0, 54] }] },
    { sql: 'CREATE TABLE IF NOT EXISTS accounts_v2 (id int);\nALTER TABLE accounts RENAME TO accounts_old;', errors: [{ messageId: 'renameTable', range: [1, 0, 1, 43] }] },
    { path: GOOSE_PATH, sql: '-- +goose Up\nALTER TABLE users RENAME TO accounts;\n-- +goose Down\nALTER TABLE accounts RENAME TO users;\n', errors: [{ messageId: 'renameTable', range: [1, 0, 1, 36] }] },
    { path: SUPABASE_PATH, sql: 'ALTER TABLE users RENAME TO accounts;\n', errors: [{ messageId: 'renameTable', range: [0, 0, 0, 36] }] },
    { sql: "SELECT 'é', '日本語', '😀'; ALTER TABLE \"é\" RENAME TO \"😀\";", errors: [{ messageId: 'renameTable', range: [0, 25, 0, 55] }] },
    { sql: '-- 😀\r\n\r\nALTER TABLE users RENAME TO accounts;\r\n', errors: [{ messageId: 'renameTable', range: [2, 0, 2, 36] }] },
  ],
});
