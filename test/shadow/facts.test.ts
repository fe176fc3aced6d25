/**
 * Facts for the static rules from the shadow schema (`check --shadow`, real PGlite): the old type
 * of a column, whether a column is already there, a validated CHECK (col IS NOT NULL) of an
 * earlier migration, and whether a table is old. Without --shadow the rules read the files alone.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkJson, found, project, span } from './helpers';

const BASELINE = [
  'CREATE TABLE accounts (',
  '  id bigint PRIMARY KEY,',
  '  name varchar(50),',
  '  age integer,',
  '  email text,',
  '  nick text,',
  '  code text NOT NULL',
  ');',
  '',
].join('\n');

const CHECKED = [
  '-- UP Migration',
  'ALTER TABLE accounts ADD CONSTRAINT nick_present CHECK (nick IS NOT NULL) NOT VALID;',
  'ALTER TABLE accounts VALIDATE CONSTRAINT nick_present;',
  '',
  '-- DOWN Migration (Rollback)',
  'ALTER TABLE accounts DROP CONSTRAINT nick_present;',
  '',
].join('\n');

const CHANGES = [
  '-- UP Migration',
  'ALTER TABLE accounts ALTER COLUMN name TYPE varchar(120);',
  'ALTER TABLE accounts ALTER COLUMN age TYPE bigint;',
  'ALTER TABLE accounts ADD COLUMN IF NOT EXISTS code text NOT NULL;',
  'ALTER TABLE accounts ADD COLUMN IF NOT EXISTS region text NOT NULL;',
  'ALTER TABLE accounts ALTER COLUMN nick SET NOT NULL;',
  'ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;',
  'ALTER TABLE accounts ALTER COLUMN code SET NOT NULL;',
  '',
  '-- DOWN Migration (Rollback)',
  'ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;',
  'ALTER TABLE accounts ALTER COLUMN nick DROP NOT NULL;',
  'ALTER TABLE accounts DROP COLUMN IF EXISTS region;',
  'ALTER TABLE accounts ALTER COLUMN age TYPE integer;',
  'ALTER TABLE accounts ALTER COLUMN name TYPE varchar(50);',
  '',
].join('\n');

const RECREATE = [
  '-- UP Migration',
  'CREATE TABLE IF NOT EXISTS accounts (id bigint PRIMARY KEY);',
  'CREATE INDEX idx_accounts_email ON accounts (email);',
  'CREATE TABLE IF NOT EXISTS audits (id bigint PRIMARY KEY, email text);',
  'CREATE INDEX idx_audits_email ON audits (email);',
  '',
  '-- DOWN Migration (Rollback)',
  'DROP INDEX idx_audits_email;',
  'DROP TABLE audits;',
  'DROP INDEX idx_accounts_email;',
  '',
].join('\n');

describe('facts for the static rules from the shadow schema', () => {
  const root = project({
    '.safemig.json': JSON.stringify({ baseline: ['db/baseline.sql'] }),
    'db/baseline.sql': BASELINE,
    'db/migrations/001_checked.sql': CHECKED,
    'db/migrations/002_changes.sql': CHANGES,
    'db/migrations/003_recreate.sql': RECREATE,
  });
  const shadow = checkJson(['--shadow', 'db'], root).files;
  const plain = checkJson(['db'], root).files;
  const CHANGED = 'db/migrations/002_changes.sql';

  test('change-column-type knows the old type: varchar(50) → varchar(120) is free, integer → bigint is reported with its old type', () => {
    assert.deepEqual(found(shadow, CHANGED, 'change-column-type'), [
      `${span(CHANGES, 'ALTER COLUMN age TYPE bigint')} Changing the type of accounts.age from integer to bigint rewrites the table under an ACCESS EXCLUSIVE lock and can break code that reads the old type. Free: widening a varchar or numeric, varchar ↔ text, dropping a length or precision limit, the same type again; otherwise add a new column, backfill, and switch readers.`,
    ]);
    // The files alone do not say what the baseline's columns are.
    assert.deepEqual(found(plain, CHANGED, 'change-column-type').map((f) => f.split(' ').slice(0, 6).join(' ')), [
      `${span(CHANGES, 'ALTER COLUMN name TYPE varchar(120)')} Changing the type of accounts.name`,
      `${span(CHANGES, 'ALTER COLUMN age TYPE bigint')} Changing the type of accounts.age`,
    ]);
  });

  test('add-required-column knows the column is already there', () => {
    assert.deepEqual(found(shadow, CHANGED, 'add-required-column').map((f) => f.split(' ')[0]), [span(CHANGES, 'ADD COLUMN IF NOT EXISTS region text NOT NULL')]);
    assert.deepEqual(found(plain, CHANGED, 'add-required-column').map((f) => f.split(' ')[0]), [
      span(CHANGES, 'ADD COLUMN IF NOT EXISTS code text NOT NULL'),
      span(CHANGES, 'ADD COLUMN IF NOT EXISTS region text NOT NULL'),
    ]);
  });

  test('set-not-null sees the validated CHECK of an earlier migration, and a column already NOT NULL', () => {
    assert.deepEqual(found(shadow, CHANGED, 'set-not-null').map((f) => f.split(' ')[0]), [span(CHANGES, 'ALTER COLUMN email SET NOT NULL')]);
    assert.deepEqual(found(plain, CHANGED, 'set-not-null').map((f) => f.split(' ')[0]), [
      span(CHANGES, 'ALTER COLUMN nick SET NOT NULL'),
      span(CHANGES, 'ALTER COLUMN email SET NOT NULL'),
      span(CHANGES, 'ALTER COLUMN code SET NOT NULL'),
    ]);
  });

  test('lock rules know a table is old: CREATE TABLE IF NOT EXISTS of a table the schema has creates nothing', () => {
    const RECREATED = 'db/migrations/003_recreate.sql';
    assert.deepEqual(found(shadow, RECREATED, 'non-concurrent-index').map((f) => f.split(' ')[0]), [span(RECREATE, 'CREATE INDEX idx_accounts_email ON accounts (email);').replace(/-(\d+):(\d+)$/, (_, l, c) => `-${l}:${Number(c) - 1}`)]);
    assert.deepEqual(found(plain, RECREATED, 'non-concurrent-index'), []);
  });
});
