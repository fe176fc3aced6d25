/**
 * planNewMigration on every convention of CONVENTIONS.md, in real temporary folders: the names it
 * picks (version, padding, separators, case), the files and their layout, the cursor, and that the
 * engine reports nothing on what it scaffolds and pairs its files as one migration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectConvention } from '../../server/src/migration/recognise';
import { readMigrationFolder } from '../../server/src/migration/folder';
import { NewMigrationError, planNewMigration } from '../../server/src/authoring/plan';
import { NEW_FOLDER_CHOICES } from '../../server/src/authoring/style';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { AUTHOR, clean, cursorLine, lintFiles, NOW, scaffold, tree } from './helpers';

const UP = '-- UP Migration\nSELECT 1;\n\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n';
const HEADER = '-- Migration: add retry columns\n-- Date: 2025-11-22\n-- Author: Jane Doe\n\n';

/** The convention the engine reads each created file as. */
function conventionsOf(root: string, paths: string[]): string[] {
  const fs = new DiskFileSystem();
  return paths.map((p) => detectConvention(join(root, p), readFileSync(join(root, p), 'utf8'), fs).name);
}

/** The folder's last migration as the engine groups it: version and its files, relative to the folder. */
function lastMigration(root: string, dir: string) {
  const all = readMigrationFolder(join(root, dir), new DiskFileSystem());
  const last = all[all.length - 1];
  const rel = (p?: string) => p?.slice(join(root, dir).length + 1);
  return { count: all.length, version: last.version, convention: last.convention, up: rel(last.files.up ?? last.files.single), down: rel(last.files.down) };
}

// --- template sections ------------------------------------------------------------------------

test('template, YYYYMMDD: the seeds’ template, named by date, cursor in the UP part, nothing to report', () => {
  const root = tree({ 'migrations/agent/20251120_create_memory.sql': UP });
  const s = scaffold(root, 'migrations/agent');
  assert.deepEqual(s.created, ['migrations/agent/20251122_add_retry_columns.sql']);
  assert.equal(s.read(s.created[0]), `${HEADER}-- UP Migration\n\n\n-- DOWN Migration (Rollback)\n`);
  assert.deepEqual(cursorLine(s.plan), { path: join(root, s.created[0]), before: '', after: '' });
  assert.equal(s.plan.files[0].content.slice(0, s.plan.cursor.offset), `${HEADER}-- UP Migration\n`);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
  assert.deepEqual(conventionsOf(root, s.created), ['template']);
  const parts = detectConvention(join(root, s.created[0]), s.read(s.created[0]), new DiskFileSystem()).parts;
  assert.deepEqual(parts.map((p) => p.kind), ['up', 'down']);
  assert.ok(parts[0].start <= s.plan.cursor.offset && s.plan.cursor.offset <= parts[0].end, 'the cursor is in the UP part');
});

test('template, YYYYMMDD: a date already taken moves to the next free day, never a duplicate', () => {
  const root = tree({ 'db/20251122_first.sql': UP, 'db/20251123_planned.sql': UP });
  const s = scaffold(root, 'db');
  assert.deepEqual(s.created, ['db/20251124_add_retry_columns.sql']);
  assert.equal(lastMigration(root, 'db').version, '20251124');
});

test('template, YYYYMMDD: today already taken takes the time to the second, never tomorrow (diesel\'s dashed days too)', () => {
  const root = tree({ 'db/20251121_older.sql': UP, 'db/20251122_first.sql': UP, 'm/2025-11-22_first/up.sql': 'SELECT 1;\n', 'm/2025-11-22_first/down.sql': 'SELECT 1;\n' });
  const s = scaffold(root, 'db');
  assert.deepEqual(s.created, ['db/20251122093005_add_retry_columns.sql']);
  assert.equal(lastMigration(root, 'db').version, '20251122093005', 'it runs after 20251122_first');
  assert.deepEqual(scaffold(root, 'm').created, ['m/2025-11-22-093005_add_retry_columns/up.sql', 'm/2025-11-22-093005_add_retry_columns/down.sql']);
});

