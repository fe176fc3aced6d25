import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanMarkers, sniffMarkers } from '../../server/src/migration/conventions/markers';
import { detectConvention } from '../../server/src/migration/recognise';
import { readMigrationFolder } from '../../server/src/migration/folder';
import { ConventionInfo, FileSystem, PartSpan } from '../../server/src/migration/model';
import { MemoryFileSystem } from '../helpers/memory-fs';

/** The text of each part, for readable assertions. */
function partTexts(text: string, info: ConventionInfo): { kind: string; text: string }[] {
  return info.parts.map((p) => ({ kind: p.kind, text: text.slice(p.start, p.end) }));
}

function only(info: ConventionInfo): PartSpan {
  assert.equal(info.parts.length, 1);
  return info.parts[0];
}

const EMPTY: FileSystem = new MemoryFileSystem({});

describe('goose', () => {
  const text = [
    '-- +goose Up',
    '-- +goose StatementBegin',
    'CREATE TABLE t (id int);',
    '-- +goose StatementEnd',
    '',
    '-- +goose Down',
    'DROP TABLE t;',
    '',
  ].join('\n');

  test('parts run from the end of each marker line to the next marker line', () => {
    const info = detectConvention('/p/migrations/00001_t.sql', text, EMPTY);
    assert.equal(info.name, 'goose');
    assert.equal(info.role, 'migration');
    assert.deepEqual(partTexts(text, info), [
      { kind: 'up', text: '-- +goose StatementBegin\nCREATE TABLE t (id int);\n-- +goose StatementEnd\n\n' },
      { kind: 'down', text: 'DROP TABLE t;\n' },
    ]);
    const [up, down] = info.parts;
    assert.deepEqual(up.marker, { start: 0, end: '-- +goose Up'.length });
    assert.equal(text.slice(down.marker!.start, down.marker!.end), '-- +goose Down');
    assert.ok(up.runnerTransaction && down.runnerTransaction);
    assert.equal(up.commentedOut, false);
    assert.deepEqual(info.transactionOptOut, { text: '-- +goose NO TRANSACTION\n', at: 0 });
    assert.deepEqual(info.migrationName, { version: '00001', versionStyle: 'sequential', description: 't' });
    assert.equal(info.twin, undefined);
    assert.equal(info.twinExists, false);
    assert.equal(info.expectsRollback, true);
  });

  test('NO TRANSACTION anywhere turns the runner transaction off', () => {
    const t = '-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- +goose Down\n-- +goose NO TRANSACTION\nDROP INDEX i;\n';
    const info = detectConvention('/p/20240101000000_i.sql', t, EMPTY);
    assert.equal(info.name, 'goose');
    assert.deepEqual(info.parts.map((p) => p.runnerTransaction), [false, false]);
    assert.equal(info.transactionOptOut, undefined);
  });

  test('case-insensitive markers, CRLF and a BOM keep offsets exact', () => {
    const t = '\uFEFF-- +goose up\r\nSELECT 1;\r\n-- +GOOSE DOWN\r\nSELECT 2;\r\n';
    const info = detectConvention('C:\\repo\\migrations\\00002_x.sql', t, EMPTY);
    assert.equal(info.name, 'goose');
    assert.deepEqual(partTexts(t, info), [
      { kind: 'up', text: 'SELECT 1;\r\n' },
      { kind: 'down', text: 'SELECT 2;\r\n' },
    ]);
    assert.equal(t.slice(info.parts[0].marker!.start, info.parts[0].marker!.end), '-- +goose up');
    assert.deepEqual(info.transactionOptOut, { text: '-- +goose NO TRANSACTION\r\n', at: 1 });
  });

  test('only an Up section: no DOWN part', () => {
    const info = detectConvention('/m/00004_empty.sql', '-- +goose Up\n', EMPTY);
    assert.deepEqual(info.parts.map((p) => [p.kind, p.start, p.end]), [['up', 13, 13]]);
  });
});

