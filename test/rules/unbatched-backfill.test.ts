import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

ruleTests('unbatched-backfill', {
  valid: [
    // Batches: a key range, BETWEEN, LIMIT through a subquery, ctid.
    "UPDATE users SET plan = 'free' WHERE id >= 1 AND id < 10001 AND plan IS NULL;",
    "UPDATE users SET plan = 'free' WHERE 10001 > id AND id >= 1;",
    'DELETE FROM events WHERE id BETWEEN 1 AND 10000;',
    "UPDATE users SET plan = 'free' WHERE id IN (SELECT id FROM users WHERE plan IS NULL LIMIT 1000);",
    'DELETE FROM events WHERE ctid = ANY (ARRAY(SELECT ctid FROM events WHERE created_at < now() - interval \'1 year\' LIMIT 5000));',
    // Rows named by key, or a cursor's row.
    "UPDATE settings SET value = 'x' WHERE id = 1;",
    'DELETE FROM users WHERE id IN (1, 2, 3);',
    'DELETE FROM users WHERE CURRENT OF c;',
    // No WHERE: unbounded-data-change's concern.
    "UPDATE users SET plan = 'free';",
    // A table this migration creates (and has not filled).
    "CREATE TABLE IF NOT EXISTS t (a int);\nUPDATE t SET a = 1 WHERE a IS NULL;",
    "-- UPDATE users SET plan = 'free' WHERE plan IS NULL;\nSELECT $$ DELETE FROM users WHERE plan IS NULL $$, 'UPDATE users SET a = 1 WHERE b';",
    ...inEveryDownPart("UPDATE users SET plan = NULL WHERE plan = 'free';"),
  ],
  invalid: [
    {
      sql: "UPDATE users SET plan = 'free' WHERE plan IS NULL;",
      errors: [{
        messageId: 'unbatched',
        range: [0, 0, 0, 49],
        message: 'UPDATE on users changes every row its WHERE matches in one statement: each is locked until the transaction commits (concurrent writes to them wait) and rewritten at once, however many there are.',
      }],
    },
    // One bound is not a batch; a subquery without LIMIT neither.
    { sql: "DELETE FROM events WHERE created_at < now() - interval '1 year';", errors: [{ messageId: 'unbatched', range: [0, 0, 0, 63] }] },
    { sql: 'DELETE FROM events WHERE id IN (SELECT event_id FROM stale);', errors: [{ messageId: 'unbatched', range: [0, 0, 0, 59] }] },
    { path: GOOSE_PATH, sql: "-- +goose Up\nUPDATE app.users u SET plan = p.plan FROM plans p WHERE p.user_id = u.id;\n-- +goose Down\nSELECT 1;\n", errors: [{ messageId: 'unbatched', range: [1, 0, 1, 72] }] },
    // A created table filled here is existing from then on.
    { sql: 'CREATE TABLE t (a int);\nINSERT INTO t SELECT a FROM u;\nUPDATE t SET a = 0 WHERE a < 0;', errors: [{ messageId: 'unbatched', range: [2, 0, 2, 30] }] },
    { sql: "SELECT 'é 日本語 😀'; UPDATE \"données\" SET \"😀\" = 'é' WHERE \"😀\" IS NULL;\r\n", errors: [{ messageId: 'unbatched', range: [0, 19, 0, 69] }] },
  ],
});