test('kysely, YYYY_MM_DD_ names (ordered by whole file name): today as 2025_11_22_, which sorts last; a second one today is refused, not run first', () => {
  const kysely = (table: string) => `import { Kysely } from 'kysely';\nexport async function up(db: Kysely<any>) {\n  await db.schema.createTable('${table}').ifNotExists().addColumn('id', 'integer').execute();\n}\nexport async function down(db: Kysely<any>) {\n  await db.schema.dropTable('${table}').ifExists().execute();\n}\n`;
  const root = tree({ 'package.json': JSON.stringify({ dependencies: { kysely: '*' } }), 'src/migrations/2024_01_15_create_users.ts': kysely('users'), 'src/migrations/2024_01_15_create_posts.ts': kysely('posts') });
  const s = scaffold(root, 'src/migrations');
  assert.deepEqual(s.created, ['src/migrations/2025_11_22_add_retry_columns.ts']);
  assert.equal(lastMigration(root, 'src/migrations').up, '2025_11_22_add_retry_columns.ts');
  // The time to the second would be 2025_11_22_093005_…, which sorts before 2025_11_22_add_…: kysely would run it first.
  assert.throws(() => scaffold(root, 'src/migrations', 'add index'), (e: Error) => e instanceof NewMigrationError && e.kind === 'order' && /2025_11_22_093005_add_index would sort before 2025_11_22_add_retry_columns\.ts, and kysely runs migrations in file name order/.test(e.message));
});

test('template, YYYYMMDDHHMMSS: the current UTC second', () => {
  const root = tree({ 'db/migrations/20240101120000_init.sql': UP });
  assert.deepEqual(scaffold(root, 'db/migrations').created, ['db/migrations/20251122093005_add_retry_columns.sql']);
});

test('template, NNN_: the next number with the folder’s zero padding', () => {
  const root = tree({ 'migrations/001_init.sql': UP, 'migrations/002_users.sql': UP, 'migrations/009_orders.sql': UP });
  const s = scaffold(root, 'migrations');
  assert.deepEqual(s.created, ['migrations/010_add_retry_columns.sql']);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
});

test('template, NNN-: dash separator and dashed description, as the folder writes them', () => {
  const root = tree({ 'scripts/migrations/000-init-database.sql': UP, 'scripts/migrations/001-add-conversation-tracking.sql': UP });
  assert.deepEqual(scaffold(root, 'scripts/migrations', 'Add Retry Columns').created, ['scripts/migrations/002-add-retry-columns.sql']);
});

test('an unpadded sequence stays unpadded, and 9 is followed by 10', () => {
  const root = tree({ 'm/1_init.up.sql': 'SELECT 1;', 'm/1_init.down.sql': 'SELECT 1;', 'm/9_x.up.sql': 'SELECT 1;', 'm/9_x.down.sql': 'SELECT 1;' });
  assert.deepEqual(scaffold(root, 'm').created, ['m/10_add_retry_columns.up.sql', 'm/10_add_retry_columns.down.sql']);
});

// --- plain + rollback files -------------------------------------------------------------------

test('rollback files (seeds/004): NNN_name.sql and rollback_NNN_name.sql, paired by the engine', () => {
  const root = tree({
    'backend/db/migrations/001_create_webhook_inbox.sql': 'CREATE TABLE IF NOT EXISTS inbox (id int);',
    'backend/db/migrations/rollback_001_webhook_inbox.sql': 'DROP TABLE IF EXISTS inbox;',
    'backend/db/migrations/004_alter_messages.sql': 'ALTER TABLE messages ADD COLUMN IF NOT EXISTS x int;',
    'backend/db/migrations/rollback_004_alter_messages.sql': 'ALTER TABLE messages DROP COLUMN IF EXISTS x;',
  });
  const s = scaffold(root, 'backend/db/migrations');
  assert.deepEqual(s.created, ['backend/db/migrations/005_add_retry_columns.sql', 'backend/db/migrations/rollback_005_add_retry_columns.sql']);
  assert.equal(s.read(s.created[0]), `${HEADER}\n`);
  assert.equal(s.plan.cursor.path, join(root, s.created[0]));
  assert.equal(s.plan.cursor.offset, HEADER.length, 'on the line after the header and its blank line');
  assert.deepEqual(lastMigration(root, 'backend/db/migrations'), { count: 3, version: '005', convention: 'rollback-files', up: '005_add_retry_columns.sql', down: 'rollback_005_add_retry_columns.sql' });
  const info = detectConvention(join(root, s.created[0]), s.read(s.created[0]), new DiskFileSystem());
  assert.equal(info.name, 'rollback-files');
  assert.equal(info.twin, join(root, s.created[1]));
  assert.equal(info.twinExists, true);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
});