describe('dbmate', () => {
  test('parts and the transaction:false opt-out at the end of the UP marker', () => {
    const t = '-- migrate:up\r\nCREATE TABLE t ();\r\n\r\n-- migrate:down\r\nDROP TABLE t;\r\n';
    const info = detectConvention('/db/migrations/20151129054053_t.sql', t, EMPTY);
    assert.equal(info.name, 'dbmate');
    assert.deepEqual(partTexts(t, info), [
      { kind: 'up', text: 'CREATE TABLE t ();\r\n\r\n' },
      { kind: 'down', text: 'DROP TABLE t;\r\n' },
    ]);
    assert.deepEqual(info.parts.map((p) => p.runnerTransaction), [true, true]);
    assert.deepEqual(info.transactionOptOut, { text: ' transaction:false', at: '-- migrate:up'.length });
    const fixed = t.slice(0, info.transactionOptOut!.at) + info.transactionOptOut!.text + t.slice(info.transactionOptOut!.at);
    const again = detectConvention('/db/migrations/20151129054053_t.sql', fixed, EMPTY);
    assert.deepEqual(again.parts.map((p) => p.runnerTransaction), [false, true]);
    assert.equal(again.transactionOptOut, undefined);
  });

  test('transaction:false is read per marker', () => {
    const t = '-- migrate:up\nSELECT 1;\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY i;\n';
    const info = detectConvention('/x/20200101000000_a.sql', t, EMPTY);
    assert.deepEqual(info.parts.map((p) => p.runnerTransaction), [true, false]);
    assert.deepEqual(info.transactionOptOut, { text: ' transaction:false', at: 13 });
  });
});

describe('template sections', () => {
  const seed = [
    '-- Migration: Add retry columns',
    '-- Date: 2025-10-19',
    '-- Author: Agent team',
    '',
    '-- UP Migration',
    'ALTER TABLE maintenance_tasks_queue',
    'ADD COLUMN retry_count INT DEFAULT 0;',
    '',
    '-- DOWN Migration (Rollback)',
    '-- ALTER TABLE maintenance_tasks_queue',
    '-- DROP COLUMN retry_count;',
    '',
  ].join('\n');

  test('the seed template: header in no part, commented-out DOWN', () => {
    const info = detectConvention('/repo/migrations/agent/001_add_retry_columns.sql', seed, EMPTY);
    assert.equal(info.name, 'template');
    assert.equal(info.role, 'migration');
    assert.deepEqual(partTexts(seed, info), [
      { kind: 'up', text: 'ALTER TABLE maintenance_tasks_queue\nADD COLUMN retry_count INT DEFAULT 0;\n\n' },
      { kind: 'down', text: '-- ALTER TABLE maintenance_tasks_queue\n-- DROP COLUMN retry_count;\n' },
    ]);
    assert.deepEqual(info.parts.map((p) => p.commentedOut), [false, true]);
    assert.deepEqual(info.parts.map((p) => p.runnerTransaction), [false, false]);
    assert.equal(info.transactionOptOut, undefined);
    assert.equal(info.twin, undefined);
    assert.equal(info.expectsRollback, true);
    assert.deepEqual(info.migrationName, { version: '001', versionStyle: 'sequential', description: 'add_retry_columns' });
  });

  test('a DOWN section written as SQL is not commented out; CRLF works', () => {
    const t = seed.replace('-- ALTER TABLE', 'ALTER TABLE').replace('-- DROP COLUMN', 'DROP COLUMN').replace(/\n/g, '\r\n');
    const info = detectConvention('/repo/migrations/20251122_x.sql', t, EMPTY);
    assert.equal(info.name, 'template');
    assert.deepEqual(info.parts.map((p) => p.commentedOut), [false, false]);
    assert.equal(partTexts(t, info)[1].text, 'ALTER TABLE maintenance_tasks_queue\r\nDROP COLUMN retry_count;\r\n');
  });

  test("node-pg-migrate's `-- Up Migration` / `-- Down Migration`", () => {
    const t = '-- Up Migration\nCREATE TABLE a ();\n-- Down Migration\nDROP TABLE a;';
    const info = detectConvention('/m/1700000000000_a.sql', t, EMPTY);
    assert.equal(info.name, 'template');
    assert.deepEqual(partTexts(t, info), [
      { kind: 'up', text: 'CREATE TABLE a ();\n' },
      { kind: 'down', text: 'DROP TABLE a;' },
    ]);
  });

  test('SQL first and only a DOWN marker: what precedes it is the UP part', () => {
    const t = 'CREATE TABLE a ();\n\n-- DOWN Migration (Rollback)\n-- DROP TABLE a;\n';
    const info = detectConvention('/m/002_a.sql', t, EMPTY);
    assert.deepEqual(partTexts(t, info), [
      { kind: 'up', text: 'CREATE TABLE a ();\n\n' },
      { kind: 'down', text: '-- DROP TABLE a;\n' },
    ]);
    assert.equal(info.parts[1].commentedOut, true);
  });

  test('prose that mentions a down migration is not a marker', () => {
    const t = '-- Down migration is not supported for this change\nUPDATE t SET x = 1 WHERE id = 2;\n';
    assert.equal(sniffMarkers(t), undefined);
    assert.equal(detectConvention('/m/003_b.sql', t, EMPTY).name, 'plain');
  });

  test('forced template without markers: the whole file is UP, no DOWN', () => {
    const t = 'ALTER TABLE a ADD COLUMN b int;\n';
    const info = detectConvention('/m/004_c.sql', t, EMPTY, 'template');
    assert.equal(info.name, 'template');
    assert.deepEqual(info.parts.map((p) => [p.kind, p.start, p.end]), [['up', 0, t.length]]);
  });
});

