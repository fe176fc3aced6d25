import { DBMATE_PATH, GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const TWO = 'ALTER TABLE users ADD COLUMN IF NOT EXISTS a int;\nALTER TABLE orders ADD COLUMN IF NOT EXISTS b int;';

const DIR = '/project/db/migrations';
/** An earlier migration: orders with a named foreign key to users, an unnamed one to accounts (orders_account_id_fkey), one to itself. */
const ORDERS = {
  [`${DIR}/20240101_orders.sql`]:
    'CREATE TABLE orders (id int PRIMARY KEY, account_id int REFERENCES accounts, parent_id int, user_id int, total int,\n  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id),\n  CONSTRAINT orders_parent_fk FOREIGN KEY (parent_id) REFERENCES orders (id),\n  CONSTRAINT orders_total_check CHECK (total > 0));',
};
const DROP = (name: string) => `BEGIN;\nALTER TABLE orders DROP CONSTRAINT ${name};\nCOMMIT;`;

ruleTests('multi-table-lock', {
  valid: [
    // Dropping a foreign key locks the table it references too, but not one to the table itself,
    // not a CHECK, and not a constraint another migration dropped since (or only a later one makes).
    { sql: DROP('orders_parent_fk'), files: ORDERS },
    { sql: DROP('orders_total_check'), files: ORDERS },
    { sql: DROP('orders_user_fk'), files: { ...ORDERS, [`${DIR}/20240201_drop.sql`]: 'ALTER TABLE orders DROP CONSTRAINT orders_user_fk;' } },
    { sql: DROP('orders_account_id_fkey'), files: { ...ORDERS, [`${DIR}/20240201_drop.sql`]: 'ALTER TABLE orders DROP CONSTRAINT orders_account_id_fkey;' } },
    { sql: DROP('orders_user_fk'), files: { [`${DIR}/20990101_orders.sql`]: ORDERS[`${DIR}/20240101_orders.sql`] } },
    // A constraint of that name in a comment or a string of the earlier migration.
    { sql: DROP('orders_user_fk'), files: { [`${DIR}/20240101_orders.sql`]: `-- ${ORDERS[`${DIR}/20240101_orders.sql`].replace(/\n/g, ' ')}\nSELECT 'CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)';` } },
    ...inEveryDownPart(DROP('orders_user_fk')).map((c) => (typeof c === 'string' ? { sql: c, files: ORDERS } : { ...c, files: { ...ORDERS, ...c.files } })),
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
    // The foreign key's referenced table, named or unnamed (PostgreSQL's own name), as the earlier migration made it.
    {
      sql: DROP('orders_user_fk'),
      files: ORDERS,
      errors: [{
        messageId: 'secondTable',
        range: [1, 19, 1, 49],
        message: 'DROP CONSTRAINT orders_user_fk (referenced table of the foreign key) takes an ACCESS EXCLUSIVE lock on users in the transaction that already holds one on orders (DROP CONSTRAINT orders_user_fk, line 2): every query on both waits until the transaction commits, and a session that locks them in the other order deadlocks with it.',
      }],
    },
    { sql: DROP('orders_account_id_fkey'), files: ORDERS, errors: [{ messageId: 'secondTable', range: [1, 19, 1, 57] }] },
    // The referenced table renamed since (lemmy's user_ → person): locked under its name now.
    {
      sql: DROP('orders_user_fk'),
      files: { ...ORDERS, [`${DIR}/20240201_rename.sql`]: 'ALTER TABLE users RENAME TO people;\nALTER TABLE people SET SCHEMA app;' },
      errors: [{ messageId: 'secondTable', range: [1, 19, 1, 49], message: 'DROP CONSTRAINT orders_user_fk (referenced table of the foreign key) takes an ACCESS EXCLUSIVE lock on app.people in the transaction that already holds one on orders (DROP CONSTRAINT orders_user_fk, line 2): every query on both waits until the transaction commits, and a session that locks them in the other order deadlocks with it.' }],
    },
    // Made earlier in this migration.
    { sql: `BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders DROP CONSTRAINT orders_user_fk;\nCOMMIT;`, errors: [{ messageId: 'secondTable', range: [2, 19, 2, 49] }] },
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