test('rollback files: a version used only by a rollback file is taken, so the next one skips it', () => {
  const root = tree({ 'db/migrations/003_a.sql': 'SELECT 1;', 'db/migrations/rollback_003_a.sql': 'SELECT 1;', 'db/migrations/rollback_004_b.sql': 'SELECT 1;' });
  assert.deepEqual(scaffold(root, 'db/migrations').created, ['db/migrations/005_add_retry_columns.sql', 'db/migrations/rollback_005_add_retry_columns.sql']);
});

test('rollback files: name.rollback.sql beside the migration', () => {
  const root = tree({ 'db/migrations/001_init.sql': 'SELECT 1;', 'db/migrations/001_init.rollback.sql': 'SELECT 1;' });
  const s = scaffold(root, 'db/migrations');
  assert.deepEqual(s.created, ['db/migrations/002_add_retry_columns.sql', 'db/migrations/002_add_retry_columns.rollback.sql']);
  assert.deepEqual(lastMigration(root, 'db/migrations').down, '002_add_retry_columns.rollback.sql');
});

test('rollback files: a rollback/ folder beside the migrations folder', () => {
  const root = tree({ 'db/migrations/001_init.sql': 'SELECT 1;', 'db/rollback/001_init.sql': 'SELECT 1;' });
  const s = scaffold(root, 'db/migrations');
  assert.deepEqual(s.created, ['db/migrations/002_add_retry_columns.sql', 'db/rollback/002_add_retry_columns.sql']);
  const info = detectConvention(join(root, s.created[0]), s.read(s.created[0]), new DiskFileSystem());
  assert.deepEqual([info.name, info.twin, info.twinExists], ['rollback-files', join(root, s.created[1]), true]);
});

test('rollback files: a down/ folder inside the migrations folder, with rollback- prefixes', () => {
  const root = tree({ 'sql/001-init.sql': 'SELECT 1;', 'sql/down/rollback-001-init.sql': 'SELECT 1;' });
  assert.deepEqual(scaffold(root, 'sql').created, ['sql/002-add-retry-columns.sql', 'sql/down/rollback-002-add-retry-columns.sql']);
});

// --- runners with markers ---------------------------------------------------------------------

test('dbmate: timestamp name and the migrate:up / migrate:down markers', () => {
  const root = tree({ 'db/migrations/20240101120000_init.sql': '-- migrate:up\nSELECT 1;\n\n-- migrate:down\nSELECT 1;\n' });
  const s = scaffold(root, 'db/migrations');
  assert.deepEqual(s.created, ['db/migrations/20251122093005_add_retry_columns.sql']);
  assert.equal(s.read(s.created[0]), `${HEADER}-- migrate:up\n\n\n-- migrate:down\n`);
  assert.equal(s.plan.files[0].content.slice(0, s.plan.cursor.offset), `${HEADER}-- migrate:up\n`);
  assert.deepEqual(conventionsOf(root, s.created), ['dbmate']);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
});

test('goose: timestamped folder', () => {
  const root = tree({ 'migrations/20240115180414_init.sql': '-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 1;\n' });
  const s = scaffold(root, 'migrations');
  assert.deepEqual(s.created, ['migrations/20251122093005_add_retry_columns.sql']);
  assert.equal(s.read(s.created[0]), `${HEADER}-- +goose Up\n\n\n-- +goose Down\n`);
  assert.deepEqual(conventionsOf(root, s.created), ['goose']);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
});

test('goose: numbered folder (00001_) keeps its five digits', () => {
  const root = tree({ 'testdata/migrations/00001_users.sql': '-- +goose Up\nSELECT 1;\n', 'testdata/migrations/00002_posts.sql': '-- +goose Up\nSELECT 1;\n' });
  assert.deepEqual(scaffold(root, 'testdata/migrations').created, ['testdata/migrations/00003_add_retry_columns.sql']);
});

// --- split files ------------------------------------------------------------------------------

test('golang-migrate: an .up.sql/.down.sql pair, read by the engine as one migration', () => {
  const root = tree({ 'migrate/000001_init.up.sql': 'SELECT 1;', 'migrate/000001_init.down.sql': 'SELECT 1;' });
  const s = scaffold(root, 'migrate');
  assert.deepEqual(s.created, ['migrate/000002_add_retry_columns.up.sql', 'migrate/000002_add_retry_columns.down.sql']);
  assert.equal(s.read(s.created[0]), `${HEADER}\n`);
  assert.equal(s.read(s.created[1]), HEADER.replace(/\n\n$/, '\n'));
  assert.equal(s.plan.cursor.path, join(root, s.created[0]));
  assert.deepEqual(lastMigration(root, 'migrate'), { count: 2, version: '000002', convention: 'golang-migrate', up: s.created[0].slice(8), down: s.created[1].slice(8) });
  assert.deepEqual(conventionsOf(root, s.created), ['golang-migrate', 'golang-migrate']);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
});