describe('golang-migrate style pairs', () => {
  const fs = new MemoryFileSystem({
    '/m/001_a.up.sql': 'CREATE TABLE a ();',
    '/m/001_a.down.sql': 'DROP TABLE a;',
    '/m/002_b.up.sql': 'CREATE TABLE b ();',
    '/m/003_c_table.up.sql': 'x',
    '/m/003_c.down.sql': 'y',
    '/m/004_d.postgres.up.sql': 'x',
    '/m/004_d.down.sql': 'y',
    '/m/005_e_up.sql': 'x',
    '/m/005_e_down.sql': 'y',
    '/m/006_f.autocommit.up.sql': 'CREATE INDEX CONCURRENTLY i ON t (x);',
  });

  test('an up file and its down twin', () => {
    const up = detectConvention('/m/001_a.up.sql', 'CREATE TABLE a ();', fs);
    assert.equal(up.name, 'golang-migrate');
    assert.equal(up.role, 'up');
    assert.deepEqual(up.parts, [{ start: 0, end: 18, kind: 'up', commentedOut: false, runnerTransaction: true }]);
    assert.equal(up.twin, '/m/001_a.down.sql');
    assert.equal(up.twinExists, true);
    assert.equal(up.transactionOptOut, undefined);
    const down = detectConvention('/m/001_a.down.sql', 'DROP TABLE a;', fs);
    assert.equal(down.role, 'down');
    assert.equal(down.parts[0].kind, 'down');
    assert.equal(down.twin, '/m/001_a.up.sql');
  });

  test('a missing down file: where it should be created', () => {
    const up = detectConvention('/m/002_b.up.sql', 'CREATE TABLE b ();', fs);
    assert.equal(up.twin, '/m/002_b.down.sql');
    assert.equal(up.twinExists, false);
  });

  test('the twin is matched by version when the rest of the name differs (sqlx, ory)', () => {
    assert.equal(detectConvention('/m/003_c_table.up.sql', 'x', fs).twin, '/m/003_c.down.sql');
    assert.equal(detectConvention('/m/003_c.down.sql', 'y', fs).twin, '/m/003_c_table.up.sql');
    assert.equal(detectConvention('/m/004_d.postgres.up.sql', 'x', fs).twin, '/m/004_d.down.sql');
  });

  test('`x_up.sql` + `x_down.sql` beside each other (harness)', () => {
    const info = detectConvention('/m/005_e_down.sql', 'y', fs);
    assert.equal(info.name, 'golang-migrate');
    assert.equal(info.role, 'down');
    assert.equal(info.twin, '/m/005_e_up.sql');
    assert.equal(info.twinExists, true);
  });

  test('ory/popx `.autocommit.` files run outside a transaction', () => {
    assert.equal(only(detectConvention('/m/006_f.autocommit.up.sql', 'x', fs)).runnerTransaction, false);
  });
});

