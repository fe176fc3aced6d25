import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, fixOf, lintSql, rangesOf } from '../helpers/lint';
import { GOLANG_UP_PATH, GOOSE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

const GOLANG_DOWN_PATH = GOLANG_UP_PATH.replace('.up.sql', '.down.sql');
const template = (up: string, down: string) => `-- UP Migration\n${up}\n\n-- DOWN Migration (Rollback)\n${down}\n`;
const SEVERAL = "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nCREATE SEQUENCE IF NOT EXISTS s;\nCREATE TYPE mood AS ENUM ('ok');";

ruleTests('incomplete-rollback', {
  valid: [
    template('CREATE TABLE IF NOT EXISTS a (id int);', '-- DROP TABLE IF EXISTS a;'),
    template('CREATE TABLE IF NOT EXISTS app."Users" (id int);', 'DROP TABLE IF EXISTS app."Users";'),
    template('CREATE TABLE IF NOT EXISTS public.a (id int);', 'DROP TABLE a;'),
    // The table's drop takes its indexes, constraints, triggers and columns with it.
    template('CREATE TABLE IF NOT EXISTS a (id int);\nCREATE INDEX IF NOT EXISTS a_id ON a (id);\nALTER TABLE a ADD CONSTRAINT a_id_check CHECK (id > 0);', 'DROP TABLE IF EXISTS a;'),
    // Dropping a column drops the indexes and constraints that involve it (seed 000's rollback).
    template(
      "ALTER TABLE conversation_state ADD COLUMN IF NOT EXISTS architecture_version TEXT DEFAULT 'agent';\nCREATE INDEX IF NOT EXISTS idx_cs_av ON conversation_state (lower(architecture_version));",
      '-- ALTER TABLE conversation_state DROP COLUMN IF EXISTS architecture_version;',
    ),
    template('ALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE t RENAME TO u;', 'ALTER TABLE u RENAME TO t;\nALTER TABLE t RENAME COLUMN b TO a;'),
    template('ALTER INDEX i RENAME TO j;', 'ALTER INDEX j RENAME TO i;'),
    template('CREATE SCHEMA IF NOT EXISTS s;\nCREATE TABLE IF NOT EXISTS s.t (id int);\nCREATE OR REPLACE VIEW s.v AS SELECT 1;', 'DROP SCHEMA IF EXISTS s CASCADE;'),
    // A helper created and dropped again by the UP part itself.
    template('CREATE TABLE IF NOT EXISTS tmp_ids AS SELECT id FROM t;\nUPDATE t SET a = 1 WHERE id IN (SELECT id FROM tmp_ids);\nDROP TABLE IF EXISTS tmp_ids;', 'SELECT 1;'),
    // CREATE OR REPLACE, restored by the rollback; an object the UP dropped first, re-created.
    template('CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;', 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;'),
    template('DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT 2;', 'SELECT 1;'),
    // CASCADE drops dependent views and foreign keys the SQL does not name.
    template('CREATE MATERIALIZED VIEW IF NOT EXISTS user_mview AS SELECT * FROM user_view;', 'DROP VIEW IF EXISTS user_view CASCADE;'),
    // Data changes have no mechanical inverse: not this rule's business.
    template("UPDATE t SET a = 1 WHERE id = 1;\nINSERT INTO t (a) VALUES (1);", 'SELECT 1;'),
    // No DOWN part: missing-rollback reports that; a DOWN part PostgreSQL cannot parse gets no verdict.
    'CREATE TABLE IF NOT EXISTS a (id int);',
    template('CREATE TABLE IF NOT EXISTS a (id int);', 'DROP TABLE a ON CASCADE;'),
    // The DOWN file of a golang-migrate pair.
    { path: GOLANG_UP_PATH, files: { [GOLANG_DOWN_PATH]: 'DROP TABLE IF EXISTS inbox;\n' }, sql: 'CREATE TABLE IF NOT EXISTS inbox (id int);\n' },
    { path: GOLANG_DOWN_PATH, files: { [GOLANG_UP_PATH]: 'CREATE TABLE IF NOT EXISTS inbox (id int);\nCREATE TABLE IF NOT EXISTS outbox (id int);\n' }, sql: 'DROP TABLE IF EXISTS inbox;\n' },
  ],
  invalid: [
    {
      name: 'commented-out DOWN section: the inverse is appended commented out, in rollback order',
      sql: template('CREATE TABLE IF NOT EXISTS a (id int);\nCREATE TABLE IF NOT EXISTS b (id int);', '-- DROP TABLE IF EXISTS a;'),
      errors: [{ messageId: 'notUndone', range: [2, 0, 2, 37], message: 'The rollback (the DOWN part) does not undo this: it needs DROP TABLE IF EXISTS b; Without it, rolling back leaves this change in the database, and applying the migration again fails.' }],
      fix: { title: 'Append DROP TABLE IF EXISTS b;', output: template('CREATE TABLE IF NOT EXISTS a (id int);\nCREATE TABLE IF NOT EXISTS b (id int);', '-- DROP TABLE IF EXISTS b;\n-- DROP TABLE IF EXISTS a;') },
    },
    {
      name: 'a column of an existing table, the ADD COLUMN clause',
      sql: template('ALTER TABLE t ADD COLUMN IF NOT EXISTS a int, ADD COLUMN IF NOT EXISTS b int;', 'ALTER TABLE t DROP COLUMN IF EXISTS a;'),
      errors: [{ messageId: 'notUndone', range: [1, 46, 1, 76] }],
      fix: { title: 'Append', output: template('ALTER TABLE t ADD COLUMN IF NOT EXISTS a int, ADD COLUMN IF NOT EXISTS b int;', 'ALTER TABLE t DROP COLUMN IF EXISTS a;\nALTER TABLE t DROP COLUMN IF EXISTS b;') },
    },
    {
      name: 'a rename with no rename back',
      sql: template('ALTER TABLE "App"."T" RENAME COLUMN a TO "B";', 'SELECT 1;'),
      errors: [{ messageId: 'notUndone', range: [1, 0, 1, 44] }],
      fix: { title: 'Append', output: template('ALTER TABLE "App"."T" RENAME COLUMN a TO "B";', 'SELECT 1;\nALTER TABLE "App"."T" RENAME COLUMN "B" TO a;') },
    },
    {
      name: 'golang-migrate: the fix writes the .down.sql twin, before its COMMIT',
      path: GOLANG_UP_PATH,
      files: { [GOLANG_DOWN_PATH]: 'BEGIN;\nDROP TABLE IF EXISTS inbox;\nCOMMIT;\n' },
      sql: 'CREATE TABLE IF NOT EXISTS inbox (id int);\nCREATE INDEX IF NOT EXISTS messages_inbox ON messages (inbox_id);\n',
      errors: [{ messageId: 'notUndone', range: [1, 0, 1, 64] }],
      fix: { title: 'Append', output: { [GOLANG_DOWN_PATH]: 'BEGIN;\nDROP INDEX IF EXISTS messages_inbox;\nDROP TABLE IF EXISTS inbox;\nCOMMIT;\n' } },
    },
    {
      name: 'goose: a new statement goes before the DOWN statement of an earlier UP statement, above its StatementBegin',
      path: GOOSE_PATH,
      sql: '-- +goose Up\nCREATE TABLE IF NOT EXISTS a (id int);\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n-- +goose Down\n-- +goose StatementBegin\nDROP TABLE IF EXISTS a;\n-- +goose StatementEnd\n',
      errors: [{ messageId: 'notUndone', range: [2, 0, 2, 38] }],
      fix: {
        title: 'Append',
        output: '-- +goose Up\nCREATE TABLE IF NOT EXISTS a (id int);\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n-- +goose Down\nDROP EXTENSION IF EXISTS pg_trgm;\n-- +goose StatementBegin\nDROP TABLE IF EXISTS a;\n-- +goose StatementEnd\n',
      },
    },
    // CREATE OR REPLACE the rollback neither drops nor restores: reported without a DROP to append.
    { sql: template('CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;', 'SELECT 1;'), errors: [{ messageId: 'replacementNotUndone', range: [1, 0, 1, 73], message: 'The rollback (the DOWN part) does not undo this CREATE OR REPLACE of FUNCTION f(): it neither drops it (if this migration created it) nor restores its previous definition (if it replaced one).' }] },
    {
      name: 'append all: the inverses in rollback order',
      sql: template(SEVERAL, 'SELECT 1;'),
      errors: [{ messageId: 'notUndone', range: [1, 0, 1, 50] }, { messageId: 'notUndone', range: [2, 0, 2, 31] }, { messageId: 'notUndone', range: [3, 0, 3, 31] }],
      fix: { title: 'Append all 3', output: template(SEVERAL, 'SELECT 1;\nDROP TYPE IF EXISTS mood;\nDROP SEQUENCE IF EXISTS s;\nDROP INDEX CONCURRENTLY IF EXISTS i;'), remaining: 0 },
    },
    {
      name: 'append one of several',
      sql: template(SEVERAL, 'SELECT 1;'),
      errors: [{ messageId: 'notUndone', range: [1, 0, 1, 50] }, { messageId: 'notUndone', range: [2, 0, 2, 31] }, { messageId: 'notUndone', range: [3, 0, 3, 31] }],
      fix: { title: 'Append DROP SEQUENCE', finding: 1, output: template(SEVERAL, 'SELECT 1;\nDROP SEQUENCE IF EXISTS s;') },
    },
    {
      name: 'a commented-out DOWN part gets a commented-out line',
      sql: template("SELECT 'é 😀'; CREATE TABLE IF NOT EXISTS a (id int);", '-- SELECT 1;'),
      errors: [{ messageId: 'notUndone', range: [1, 15, 1, 52] }],
      fix: { title: 'Append DROP TABLE', output: template("SELECT 'é 😀'; CREATE TABLE IF NOT EXISTS a (id int);", '-- SELECT 1;\n-- DROP TABLE IF EXISTS a;') },
    },
  ],
});

test('"append all" adds every missing inverse at its place, and the rule is then satisfied', () => {
  const path = '/project/db/migrations/20250101_test.sql';
  const sql = template('CREATE TABLE IF NOT EXISTS a (id int);\nALTER TABLE t ADD COLUMN IF NOT EXISTS c int;\nCREATE TABLE IF NOT EXISTS b (id int);', '-- ALTER TABLE t DROP COLUMN IF EXISTS c;');
  const { findings } = lintSql(sql, { path });
  assert.deepEqual(rangesOf(findings, 'incomplete-rollback'), [[1, 0, 1, 37], [3, 0, 3, 37]]);
  const fixed = applyFix(fixOf(findings.find((f) => f.rule === 'incomplete-rollback'), 'Append all 2'), { [path]: sql })[path];
  assert.equal(fixed, template('CREATE TABLE IF NOT EXISTS a (id int);\nALTER TABLE t ADD COLUMN IF NOT EXISTS c int;\nCREATE TABLE IF NOT EXISTS b (id int);', '-- DROP TABLE IF EXISTS b;\n-- ALTER TABLE t DROP COLUMN IF EXISTS c;\n-- DROP TABLE IF EXISTS a;'));
  assert.deepEqual(rangesOf(lintSql(fixed, { path }).findings, 'incomplete-rollback'), []);
});

test('a CREATE OR REPLACE finding offers no DROP to append, and "append all" leaves it out', () => {
  const sql = template('CREATE OR REPLACE VIEW v AS SELECT 2;\nCREATE TABLE IF NOT EXISTS a (id int);\nCREATE TABLE IF NOT EXISTS b (id int);', 'SELECT 1;');
  const findings = lintSql(sql).findings.filter((f) => f.rule === 'incomplete-rollback');
  assert.equal(findings.length, 3);
  assert.deepEqual(findings[0].fixes.map((f) => f.title).filter((t) => t.startsWith('Append')), []);
  assert.match(findings[0].message, /neither drops it .* nor restores its previous definition/);
  assert.ok(findings[1].fixes.some((f) => f.title === 'Append all 2 missing rollback statements to the DOWN part'));
});