test('golang-migrate: a version held only by a .down.sql is taken too', () => {
  const root = tree({ 'migrate/000001_init.up.sql': 'SELECT 1;', 'migrate/000002_gone.down.sql': 'SELECT 1;' });
  assert.deepEqual(scaffold(root, 'migrate').created, ['migrate/000003_add_retry_columns.up.sql', 'migrate/000003_add_retry_columns.down.sql']);
});

test('golang-migrate: a folder that keeps no down files gets none', () => {
  const root = tree({ 'make/migrations/0171_2.14.1_schema.up.sql': 'SELECT 1;', 'make/migrations/0180_2.15.0_schema.up.sql': 'SELECT 1;' });
  assert.deepEqual(scaffold(root, 'make/migrations', 'v2.16.0 schema').created, ['make/migrations/0181_v2.16.0_schema.up.sql']);
});

test('golang-migrate: names without a description (harness) stay without one', () => {
  const root = tree({ 'postgres/0188.up.sql': 'SELECT 1;', 'postgres/0188.down.sql': 'SELECT 1;', 'postgres/0189.up.sql': 'SELECT 1;', 'postgres/0189.down.sql': 'SELECT 1;' });
  const s = scaffold(root, 'postgres');
  assert.deepEqual(s.created, ['postgres/0190.up.sql', 'postgres/0190.down.sql']);
  assert.match(s.read(s.created[0]), /^-- Migration: add retry columns$/m);
});

test('V-prefixed PascalCase names (authelia) keep prefix, padding, dots and case', () => {
  const root = tree({
    'postgres/V0023.DeviceCodeNullConstraints.up.sql': 'SELECT 1;',
    'postgres/V0023.DeviceCodeNullConstraints.down.sql': 'SELECT 1;',
    'postgres/V0024.WebAuthnAttestationType.up.sql': 'SELECT 1;',
    'postgres/V0024.WebAuthnAttestationType.down.sql': 'SELECT 1;',
  });
  const s = scaffold(root, 'postgres');
  assert.deepEqual(s.created, ['postgres/V0025.AddRetryColumns.up.sql', 'postgres/V0025.AddRetryColumns.down.sql']);
  assert.equal(lastMigration(root, 'postgres').version, '0025');
});

test('diesel: a <version>_<name>/ folder with up.sql and down.sql', () => {
  const root = tree({
    'migrations/00000000000000_diesel_initial_setup/up.sql': 'SELECT 1;',
    'migrations/00000000000000_diesel_initial_setup/down.sql': 'SELECT 1;',
    'migrations/2019-02-26-002946_create_user/up.sql': 'SELECT 1;',
    'migrations/2019-02-26-002946_create_user/down.sql': 'SELECT 1;',
  });
  const s = scaffold(root, 'migrations');
  assert.deepEqual(s.created, ['migrations/2025-11-22-093005_add_retry_columns/up.sql', 'migrations/2025-11-22-093005_add_retry_columns/down.sql']);
  assert.equal(s.plan.name, '2025-11-22-093005_add_retry_columns/');
  assert.deepEqual(lastMigration(root, 'migrations').convention, 'diesel');
  assert.deepEqual(conventionsOf(root, s.created), ['diesel', 'diesel']);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
});

test('diesel with -0000 suffixes (lemmy): the suffix counts up when the time is taken', () => {
  const root = tree({ 'migrations/2030-01-01-000000-0000_future/up.sql': 'SELECT 1;', 'migrations/2030-01-01-000000-0000_future/down.sql': 'SELECT 1;' });
  assert.deepEqual(scaffold(root, 'migrations').created.map((p) => p.split('/')[1]), ['2030-01-01-000000-0001_add_retry_columns', '2030-01-01-000000-0001_add_retry_columns']);
});