describe('diesel and sourcegraph folders', () => {
  const fs = new MemoryFileSystem({
    '/r/migrations/2019-02-26-002946_create_user/up.sql': 'CREATE TABLE u ();',
    '/r/migrations/2019-02-26-002946_create_user/down.sql': 'DROP TABLE u;',
    '/r/migrations/2020-01-01-000000_idx/up.sql': 'CREATE INDEX CONCURRENTLY i ON u (x);',
    '/r/migrations/2020-01-01-000000_idx/metadata.toml': 'run_in_transaction = false\n',
    '/r/migrations/00000000000000_diesel_initial_setup/up.sql': 'x',
    '/sg/migrations/frontend/1528395834_squashed/up.sql': 'BEGIN; COMMIT;',
    '/sg/migrations/frontend/1528395834_squashed/down.sql': 'BEGIN; COMMIT;',
    '/sg/migrations/frontend/1528395834_squashed/metadata.yaml': 'name: squashed\n',
  });

  test('diesel up.sql ↔ down.sql, version from the folder', () => {
    const info = detectConvention('/r/migrations/2019-02-26-002946_create_user/up.sql', 'CREATE TABLE u ();', fs);
    assert.equal(info.name, 'diesel');
    assert.equal(info.role, 'up');
    assert.equal(info.twin, '/r/migrations/2019-02-26-002946_create_user/down.sql');
    assert.equal(info.twinExists, true);
    assert.equal(only(info).runnerTransaction, true);
    assert.deepEqual(info.migrationName, { version: '2019-02-26-002946', versionStyle: 'timestamp', description: 'create_user' });
    const down = detectConvention('/r/migrations/2019-02-26-002946_create_user/down.sql', 'DROP TABLE u;', fs);
    assert.equal(down.role, 'down');
    assert.equal(only(down).kind, 'down');
  });

  test('metadata.toml run_in_transaction = false', () => {
    const info = detectConvention('/r/migrations/2020-01-01-000000_idx/up.sql', 'x', fs);
    assert.equal(only(info).runnerTransaction, false);
    assert.equal(info.twinExists, false);
    assert.equal(info.twin, '/r/migrations/2020-01-01-000000_idx/down.sql');
    assert.equal(info.transactionOptOut, undefined);
  });

  test('sourcegraph: metadata.yaml, explicit transactions', () => {
    const info = detectConvention('/sg/migrations/frontend/1528395834_squashed/up.sql', 'BEGIN; COMMIT;', fs);
    assert.equal(info.name, 'sourcegraph');
    assert.equal(only(info).runnerTransaction, false);
    assert.equal(info.twinExists, true);
    assert.equal(info.migrationName?.version, '1528395834');
  });
});

describe('flyway', () => {
  const fs = new MemoryFileSystem({
    '/f/V1__init.sql': 'x',
    '/f/V1.1__add_index.sql': 'x',
    '/f/U1.1__remove_the_index.sql': 'x',
    '/f/V2__more.sql': 'x',
    '/f/R__views.sql': 'x',
  });

  test('V ↔ U by version, any description', () => {
    const v = detectConvention('/f/V1.1__add_index.sql', 'x', fs);
    assert.equal(v.name, 'flyway');
    assert.equal(v.role, 'up');
    assert.equal(v.twin, '/f/U1.1__remove_the_index.sql');
    assert.equal(v.twinExists, true);
    assert.equal(only(v).runnerTransaction, true);
    const u = detectConvention('/f/U1.1__remove_the_index.sql', 'x', fs);
    assert.equal(u.role, 'down');
    assert.equal(only(u).kind, 'down');
    assert.equal(u.twin, '/f/V1.1__add_index.sql');
  });

  test('no undo file: U<v>__<same description>.sql', () => {
    const v = detectConvention('/f/V2__more.sql', 'x', fs);
    assert.equal(v.twin, '/f/U2__more.sql');
    assert.equal(v.twinExists, false);
    assert.equal(v.expectsRollback, true);
  });

  test('repeatable', () => {
    const r = detectConvention('/f/R__views.sql', 'x', fs);
    assert.equal(r.role, 'repeatable');
    assert.equal(r.expectsRollback, false);
    assert.equal(r.twin, undefined);
  });
});

