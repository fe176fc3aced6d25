/** Which files `safemig check` finds as migrations, as a process: version-named folders, globs, none found. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const checkedPaths = (args: string[], cwd = root) => {
  const run = runCli(['check', ...args, '--format', 'json'], cwd);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return JSON.parse(run.stdout).files.map((f: { path: string }) => f.path);
};

before(() => {
  root = mkdtempSync(join(tmpdir(), 'safemig-discovery-'));
  write('app/docs/schema_updates/001_users.sql', 'CREATE TABLE IF NOT EXISTS users (id int);\n');
  write('app/docs/schema_updates/002_name.sql', 'ALTER TABLE users ADD COLUMN IF NOT EXISTS name text;\n');
  write('app/sql/20240101_orders.sql', 'create table if not exists orders (id int);\n');
  write('app/sql/2024-02-01_index.sql', 'CREATE UNIQUE INDEX IF NOT EXISTS orders_id ON orders (id);\n');
  write('app/database/patches/V1__idx.sql', 'CREATE TABLE IF NOT EXISTS t (id int);\n');
  write('app/database/patches/V2__more.sql', 'DROP TABLE IF EXISTS t;\n');
  write('app/database/patches/20240101120000_stamp.sql', 'ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c int;\n');
  // Numbered queries (no DDL), and a few versioned files among many others: not migrations.
  write('app/reports/001_revenue.sql', 'SELECT sum(total) FROM orders;\n');
  write('app/reports/002_users.sql', 'SELECT count(*) FROM users;\n');
  write('app/scripts/001_setup.sql', 'CREATE TABLE IF NOT EXISTS scratch (id int);\n');
  write('app/scripts/cleanup.sql', 'DROP TABLE scratch;\n');
  write('app/scripts/seed.sql', 'INSERT INTO scratch VALUES (1);\n');
  write('app/scripts/report.sql', 'SELECT 1;\n');
  write('empty/queries/report.sql', 'SELECT 1;\n');
  write('empty/notes.txt', 'nothing here\n');
});

after(() => rmSync(root, { recursive: true, force: true }));

test('a folder of version-named SQL files that change the schema is a migrations folder, whatever its name', () => {
  assert.deepEqual(checkedPaths(['app']), [
    'app/database/patches/20240101120000_stamp.sql',
    'app/database/patches/V1__idx.sql',
    'app/database/patches/V2__more.sql',
    'app/docs/schema_updates/001_users.sql',
    'app/docs/schema_updates/002_name.sql',
    'app/sql/2024-02-01_index.sql',
    'app/sql/20240101_orders.sql',
  ]);
});

test('configured migrations globs win over version-named folders', () => {
  write('configured/.safemig.json', JSON.stringify({ migrations: ['sql/**/*.sql'] }));
  write('configured/sql/001_a.sql', 'CREATE TABLE IF NOT EXISTS a (id int);\n');
  write('configured/docs/schema_updates/001_b.sql', 'CREATE TABLE IF NOT EXISTS b (id int);\n');
  assert.deepEqual(checkedPaths(['.'], join(root, 'configured')), ['sql/001_a.sql']);
});

test('no migration found: exit 2, naming the folders searched and how to set migrations', () => {
  const run = runCli(['check', 'empty'], root);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^safemig check: no migration files found in empty \(2 folders searched\)\./);
  assert.match(run.stderr, /"migrations" globs \(now \*\*\/migrations\/\*\*\/\*\.sql, /);
  assert.match(run.stderr, /Set "migrations" in a \.safemig\.json at the project's root, e\.g\. \{ "migrations": \["sql\/\*\*\/\*\.sql"\] \}/);

  write('empty/.safemig.json', JSON.stringify({ migrations: ['db/**/*.sql'] }));
  const configured = runCli(['check', 'empty'], root);
  assert.equal(configured.code, 2);
  assert.match(configured.stderr, /now db\/\*\*\/\*\.sql\), .*\nSet "migrations" in .*empty\/\.safemig\.json/);
});