test('sourcegraph: up.sql, down.sql and metadata.yaml naming the current leaves as parents', () => {
  const root = tree({
    'migrations/frontend/1648051770_init/up.sql': 'BEGIN;\nSELECT 1;\nCOMMIT;\n',
    'migrations/frontend/1648051770_init/down.sql': 'BEGIN;\nSELECT 1;\nCOMMIT;\n',
    'migrations/frontend/1648051770_init/metadata.yaml': 'name: init\nparents: []\n',
    'migrations/frontend/1648115472_a/up.sql': 'BEGIN;\nSELECT 1;\nCOMMIT;\n',
    'migrations/frontend/1648115472_a/down.sql': 'BEGIN;\nSELECT 1;\nCOMMIT;\n',
    'migrations/frontend/1648115472_a/metadata.yaml': 'name: a\nparents: [1648051770]\n',
    'migrations/frontend/1648195639_b/up.sql': 'BEGIN;\nSELECT 1;\nCOMMIT;\n',
    'migrations/frontend/1648195639_b/down.sql': 'BEGIN;\nSELECT 1;\nCOMMIT;\n',
    'migrations/frontend/1648195639_b/metadata.yaml': 'name: b\nparents:\n  - 1648051770\n',
  });
  const s = scaffold(root, 'migrations/frontend');
  const dir = `migrations/frontend/${Math.floor(NOW.getTime() / 1000)}_add_retry_columns`;
  assert.deepEqual(s.created, [`${dir}/up.sql`, `${dir}/down.sql`, `${dir}/metadata.yaml`]);
  assert.equal(s.read(`${dir}/metadata.yaml`), 'name: "add retry columns"\nparents: [1648115472, 1648195639]\n');
  assert.equal(s.read(`${dir}/up.sql`), `${HEADER}BEGIN;\n\n\nCOMMIT;\n`);
  assert.equal(s.plan.files[0].content.slice(0, s.plan.cursor.offset), `${HEADER}BEGIN;\n`);
  assert.deepEqual(conventionsOf(root, s.created.slice(0, 2)), ['sourcegraph', 'sourcegraph']);
  assert.deepEqual(lintFiles(root, s.created.slice(0, 2)), clean(s.created.slice(0, 2)));
});

test('Flyway: V<n>__name.sql, and the undo file where the folder keeps undo files', () => {
  const root = tree({ 'db/migration/V1__init.sql': 'SELECT 1;', 'db/migration/V2__users.sql': 'SELECT 1;' });
  assert.deepEqual(scaffold(root, 'db/migration').created, ['db/migration/V3__add_retry_columns.sql']);
  const withUndo = tree({ 'db/migration/V1__init.sql': 'SELECT 1;', 'db/migration/U1__init.sql': 'SELECT 1;' });
  const s = scaffold(withUndo, 'db/migration');
  assert.deepEqual(s.created, ['db/migration/V2__add_retry_columns.sql', 'db/migration/U2__add_retry_columns.sql']);
  assert.deepEqual(lastMigration(withUndo, 'db/migration'), { count: 2, version: '2', convention: 'flyway', up: 'V2__add_retry_columns.sql', down: 'U2__add_retry_columns.sql' });
  assert.deepEqual(lintFiles(withUndo, s.created), clean(s.created));
});

test('Flyway: dotted versions count up their last part, keeping the folder’s separator', () => {
  const root = tree({ 'postgres/V1_8__a.sql': 'SELECT 1;', 'postgres/V1_9__b.sql': 'SELECT 1;', 'postgres/V1_10__c.sql': 'SELECT 1;' });
  assert.deepEqual(scaffold(root, 'postgres').created, ['postgres/V1_11__add_retry_columns.sql']);
  const dots = tree({ 'sql/V1__a.sql': 'SELECT 1;', 'sql/V1.1__b.sql': 'SELECT 1;' });
  assert.deepEqual(scaffold(dots, 'sql').created, ['sql/V1.2__add_retry_columns.sql']);
});

