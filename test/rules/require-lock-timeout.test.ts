import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const ADD = 'ALTER TABLE t ADD COLUMN IF NOT EXISTS a int;';
const SET = "SET lock_timeout = '5s';";

ruleTests('require-lock-timeout', {
  valid: [
    `${SET}\n${ADD}`,
    `SET lock_timeout TO 5000;\n${ADD}`,
    `SELECT set_config('lock_timeout', '3s', false);\n${ADD}`,
    // SET LOCAL holds inside the transaction: explicit, or the runner's.
    `BEGIN;\nSET LOCAL lock_timeout = '5s';\n${ADD}\nCOMMIT;`,
    { path: GOOSE_PATH, sql: `-- +goose Up\nSET LOCAL lock_timeout = '5s';\n${ADD}\n` },
    // Locks that do not block writes: CREATE INDEX CONCURRENTLY, VALIDATE, COMMENT, plain DML.
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);',
    'ALTER TABLE t VALIDATE CONSTRAINT c;',
    "COMMENT ON TABLE t IS 'x';",
    "UPDATE t SET a = 1 WHERE id = 1;\nINSERT INTO t (a) VALUES (1);",
    // Tables (and indexes) this migration creates.
    'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t ADD COLUMN IF NOT EXISTS b int;\nCREATE INDEX IF NOT EXISTS i ON t (b);\nDROP INDEX IF EXISTS i;',
    `-- ${ADD}\nSELECT '${ADD}';`,
    ...inEveryDownPart(ADD),
  ],
  invalid: [
    { sql: ADD, errors: [{ messageId: 'blocksReads', range: [0, 0, 0, 44], message: 'ADD COLUMN a takes an ACCESS EXCLUSIVE lock on t with no lock_timeout set: if another transaction holds a conflicting lock, this statement waits for it, and every query on it, reads included, queues behind this statement for as long.' }], fix: { title: 'lock_timeout', output: `${SET}\n${ADD}` } },
    {
      name: 'the fix goes below the header comments and above the first statement of the UP part',
      sql: `-- Migration: add a\n-- UP Migration\n  ${ADD}\n\n-- DOWN Migration (Rollback)\n-- ALTER TABLE t DROP COLUMN IF EXISTS a;\n`,
      errors: [{ messageId: 'blocksReads', range: [2, 2, 2, 46] }],
      fix: { title: 'lock_timeout', output: `-- Migration: add a\n-- UP Migration\n${SET}\n  ${ADD}\n\n-- DOWN Migration (Rollback)\n-- ALTER TABLE t DROP COLUMN IF EXISTS a;\n` },
    },
    {
      name: 'goose: above StatementBegin, not inside the statement block',
      path: GOOSE_PATH,
      sql: `-- +goose Up\n-- +goose StatementBegin\n${ADD}\n-- +goose StatementEnd\n`,
      errors: [{ messageId: 'blocksReads', range: [2, 0, 2, 44] }],
      fix: { title: 'lock_timeout', output: `-- +goose Up\n${SET}\n-- +goose StatementBegin\n${ADD}\n-- +goose StatementEnd\n` },
    },
    // SET LOCAL outside a transaction block changes nothing; after COMMIT it is gone. The file
    // sets lock_timeout itself: the fix goes right before the statement, where nothing undoes it.
    {
      sql: `SET LOCAL lock_timeout = '5s';\n${ADD}`,
      errors: [{ messageId: 'blocksReads', range: [1, 0, 1, 44] }],
      fix: { title: 'before this statement', output: `SET LOCAL lock_timeout = '5s';\n${SET}\n${ADD}` },
    },
    {
      sql: `BEGIN;\nSET LOCAL lock_timeout = '5s';\nCOMMIT;\n${ADD}`,
      errors: [{ messageId: 'blocksReads', range: [3, 0, 3, 44] }],
      fix: { title: 'before this statement', output: `BEGIN;\nSET LOCAL lock_timeout = '5s';\nCOMMIT;\n${SET}\n${ADD}` },
    },
    // Zero turns it off; RESET goes back to the server's (off) default: a SET at the top would be undone.
    {
      sql: `SET lock_timeout = 0;\n${ADD}`,
      errors: [{ messageId: 'blocksReads', range: [1, 0, 1, 44] }],
      fix: { title: 'before this statement', output: `SET lock_timeout = 0;\n${SET}\n${ADD}` },
    },
    {
      name: 'the fix keeps the indentation, and goes after other SQL on the line',
      sql: `${SET}\nRESET lock_timeout;\n  ${ADD}\nRESET ALL; ${ADD}`,
      errors: [{ messageId: 'blocksReads', range: [2, 2, 2, 46] }, { messageId: 'blocksReads', range: [3, 11, 3, 55] }],
      fix: { title: 'before this statement', output: `${SET}\nRESET lock_timeout;\n  ${SET}\n  ${ADD}\nRESET ALL; ${ADD}` },
    },
    {
      sql: `${SET}\nRESET lock_timeout;\n${ADD}\nRESET ALL; ${ADD}`,
      errors: [{ messageId: 'blocksReads', range: [2, 0, 2, 44] }, { messageId: 'blocksReads', range: [3, 11, 3, 55] }],
      fix: { title: 'before this statement', finding: 1, output: `${SET}\nRESET lock_timeout;\n${ADD}\nRESET ALL; ${SET} ${ADD}` },
    },
    {
      sql: `SET statement_timeout = '5s';\n${ADD}`,
      errors: [{ messageId: 'blocksReads', range: [1, 0, 1, 44] }],
      fix: { title: 'at the top of the UP part', output: `${SET}\nSET statement_timeout = '5s';\n${ADD}` },
    },
    // SHARE (CREATE INDEX), SHARE ROW EXCLUSIVE (foreign key, trigger), ACCESS EXCLUSIVE (DROP INDEX, TRUNCATE).
    {
      sql: 'CREATE INDEX IF NOT EXISTS i ON t (a);\nALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\nDROP INDEX IF EXISTS j;\nTRUNCATE t;',
      errors: [
        {
          messageId: 'blocksWrites',
          range: [0, 0, 0, 37],
          message: 'CREATE INDEX takes a SHARE lock on t with no lock_timeout set: if another transaction holds a conflicting lock, this statement waits for it, and every write to it queues behind this statement for as long.',
          help: 'Set lock_timeout first (and retry the migration if it times out).',
        },
        { messageId: 'blocksWrites', range: [1, 0, 1, 75] },
        { messageId: 'blocksWrites', range: [2, 0, 2, 69] },
        { messageId: 'blocksReads', range: [3, 0, 3, 22] },
        { messageId: 'blocksReads', range: [4, 0, 4, 10] },
      ],
      // One SET at the top covers every statement after it.
      fix: { title: 'at the top of the UP part', finding: 3, output: `${SET}\nCREATE INDEX IF NOT EXISTS i ON t (a);\nALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\nDROP INDEX IF EXISTS j;\nTRUNCATE t;`, remaining: 0 },
    },
    // A foreign key from a new table still locks the table it references.
    {
      sql: 'CREATE TABLE IF NOT EXISTS child (id int, parent_id int REFERENCES parent (id));',
      errors: [{ messageId: 'blocksWrites', range: [0, 0, 0, 79] }],
      fix: { title: 'lock_timeout', output: `${SET}\nCREATE TABLE IF NOT EXISTS child (id int, parent_id int REFERENCES parent (id));` },
    },
    { sql: `SELECT 'é 😀'; ${ADD}`, errors: [{ messageId: 'blocksReads', range: [0, 15, 0, 59] }], fix: { title: 'lock_timeout', output: `${SET}\nSELECT 'é 😀'; ${ADD}` } },
  ],
});