describe('sqitch', () => {
  const fs = new MemoryFileSystem({
    '/s/sqitch.plan': '%project=x\nusers 2020-01-01T00:00:00Z A <a@b> # users\n',
    '/s/deploy/users.sql': 'BEGIN; CREATE TABLE users (); COMMIT;',
    '/s/revert/users.sql': 'BEGIN; DROP TABLE users; COMMIT;',
    '/s/verify/users.sql': 'SELECT 1 FROM users WHERE false;',
  });

  test('deploy ↔ revert, verify', () => {
    const d = detectConvention('/s/deploy/users.sql', 'x', fs);
    assert.equal(d.name, 'sqitch');
    assert.equal(d.role, 'up');
    assert.equal(d.twin, '/s/revert/users.sql');
    assert.equal(d.twinExists, true);
    assert.equal(only(d).runnerTransaction, false);
    const r = detectConvention('/s/revert/users.sql', 'x', fs);
    assert.equal(r.role, 'down');
    assert.equal(r.twin, '/s/deploy/users.sql');
    const v = detectConvention('/s/verify/users.sql', 'x', fs);
    assert.equal(v.role, 'verify');
    assert.equal(v.expectsRollback, false);
  });

  test('a deploy folder without sqitch.plan or revert/ is not sqitch', () => {
    const other = new MemoryFileSystem({ '/k/deploy/001_x.sql': 'x' });
    assert.equal(detectConvention('/k/deploy/001_x.sql', 'x', other).name, 'plain');
  });
});

describe('roll-forward conventions', () => {
  test('supabase: one transaction, no rollback expected, sections ignored', () => {
    const t = '-- UP Migration\nCREATE TABLE a ();\n-- DOWN Migration\nDROP TABLE a;\n';
    const info = detectConvention('/app/supabase/migrations/20240101000000_a.sql', t, EMPTY);
    assert.equal(info.name, 'supabase');
    assert.equal(info.expectsRollback, false);
    assert.deepEqual(info.parts, [{ start: 0, end: t.length, kind: 'up', commentedOut: false, runnerTransaction: true }]);
  });

  test('prisma: name from the folder', () => {
    const info = detectConvention('/app/prisma/migrations/20230101120000_init/migration.sql', 'CREATE TABLE a ();', EMPTY);
    assert.equal(info.name, 'prisma');
    assert.equal(info.expectsRollback, false);
    assert.equal(only(info).runnerTransaction, false);
    assert.deepEqual(info.migrationName, { version: '20230101120000', versionStyle: 'timestamp', description: 'init' });
  });
});