test('sqitch: deploy/, revert/ and verify/ scripts and the change’s line in sqitch.plan', () => {
  const plan = '%syntax-version=1.0.0\n%project=flipr\n\nappschema 2025-01-01T00:00:00Z Ann <ann@example.com> # Add schema\nusers [appschema] 2025-01-02T00:00:00Z Ann <ann@example.com> # Users\n';
  const root = tree({ 'sqitch.plan': plan, 'deploy/appschema.sql': '', 'revert/appschema.sql': '', 'verify/appschema.sql': '', 'deploy/users.sql': '', 'revert/users.sql': '', 'verify/users.sql': '' });
  const s = scaffold(root, '');
  assert.deepEqual(s.created, ['deploy/add_retry_columns.sql', 'revert/add_retry_columns.sql', 'verify/add_retry_columns.sql']);
  assert.equal(s.read('deploy/add_retry_columns.sql'), `-- Deploy flipr:add_retry_columns to pg\n${HEADER}BEGIN;\n\n\nCOMMIT;\n`);
  assert.equal(s.read('verify/add_retry_columns.sql'), `-- Verify flipr:add_retry_columns on pg\n${HEADER}BEGIN;\n\nROLLBACK;\n`);
  assert.equal(s.read('sqitch.plan'), `${plan}add_retry_columns 2025-11-22T09:30:05Z Jane Doe <jane@example.com> # add retry columns\n`);
  const changes = readMigrationFolder(root, new DiskFileSystem());
  assert.deepEqual(changes.map((c) => c.description), ['appschema', 'users', 'add_retry_columns']);
  assert.deepEqual(conventionsOf(root, s.created), ['sqitch', 'sqitch', 'sqitch']);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
  assert.throws(() => planNewMigration({ dir: root, description: 'add retry columns', fs: new DiskFileSystem(), now: NOW, author: AUTHOR }), (e: unknown) => e instanceof NewMigrationError && e.kind === 'exists' && /already has a change named "add_retry_columns"/.test(e.message));
});

// --- roll-forward -----------------------------------------------------------------------------

test('Supabase: a timestamped file with the header and no DOWN section (roll-forward)', () => {
  const root = tree({ 'supabase/migrations/20240101000000_init.sql': 'SELECT 1;' });
  const s = scaffold(root, 'supabase/migrations');
  assert.deepEqual(s.created, ['supabase/migrations/20251122093005_add_retry_columns.sql']);
  assert.equal(s.read(s.created[0]), `${HEADER}\n`);
  assert.deepEqual(conventionsOf(root, s.created), ['supabase']);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
});

test('Prisma: <timestamp>_<name>/migration.sql', () => {
  const root = tree({ 'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n', 'prisma/migrations/20240101000000_init/migration.sql': 'SELECT 1;' });
  const s = scaffold(root, 'prisma/migrations');
  assert.deepEqual(s.created, ['prisma/migrations/20251122093005_add_retry_columns/migration.sql']);
  assert.deepEqual(conventionsOf(root, s.created), ['prisma']);
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
});

// --- empty folders ----------------------------------------------------------------------------

test('an empty folder has no convention to follow: the planner asks for one', () => {
  const root = tree({ 'db/migrations/': '' });
  assert.throws(
    () => planNewMigration({ dir: join(root, 'db/migrations'), description: 'init', fs: new DiskFileSystem(), now: NOW, author: AUTHOR }),
    (e: unknown) => e instanceof NewMigrationError && e.kind === 'convention' && /has no migrations yet/.test(e.message),
  );
});

test('every choice for an empty folder scaffolds files that the engine reads in that convention, and reports nothing on', () => {
  const expected: Record<string, string[]> = {
    template: ['20251122_init_schema.sql'],
    'template-numbered': ['001_init_schema.sql'],
    'rollback-files': ['001_init_schema.sql', 'rollback_001_init_schema.sql'],
    goose: ['20251122093005_init_schema.sql'],
    dbmate: ['20251122093005_init_schema.sql'],
    'golang-migrate': ['000001_init_schema.up.sql', '000001_init_schema.down.sql'],
    diesel: ['2025-11-22-093005_init_schema/up.sql', '2025-11-22-093005_init_schema/down.sql'],
    sourcegraph: ['1763803805_init_schema/up.sql', '1763803805_init_schema/down.sql', '1763803805_init_schema/metadata.yaml'],
    flyway: ['V1__init_schema.sql'],
    sqitch: ['deploy/init_schema.sql', 'revert/init_schema.sql', 'verify/init_schema.sql', 'sqitch.plan', 'sqitch.conf'],
    supabase: ['20251122093005_init_schema.sql'],
    prisma: ['20251122093005_init_schema/migration.sql'],
    knex: ['20251122093005_init_schema.ts'],
    'node-pg-migrate': ['1763803805000_init-schema.ts'],
    kysely: ['20251122093005_init_schema.ts'],
    typeorm: ['1763803805000-InitSchema.ts'],
    'migration-scripts': ['001-init-schema.ts'],
  };
  assert.deepEqual(Object.keys(expected), NEW_FOLDER_CHOICES.map((c) => c.id), 'every choice is tested');
  for (const choice of NEW_FOLDER_CHOICES) {
    const dir = choice.id === 'supabase' ? 'supabase/migrations' : choice.id === 'prisma' ? 'prisma/migrations' : choice.id === 'migration-scripts' ? 'scripts/migrations' : 'migrations';
    const root = tree({ [`${dir}/`]: '' });
    const s = scaffold(root, dir, 'init schema', { convention: choice.id });
    assert.deepEqual(s.created, expected[choice.id].map((p) => `${dir}/${p}`), choice.id);
    assert.equal(s.plan.convention, choice.convention, choice.id);
    const sql = s.created.filter((p) => p.endsWith('.sql') || p.endsWith('.ts'));
    assert.deepEqual(conventionsOf(root, sql), sql.map(() => choice.convention), choice.id);
    assert.deepEqual(lintFiles(root, sql), clean(sql), choice.id);
    // A second migration follows the first one's convention without being told.
    const next = scaffold(root, dir, 'add retry columns');
    assert.equal(next.plan.convention, choice.convention, `${choice.id}: second migration`);
    const again = readMigrationFolder(join(root, dir), new DiskFileSystem());
    assert.equal(new Set(again.map((m) => m.version)).size, again.length, `${choice.id}: versions are unique`);
    assert.equal(again[again.length - 1].description.toLowerCase().replace(/[^a-z]/g, ''), 'addretrycolumns', `${choice.id}: the new one runs last`);
  }
});

