/**
 * Finding the migrations folder, and planning in every real migrations folder of the shared
 * corpus: the new migration must run last, have a version of its own, be read in the folder's
 * convention and look like its neighbours.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findMigrationFolders, migrationFolderOf, resolveTargetFolder } from '../../server/src/authoring/folders';
import { planNewMigration, PlannedFile } from '../../server/src/authoring/plan';
import { detectConvention } from '../../server/src/migration/recognise';
import { readMigrationFolder } from '../../server/src/migration/folder';
import type { FileSystem } from '../../server/src/migration/model';
import { sameVersion } from '../../server/src/migration/names';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { AUTHOR, NOW, tree } from './helpers';

const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'files');
const noCorpus = !existsSync(CORPUS) && 'no ../shared/corpus here';

/** The disk with planned files added, as if they were written. */
class PlannedFileSystem implements FileSystem {
  private readonly disk = new DiskFileSystem();
  constructor(private readonly planned: PlannedFile[]) {}
  readFile(path: string): string | undefined {
    return this.planned.find((f) => f.path === path)?.content ?? this.disk.readFile(path);
  }
  readDir(path: string): string[] | undefined {
    const names = new Set(this.disk.readDir(path) ?? []);
    for (const f of this.planned) if (f.path.startsWith(`${path}/`)) names.add(f.path.slice(path.length + 1).split('/')[0]);
    return names.size > 0 ? [...names].sort() : undefined;
  }
  isDirectory(path: string): boolean {
    return this.disk.isDirectory(path) || this.planned.some((f) => f.path.startsWith(`${path}/`));
  }
}

test('finds each migrations folder of a tree, and not per-migration, rollback or sqitch script folders', () => {
  const root = tree({
    'db/migrations/001_a.sql': 'SELECT 1;',
    'db/rollback/001_a.sql': 'SELECT 1;',
    'server/migrations/2019-02-26-002946_user/up.sql': '',
    'server/migrations/2019-02-26-002946_user/down.sql': '',
    'sqitch/sqitch.plan': '%project=x\n\nusers 2025-01-01T00:00:00Z A <a@b> # x\n',
    'sqitch/deploy/users.sql': '',
    'sqitch/revert/users.sql': '',
    'node_modules/lib/migrations/001_x.sql': 'SELECT 1;',
    '.git/migrations/001_x.sql': 'SELECT 1;',
    'docs/notes.sql': 'SELECT 1;',
  });
  const found = findMigrationFolders(root, new DiskFileSystem());
  assert.deepEqual(found.map((f) => [f.dir.slice(root.length + 1), f.convention, f.count]), [
    ['db/migrations', 'rollback-files', 1],
    ['server/migrations', 'diesel', 1],
    ['sqitch', 'sqitch', 1],
  ]);
});

test('folders of TS/JS migrations are found too, in their framework; application code is not', () => {
  const knex = "import type { Knex } from 'knex';\nexport async function up(knex: Knex) { await knex.raw('SELECT 1'); }\nexport async function down(knex: Knex) {}\n";
  const root = tree({
    'api/migrations/20240101000000_init.ts': knex,
    'scripts/migrations/001-init.ts': "await sql`SELECT 1`\n",
    'src/db/20240101000000_queries.ts': 'export const q = 1;\n',
  });
  const found = findMigrationFolders(root, new DiskFileSystem());
  assert.deepEqual(found.map((f) => [f.dir.slice(root.length + 1), f.convention, f.count]), [
    ['api/migrations', 'knex', 1],
    ['scripts/migrations', 'migration-scripts', 1],
  ]);
});

test('a path the user points at means its migrations folder', () => {
  const root = tree({
    'migrations/2019-02-26-002946_user/up.sql': '',
    'migrations/2019-02-26-002946_user/down.sql': '',
    'db/migrations/001_a.sql': 'SELECT 1;',
    'db/rollback/001_a.sql': 'SELECT 1;',
    'app/migrations/rollback/001_a.sql': 'SELECT 1;',
    'app/migrations/001_a.sql': 'SELECT 1;',
    'sq/sqitch.plan': '',
    'sq/deploy/x.sql': '',
    'prisma/migrations/20240101000000_init/migration.sql': '',
  });
  const fs = new DiskFileSystem();
  const of = (p: string) => migrationFolderOf(join(root, p), fs).slice(root.length + 1);
  assert.equal(of('migrations/2019-02-26-002946_user/up.sql'), 'migrations');
  assert.equal(of('migrations/2019-02-26-002946_user'), 'migrations');
  assert.equal(of('db/rollback'), 'db/migrations');
  assert.equal(of('db/rollback/001_a.sql'), 'db/migrations');
  assert.equal(of('app/migrations/rollback'), 'app/migrations');
  assert.equal(of('sq/deploy/x.sql'), 'sq');
  assert.equal(of('prisma/migrations/20240101000000_init/migration.sql'), 'prisma/migrations');
  assert.equal(of('db/migrations/001_a.sql'), 'db/migrations');
  assert.equal(of('db/migrations/not-yet'), 'db/migrations/not-yet', 'a folder to create');
});

