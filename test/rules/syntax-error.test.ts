import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSql, rangesOf } from '../helpers/lint';
import { ruleTests } from './rule-tester';

const UP = '-- UP Migration\n';
const DOWN = '\n-- DOWN Migration (Rollback)\n-- DROP TABLE IF EXISTS t;\n';
const GOOSE = '/project/migrations/20240101120000_add_function.sql';

ruleTests('syntax-error', {
  valid: [
    'CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);',
    `${UP}ALTER TABLE t ADD COLUMN IF NOT EXISTS a text;${DOWN}`,
    // psql meta-commands are not SQL.
    { name: 'psql meta-commands', sql: '\\set ON_ERROR_STOP on\n\\timing\nSELECT 1;\n\\i other.sql\n\\echo done\n' },
    // A commented-out DOWN section with prose is read, never reported.
    `${UP}SELECT 1;\n-- DOWN Migration (Rollback)\n-- Remove the table (it was only used by the importer)\n-- DROP TABLE t;\n`,
    // goose StatementBegin / StatementEnd around a body with semicolons.
    {
      path: GOOSE,
      sql: '-- +goose Up\n-- +goose StatementBegin\nCREATE OR REPLACE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.updated_at = now();\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n-- +goose StatementEnd\n\n-- +goose Down\nDROP FUNCTION IF EXISTS f();\n',
    },
    // dbmate markers.
    { path: '/project/db/migrations/20240101120000_x.sql', sql: '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n\n-- migrate:down\nDROP INDEX CONCURRENTLY IF EXISTS i;\n' },
    // Semicolons in strings, quoted identifiers, dollar quotes and comments do not split.
    `SELECT 'a; b', "c;d", $tag$ e; f $tag$, E'g\\'; h';\n/* i; j */ SELECT 2; -- k; l\n`,
    // SQL-standard function bodies keep their inner semicolons.
    'CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + b; END;',
    'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END;',
    // Multi-byte identifiers and text.
    'CREATE TABLE IF NOT EXISTS "日本語" ("é" text DEFAULT \'😀\');',
    '',
    '-- only a comment\n',
  ],
  invalid: [
    { sql: 'SELEC 1;', errors: [{ messageId: 'syntaxError', range: [0, 0, 0, 5], message: 'Syntax error: syntax error at or near "SELEC".' }] },
    // One bad statement does not hide the others: the next ones are still parsed (and a rule fires).
    { name: 'a bad statement among good ones', sql: `${UP}SELECT 1;\nALTER TABL t ADD COLUMN a int;\nALTER TABLE t ADD COLUMN IF NOT EXISTS b int;${DOWN}`, errors: [{ messageId: 'syntaxError', range: [2, 6, 2, 10] }] },
    // At end of input: the last token of the statement.
    { sql: 'ALTER TABLE t ADD COLUMN;\nSELECT 1;', errors: [{ messageId: 'syntaxError', range: [0, 18, 0, 24] }] },
    // Two bad statements, two errors.
    { sql: 'SELECT FROM WHERE;\nSELECT 1;\nCREATE TABLE (a int);', errors: [{ messageId: 'syntaxError', range: [0, 12, 0, 17] }, { messageId: 'syntaxError', range: [2, 13, 2, 14] }] },
    // Unterminated quotes: one error at the opening quote, no hang.
    { sql: "SELECT 1;\nSELECT 'abc;\nDROP TABLE t;\n", errors: [{ messageId: 'syntaxError', range: [1, 7, 1, 8] }] },
    { sql: 'SELECT 1;\nSELECT $body$ abc;\nDROP TABLE t;\n', errors: [{ messageId: 'syntaxError', range: [1, 7, 1, 8] }] },
    { sql: 'SELECT 1;\nSELECT "abc;\nDROP TABLE t;\n', errors: [{ messageId: 'syntaxError', range: [1, 7, 1, 8] }] },
    { sql: 'SELECT 1;\n/* abc;\nDROP TABLE t;\n', errors: [{ messageId: 'syntaxError', range: [1, 0, 1, 2] }] },
    // Multi-byte text and an emoji before the error on the same line: the position does not shift.
    { sql: "SELECT 'é 日本語 😀' FROM t WHERE x = ) + 1;", errors: [{ messageId: 'syntaxError', range: [0, 35, 0, 36] }] },
    { sql: "SELECT '😀😀' AS a, b FROM t WHERE x = ;", errors: [{ messageId: 'syntaxError', range: [0, 37, 0, 38] }] },
    // goose: the error inside the UP section.
    { path: GOOSE, sql: '-- +goose Up\nCREATE TABLE IF NOT EXISTS t (a int,);\n-- +goose Down\nDROP TABLE IF EXISTS t;\n', errors: [{ messageId: 'syntaxError', range: [1, 36, 1, 37] }] },
    // A DOWN part written as SQL is checked too.
    { sql: `${UP}SELECT 1;\n-- DOWN Migration (Rollback)\nDROP TABEL t;\n`, errors: [{ messageId: 'syntaxError', range: [3, 5, 3, 10] }] },
  ],
});