describe('rollback files', () => {
  // The seed's psql series: rollback files matched by version, names that differ.
  const fs = new MemoryFileSystem({
    '/b/db/migrations/001_create_webhook_inbox.sql': 'x',
    '/b/db/migrations/002_create_call_events.sql': 'x',
    '/b/db/migrations/003_create_sync_state.sql': 'x',
    '/b/db/migrations/rollback_001_webhook_inbox.sql': 'x',
    '/b/db/migrations/rollback_002_call_events.sql': 'x',
    '/d/migrations/001_a.sql': 'x',
    '/d/migrations/001_a.rollback.sql': 'x',
    '/d/migrations/002_b.sql': 'x',
    '/e/migrations/001_a.sql': 'x',
    '/e/migrations/002_b.sql': 'x',
    '/e/migrations/rollback/001_a.sql': 'x',
    '/g/db/migrations/001_a.sql': 'x',
    '/g/db/down/001_a.sql': 'x',
    '/o/db/init_dbs/postgresql/1.16.0/1.16.0.sql': 'x',
    '/o/db/init_dbs/postgresql/1.17.0/1.17.0.sql': 'x',
    '/o/db/rollback_dbs/postgresql/1.16.0/1.16.0.sql': 'x',
    '/p/migrations/001_a.sql': 'x',
  });

  test('an up file and its rollback_NNN twin', () => {
    const up = detectConvention('/b/db/migrations/001_create_webhook_inbox.sql', 'x', fs);
    assert.equal(up.name, 'rollback-files');
    assert.equal(up.role, 'up');
    assert.equal(up.twin, '/b/db/migrations/rollback_001_webhook_inbox.sql');
    assert.equal(up.twinExists, true);
    assert.equal(only(up).runnerTransaction, false);
    const down = detectConvention('/b/db/migrations/rollback_001_webhook_inbox.sql', 'x', fs);
    assert.equal(down.role, 'down');
    assert.equal(only(down).kind, 'down');
    assert.equal(down.twin, '/b/db/migrations/001_create_webhook_inbox.sql');
    assert.equal(down.twinExists, true);
    assert.equal(down.migrationName?.version, '001');
  });

  test('no rollback yet in a folder that uses them: rollback_NNN_name.sql beside it', () => {
    const up = detectConvention('/b/db/migrations/003_create_sync_state.sql', 'x', fs);
    assert.equal(up.name, 'rollback-files');
    assert.equal(up.twin, '/b/db/migrations/rollback_003_create_sync_state.sql');
    assert.equal(up.twinExists, false);
  });

  test('name.rollback.sql', () => {
    const up = detectConvention('/d/migrations/001_a.sql', 'x', fs);
    assert.equal(up.twin, '/d/migrations/001_a.rollback.sql');
    assert.equal(up.twinExists, true);
    const down = detectConvention('/d/migrations/001_a.rollback.sql', 'x', fs);
    assert.equal(down.role, 'down');
    assert.equal(down.twin, '/d/migrations/001_a.sql');
    assert.equal(detectConvention('/d/migrations/002_b.sql', 'x', fs).twin, '/d/migrations/002_b.rollback.sql');
  });

  test('rollback/ subfolder and down/ sibling folder', () => {
    assert.equal(detectConvention('/e/migrations/001_a.sql', 'x', fs).twin, '/e/migrations/rollback/001_a.sql');
    const missing = detectConvention('/e/migrations/002_b.sql', 'x', fs);
    assert.equal(missing.name, 'rollback-files');
    assert.equal(missing.twin, '/e/migrations/rollback/002_b.sql');
    assert.equal(missing.twinExists, false);
    const down = detectConvention('/e/migrations/rollback/001_a.sql', 'x', fs);
    assert.equal(down.role, 'down');
    assert.equal(down.twin, '/e/migrations/001_a.sql');
    const sib = detectConvention('/g/db/migrations/001_a.sql', 'x', fs);
    assert.equal(sib.twin, '/g/db/down/001_a.sql');
    assert.equal(sib.twinExists, true);
    assert.equal(detectConvention('/g/db/down/001_a.sql', 'x', fs).twin, '/g/db/migrations/001_a.sql');
  });

  test('a mirrored rollback tree (openreplay init_dbs/ ↔ rollback_dbs/)', () => {
    const up = detectConvention('/o/db/init_dbs/postgresql/1.16.0/1.16.0.sql', 'x', fs);
    assert.equal(up.name, 'rollback-files');
    assert.equal(up.twin, '/o/db/rollback_dbs/postgresql/1.16.0/1.16.0.sql');
    assert.equal(up.twinExists, true);
    const noRollback = detectConvention('/o/db/init_dbs/postgresql/1.17.0/1.17.0.sql', 'x', fs);
    assert.equal(noRollback.twinExists, false);
    const down = detectConvention('/o/db/rollback_dbs/postgresql/1.16.0/1.16.0.sql', 'x', fs);
    assert.equal(down.role, 'down');
    assert.equal(down.twin, '/o/db/init_dbs/postgresql/1.16.0/1.16.0.sql');
    assert.equal(down.twinExists, true);
  });

  test('a folder whose name merely contains "rollback" (db/e2e_rollback/) holds migrations, not DOWN-only rollbacks; a mirroring one still holds rollbacks', () => {
    const files = {
      '/e/db/e2e_rollback/001_seed_users.sql': 'INSERT INTO users VALUES (1);\n',
      '/e/db/e2e_rollback/002_seed_posts.sql': 'INSERT INTO posts VALUES (1);\n',
      '/e/db/migrations/001_create_users.sql': 'CREATE TABLE users (id int);\n',
      '/m/db/migrations/001_create_users.sql': 'CREATE TABLE users (id int);\n',
      '/m/db/migrations_rollback/001_create_users.sql': 'DROP TABLE users;\n',
    };
    const mem = new MemoryFileSystem(files);
    const seed = detectConvention('/e/db/e2e_rollback/001_seed_users.sql', files['/e/db/e2e_rollback/001_seed_users.sql'], mem);
    assert.equal(seed.role, 'migration');
    assert.deepEqual(seed.parts.map((p) => p.kind), ['up']);
    assert.deepEqual(readMigrationFolder('/e/db/e2e_rollback', mem).map((m) => Object.keys(m.files).join()), ['single', 'single']);
    // Nor are its files the rollbacks of the migrations folder beside it.
    assert.deepEqual(readMigrationFolder('/e/db/migrations', mem).map((m) => m.files), [{ single: '/e/db/migrations/001_create_users.sql' }]);
    assert.equal(detectConvention('/e/db/migrations/001_create_users.sql', files['/e/db/migrations/001_create_users.sql'], mem).name, 'plain');

    const mirrored = detectConvention('/m/db/migrations_rollback/001_create_users.sql', 'DROP TABLE users;\n', mem);
    assert.equal(mirrored.role, 'down');
    assert.equal(mirrored.twin, '/m/db/migrations/001_create_users.sql');
    assert.deepEqual(readMigrationFolder('/m/db/migrations', mem).map((m) => m.files), [{ up: '/m/db/migrations/001_create_users.sql', down: '/m/db/migrations_rollback/001_create_users.sql' }]);
  });

  test('a plain file in a folder without rollback files is plain: no twin, rollback expected', () => {
    const info = detectConvention('/p/migrations/001_a.sql', 'x', fs);
    assert.equal(info.name, 'plain');
    assert.equal(info.role, 'migration');
    assert.equal(info.twin, undefined);
    assert.equal(info.twinExists, false);
    assert.equal(info.expectsRollback, true);
    assert.deepEqual(info.parts, [{ start: 0, end: 1, kind: 'up', commentedOut: false, runnerTransaction: false }]);
  });

  test('forced rollback-files in a folder without them: rollback_ beside it', () => {
    const info = detectConvention('/p/migrations/001_a.sql', 'x', fs, 'rollback-files');
    assert.equal(info.twin, '/p/migrations/rollback_001_a.sql');
    assert.equal(info.twinExists, false);
  });

  test('Windows paths', () => {
    const win = new MemoryFileSystem({
      'C:\\b\\migrations\\001_a.sql': 'x',
      'C:\\b\\migrations\\rollback_001_a.sql': 'x',
    });
    const info = detectConvention('C:\\b\\migrations\\001_a.sql', 'x', win);
    assert.equal(info.name, 'rollback-files');
    assert.equal(info.twin, 'C:\\b\\migrations\\rollback_001_a.sql');
    assert.equal(info.twinExists, true);
  });
});

