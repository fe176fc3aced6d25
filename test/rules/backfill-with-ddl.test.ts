import { GOLANG_UP_PATH, GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const ADD = 'ALTER TABLE users ADD COLUMN IF NOT EXISTS plan text;';
const BACKFILL = "UPDATE users SET plan = 'free' WHERE plan IS NULL;";

ruleTests('backfill-with-ddl', {
  valid: [
    // No transaction, or the schema change committed first.
    `${ADD}\n${BACKFILL}`,
    `BEGIN;\n${ADD}\nCOMMIT;\nBEGIN;\n${BACKFILL}\nCOMMIT;`,
    // The data change comes first, or touches another table, or the lock does not block writes.
    `BEGIN;\n${BACKFILL}\n${ADD}\nCOMMIT;`,
    `BEGIN;\n${ADD}\nUPDATE orders SET plan = 'free';\nCOMMIT;`,
    `BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_plan ON users (plan);\n${BACKFILL}\nCOMMIT;`,
    `BEGIN;\nALTER TABLE users VALIDATE CONSTRAINT users_plan_check;\n${BACKFILL}\nCOMMIT;`,
    // INSERT … VALUES is not a backfill.
    `BEGIN;\n${ADD}\nINSERT INTO users (plan) VALUES ('free');\nCOMMIT;`,
    // A table this migration creates (and has not filled before the lock).
    `BEGIN;\nCREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t ADD COLUMN IF NOT EXISTS plan text;\nUPDATE t SET plan = 'free';\nCOMMIT;`,
    { path: GOOSE_PATH, sql: `-- +goose NO TRANSACTION\n-- +goose Up\n${ADD}\n${BACKFILL}\n-- +goose Down\nSELECT 1;\n` },
    `BEGIN;\n${ADD}\n-- ${BACKFILL}\nSELECT '${BACKFILL.replace(/'/g, "''")}', $$ ${BACKFILL} $$;\nCOMMIT;`,
    ...inEveryDownPart(`BEGIN;\n${ADD}\n${BACKFILL}\nCOMMIT;`),
  ],
  invalid: [
    {
      sql: `BEGIN;\n${ADD}\n${BACKFILL}\nCOMMIT;`,
      errors: [{
        messageId: 'backfill',
        range: [2, 0, 2, 49],
        message: 'UPDATE on users runs in the transaction that took ACCESS EXCLUSIVE on it (ADD COLUMN plan, line 2): the lock is held until the commit, so every query on users waits for the whole data change.',
      }],
    },
    {
      name: 'a SHARE lock (index build) then DELETE and INSERT … SELECT, in goose\'s transaction',
      path: GOOSE_PATH,
      sql: '-- +goose Up\nCREATE INDEX IF NOT EXISTS users_plan ON users (plan);\nDELETE FROM users WHERE plan = \'gone\';\nINSERT INTO users (plan) SELECT plan FROM legacy_users;\n-- +goose Down\nSELECT 1;\n',
      errors: [{ messageId: 'backfill', range: [2, 0, 2, 37], message: "DELETE on users runs in the transaction that took SHARE on it (CREATE INDEX, line 2): the lock is held until the commit, so every write on users waits for the whole data change." }, { messageId: 'backfill', range: [3, 0, 3, 54] }],
    },
    { path: GOLANG_UP_PATH, files: { '/project/migrate/000002_change.down.sql': 'SELECT 1;\n' }, sql: `${ADD}\n${BACKFILL}\n`, errors: [{ messageId: 'backfill', range: [1, 0, 1, 49] }] },
    // A table created here and filled is existing from then on.
    { sql: `BEGIN;\nCREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t SELECT 1 FROM users;\nALTER TABLE t ADD COLUMN IF NOT EXISTS plan text;\nUPDATE t SET plan = 'free';\nCOMMIT;`, errors: [{ messageId: 'backfill', range: [4, 0, 4, 26] }] },
    { sql: "BEGIN;\r\nALTER TABLE \"données\" ADD COLUMN IF NOT EXISTS \"😀\" text;\r\nSELECT 'é 日本語 😀'; UPDATE \"données\" SET \"😀\" = 'é';\r\nCOMMIT;\r\n", errors: [{ messageId: 'backfill', range: [2, 19, 2, 50] }] },
  ],
});
