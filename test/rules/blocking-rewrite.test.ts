import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

ruleTests('blocking-rewrite', {
  valid: [
    // Forms that let reads and writes go on.
    'VACUUM users;',
    'VACUUM (ANALYZE) users;',
    'VACUUM (FULL FALSE) users;\nVACUUM (FULL off);',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY user_stats;',
    // WITH NO DATA only empties the view.
    'REFRESH MATERIALIZED VIEW user_stats WITH NO DATA;',
    'ALTER TABLE users SET (fillfactor = 70);',
    // Objects this migration creates (and has not filled).
    'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t SET LOGGED;\nCLUSTER t USING t_a;',
    'CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1 AS a WITH NO DATA;\nREFRESH MATERIALIZED VIEW mv;',
    "-- VACUUM FULL users;\nSELECT 'CLUSTER users', $$ VACUUM FULL users $$;",
    ...inEveryDownPart('VACUUM FULL users;\nCLUSTER users;\nREFRESH MATERIALIZED VIEW user_stats;'),
  ],
  invalid: [
    {
      sql: 'VACUUM FULL users;',
      errors: [{
        messageId: 'rewrite',
        range: [0, 0, 0, 17],
        message: 'VACUUM FULL writes a new copy of users under an ACCESS EXCLUSIVE lock: every read and write of it waits until it is done.',
      }],
    },
    { sql: 'VACUUM (FULL, ANALYZE) users, app.orders;', errors: [{ messageId: 'rewrite', range: [0, 0, 0, 40] }, { messageId: 'rewrite', range: [0, 0, 0, 40] }] },
    { sql: 'CLUSTER users USING users_created_at;', errors: [{ messageId: 'rewrite', range: [0, 0, 0, 36] }] },
    // Without a table: every table (CLUSTER: every table clustered before).
    { sql: 'VACUUM FULL;\nCLUSTER;', errors: [{ messageId: 'everyTable', range: [0, 0, 0, 11] }, { messageId: 'everyTable', range: [1, 0, 1, 7] }] },
    {
      sql: 'ALTER TABLE users SET TABLESPACE fast, SET UNLOGGED;\nALTER TABLE orders SET LOGGED;',
      errors: [{ messageId: 'rewrite', range: [0, 18, 0, 37] }, { messageId: 'rewrite', range: [0, 39, 0, 51] }, { messageId: 'rewrite', range: [1, 19, 1, 29] }],
    },
    { path: GOOSE_PATH, sql: '-- +goose Up\nREFRESH MATERIALIZED VIEW app.user_stats;\n-- +goose Down\nSELECT 1;\n', errors: [{ messageId: 'rewrite', range: [1, 0, 1, 40] }] },
    // A table created here and filled is existing from then on.
    { sql: 'CREATE TABLE t (a int);\nINSERT INTO t SELECT a FROM u;\nVACUUM FULL t;', errors: [{ messageId: 'rewrite', range: [2, 0, 2, 13] }] },
    { sql: "SELECT 'é 日本語 😀'; ALTER TABLE \"données\" SET LOGGED;\r\n", errors: [{ messageId: 'rewrite', range: [0, 41, 0, 51] }] },
  ],
});
