/**
 * round-trip-mismatch: UP, DOWN, the schema compared with before UP, UP again, in the shadow.
 * Each object left behind, missing or changed is named, once: not where incomplete-rollback
 * already reports it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkJson, found, project, span } from './helpers';

const USERS = '-- UP Migration\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, legacy text);\n\n-- DOWN Migration (Rollback)\nDROP TABLE users;\n';
const DROPS = [
  '-- UP Migration',
  'CREATE INDEX idx_users_email ON users (email);',
  'ALTER TABLE users DROP COLUMN legacy;',
  '',
  '-- DOWN Migration (Rollback)',
  'SELECT 1;',
  '',
].join('\n');
const RETYPE = '-- UP Migration\nALTER TABLE users ALTER COLUMN email TYPE varchar(200);\n\n-- DOWN Migration (Rollback)\nSELECT 1;\n';
const GOOD = [
  '-- UP Migration',
  'ALTER TABLE users ADD COLUMN nick text;',
  'CREATE INDEX idx_users_nick ON users (nick);',
  'CREATE TYPE mood AS ENUM (\'ok\', \'sad\');',
  '',
  '-- DOWN Migration (Rollback)',
  'DROP TYPE mood;',
  'DROP INDEX idx_users_nick;',
  'ALTER TABLE users DROP COLUMN nick;',
  '',
].join('\n');
/** A twin pair: the DOWN file leaves the trigger function behind, which incomplete-rollback cannot see (DO block). */
const TWIN_UP = [
  'DO $$ BEGIN EXECUTE \'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS \'\'BEGIN RETURN NEW; END\'\'\'; END $$;',
  'ALTER TABLE users ADD COLUMN touched_at timestamptz;',
  '',
].join('\n');
const TWIN_DOWN = 'ALTER TABLE users DROP COLUMN touched_at;\n';

describe('round-trip-mismatch', () => {
  const root = project({
    'db/migrations/001_users.sql': USERS,
    'db/migrations/002_drops.sql': DROPS,
    'db/migrations/003_retype.sql': RETYPE,
    'db/migrations/004_good.sql': GOOD,
  });
  const { files } = checkJson(['--shadow', 'db'], root);

  test('a dropped column the DOWN part does not restore is named, on the UP statement that drops it', () => {
    assert.deepEqual(found(files, 'db/migrations/002_drops.sql', 'round-trip-mismatch'), [
      `${span(DROPS, 'ALTER TABLE users DROP COLUMN legacy')} After UP then DOWN, column users.legacy is missing: it existed before UP and the DOWN part does not restore it. Create it again in the DOWN part.`,
    ]);
  });

  test('not a second report of what incomplete-rollback says (the index, and UP failing again on it)', () => {
    assert.equal(found(files, 'db/migrations/002_drops.sql', 'incomplete-rollback').length, 1);
    assert.ok(found(files, 'db/migrations/002_drops.sql', 'round-trip-mismatch').every((f) => !f.includes('idx_users_email')));
  });

  test('a changed object, with what differs', () => {
    assert.deepEqual(found(files, 'db/migrations/003_retype.sql', 'round-trip-mismatch'), [
      `${span(RETYPE, 'ALTER TABLE users ALTER COLUMN email TYPE varchar(200)')} After UP then DOWN, column users.email is not as it was before UP: type: text → character varying(200). Restore its previous definition in the DOWN part.`,
    ]);
  });

  test('a DOWN part that undoes everything: nothing', () => {
    assert.deepEqual(found(files, 'db/migrations/004_good.sql', 'round-trip-mismatch'), []);
    assert.deepEqual(found(files, 'db/migrations/004_good.sql', 'schema-error'), []);
  });

  test('twin files (golang-migrate): what DOWN leaves behind is named, and UP fails again after DOWN', () => {
    const twins = project({
      'migrations/000001_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
      'migrations/000001_users.down.sql': 'DROP TABLE users;\n',
      'migrations/000002_touch.up.sql': TWIN_UP,
      'migrations/000002_touch.down.sql': TWIN_DOWN,
    });
    const result = checkJson(['--shadow', 'migrations'], twins);
    assert.deepEqual(found(result.files, 'migrations/000002_touch.up.sql', 'round-trip-mismatch'), [
      `${span(TWIN_UP, TWIN_UP.split('\n')[0].slice(0, -1))} After UP then DOWN, function touch() is left behind: the DOWN part does not undo it. Drop it in the DOWN part.`,
      `${span(TWIN_UP, TWIN_UP.split('\n')[0].slice(0, -1))} UP fails when run again after DOWN: function "touch" already exists with same argument types. Make the DOWN part undo everything the UP part does, so that the migration can be applied again after a rollback.`,
    ]);
    assert.deepEqual(found(result.files, 'migrations/000002_touch.down.sql', 'round-trip-mismatch'), []);
  });
});
