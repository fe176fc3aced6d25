/**
 * "Treat this folder as migrations" (the editor's offer): which `.safemig.json` is written and
 * with what; then `safemig check` (as a process) finds the folder's files.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMigrationFolder } from '../../server/src/config/add-migration-folder';
import { DEFAULT_MIGRATION_GLOBS } from '../../server/src/config/config';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { runCli } from '../helpers/cli';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'safemig-add-folder-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, config?: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'docs', 'schema updates [v2]'), { recursive: true });
  writeFileSync(join(dir, 'docs', 'schema updates [v2]', 'add_users.sql'), 'CREATE TABLE users (id int);\n');
  if (config !== undefined) writeFileSync(join(dir, '.safemig.json'), config);
  return dir;
}

test('without a config: one is created at the root, the default globs kept beside the folder\'s', () => {
  const dir = project('none');
  const before = runCli(['check', '.'], dir);
  assert.equal(before.code, 2, 'no migration found before');
  const edit = addMigrationFolder(join(dir, 'docs', 'schema updates [v2]'), dir, new DiskFileSystem());
  assert.equal(edit.file, join(dir, '.safemig.json'));
  assert.equal(edit.glob, 'docs/schema updates \\[v2\\]/*.sql');
  assert.deepEqual(JSON.parse(edit.text), { migrations: [...DEFAULT_MIGRATION_GLOBS, 'docs/schema updates \\[v2\\]/*.sql'] });
  writeFileSync(edit.file, edit.text);
  const after = runCli(['check', '.', '--format', 'json'], dir);
  assert.deepEqual(JSON.parse(after.stdout).files.map((f: { path: string }) => f.path), ['docs/schema updates [v2]/add_users.sql']);
});

test('with a config: its other keys are kept, the glob is added to its migrations once', () => {
  const dir = project('some', JSON.stringify({ pgVersion: 16, migrations: ['db/*.sql'], rules: { 'drop-table': 'off' } }));
  const folder = join(dir, 'docs', 'schema updates [v2]');
  const edit = addMigrationFolder(folder, dir, new DiskFileSystem());
  assert.deepEqual(JSON.parse(edit.text), { pgVersion: 16, migrations: ['db/*.sql', 'docs/schema updates \\[v2\\]/*.sql'], rules: { 'drop-table': 'off' } });
  writeFileSync(edit.file, edit.text);
  assert.equal(addMigrationFolder(folder, dir, new DiskFileSystem()).text, edit.text);
});

test('the config that applies is edited, even when it lies below the root; an invalid one is not rewritten', () => {
  const dir = project('nested');
  writeFileSync(join(dir, 'docs', '.safemig.json'), '{"pgVersion": 15}');
  const edit = addMigrationFolder(join(dir, 'docs', 'schema updates [v2]'), dir, new DiskFileSystem());
  assert.equal(edit.file, join(dir, 'docs', '.safemig.json'));
  assert.equal(edit.glob, 'schema updates \\[v2\\]/*.sql');

  const broken = project('broken', '{"pgVersion": ');
  assert.throws(() => addMigrationFolder(join(broken, 'docs', 'schema updates [v2]'), broken, new DiskFileSystem()), /\.safemig\.json: is not valid JSON/);
});
