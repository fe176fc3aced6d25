import { DBMATE_PATH, GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const TWO = 'ALTER TABLE users ADD COLUMN IF NOT EXISTS a int;\nALTER TABLE orders ADD COLUMN IF NOT EXISTS b int;';

ruleTests('multi-table-lock', {
  valid: [
    // No transaction: each statement commits on its own.
    TWO,
    // One transaction per table.
    `BEGIN;\nALTER TABLE users ADD COLUMN IF NOT EXISTS a int;\nCOMMIT;\nBEGIN;\nALTER TABLE orders ADD COLUMN IF NOT EXISTS b int;\nCOMMIT;`,
    // Two actions on one table.
    'BEGIN;\nALTER TABLE users ADD COLUMN IF NOT EXISTS a int;\nALTER TABLE users DROP COLUMN IF EXISTS b;\nCOMMIT;',
    // A table this migration creates; a lock weaker than ACCESS EXCLUSIVE (an index build takes SHARE).
    'BEGIN;\nCREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t ADD COLUMN IF NOT EXISTS b int;\nALTER TABLE users ADD COLUMN IF NOT EXISTS a int;\nCOMMIT;',
    'BEGIN;\nALTER TABLE users ADD COLUMN IF NOT EXISTS a int;\nCREATE INDEX IF NOT EXISTS orders_b ON orders (b);\nCOMMIT;',
    // goose without its transaction.
    { path: GOOSE_PATH, sql: `-- +goose NO TRANSACTION\n-- +goose Up\n${TWO}\n-- +goose Down\nSELECT 1;\n` },
    // Comments, strings, dollar quotes.
    `BEGIN;\n-- ${TWO.replace('\n', ' ')}\nSELECT 'ALTER TABLE orders ADD COLUMN b int', $$ ALTER TABLE users ADD COLUMN a int $$;\nCOMMIT;`,
    ...inEveryDownPart(`BEGIN;\n${TWO}\nCOMMIT;`),
  ],
  invalid: [
    {
      sql: `BEGIN;\n${TWO}\nCOMMIT;`,
      errors: [{
        messageId: 'secondTable',
        range: [2, 19, 2, 49],
        message: 'ADD COLUMN b takes an ACCESS EXCLUSIVE lock on orders in the transaction that already holds one on users (ADD COLUMN a, line 2): every query on both waits until the transaction commits, and a session that locks them in the other order deadlocks with it.',
      }],
    },
    // The runners' transactions; reported once per transaction, at the second table.
    { path: GOOSE_PATH, sql: `-- +goose Up\n${TWO}\nDROP TABLE IF EXISTS legacy;\n-- +goose Down\nSELECT 1;\n`, errors: [{ messageId: 'secondTable', range: [2, 19, 2, 49] }] },
    { path: DBMATE_PATH, sql: `-- migrate:up\nTRUNCATE users, orders;\n\n-- migrate:down\nSELECT 1;\n`, errors: [{ messageId: 'secondTable', range: [1, 0, 1, 22] }] },
    { sql: TWO, config: { assumeInTransaction: true }, errors: [{ messageId: 'secondTable', range: [1, 19, 1, 49] }] },
    // A table created here and then filled counts as existing after that.
    { sql: `BEGIN;\nCREATE TABLE IF NOT EXISTS t (a int);\nINSERT INTO t SELECT id FROM users;\nALTER TABLE users ADD COLUMN IF NOT EXISTS a int;\nALTER TABLE t ADD COLUMN IF NOT EXISTS b int;\nCOMMIT;`, errors: [{ messageId: 'secondTable', range: [4, 14, 4, 44] }] },
    // Multi-byte text, CRLF.
    { sql: "BEGIN;\r\nSELECT 'é 日本語 😀'; ALTER TABLE \"données\" RENAME COLUMN a TO b;\r\nALTER TABLE \"😀\" DROP COLUMN IF EXISTS c;\r\nCOMMIT;\r\n", errors: [{ messageId: 'secondTable', range: [2, 17, 2, 40] }] },
  ],
});
