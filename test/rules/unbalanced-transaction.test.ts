import { DBMATE_PATH, GOLANG_UP_PATH, GOOSE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

ruleTests('unbalanced-transaction', {
  valid: [
    'BEGIN;\nALTER TABLE t ADD COLUMN IF NOT EXISTS a int;\nCOMMIT;',
    'START TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nEND;',
    'BEGIN;\nSAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\nROLLBACK;',
    'BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\nSELECT 2;\nCOMMIT;',
    'BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;',
    // Each part on its own, also a DOWN section written as comments.
    '-- UP Migration\nBEGIN;\nSELECT 1;\nCOMMIT;\n\n-- DOWN Migration (Rollback)\n-- BEGIN;\n-- SELECT 2;\n-- COMMIT;\n',
    // golang-migrate's query string accepts an explicit BEGIN … COMMIT.
    { path: GOLANG_UP_PATH, sql: 'BEGIN;\nSELECT 1;\nSELECT 2;\nCOMMIT;' },
    // dbmate before transaction:false: end the runner's transaction and open a new one for it to commit.
    { path: DBMATE_PATH, sql: '-- migrate:up\nCOMMIT;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nBEGIN;\n-- migrate:down\nSELECT 1;\n' },
    // A statement PostgreSQL cannot parse (a psql \gset query) may hold the BEGIN: no verdict.
    'SELECT 1 AS v\n\\gset\nBEGIN;\nSELECT 2;\nCOMMIT;',
    "-- BEGIN;\nSELECT 'BEGIN;', $$ COMMIT $$;",
  ],
  invalid: [
    { sql: 'BEGIN;\nALTER TABLE t ADD COLUMN IF NOT EXISTS a int;', errors: [{ messageId: 'neverCommitted', range: [0, 0, 0, 5], message: 'This BEGIN is never committed in the UP part: when the session ends, everything after it is rolled back.' }] },
    { sql: 'ALTER TABLE t ADD COLUMN IF NOT EXISTS a int;\nCOMMIT;', errors: [{ messageId: 'endWithoutBegin', range: [1, 0, 1, 6], message: 'COMMIT with no open transaction: PostgreSQL warns ("there is no transaction in progress") and does nothing.' }] },
    { sql: 'SELECT 1;\nROLLBACK;', errors: [{ messageId: 'endWithoutBegin', range: [1, 0, 1, 8], help: 'Add the missing BEGIN before the statements it should cover, or remove it.' }] },
    { sql: "SELECT 1;\nPREPARE TRANSACTION 'x';", errors: [{ messageId: 'prepareWithoutBegin', range: [1, 0, 1, 23], message: 'PREPARE TRANSACTION with no open transaction: PostgreSQL rejects it.' }] },
    { sql: 'BEGIN;\nSELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;\nCOMMIT;', errors: [{ messageId: 'nestedBegin', range: [2, 0, 2, 5], message: 'BEGIN inside the transaction opened on line 1: PostgreSQL ignores it with a warning ("there is already a transaction in progress"), and the first COMMIT ends the outer transaction.' }, { messageId: 'endWithoutBegin', range: [5, 0, 5, 6] }] },
    // goose runs the part in its own transaction: a BEGIN in the file is a nested one.
    { path: GOOSE_PATH, sql: '-- +goose Up\nBEGIN;\nSELECT 1;\nCOMMIT;\n-- +goose Down\nSELECT 2;\n', errors: [{ messageId: 'beginInRunnerTransaction', range: [1, 0, 1, 5], message: 'goose already runs this part in a transaction: this BEGIN is ignored with a warning ("there is already a transaction in progress"), and the COMMIT that follows ends goose\'s transaction early, so the rest of the part and goose\'s own bookkeeping run outside it.', help: "Remove BEGIN and COMMIT, or turn off goose's transaction for this file." }] },
    // Parts are judged apart: BEGIN in UP, COMMIT in DOWN.
    { sql: '-- UP Migration\nBEGIN;\nSELECT 1;\n\n-- DOWN Migration (Rollback)\nSELECT 2;\nCOMMIT;\n', errors: [{ messageId: 'neverCommitted', range: [1, 0, 1, 5] }, { messageId: 'endWithoutBegin', range: [6, 0, 6, 6] }] },
    { sql: '-- UP Migration\nSELECT 1;\n\n-- DOWN Migration (Rollback)\n-- BEGIN;\n-- SELECT 2;\n', errors: [{ messageId: 'neverCommitted', range: [4, 3, 4, 8] }] },
    { sql: "SELECT 'é 😀'; BEGIN; SELECT 1;", errors: [{ messageId: 'neverCommitted', range: [0, 15, 0, 20] }] },
  ],
});