test('an unterminated dollar quote in a long file is one error and returns quickly', () => {
  const body = 'ALTER TABLE t ADD COLUMN IF NOT EXISTS a int;\n'.repeat(2000);
  const started = Date.now();
  const { findings } = lintSql(`SELECT $$ never closed;\n${body}`);
  assert.deepEqual(rangesOf(findings, 'syntax-error'), [[0, 7, 0, 8]]);
  assert.ok(Date.now() - started < 5000);
});

test('statements after a syntax error are still analysed by the other rules', () => {
  const { findings } = lintSql(`${UP}SELEC 1;\nALTER TABLE t DROP COLUMN IF EXISTS a;${DOWN}`);
  assert.deepEqual(rangesOf(findings, 'syntax-error'), [[1, 0, 1, 5]]);
  assert.deepEqual(rangesOf(findings, 'drop-column'), [[2, 14, 2, 37]]);
});

test('the message is PostgreSQL\'s own', () => {
  const [finding] = lintSql('SELEC 1;').findings.filter((f) => f.rule === 'syntax-error');
  assert.equal(finding.message, 'Syntax error: syntax error at or near "SELEC".');
  assert.equal(finding.severity, 'error');
});

test('an unterminated string is quoted by its first line only', () => {
  const [finding] = lintSql("SELECT 1;\nSELECT 'abc;\nDROP TABLE t;\nDROP TABLE u;\n").findings.filter((f) => f.rule === 'syntax-error');
  assert.equal(finding.message, 'Syntax error: unterminated quoted string at or near "\'abc;…".');
  const [comment] = lintSql('SELECT 1;\n/* abc;\nDROP TABLE t;\n').findings.filter((f) => f.rule === 'syntax-error');
  assert.equal(comment.message, 'Syntax error: unterminated /* comment.');
});

test('thousands of syntax errors: each on its own statement, where a suppression finds it', () => {
  const lines = Array.from({ length: 3000 }, (_, i) => `SELEC ${i};`);
  lines[2500] = `-- safemig-ignore syntax-error: kept on purpose\n${lines[2500]}`;
  lines[2700] += ' -- safemig-ignore syntax-error: this one too';
  const { findings } = lintSql(lines.join('\n'));
  const errors = rangesOf(findings, 'syntax-error');
  assert.equal(errors.length, 2998);
  // The comment above statement 2500 takes a line of its own: statement i > 2500 is on line i + 1.
  assert.deepEqual(errors.slice(2499, 2501), [[2499, 0, 2499, 5], [2502, 0, 2502, 5]]);
  assert.deepEqual(errors.slice(2698, 2700), [[2700, 0, 2700, 5], [2702, 0, 2702, 5]]);
  assert.deepEqual(findings.filter((f) => f.rule !== 'syntax-error' && f.rule !== 'missing-rollback'), []);
});

test('a NUL character (an editor can hold one) is an error of its own, and the statements after it are still read', () => {
  const { findings } = lintSql(`${UP}SELECT 1\u0000;\nALTER TABLE t DROP COLUMN IF EXISTS a;${DOWN}`);
  assert.deepEqual(rangesOf(findings, 'syntax-error'), [[1, 8, 1, 9]]);
  assert.equal(findings.find((f) => f.rule === 'syntax-error')?.message, 'Syntax error: a NUL character (0x00), which PostgreSQL refuses in SQL text.');
  assert.deepEqual(rangesOf(findings, 'drop-column'), [[2, 14, 2, 37]]);
});