test('a sqitch.plan or Prisma’s migration_lock.toml in an empty folder says the convention', () => {
  const sqitch = tree({ 'sqitch.plan': '%syntax-version=1.0.0\n%project=app\n\n' });
  assert.deepEqual(scaffold(sqitch, '', 'init').created, ['deploy/init.sql', 'revert/init.sql', 'verify/init.sql']);
  const prisma = tree({ 'prisma/migrations/migration_lock.toml': '' });
  assert.deepEqual(scaffold(prisma, 'prisma/migrations', 'init').created, ['prisma/migrations/20251122093005_init/migration.sql']);
});

test('a folder of seed-003 scripts gets the next script, with the client its latest one uses', () => {
  const bun = "import { sql } from 'bun'\n\nawait sql`CREATE TABLE IF NOT EXISTS trains (id int)`\n";
  const root = tree({ 'scripts/migrations/013-credential-train-management.ts': '', 'scripts/migrations/014-train-members.ts': bun, 'scripts/migrations/README.md': '' });
  const s = scaffold(root, 'scripts/migrations', 'add train colours');
  assert.deepEqual(s.created, ['scripts/migrations/015-add-train-colours.ts']);
  assert.equal(s.plan.convention, 'migration-scripts');
  assert.match(s.read('scripts/migrations/015-add-train-colours.ts'), /import \{ sql \} from 'bun'/);
  // Code the engine does not read as migrations (not in a migrations folder) is still not taken for an empty folder.
  const other = tree({ 'db/0001_init.js': 'module.exports = {}\n' });
  assert.throws(
    () => planNewMigration({ dir: join(other, 'db'), description: 'x', fs: new DiskFileSystem(), now: NOW, author: AUTHOR }),
    (e: unknown) => e instanceof NewMigrationError && e.kind === 'convention' && /holds migrations written as code \(0001_init\.js\)/.test(e.message),
  );
});

test('the config’s convention replaces the detected one; names still follow the folder', () => {
  const root = tree({ 'db/001_a.sql': UP });
  assert.deepEqual(scaffold(root, 'db', 'x', { convention: 'goose' }).read('db/002_x.sql').match(/^-- \+goose (Up|Down)$/gm), ['-- +goose Up', '-- +goose Down']);
  assert.throws(() => planNewMigration({ dir: join(root, 'db'), description: 'x', fs: new DiskFileSystem(), now: NOW, author: AUTHOR, convention: 'liquibase' }), /Unknown convention "liquibase"/);
});

// --- descriptions -----------------------------------------------------------------------------

test('descriptions: empty, path separators and control characters are refused with a clear message', () => {
  const root = tree({ 'db/001_a.sql': UP });
  const plan = (description: string) => () => planNewMigration({ dir: join(root, 'db'), description, fs: new DiskFileSystem(), now: NOW, author: AUTHOR });
  const refused = (pattern: RegExp) => (e: unknown) => e instanceof NewMigrationError && e.kind === 'description' && pattern.test(e.message);
  assert.throws(plan(''), refused(/empty/));
  assert.throws(plan('   '), refused(/empty/));
  assert.throws(plan('add/column'), refused(/must not contain "\/" or "\\"/));
  assert.throws(plan('..\\evil'), refused(/must not contain/));
  assert.throws(plan('a\u0007b'), refused(/control characters/));
  assert.throws(plan('?!'), refused(/no letters or digits/));
});