test('pointing above migrations folders: the only one below, or a choice; an empty folder is empty', () => {
  const root = tree({ 'one/db/migrations/001_a.sql': 'SELECT 1;', 'two/a/001_a.sql': 'SELECT 1;', 'two/b/001_a.sql': 'SELECT 1;', 'three/': '' });
  const fs = new DiskFileSystem();
  assert.deepEqual(resolveTargetFolder(join(root, 'one'), fs), { dir: join(root, 'one/db/migrations'), candidates: findMigrationFolders(join(root, 'one'), fs), empty: false });
  const two = resolveTargetFolder(join(root, 'two'), fs);
  assert.equal(two.dir, undefined);
  assert.deepEqual(two.candidates.map((c) => c.dir), [join(root, 'two/a'), join(root, 'two/b')]);
  assert.deepEqual(resolveTargetFolder(join(root, 'three'), fs), { dir: join(root, 'three'), candidates: [], empty: true });
  // The config's globs decide what counts as a migration.
  assert.deepEqual(resolveTargetFolder(join(root, 'two'), fs, { accept: (p) => p.includes('/b/') }).dir, join(root, 'two/b'));
});

test('the corpus: in every real migrations folder the new migration runs last, with a version of its own, in the folder’s convention', { skip: noCorpus }, () => {
  const disk = new DiskFileSystem();
  const folders = findMigrationFolders(CORPUS, disk).filter((f) => !f.dir.includes('/squawk/'));
  assert.ok(folders.length >= 30, `${folders.length} folders`);
  const projects = new Set(folders.map((f) => f.dir.slice(CORPUS.length + 1).split('/')[0]));
  for (const p of ['lemmy', 'crates-io', 'hatchet', 'goose', 'marquez', 'kestra', 'ente', 'harness', 'authelia', 'trigger-dev', 'documenso', 'supabase-postgres', 'dbmate']) assert.ok(projects.has(p), `found ${p}`);
  for (const folder of folders) {
    const where = folder.dir.slice(CORPUS.length + 1);
    const before = readMigrationFolder(folder.dir, disk);
    const plan = planNewMigration({ dir: folder.dir, description: 'add retry columns', fs: disk, now: NOW, author: AUTHOR });
    const fs = new PlannedFileSystem(plan.files);
    const after = readMigrationFolder(folder.dir, fs).filter((m) => !m.repeatable);
    const last = after[after.length - 1];
    assert.equal(after.length, before.filter((m) => !m.repeatable).length + 1, `${where}: one more migration`);
    assert.ok(sameVersion(last.version, plan.version), `${where}: the new migration runs last (${last.version}, planned ${plan.version})`);
    assert.equal(before.filter((m) => m.version !== '' && sameVersion(m.version, plan.version)).length, 0, `${where}: ${plan.version} is a new version`);
    const up = plan.files[0];
    const convention = detectConvention(up.path, up.content, fs).name;
    const expected = before.slice(-12).map((m) => m.convention);
    assert.ok(expected.includes(convention) || (convention === 'template' && expected.includes('plain')), `${where}: ${convention} among ${[...new Set(expected)]}`);
    // Its name has the same shape as the latest one: same length of version (padding), same extension.
    const latest = before[before.length - 1];
    assert.equal(last.versionStyle, latest.versionStyle, `${where}: version style`);
    if (latest.versionStyle === 'sequential') assert.equal(last.version.length >= latest.version.length, true, `${where}: padding`);
    if (latest.files.down) assert.ok(last.files.down || latest.convention === 'golang-migrate', `${where}: a down file like its neighbours`);
  }
});
