/**
 * The convention registry: one module per convention name, the detection order it sets, the
 * facts other stages read from it, and the pipeline's promise that the model reads no file.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CONVENTIONS, conventionNamed } from '../../server/src/migration/conventions';
import { buildMigration, readMigration } from '../../server/src/migration/migration';
import { CONVENTION_NAMES, FileSystem } from '../../server/src/migration/model';
import { detectConvention, recognise } from '../../server/src/migration/recognise';
import { NEW_FOLDER_CHOICES } from '../../server/src/authoring/style';
import { initParser } from '../../server/src/sql/pg';
import { MemoryFileSystem } from '../helpers/memory-fs';

before(() => initParser());

const FOLDER = join(__dirname, '..', '..', 'server', 'src', 'migration', 'conventions');

test('every convention name has its module, named after it, and one registry line', () => {
  assert.deepEqual([...CONVENTIONS.map((c) => c.name)].sort(), [...CONVENTION_NAMES].sort());
  const files = new Set(readdirSync(FOLDER));
  for (const name of CONVENTION_NAMES) assert.ok(files.has(`${name}.ts`), `conventions/${name}.ts`);
  assert.equal(CONVENTIONS[CONVENTIONS.length - 1].name, 'plain', 'plain is the fallback, last');
});

test("each runner's history table is the one CONVENTIONS.md names; hand-run conventions have none", () => {
  const tables = Object.fromEntries(CONVENTIONS.map((c) => [c.name, c.historyTable]));
  assert.deepEqual(tables, {
    goose: 'goose_db_version',
    dbmate: 'schema_migrations',
    sourcegraph: 'migration_logs',
    diesel: '__diesel_schema_migrations',
    prisma: '_prisma_migrations',
    sqitch: 'sqitch.changes',
    flyway: 'flyway_schema_history',
    'golang-migrate': 'schema_migrations',
    'rollback-files': undefined,
    supabase: 'supabase_migrations.schema_migrations',
    template: undefined,
    plain: undefined,
    drizzle: 'drizzle.__drizzle_migrations',
    knex: 'knex_migrations',
    'node-pg-migrate': 'pgmigrations',
    kysely: 'kysely_migration',
    typeorm: 'migrations',
    'migration-scripts': undefined,
  });
});

test('the registry order is the detection order: of two conventions that recognise a file, the earlier wins', () => {
  const fs = new MemoryFileSystem({
    '/p/db/V1__init.up.sql': '', // flyway's name and golang-migrate's direction: flyway comes first
    '/p/db/V1__init.down.sql': '',
    '/p/m/20240101000000_x/up.sql': '', // diesel's up.sql beside sourcegraph's metadata: sourcegraph first
    '/p/m/20240101000000_x/metadata.yaml': 'name: x\n',
    '/p/supabase/migrations/20240101000000_x.sql': '', // supabase's folder, template markers: supabase first
  });
  assert.equal(detectConvention('/p/db/V1__init.up.sql', '', fs).name, 'flyway');
  assert.equal(detectConvention('/p/m/20240101000000_x/up.sql', '', fs).name, 'sourcegraph');
  assert.equal(detectConvention('/p/supabase/migrations/20240101000000_x.sql', '-- UP Migration\nSELECT 1;\n', fs).name, 'supabase');
  // Markers come before every name: goose markers in a rollback file name.
  assert.equal(detectConvention('/p/db/rollback_001_x.sql', '-- +goose Up\nSELECT 1;\n', fs).name, 'goose');
});

test('a forward file is rollback-files by its neighbours only when nothing else recognises it', () => {
  const fs = new MemoryFileSystem({ '/p/m/001_a.sql': '', '/p/m/rollback_001_a.sql': '' });
  assert.equal(detectConvention('/p/m/001_a.sql', 'CREATE TABLE a (id int);\n', fs).name, 'rollback-files');
  // Template markers are a stronger sign than a rollback file beside it.
  assert.equal(detectConvention('/p/m/001_a.sql', '-- UP Migration\nCREATE TABLE a (id int);\n', fs).name, 'template');
});

test('a forced convention reads the file its way', () => {
  const fs = new MemoryFileSystem({});
  const info = detectConvention('/p/m/001_a.sql', '-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n', fs, 'plain');
  assert.equal(info.name, 'plain');
  assert.equal(info.parts.length, 1);
  assert.equal(conventionNamed('no-such-convention').name, 'plain');
});

test('new-folder choices come from the modules, in picker order (this project’s template first)', () => {
  assert.deepEqual(
    NEW_FOLDER_CHOICES.map((c) => c.id),
    ['template', 'template-numbered', 'rollback-files', 'goose', 'dbmate', 'golang-migrate', 'diesel', 'sourcegraph', 'flyway', 'sqitch', 'supabase', 'prisma', 'knex', 'node-pg-migrate', 'kysely', 'typeorm', 'migration-scripts'],
  );
  for (const choice of NEW_FOLDER_CHOICES) assert.ok(conventionNamed(choice.convention).authoring?.choices.includes(choice), choice.id);
});

/** A file system that counts every read, to prove which stage reads. */
class CountingFileSystem implements FileSystem {
  reads = 0;
  constructor(private readonly inner: FileSystem) {}
  readFile(path: string): string | undefined {
    this.reads++;
    return this.inner.readFile(path);
  }
  readDir(path: string): string[] | undefined {
    this.reads++;
    return this.inner.readDir(path);
  }
  isDirectory(path: string): boolean {
    this.reads++;
    return this.inner.isDirectory(path);
  }
}

test('recognition reads the twin; building the model and parsing the twin read no file', () => {
  const up = 'CREATE TABLE t (id int);\n';
  const down = 'DROP TABLE t;\n';
  const fs = new CountingFileSystem(new MemoryFileSystem({ '/p/m/001_t.up.sql': up, '/p/m/001_t.down.sql': down }));
  const recognition = recognise('/p/m/001_t.up.sql', up, fs);
  assert.equal(recognition.convention.name, 'golang-migrate');
  assert.equal(recognition.twin?.text, down);
  assert.equal(recognition.twin?.convention.role, 'down');
  assert.ok(recognition.folder?.includes('001_t.down.sql'), 'the folder listing detection used is handed on');
  const readsAfterRecognition = fs.reads;
  const migration = buildMigration(recognition);
  assert.equal(migration.twinText(), down);
  assert.deepEqual(migration.twin()?.statements.map((s) => s.kind), ['DropStmt']);
  assert.equal(migration.twin()?.parts[0].kind, 'down');
  assert.equal(fs.reads, readsAfterRecognition, 'the model stage reads no file');
});

test('readMigration is recognise then build: the same model', () => {
  const fs = new MemoryFileSystem({ '/p/m/V1__t.sql': 'CREATE TABLE t (id int);\n', '/p/m/U1__t.sql': 'DROP TABLE t;\n' });
  const a = readMigration('/p/m/V1__t.sql', 'CREATE TABLE t (id int);\n', fs);
  const b = buildMigration(recognise('/p/m/V1__t.sql', 'CREATE TABLE t (id int);\n', fs));
  assert.deepEqual(a.convention, b.convention);
  assert.equal(a.twin()?.path, '/p/m/U1__t.sql');
  assert.equal(a.twinText(), b.twinText());
});
