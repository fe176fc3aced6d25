/**
 * Observed locks and rewrites: the shadow (real PGlite) records, after each statement of a checked
 * migration's UP part, the locks its transaction holds (pg_locks) and the tables it rewrote
 * (relfilenode changed); they agree with the lock table (analysis/locks.ts) per statement kind.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { computeFacts } from '../../server/src/analysis/facts';
import { mergeConfig } from '../../server/src/config/config';
import { readMigration } from '../../server/src/migration/migration';
import type { ObservedStatement } from '../../server/src/shadow/findings';
import { lockDisagreements } from '../../server/src/shadow/observe';
import { runShadows } from '../../server/src/shadow/run';
import { initParser } from '../../server/src/sql/pg';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { ConfigResolver } from '../../server/src/workspace/settings';
import { TEST_CACHE_DIR } from '../database/helpers';
import { project } from './helpers';

const BASELINE = `
CREATE TABLE parent (id int PRIMARY KEY, a int, b text);
CREATE TABLE child (id int PRIMARY KEY, pid int, x int, name varchar(20), n int);
CREATE INDEX child_x ON child (x);
CREATE TABLE logs (id int, body text);
CREATE MATERIALIZED VIEW mv AS SELECT id FROM parent;
`;

/** An earlier migration: what the lock table reads of the folder (a foreign key, a function). */
const SETUP = `
CREATE TABLE owners (id int PRIMARY KEY);
CREATE TABLE owned (id int PRIMARY KEY, owner_id int, CONSTRAINT owned_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id));
CREATE TABLE events (id int);
CREATE FUNCTION make_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
`;

/** One statement per kind, each on its own line, each the first to touch its tables in the migration. */
const STATEMENTS = [
  'ALTER TABLE child ALTER COLUMN name TYPE varchar(40);',
  'CREATE INDEX child_pid ON parent (a);',
  'ALTER TABLE logs ADD COLUMN at timestamptz DEFAULT clock_timestamp();',
  'ALTER TABLE mv RENAME TO mv2;',
  'ALTER TABLE owned DROP CONSTRAINT owned_owner_fk;',
  'ALTER TABLE events ADD COLUMN code text DEFAULT make_code();',
];

/** Later statements on tables already locked: what the transaction then holds. */
const LATER = [
  'ALTER TABLE child ALTER COLUMN n TYPE bigint;',
  'DROP INDEX child_x;',
  'UPDATE parent SET a = 1 WHERE id = 0;',
  'TRUNCATE logs;',
];

const MIGRATION = `-- UP Migration\n${[...STATEMENTS, ...LATER].join('\n')}\n`;

describe('observed locks and rewrites', () => {
  let observed: ObservedStatement[];
  const root = project({ '.safemig.json': JSON.stringify({ baseline: ['db/baseline.sql'] }), 'db/baseline.sql': BASELINE, 'db/migrations/000_setup.sql': SETUP, 'db/migrations/001_locks.sql': MIGRATION });
  const path = join(root, 'db/migrations/001_locks.sql');
  before(async () => {
    await initParser();
    const fs = new DiskFileSystem();
    const results = await runShadows([path], fs, new ConfigResolver(fs, {}), { all: true, cacheDir: TEST_CACHE_DIR });
    observed = results?.get(path)?.observed ?? [];
    // Plain data: it crosses a worker boundary.
    assert.deepEqual(JSON.parse(JSON.stringify(observed)), observed);
  });

  const at = (sql: string) => {
    const found = observed.find((o) => MIGRATION.slice(o.start, o.end) === sql.replace(/;$/, ''));
    assert.ok(found, `observed ${sql}`);
    return { locks: found.locks.map((l) => `${l.mode} ${l.kind} ${l.relation}${l.taken ? '' : ' (held before)'}${l.created ? ' (created)' : ''}${l.dropped ? ' (dropped)' : ''}`), rewritten: found.rewritten };
  };

  test('every statement that ran is observed, in order', () => {
    assert.equal(observed.length, STATEMENTS.length + LATER.length);
    assert.deepEqual(observed.map((o) => o.start), [...observed.map((o) => o.start)].sort((a, b) => a - b));
  });

  test('ALTER COLUMN TYPE varchar(20) → varchar(40): ACCESS EXCLUSIVE, no rewrite', () => {
    assert.deepEqual(at(STATEMENTS[0]), { locks: ['ACCESS EXCLUSIVE table child'], rewritten: [] });
  });

  test('CREATE INDEX: SHARE on the table, the new index created', () => {
    assert.ok(at(STATEMENTS[1]).locks.includes('SHARE table parent'));
    assert.ok(at(STATEMENTS[1]).locks.includes('ACCESS EXCLUSIVE index child_pid (created)'));
  });

  test('ADD COLUMN with a volatile default: ACCESS EXCLUSIVE and the table rewritten', () => {
    assert.deepEqual(at(STATEMENTS[2]).rewritten, ['logs']);
    assert.ok(at(STATEMENTS[2]).locks.includes('ACCESS EXCLUSIVE table logs'));
  });

  test('DROP CONSTRAINT of a foreign key: ACCESS EXCLUSIVE on the referenced table too; ADD COLUMN with an earlier migration\'s volatile function: rewritten', () => {
    assert.ok(at(STATEMENTS[4]).locks.includes('ACCESS EXCLUSIVE table owners'), at(STATEMENTS[4]).locks.join(', '));
    assert.deepEqual(at(STATEMENTS[5]).rewritten, ['events']);
  });

  test('later statements: integer → bigint rewrites; DROP INDEX names the dropped index; TRUNCATE replaces the file', () => {
    assert.deepEqual(at(LATER[0]).rewritten, ['child']);
    assert.ok(at(LATER[1]).locks.includes('ACCESS EXCLUSIVE index child_x (held before) (dropped)'), at(LATER[1]).locks.join(', '));
    assert.ok(at(LATER[2]).locks.includes('ROW EXCLUSIVE table parent'));
    assert.deepEqual(at(LATER[3]).rewritten, ['logs']);
  });

  test('the lock table agrees with the observation for each statement kind', () => {
    const fs = new DiskFileSystem();
    const migration = readMigration(path, readFileSync(path, 'utf8'), fs);
    // What the engine knows of the statements, the folder's earlier migration included.
    const { lockOptions } = computeFacts(migration, mergeConfig({}), undefined, fs);
    const disagreements = observed.flatMap((o) => {
      const statement = migration.up.find((s) => s.start === o.start)!;
      return lockDisagreements(statement, o, { ...lockOptions, pgVersion: 18 });
    });
    // ALTER COLUMN … TYPE: the lock table says "rewrites … unless binary-compatible"; the widening is.
    assert.deepEqual(disagreements, [{ kind: 'AlterTableStmt AT_AlterColumnType', relation: 'child', table: 'ACCESS EXCLUSIVE', observed: 'ACCESS EXCLUSIVE', rewrite: { table: true, observed: false } }]);
  });
});