test('descriptions are turned into the folder’s case and separator', () => {
  const cases: [Record<string, string>, string, string][] = [
    [{ 'm/001_create_users.sql': UP }, 'Add retry-columns to Jobs', 'm/002_add_retry_columns_to_jobs.sql'],
    [{ 'm/001-create-users.sql': UP }, 'add_retry_columns', 'm/002-add-retry-columns.sql'],
    [{ 'm/V1__Create_Users.sql': UP }, 'add retry columns', 'm/V2__Add_Retry_Columns.sql'],
    [{ 'm/001_CreateUsers.sql': UP, 'm/002_AddIndex.sql': UP }, 'add user’s email', 'm/003_AddUsersEmail.sql'],
    [{ 'm/001_createUsers.sql': UP }, 'add retry columns', 'm/002_addRetryColumns.sql'],
    [{ 'm/001_CREATE_USERS.sql': UP }, 'add retry columns', 'm/002_ADD_RETRY_COLUMNS.sql'],
    [{ 'm/001_create_users.sql': UP }, 'café ☕ menu', 'm/002_café_menu.sql'],
  ];
  for (const [files, description, expected] of cases) assert.deepEqual(scaffold(tree(files), 'm', description).created, [expected], description);
});

// --- templates --------------------------------------------------------------------------------

test('a project template: placeholders filled, ${cursor} placed, unknown ${…} kept', () => {
  const template = '-- ${name}: ${description} (v${version}, ${date}, ${author})\n-- ticket: ${ticket}\n-- UP Migration\nSET lock_timeout = \'5s\';\n${cursor}\n\n-- DOWN Migration (Rollback)\n-- (write the rollback)\n';
  const root = tree({ 'db/001_a.sql': UP });
  const s = scaffold(root, 'db', 'add retry columns', { template });
  assert.equal(
    s.read('db/002_add_retry_columns.sql'),
    "-- 002_add_retry_columns: add retry columns (v002, 2025-11-22, Jane Doe)\n-- ticket: ${ticket}\n-- UP Migration\nSET lock_timeout = '5s';\n\n\n-- DOWN Migration (Rollback)\n-- (write the rollback)\n",
  );
  assert.deepEqual(cursorLine(s.plan), { path: join(root, 'db/002_add_retry_columns.sql'), before: '', after: '' });
  assert.equal(s.plan.files[0].content.slice(0, s.plan.cursor.offset).split('\n').length, 5, 'on the line after SET lock_timeout');
  assert.deepEqual(lintFiles(root, s.created), clean(s.created));
});

test('a project template is laid out in each convention: sections become its markers, or its files', () => {
  const template = '-- ${description}\n-- UP Migration\n${cursor}\n-- DOWN Migration (Rollback)\nSELECT 1;\n';
  const goose = tree({ 'm/20240101000000_a.sql': '-- +goose Up\nSELECT 1;\n' });
  assert.equal(scaffold(goose, 'm', 'b', { template }).read('m/20251122093005_b.sql'), '-- b\n-- +goose Up\n\n-- +goose Down\nSELECT 1;\n');
  const pair = tree({ 'm/001_a.up.sql': '', 'm/001_a.down.sql': '' });
  const s = scaffold(pair, 'm', 'b', { template });
  assert.deepEqual([s.read('m/002_b.up.sql'), s.read('m/002_b.down.sql')], ['-- b\n\n', '-- b\nSELECT 1;\n']);
  const roll = tree({ 'supabase/migrations/20240101000000_a.sql': '' });
  assert.equal(scaffold(roll, 'supabase/migrations', 'b', { template }).read('supabase/migrations/20251122093005_b.sql'), '-- b\n\n', 'roll-forward: no DOWN');
});

test('a template without ${cursor} or markers: its leading comments are the header, the cursor starts the UP part; CRLF is kept', () => {
  const root = tree({ 'db/001_a.sql': UP });
  const s = scaffold(root, 'db', 'b', { template: '-- Migration: ${description}\r\n\r\n-- write SQL above\r\n' });
  const text = s.read('db/002_b.sql');
  assert.equal(text, '-- Migration: b\r\n\r\n-- UP Migration\r\n-- write SQL above\r\n-- DOWN Migration (Rollback)\r\n');
  assert.equal(text.slice(0, s.plan.cursor.offset), '-- Migration: b\r\n\r\n-- UP Migration\r\n');
});