describe('forced conventions', () => {
  test('forced goose still reads goose markers', () => {
    const t = '-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n';
    const info = detectConvention('/anything/up.sql', t, EMPTY, 'goose');
    assert.equal(info.name, 'goose');
    assert.deepEqual(partTexts(t, info).map((p) => p.kind), ['up', 'down']);
  });

  test('forced dbmate without markers: the whole file, in a transaction', () => {
    const info = detectConvention('/x/1_a.sql', 'SELECT 1;', EMPTY, 'dbmate');
    assert.deepEqual(info.parts, [{ start: 0, end: 9, kind: 'up', commentedOut: false, runnerTransaction: true }]);
    assert.equal(info.transactionOptOut, undefined);
  });

  test('forced plain ignores markers', () => {
    const t = '-- +goose Up\nSELECT 1;\n';
    const info = detectConvention('/x/1_a.sql', t, EMPTY, 'plain');
    assert.equal(info.name, 'plain');
    assert.deepEqual(info.parts.map((p) => [p.kind, p.start, p.end]), [['up', 0, t.length]]);
  });

  test('every forced convention gives an answer', () => {
    for (const name of ['template', 'rollback-files', 'dbmate', 'goose', 'golang-migrate', 'diesel', 'sourcegraph', 'flyway', 'sqitch', 'supabase', 'prisma', 'plain'] as const) {
      const info = detectConvention('/x/001_a.sql', 'SELECT 1;', EMPTY, name);
      assert.equal(info.name, name);
      assert.ok(info.parts.length >= 1, name);
    }
  });
});

