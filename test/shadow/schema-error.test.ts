/**
 * schema-error: each statement runs against the schema before its migration (the shadow: the
 * baseline and every earlier migration of the folder, in a real embedded PostgreSQL), and what
 * PostgreSQL rejects is reported with its own message at its own position.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkJson, cli, found, project, span } from './helpers';

const USERS = [
  '-- UP Migration',
  'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);',
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);',
  '',
  '-- DOWN Migration (Rollback)',
  'DROP TABLE orders;',
  'DROP TABLE users;',
  '',
].join('\n');

const ERRORS = [
  '-- UP Migration',
  'ALTER TABLE users ADD COLUMN nick text;',
  "UPDATE users SET nick = '😀' || emial WHERE id > 0;",
  'CREATE INDEX CONCURRENTLY idx_orders_user ON ordrs (user_id);',
  'CREATE FUNCTION nick_of(u bigint) RETURNS text LANGUAGE plpgsql AS $$',
  'BEGIN',
  '  RETRN (SELECT nick FROM users WHERE id = u);',
  'END',
  '$$;',
  '-- safemig-ignore schema-error: this one is known',
  'UPDATE users SET nope = 1 WHERE id = 0;',
  '',
  '-- DOWN Migration (Rollback)',
  'ALTER TABLE users DROP COLUMN nick;',
  '',
].join('\n');

const DOWN = [
  '-- UP Migration',
  'ALTER TABLE orders ADD COLUMN total numeric;',
  'ALTER TABLE orders DROP COLUMN user_id;',
  '',
  '-- DOWN Migration (Rollback)',
  'ALTER TABLE orders DROP COLUMN total;',
  'CREATE INDEX idx_orders_user_id ON orders (user_id);',
  '',
].join('\n');

const CLEAN = '-- UP Migration\nALTER TABLE users ADD COLUMN IF NOT EXISTS age integer;\n\n-- DOWN Migration (Rollback)\nALTER TABLE users DROP COLUMN IF EXISTS age;\n';

const FILES = {
  'db/migrations/001_users.sql': USERS,
  'db/migrations/002_errors.sql': ERRORS,
  'db/migrations/003_down.sql': DOWN,
  'db/migrations/004_clean.sql': CLEAN,
};

describe('schema-error', () => {
  const root = project(FILES);
  const { code, files } = checkJson(['--shadow', 'db'], root);

  test('a missing column: PostgreSQL\'s message and hint at the column (UTF-16 columns after an emoji)', () => {
    assert.deepEqual(found(files, 'db/migrations/002_errors.sql', 'schema-error').filter((f) => f.includes('emial')), [
      `${span(ERRORS, 'emial')} column "emial" does not exist Hint: Perhaps you meant to reference the column "users.email".`,
    ]);
  });

  test('a missing table within edit distance 2 of a known one: "did you mean", even without a baseline (CONCURRENTLY runs in the shadow)', () => {
    assert.deepEqual(found(files, 'db/migrations/002_errors.sql', 'schema-error').filter((f) => f.includes('ordrs')), [
      `${span(ERRORS, 'ordrs')} relation "ordrs" does not exist: did you mean "orders"?`,
    ]);
  });

  test('a PL/pgSQL body that does not compile (check_function_bodies), at the word PostgreSQL points to', () => {
    assert.deepEqual(found(files, 'db/migrations/002_errors.sql', 'schema-error').filter((f) => f.includes('RETRN')), [
      `${span(ERRORS, 'RETRN')} syntax error at or near "RETRN"`,
    ]);
  });

  test('a suppressed statement is not reported, and its suppression is used', () => {
    assert.equal(found(files, 'db/migrations/002_errors.sql', 'schema-error').length, 3);
    assert.deepEqual(found(files, 'db/migrations/002_errors.sql', 'unused-suppression'), []);
  });

  test('the DOWN part runs against the schema the UP part left', () => {
    assert.deepEqual(found(files, 'db/migrations/003_down.sql', 'schema-error'), [
      `${span(DOWN, 'user_id', 2)} column "user_id" does not exist (in the DOWN part, run against the schema the UP part leaves)`,
    ]);
  });

  test('a migration that fits its schema: nothing; errors give exit code 1', () => {
    assert.deepEqual(found(files, 'db/migrations/001_users.sql', 'schema-error'), []);
    assert.deepEqual(found(files, 'db/migrations/004_clean.sql', 'schema-error'), []);
    assert.deepEqual(found(files, 'db/migrations/004_clean.sql', 'round-trip-mismatch'), []);
    assert.equal(code, 1);
  });

  test('without --shadow, no schema finding and no "unused" suppression of one', () => {
    const plain = checkJson(['db'], root);
    for (const diagnostics of plain.files.values()) assert.deepEqual(diagnostics.filter((d) => ['schema-error', 'unused-suppression'].includes(d.rule)), []);
  });

  test('one file checked: the earlier migrations are replayed, the later ones not', () => {
    const one = checkJson(['--shadow', 'db/migrations/003_down.sql'], root);
    assert.deepEqual([...one.files.keys()], ['db/migrations/003_down.sql']);
    assert.deepEqual(found(one.files, 'db/migrations/003_down.sql', 'schema-error'), found(files, 'db/migrations/003_down.sql', 'schema-error'));
  });

  test('the same findings in every format', () => {
    const text = cli(['check', '--shadow', 'db'], root).stdout;
    assert.match(text, /db\/migrations\/002_errors\.sql:4:46 error schema-error relation "ordrs" does not exist: did you mean "orders"\?/);
    const sarif = JSON.parse(cli(['check', '--shadow', '--format', 'sarif', 'db'], root).stdout) as { runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.runs[0].results.filter((r) => r.ruleId === 'schema-error').length, 4);
    const github = cli(['check', '--shadow', '--format', 'github', 'db'], root).stdout;
    assert.match(github, /::error file=db\/migrations\/002_errors\.sql,line=4,.*schema-error/);
  });
});

describe('schema-error with a baseline and the shadow config key', () => {
  const BASELINE = [
    '-- a schema-only dump of the shared tables',
    '\\restrict abc',
    "SELECT pg_catalog.set_config('search_path', '', false);",
    'CREATE TABLE public.documents (id bigint PRIMARY KEY, title text NOT NULL);',
    'ALTER TABLE public.documents OWNER TO someone_else;',
    '',
  ].join('\n');
  const USES = '-- UP Migration\nALTER TABLE documents ADD COLUMN body text;\nUPDATE documents SET body = titel WHERE id = 1;\nALTER TABLE chunks ADD COLUMN x int;\n';
  const root = project({
    '.safemig.json': JSON.stringify({ baseline: 'db/baseline.sql', shadow: true }),
    'db/baseline.sql': BASELINE,
    'db/migrations/001_documents_body.sql': USES,
  });

  test('the baseline\'s tables are known; with a baseline the schema is complete: a missing table is an error; the baseline is not linted', () => {
    const { files } = checkJson(['db'], root);
    assert.deepEqual([...files.keys()], ['db/migrations/001_documents_body.sql']);
    assert.deepEqual(found(files, 'db/migrations/001_documents_body.sql', 'schema-error'), [
      `${span(USES, 'titel')} column "titel" does not exist Hint: Perhaps you meant to reference the column "documents.title".`,
      `${span(USES, 'chunks')} relation "chunks" does not exist`,
    ]);
    assert.deepEqual(found(files, 'db/migrations/001_documents_body.sql', 'shadow-incomplete'), []);
  });

  test('a baseline outside the project is refused (exit 2, nothing read)', () => {
    const outside = project({ '.safemig.json': JSON.stringify({ baseline: ['../elsewhere.sql'] }), 'db/migrations/001_x.sql': 'CREATE TABLE x (id int);\n' });
    const run = cli(['check', '--shadow', 'db'], outside);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /"baseline" names \.\.\/elsewhere\.sql, which (does not exist|is outside the project folder)/);
  });
});
