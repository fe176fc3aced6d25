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
    { sql: CREATE, ranges: [[0, 0, 0, 37]], fix: { title: 'Add CONCURRENTLY', output: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);' } },
    {
      sql: 'CREATE UNIQUE INDEX users_email ON "app"."Users" (lower(email)) WHERE deleted_at IS NULL;',
      ranges: [[0, 0, 0, 88]],
      fix: { title: 'must then run outside a transaction', output: 'CREATE UNIQUE INDEX CONCURRENTLY users_email ON "app"."Users" (lower(email)) WHERE deleted_at IS NULL;' },
    },
    // A table of the same name in another schema, or quoted with another case, is another table.
    { sql: `CREATE TABLE IF NOT EXISTS app.t (a int);\n${CREATE}`, ranges: [[1, 0, 1, 37]] },
    { sql: `CREATE TABLE IF NOT EXISTS "T" (a int);\n${CREATE}`, ranges: [[1, 0, 1, 37]] },
    { sql: 'DROP INDEX IF EXISTS i;', ranges: [[0, 0, 0, 22]], fix: { title: 'Add CONCURRENTLY', output: 'DROP INDEX CONCURRENTLY IF EXISTS i;' } },
    // CONCURRENTLY drops one index, without CASCADE: reported, no fix.
    { sql: 'DROP INDEX IF EXISTS a, b CASCADE;', ranges: [[0, 0, 0, 33]] },
    { sql: 'REINDEX TABLE t;', ranges: [[0, 0, 0, 15]], fix: { title: 'Add CONCURRENTLY', output: 'REINDEX TABLE CONCURRENTLY t;' } },
    { sql: 'REINDEX (VERBOSE) INDEX app.i;', ranges: [[0, 0, 0, 29]], fix: { title: 'Add CONCURRENTLY', output: 'REINDEX (VERBOSE) INDEX CONCURRENTLY app.i;' } },
    // Before PostgreSQL 12 there is no REINDEX CONCURRENTLY: reported without the fix.
    { sql: 'REINDEX INDEX i;', config: { pgVersion: 11 }, ranges: [[0, 0, 0, 15]] },
    { path: GOOSE_PATH, sql: `-- +goose Up\n${CREATE}\n-- +goose Down\nDROP INDEX IF EXISTS i;\n`, ranges: [[1, 0, 1, 37]] },
    // Dropped and created again under its name: the drop removes the index that exists now.
    { sql: 'DROP INDEX IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);', ranges: [[0, 0, 0, 32]], fix: { title: 'Add CONCURRENTLY', output: 'DROP INDEX CONCURRENTLY IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);' } },
    { sql: 'REINDEX INDEX users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);', ranges: [[0, 0, 0, 25]], fix: { title: 'Add CONCURRENTLY', output: 'REINDEX INDEX CONCURRENTLY users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);' } },
    // A table this migration created stops being new once rows are written to it or it joins an existing table.
    { sql: `CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t (a) SELECT a FROM u;\n${CREATE}`, ranges: [[2, 0, 2, 37]] },
    { sql: `CREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t VALUES (1);\n${CREATE}`, ranges: [[2, 0, 2, 37]] },
    { sql: `CREATE TABLE IF NOT EXISTS t (a int);\nCOPY t FROM '/data/t.csv';\n${CREATE}`, ranges: [[2, 0, 2, 37]] },
    { sql: `CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE events ATTACH PARTITION t FOR VALUES IN (1);\n${CREATE}`, ranges: [[2, 0, 2, 37]] },
    { sql: `CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t RENAME TO u;\nINSERT INTO u VALUES (1);\nCREATE INDEX IF NOT EXISTS i ON u (a);`, ranges: [[3, 0, 3, 37]] },
    { sql: `SELECT 'é 😀'; ${CREATE}`, ranges: [[0, 15, 0, 52]] },
    { sql: '-- é 😀\r\n  CREATE INDEX IF NOT EXISTS i\r\n    ON t (a);\r\n', ranges: [[1, 2, 2, 12]] },
  ],
});