describe('odd input never throws', () => {
  const throwing: FileSystem = {
    readFile() {
      throw new Error('boom');
    },
    readDir() {
      throw new Error('boom');
    },
    isDirectory() {
      throw new Error('boom');
    },
  };

  test('empty, BOM only, binary, relative and odd paths, a failing file system', () => {
    for (const [path, text] of [
      ['/m/001_a.sql', ''],
      ['/m/001_a.sql', '\uFEFF'],
      ['/m/001_a.sql', 'PK\u0003\u0004\0\0\u0001-- +goose Up\n'],
      ['', 'SELECT 1;'],
      ['001_a.sql', 'SELECT 1;'],
      ['/', 'SELECT 1;'],
      ['C:\\', 'SELECT 1;'],
      ['/m/rollback_.sql', '-- migrate:up'],
    ] as const) {
      for (const fs of [EMPTY, throwing]) {
        const info = detectConvention(path, text, fs);
        assert.ok(info.parts.length >= 1);
        for (const p of info.parts) assert.ok(p.start >= 0 && p.start <= p.end && p.end <= text.length);
      }
    }
    const binary = detectConvention('/m/x.sql', 'ab\0cd-- +goose Up\n', EMPTY);
    assert.equal(binary.name, 'plain');
    assert.deepEqual(binary.parts.map((p) => [p.start, p.end]), [[0, 18]]);
    const bomOnly = detectConvention('/m/x.sql', '\uFEFFSELECT 1;', EMPTY);
    assert.deepEqual(bomOnly.parts.map((p) => [p.start, p.end]), [[1, 10]]);
  });

  test('lines with lone \\r, tabs and very long comment lines', () => {
    const t = `\t-- +goose Up \t\r\n--${'x'.repeat(100_000)}\r\nSELECT 1;\r\n  -- +goose Down\r\n`;
    const info = detectConvention('/m/1_a.sql', t, EMPTY);
    assert.equal(info.name, 'goose');
    assert.equal(t.slice(info.parts[0].marker!.start, info.parts[0].marker!.end), '-- +goose Up');
    assert.equal(info.parts[1].start, t.length);
  });
});

describe('cost', () => {
  test('each directory is listed at most once per call', () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 50; i++) files[`/r/a/b/c/migrations/${String(i).padStart(3, '0')}_m.sql`] = 'x';
    files['/r/a/b/c/migrations/rollback/001_m.sql'] = 'x';
    const fs = new MemoryFileSystem(files);
    for (const path of ['/r/a/b/c/migrations/002_m.sql', '/r/a/b/c/migrations/rollback/001_m.sql', '/r/a/b/c/migrations/001_m.sql']) {
      fs.dirReads.clear();
      detectConvention(path, 'x', fs);
      for (const [dir, n] of fs.dirReads) assert.equal(n, 1, `${path}: ${dir} read ${n} times`);
    }
  });

  test('5,000 files in one folder, and a 5 MB file, stay fast', () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 5000; i++) {
      files[`/big/migrations/${String(i).padStart(5, '0')}_m.up.sql`] = 'x';
      files[`/big/migrations/${String(i).padStart(5, '0')}_m.down.sql`] = 'x';
    }
    const fs = new MemoryFileSystem(files);
    let t0 = performance.now();
    for (let i = 1; i <= 5000; i += 1) {
      const info = detectConvention(`/big/migrations/${String(i).padStart(5, '0')}_m.up.sql`, 'CREATE TABLE a ();', fs);
      assert.equal(info.twinExists, true);
    }
    const folderMs = performance.now() - t0;
    const big = `-- +goose Up\n${'SELECT 1; -- comment\n'.repeat(250_000)}-- +goose Down\nSELECT 2;\n`;
    t0 = performance.now();
    const info = detectConvention('/big/00001_x.sql', big, fs);
    const bigMs = performance.now() - t0;
    assert.equal(info.parts.length, 2);
    // Generous bounds: the point is "linear", not a benchmark.
    assert.ok(folderMs < 15_000, `5,000 calls over a 10,000-file folder took ${folderMs} ms`);
    assert.ok(bigMs < 2_000, `a ${big.length}-char file took ${bigMs} ms`);
  });
});

test('scanMarkers reports the line break and all families', () => {
  const s = scanMarkers('-- migrate:up\r\n-- UP Migration\r\n-- +goose Down\r\n');
  assert.equal(s.eol, '\r\n');
  assert.deepEqual(s.markers.map((m) => `${m.family}:${m.kind}`), ['dbmate:up', 'template:up', 'goose:down']);
});
