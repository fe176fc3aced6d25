import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

ruleTests('unbounded-data-change', {
  valid: [
    "UPDATE conversation_state SET architecture_version = 'agent' WHERE architecture_version IS NULL;",
    'DELETE FROM t WHERE created_at < now() - interval \'1 year\';',
    'INSERT INTO t (a) SELECT a FROM u;',
    // Tables this migration creates (a backfilled new table).
    // Before rows are written to it: once they are, the table counts as existing (RULES.md).
    'CREATE TABLE IF NOT EXISTS t (a int);\nUPDATE t SET a = 2;\nDELETE FROM t;\nTRUNCATE t;\nINSERT INTO t VALUES (1);',
    'CREATE TABLE IF NOT EXISTS app."T" AS SELECT 1 AS a;\nUPDATE app."T" SET a = 2;',
    'WITH moved AS (DELETE FROM t WHERE id < 100 RETURNING *) INSERT INTO u SELECT * FROM moved;',
    "-- UPDATE t SET a = 1;\nSELECT 'DELETE FROM t', $$ TRUNCATE t $$;",
    ...inEveryDownPart('UPDATE t SET a = NULL;\nDELETE FROM t;\nTRUNCATE t;'),
  ],
  invalid: [
    { sql: 'UPDATE t SET a = 1;', errors: [{ messageId: 'update', range: [0, 0, 0, 18], message: 'UPDATE without WHERE updates every row of t in one transaction: it holds a row lock on each until it commits (concurrent writes to those rows wait), writes WAL and dead rows for the whole table, and the old values are gone.' }] },
    { sql: 'DELETE FROM app."T";', errors: [{ messageId: 'delete', range: [0, 0, 0, 19], message: 'DELETE without WHERE deletes every row of app.T in one transaction: it holds a row lock on each until it commits (concurrent writes to those rows wait), writes WAL and dead rows for the whole table, and the data is gone.' }] },
    { sql: 'UPDATE t SET a = u.a FROM u;', errors: [{ messageId: 'update', range: [0, 0, 0, 27] }] },
    { sql: 'DELETE FROM t USING u;', errors: [{ messageId: 'delete', range: [0, 0, 0, 21] }] },
    { sql: 'TRUNCATE t, u CASCADE;', errors: [{ messageId: 'truncateCascade', range: [0, 0, 0, 21], message: 'TRUNCATE removes every row of t, u under an ACCESS EXCLUSIVE lock, and CASCADE empties every table that references it too; the data cannot be rolled back once committed.' }] },
    // Only the existing table of a TRUNCATE counts.
    { sql: 'CREATE TABLE IF NOT EXISTS fresh (a int);\nTRUNCATE fresh, old;', errors: [{ messageId: 'truncate', range: [1, 0, 1, 19], message: 'TRUNCATE removes every row of old under an ACCESS EXCLUSIVE lock; the data cannot be rolled back once committed.' }] },
    { sql: 'WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone;', errors: [{ messageId: 'delete', range: [0, 0, 0, 67] }] },
    // A table of the same name in another schema is another table.
    { sql: 'CREATE TABLE IF NOT EXISTS app.t (a int);\nUPDATE t SET a = 1;', errors: [{ messageId: 'update', range: [1, 0, 1, 18] }] },
    { path: GOOSE_PATH, sql: '-- +goose Up\nUPDATE t SET a = 0;\n-- +goose Down\nUPDATE t SET a = NULL;\n', errors: [{ messageId: 'update', range: [1, 0, 1, 18] }] },
    { sql: "SELECT 'é 😀';\r\nUPDATE \"données\" SET \"😀\" = 1;", errors: [{ messageId: 'update', range: [1, 0, 1, 29] }] },
  ],
});
