import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const CREATE = 'CREATE INDEX IF NOT EXISTS i ON t (a);';

ruleTests('non-concurrent-index', {
  valid: [
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);',
    'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON app."T" (lower(email));',
    // Indexes of tables this migration creates: nobody else uses the table yet.
    `CREATE TABLE IF NOT EXISTS t (a int);\n${CREATE}`,
    'CREATE TABLE IF NOT EXISTS public.t (a int);\nCREATE INDEX IF NOT EXISTS i ON t (a);',
    'CREATE TABLE IF NOT EXISTS app."T" (a int);\nCREATE INDEX IF NOT EXISTS i ON app."T" (a);',
    'CREATE TABLE IF NOT EXISTS t AS SELECT 1 AS a;\nCREATE INDEX IF NOT EXISTS i ON t (a);',
    // ON ONLY a partitioned table builds nothing; the partitions' indexes are attached later.
    'CREATE INDEX IF NOT EXISTS p_k ON ONLY p (k);',
    'DROP INDEX CONCURRENTLY IF EXISTS i;',
    // An index this migration creates, dropped again.
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS tmp_i ON t (a);\nDROP INDEX IF EXISTS tmp_i;',
    // Built before the rows come in; COPY TO writes no rows into it; attached to a table this migration also creates.
    `CREATE TABLE IF NOT EXISTS t (a int);\n${CREATE}\nINSERT INTO t VALUES (1);`,
    `CREATE TABLE IF NOT EXISTS t (a int);\nCOPY t TO STDOUT;\n${CREATE}`,
    `CREATE TABLE IF NOT EXISTS p (a int) PARTITION BY LIST (a);\nCREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE p ATTACH PARTITION t FOR VALUES IN (1);\n${CREATE}`,
    'CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO u SELECT a FROM t;\nCREATE INDEX IF NOT EXISTS i ON t (a);',
    // Created again after a drop: a new, empty table.
    `CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nDROP TABLE t;\nCREATE TABLE t (a int);\n${CREATE}`,
    // Dropped before this migration builds it again on a table it creates: the drop finds nothing in use.
    'CREATE TABLE IF NOT EXISTS t (a int);\nDROP INDEX IF EXISTS i;\nCREATE INDEX IF NOT EXISTS i ON t (a);',
    'REINDEX INDEX CONCURRENTLY i;',
    'REINDEX (VERBOSE) TABLE CONCURRENTLY t;',
    'CREATE TABLE IF NOT EXISTS t (a int);\nREINDEX TABLE t;',
    'REINDEX SYSTEM;',
    "-- CREATE INDEX i ON t (a);\nSELECT 'CREATE INDEX i ON t (a)', $$ DROP INDEX i $$;",
    ...inEveryDownPart(`${CREATE}\nDROP INDEX IF EXISTS j;\nREINDEX TABLE t;`),
  ],
  invalid: [
    { sql: CREATE, errors: [{ messageId: 'createIndex', range: [0, 0, 0, 37], message: 'CREATE INDEX on t holds a SHARE lock while it reads the whole table: every INSERT, UPDATE and DELETE on it waits until the index is built.' }], fix: { title: 'Add CONCURRENTLY', output: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);' } },
    {
      sql: 'CREATE UNIQUE INDEX users_email ON "app"."Users" (lower(email)) WHERE deleted_at IS NULL;',
      errors: [{ messageId: 'createIndex', range: [0, 0, 0, 88] }],
      fix: { title: 'must then run outside a transaction', output: 'CREATE UNIQUE INDEX CONCURRENTLY users_email ON "app"."Users" (lower(email)) WHERE deleted_at IS NULL;' },
    },
    // A table of the same name in another schema, or quoted with another case, is another table.
    {
      sql: `CREATE TABLE IF NOT EXISTS app.t (a int);\n${CREATE}`,
      errors: [{ messageId: 'createIndex', range: [1, 0, 1, 37] }],
      fix: { title: 'Add CONCURRENTLY', output: 'CREATE TABLE IF NOT EXISTS app.t (a int);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);' },
    },
    {
      sql: `CREATE TABLE IF NOT EXISTS "T" (a int);\n${CREATE}`,
      errors: [{ messageId: 'createIndex', range: [1, 0, 1, 37] }],
      fix: { title: 'Add CONCURRENTLY', output: 'CREATE TABLE IF NOT EXISTS "T" (a int);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);' },
    },
    { sql: 'DROP INDEX IF EXISTS i;', errors: [{ messageId: 'dropIndex', range: [0, 0, 0, 22], message: "DROP INDEX i takes an ACCESS EXCLUSIVE lock on the index's table: every query on the table, reads included, waits until it is done, and queues behind any long transaction already using the table." }], fix: { title: 'Add CONCURRENTLY', output: 'DROP INDEX CONCURRENTLY IF EXISTS i;' } },
    // CONCURRENTLY drops one index, without CASCADE: reported, no fix.
    {
      sql: 'DROP INDEX IF EXISTS a, b CASCADE;',
      errors: [
        {
          messageId: 'dropIndexes',
          range: [0, 0, 0, 33],
          message: "DROP INDEX a, b takes an ACCESS EXCLUSIVE lock on the index's table: every query on the table, reads included, waits until it is done, and queues behind any long transaction already using the table.",
          help: 'Use DROP INDEX CONCURRENTLY, outside a transaction (one index per statement, without CASCADE).',
        },
      ],
    },
    { sql: 'REINDEX TABLE t;', errors: [{ messageId: 'reindex', range: [0, 0, 0, 15], message: 'REINDEX of t locks out writes to the table and takes an ACCESS EXCLUSIVE lock on each index it rebuilds, which stops every query that plans with that table.' }], fix: { title: 'Add CONCURRENTLY', output: 'REINDEX TABLE CONCURRENTLY t;' } },
    { sql: 'REINDEX (VERBOSE) INDEX app.i;', errors: [{ messageId: 'reindex', range: [0, 0, 0, 29] }], fix: { title: 'Add CONCURRENTLY', output: 'REINDEX (VERBOSE) INDEX CONCURRENTLY app.i;' } },
    // Before PostgreSQL 12 there is no REINDEX CONCURRENTLY: reported without the fix.
    {
      sql: 'REINDEX INDEX i;',
      config: { pgVersion: 11 },
      errors: [
        {
          messageId: 'reindexBefore12',
          range: [0, 0, 0, 15],
          message: 'REINDEX of i locks out writes to the table and takes an ACCESS EXCLUSIVE lock on each index it rebuilds, which stops every query that plans with that table.',
          help: 'REINDEX CONCURRENTLY needs PostgreSQL 12 (pgVersion is 11): build a new index CONCURRENTLY, drop the old one CONCURRENTLY and rename the new one.',
        },
      ],
    },
    {
      path: GOOSE_PATH,
      sql: `-- +goose Up\n${CREATE}\n-- +goose Down\nDROP INDEX IF EXISTS i;\n`,
      errors: [{ messageId: 'createIndex', range: [1, 0, 1, 37] }],
      fix: { title: 'Add CONCURRENTLY', output: '-- +goose Up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n-- +goose Down\nDROP INDEX IF EXISTS i;\n' },
    },
    {
      sql: `SELECT 'é 😀'; ${CREATE}`,
      errors: [{ messageId: 'createIndex', range: [0, 15, 0, 52] }],
      fix: { title: 'Add CONCURRENTLY', output: "SELECT 'é 😀'; CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);" },
    },
    {
      sql: '-- é 😀\r\n  CREATE INDEX IF NOT EXISTS i\r\n    ON t (a);\r\n',
      errors: [{ messageId: 'createIndex', range: [1, 2, 2, 12] }],
      fix: { title: 'Add CONCURRENTLY', output: '-- é 😀\r\n  CREATE INDEX CONCURRENTLY IF NOT EXISTS i\r\n    ON t (a);\r\n' },
    },
    // Dropped and created again under its name: the drop removes the index that exists now.
    { sql: 'DROP INDEX IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);', errors: [{ messageId: 'dropIndex', range: [0, 0, 0, 32] }], fix: { title: 'Add CONCURRENTLY', output: 'DROP INDEX CONCURRENTLY IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);' } },
    { sql: 'REINDEX INDEX users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);', errors: [{ messageId: 'reindex', range: [0, 0, 0, 25] }], fix: { title: 'Add CONCURRENTLY', output: 'REINDEX INDEX CONCURRENTLY users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);' } },
    // A table this migration created stops being new once rows are written to it or it joins an existing table.
    { sql: `CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t (a) SELECT a FROM u;\n${CREATE}`, errors: [{ messageId: 'createIndex', range: [2, 0, 2, 37] }], fix: { title: 'Add CONCURRENTLY', output: `CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t (a) SELECT a FROM u;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);` } },
    { sql: `CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t VALUES (1);\n${CREATE}`, errors: [{ messageId: 'createIndex', range: [2, 0, 2, 37] }], fix: { title: 'Add CONCURRENTLY', output: `CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t VALUES (1);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);` } },
    { sql: `CREATE TABLE IF NOT EXISTS t (a int);\nCOPY t FROM '/data/t.csv';\n${CREATE}`, errors: [{ messageId: 'createIndex', range: [2, 0, 2, 37] }], fix: { title: 'Add CONCURRENTLY', output: `CREATE TABLE IF NOT EXISTS t (a int);\nCOPY t FROM '/data/t.csv';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);` } },
    { sql: `CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE events ATTACH PARTITION t FOR VALUES IN (1);\n${CREATE}`, errors: [{ messageId: 'createIndex', range: [2, 0, 2, 37] }], fix: { title: 'Add CONCURRENTLY', output: `CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE events ATTACH PARTITION t FOR VALUES IN (1);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);` } },
    { sql: 'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t RENAME TO u;\nINSERT INTO u VALUES (1);\nCREATE INDEX IF NOT EXISTS i ON u (a);', errors: [{ messageId: 'createIndex', range: [3, 0, 3, 37] }], fix: { title: 'Add CONCURRENTLY', output: 'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t RENAME TO u;\nINSERT INTO u VALUES (1);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON u (a);' } },
  ],
});
