import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Config } from '../../server/src/config/config';
import { lintSql } from '../helpers/lint';
import { DBMATE_PATH, GOLANG_UP_PATH, GOOSE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

const ADD = "ALTER TYPE mood ADD VALUE 'ok';";
const USE = "UPDATE people SET mood = 'ok' WHERE id = 1;";

ruleTests('enum-value-in-transaction', {
  valid: [
    // No transaction: the template convention runs the file as written.
    `${ADD}\n${USE}`,
    { sql: ADD, config: { pgVersion: 11 } },
    // PostgreSQL 12+: adding in a transaction is fine while the value is not used there.
    `BEGIN;\n${ADD}\nCOMMIT;\n${USE}`,
    `BEGIN;\n${ADD}\nCOMMIT;\nBEGIN;\n${USE}\nCOMMIT;`,
    `BEGIN;\n${ADD}\nUPDATE people SET mood = 'okay';\nCOMMIT;`,
    // goose without its transaction.
    { path: GOOSE_PATH, sql: `-- +goose NO TRANSACTION\n-- +goose Up\n${ADD}\n${USE}\n-- +goose Down\nSELECT 1;\n` },
    // A type created in the same transaction may take values and use them (every version).
    "BEGIN;\nCREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'ok';\nUPDATE people SET mood = 'ok';\nCOMMIT;",
    { sql: "BEGIN;\nCREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'ok';\nCOMMIT;", config: { pgVersion: 11 } },
    // One value added to several types (hatchet's migrations) is no use of it.
    { path: GOOSE_PATH, sql: `-- +goose Up\nALTER TYPE "A" ADD VALUE 'BACKOFF';\nALTER TYPE "B" ADD VALUE 'BACKOFF';\n-- +goose Down\nSELECT 1;\n` },
    // RENAME VALUE may run in a transaction.
    { sql: "BEGIN;\nALTER TYPE mood RENAME VALUE 'ok' TO 'fine';\nCOMMIT;", config: { pgVersion: 11 } },
    // The value named in a comment, or inside a function body (not run here).
    `BEGIN;\n${ADD}\n-- ${USE}\nCREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE sql AS $$ ${USE} $$;\nCOMMIT;`,
    "-- BEGIN; ALTER TYPE mood ADD VALUE 'ok';\nSELECT $$ BEGIN; ALTER TYPE mood ADD VALUE 'ok'; $$;",
  ],
  invalid: [
    {
      sql: `BEGIN;\n${ADD}\n${USE}\nCOMMIT;`,
      errors: [{
        messageId: 'usedBeforeCommit',
        range: [1, 16, 1, 30],
        message: "The value 'ok' added to mood is used on line 3 before the transaction commits: PostgreSQL rejects that (ERROR: unsafe use of new value 'ok' of enum type mood).",
      }],
    },
    {
      name: 'PostgreSQL 11 rejects it in any transaction, as an error',
      sql: `BEGIN;\nALTER TYPE app.mood ADD VALUE IF NOT EXISTS 'ok' BEFORE 'sad';\nCOMMIT;`,
      config: { pgVersion: 11 },
      errors: [{ messageId: 'failsBeforeTwelve', range: [1, 20, 1, 61], message: 'ALTER TYPE app.mood ADD VALUE runs inside a transaction, where PostgreSQL 11 rejects it (ERROR: ALTER TYPE ... ADD cannot run inside a transaction block).' }],
    },
    // The runners' transactions.
    { path: GOOSE_PATH, sql: `-- +goose Up\n${ADD}\n${USE}\n-- +goose Down\nSELECT 1;\n`, errors: [{ messageId: 'usedBeforeCommit', range: [1, 16, 1, 30] }] },
    { path: DBMATE_PATH, sql: `-- migrate:up\n${ADD}\nINSERT INTO people (mood) VALUES ('ok');\n\n-- migrate:down\nSELECT 1;\n`, errors: [{ messageId: 'usedBeforeCommit', range: [1, 16, 1, 30] }] },
    { path: GOLANG_UP_PATH, files: { '/project/migrate/000002_change.down.sql': 'SELECT 1;\n' }, sql: `${ADD}\n${USE}\n`, errors: [{ messageId: 'usedBeforeCommit', range: [0, 16, 0, 30] }] },
    { path: GOOSE_PATH, sql: `-- +goose Up\n${ADD}\n-- +goose Down\nSELECT 1;\n`, config: { pgVersion: 10 }, errors: [{ messageId: 'failsBeforeTwelve', range: [1, 16, 1, 30] }] },
    { sql: ADD, config: { assumeInTransaction: true, pgVersion: 11 }, errors: [{ messageId: 'failsBeforeTwelve', range: [0, 16, 0, 30] }] },
    // Multi-byte text, a value with a quote, CRLF.
    {
      sql: "BEGIN;\r\nSELECT 'é 日本語 😀'; ALTER TYPE \"humeur\" ADD VALUE 'l''été';\r\nINSERT INTO t VALUES ('l''été');\r\nCOMMIT;\r\n",
      errors: [{ messageId: 'usedBeforeCommit', range: [1, 39, 1, 57] }],
    },
  ],
});

test('the default severity is error before PostgreSQL 12, warning after; a configured one wins', () => {
  const severities = (config: Partial<Config>, sql: string) => lintSql(sql, { config }).findings.filter((f) => f.rule === 'enum-value-in-transaction').map((f) => f.severity);
  assert.deepEqual(severities({ pgVersion: 11 }, `BEGIN;\n${ADD}\nCOMMIT;`), ['error']);
  assert.deepEqual(severities({ pgVersion: 16 }, `BEGIN;\n${ADD}\n${USE}\nCOMMIT;`), ['warning']);
  assert.deepEqual(severities({ pgVersion: 11, rules: { 'enum-value-in-transaction': 'info' } }, `BEGIN;\n${ADD}\nCOMMIT;`), ['info']);
});
