import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { FolderMigration, isMigrationFolderFile, readMigrationFolder } from '../../server/src/migration/folder';
import { DiskFileSystem as NodeDiskFileSystem } from '../../server/src/workspace/node-fs';
import { MemoryFileSystem } from '../helpers/memory-fs';
import { DiskFileSystem } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'safemig-folder-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes a fixture tree under a fresh folder of the temp dir; returns that folder. */
function tree(name: string, files: Record<string, string>): string {
  const base = join(root, name);
  for (const [rel, text] of Object.entries(files)) {
    const path = join(base, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (!rel.endsWith('/')) writeFileSync(path, text);
  }
  return base;
}

/** Migrations shown as `version convention up|down|single` with paths relative to `base`. */
function show(base: string, list: FolderMigration[]): string[] {
  const rel = (p?: string) => (p ? relative(base, p) : '-');
  return list.map((m) => {
    const files = m.files.single ? `single=${rel(m.files.single)}` : `up=${rel(m.files.up)} down=${rel(m.files.down)}`;
    return `${m.version} ${m.convention} ${files}`;
  });
}

const fs = new DiskFileSystem();

describe('readMigrationFolder', () => {
  test('golang-migrate pairs are one migration each; numeric order; duplicates stay separate', () => {
    const dir = tree('gm', {
      '10_j.up.sql': '',
      '10_j.down.sql': '',
      '9_i.up.sql': '',
      '9_i.down.sql': '',
      '0000_a.up.sql': '',
      '0000_b.up.sql': '',
      '0000_b.down.sql': '',
      '11_k_table.up.sql': '',
      '11_k.down.sql': '',
      '12_l_up.sql': '',
      '12_l_down.sql': '',
      '13_m.down.sql': '',
      'README.md': '',
    });
    assert.deepEqual(show(dir, readMigrationFolder(dir, fs)), [
      '0000 golang-migrate up=0000_a.up.sql down=-',
      '0000 golang-migrate up=0000_b.up.sql down=0000_b.down.sql',
      '9 golang-migrate up=9_i.up.sql down=9_i.down.sql',
      '10 golang-migrate up=10_j.up.sql down=10_j.down.sql',
      '11 golang-migrate up=11_k_table.up.sql down=11_k.down.sql',
      '12 golang-migrate up=12_l_up.sql down=12_l_down.sql',
      '13 golang-migrate up=- down=13_m.down.sql',
    ]);
    const twelve = readMigrationFolder(dir, fs).find((m) => m.version === '12');
    assert.equal(twelve?.description, 'l');
  });

  test('ory/popx: the PostgreSQL file of a migration, other dialects left out', () => {
    const dir = tree('popx', {
      '20200101000000000000_a.up.sql': '',
      '20200101000000000000_a.postgres.up.sql': '',
      '20200101000000000000_a.mysql.up.sql': '',
      '20200101000000000000_a.sqlite3.up.sql': '',
      '20200101000000000000_a.down.sql': '',
      '20200101000000000000_a.mysql.down.sql': '',
    });
    assert.deepEqual(show(dir, readMigrationFolder(dir, fs)), [
      '20200101000000000000 golang-migrate up=20200101000000000000_a.postgres.up.sql down=20200101000000000000_a.down.sql',
    ]);
  });

  test('rollback files: by version beside, name.rollback.sql, rollback/ folder, sibling down/ folder', () => {
    const dir = tree('rb/db/migrations', {
      '001_create_webhook_inbox.sql': 'CREATE TABLE a ();',
      'rollback_001_webhook_inbox.sql': '',
      '002_create_call_events.sql': '',
      '002_create_call_events.rollback.sql': '',
      '003_create_sync_state.sql': '',
      'rollback/003_sync_state.sql': '',
      '004_alter_messages.sql': '',
      '../down/004_alter_messages.sql': '',
      '005_new.sql': '',
    });
    assert.deepEqual(show(dir, readMigrationFolder(dir, fs)), [
      '001 rollback-files up=001_create_webhook_inbox.sql down=rollback_001_webhook_inbox.sql',
      '002 rollback-files up=002_create_call_events.sql down=002_create_call_events.rollback.sql',
      '003 rollback-files up=003_create_sync_state.sql down=rollback/003_sync_state.sql',
      '004 rollback-files up=004_alter_messages.sql down=../down/004_alter_messages.sql',
      '005 rollback-files up=005_new.sql down=-',
    ]);
  });

  test('single files: sniffed markers, plain, supabase; files without a version are left out', () => {
    const dir = tree('single/supabase/migrations', {
      '20240101000000_goose.sql': '-- +goose Up\nSELECT 1;\n',
      '20240102000000_dbmate.sql': '-- migrate:up\nSELECT 1;\n',
      '20240103000000_template.sql': '-- UP Migration\nSELECT 1;\n-- DOWN Migration (Rollback)\n-- SELECT 2;\n',
      '20240104000000_plain.sql': 'SELECT 1;',
      'seed.sql': 'SELECT 1;',
    });
    assert.deepEqual(
      readMigrationFolder(dir, fs).map((m) => `${m.description} ${m.convention} ${m.versionStyle}`),
      ['goose goose timestamp', 'dbmate dbmate timestamp', 'template template timestamp', 'plain supabase timestamp'],
    );
    assert.deepEqual(
      readMigrationFolder(dir, fs, { sniff: false }).map((m) => m.convention),
      ['supabase', 'supabase', 'supabase', 'supabase'],
    );
  });

  test('diesel, sourcegraph and prisma folders', () => {
    const dir = tree('diesel/migrations', {
      '00000000000000_diesel_initial_setup/up.sql': '',
      '00000000000000_diesel_initial_setup/down.sql': '',
      '2019-02-26-002946_create_user/up.sql': '',
      '2019-02-26-002946_create_user/down.sql': '',
      '20170428154714_tokens/up.sql': '',
      '20170428154714_tokens/down.sql': '',
      '1528395834_sg/up.sql': '',
      '1528395834_sg/metadata.yaml': '',
      '20230101120000_init/migration.sql': '',
      'migration_lock.toml': '',
      'data_oauth_github.sql': '',
      '.keep/': '',
    });
    assert.deepEqual(show(dir, readMigrationFolder(dir, fs)), [
      '00000000000000 diesel up=00000000000000_diesel_initial_setup/up.sql down=00000000000000_diesel_initial_setup/down.sql',
      '1528395834 sourcegraph up=1528395834_sg/up.sql down=-',
      '20170428154714 diesel up=20170428154714_tokens/up.sql down=20170428154714_tokens/down.sql',
      '2019-02-26-002946 diesel up=2019-02-26-002946_create_user/up.sql down=2019-02-26-002946_create_user/down.sql',
      '20230101120000 prisma single=20230101120000_init/migration.sql',
    ]);
  });

  test('flyway: versions part by part, undo paired by version, repeatables last', () => {
    const dir = tree('flyway', {
      'V10__j.sql': '',
      'V2__b.sql': '',
      'V1__a.sql': '',
      'V1.1__a1.sql': '',
      'V1_2__a2.sql': '',
      'U1.1__undo_a1.sql': '',
      'R__views.sql': '',
      'R__a_views.sql': '',
    });
    assert.deepEqual(show(dir, readMigrationFolder(dir, fs)), [
      '1 flyway up=V1__a.sql down=-',
      '1.1 flyway up=V1.1__a1.sql down=U1.1__undo_a1.sql',
      '1.2 flyway up=V1_2__a2.sql down=-',
      '2 flyway up=V2__b.sql down=-',
      '10 flyway up=V10__j.sql down=-',
      ' flyway single=R__a_views.sql',
      ' flyway single=R__views.sql',
    ]);
    assert.equal(readMigrationFolder(dir, fs).at(-1)?.repeatable, true);
  });

  test('sqitch: plan order', () => {
    const dir = tree('sqitch', {
      'sqitch.plan': '%syntax-version=1.0.0\n%project=flipr\n\nappschema 2013-12-30T23:19:28Z M <m@x> # schema\nusers [appschema] 2013-12-31T00:00:00Z M <m@x> # users\n@v1.0 2013-12-31T00:00:01Z M <m@x> # tag\n',
      'deploy/appschema.sql': '',
      'deploy/users.sql': '',
      'revert/appschema.sql': '',
      'verify/users.sql': '',
    });
    assert.deepEqual(show(dir, readMigrationFolder(dir, fs)), [
      '1 sqitch up=deploy/appschema.sql down=revert/appschema.sql',
      '2 sqitch up=deploy/users.sql down=-',
    ]);
  });

  test('missing folder, unreadable file system', () => {
    assert.deepEqual(readMigrationFolder(join(root, 'nope'), fs), []);
    const throwing = { readFile: () => { throw new Error('x'); }, readDir: () => { throw new Error('x'); }, isDirectory: () => { throw new Error('x'); } };
    assert.deepEqual(readMigrationFolder('/x', throwing), []);
  });

  test('in-memory overlay with Windows paths', () => {
    const mem = new MemoryFileSystem({
      'C:\\db\\migrations\\002_b.sql': 'SELECT 1;',
      'C:\\db\\migrations\\001_a.sql': '-- +goose Up\nSELECT 1;',
    });
    assert.deepEqual(
      readMigrationFolder('C:\\db\\migrations', mem).map((m) => `${m.version} ${m.convention} ${m.files.single}`),
      ['001 goose C:\\db\\migrations\\001_a.sql', '002 plain C:\\db\\migrations\\002_b.sql'],
    );
  });
});

test('isMigrationFolderFile', () => {
  assert.equal(isMigrationFolderFile('001_a.sql'), true);
  assert.equal(isMigrationFolderFile('001_a.UP.SQL'), true);
  assert.equal(isMigrationFolderFile('05cache.sql.postgres'), true);
  assert.equal(isMigrationFolderFile('05cache.sql.sqlite'), false);
  assert.equal(isMigrationFolderFile('x.mysql.up.sql'), false);
  assert.equal(isMigrationFolderFile('001-init.ts'), false);
  assert.equal(isMigrationFolderFile('README.md'), false);
});

test('reading a rollback folder itself: its files are rollbacks', () => {
  const mem = new MemoryFileSystem({ '/m/rollback/001_a.sql': '', '/m/001_a.sql': '' });
  assert.deepEqual(
    readMigrationFolder('/m/rollback', mem).map((m) => `${m.version} ${m.convention} ${m.files.down}`),
    ['001 rollback-files /m/rollback/001_a.sql'],
  );
  assert.deepEqual(
    readMigrationFolder('/m', mem).map((m) => `${m.version} ${m.convention} ${m.files.up} ${m.files.down}`),
    ['001 rollback-files /m/001_a.sql /m/rollback/001_a.sql'],
  );
});

test("folders listed by check's search are not read again", () => {
  const dir = tree('known', { '2024-01-01-000000_users/up.sql': '', '2024-01-01-000000_users/down.sql': '', '2024-02-01-000000_posts/up.sql': '' });
  const disk = new NodeDiskFileSystem();
  disk.know([
    { dir, names: ['2024-01-01-000000_users', '2024-02-01-000000_posts'], folders: ['2024-01-01-000000_users', '2024-02-01-000000_posts'], files: [] },
    { dir: join(dir, '2024-01-01-000000_users'), names: ['down.sql', 'up.sql'], folders: [], files: ['down.sql', 'up.sql'] },
    { dir: join(dir, '2024-02-01-000000_posts'), names: ['up.sql'], folders: [], files: ['up.sql'] },
  ]);
  // Gone from the disk: what is read now comes from the listings.
  rmSync(dir, { recursive: true });
  assert.deepEqual(show(dir, readMigrationFolder(dir, disk)), [
    '2024-01-01-000000 diesel up=2024-01-01-000000_users/up.sql down=2024-01-01-000000_users/down.sql',
    '2024-02-01-000000 diesel up=2024-02-01-000000_posts/up.sql down=-',
  ]);
});
