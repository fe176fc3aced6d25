/** `safemig check --fix` and `--fix-dry-run` as a process: safe fixes only, written or shown as a diff. */
import { beforeEach, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const TEMPLATE = '-- UP Migration\nCREATE TABLE users (id int);\nALTER TABLE accounts ADD COLUMN note text;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n\n-- DOWN Migration (Rollback)\nDROP FUNCTION IF EXISTS f();\nALTER TABLE accounts DROP COLUMN IF EXISTS note;\nDROP TABLE IF EXISTS users;\n';
const SPLIT_UP = 'CREATE TABLE IF NOT EXISTS t (id int);\nDROP INDEX old_idx;\n';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'safemig-fix-'));
  write('db/migrations/001_a.sql', TEMPLATE);
  write('gm/migrations/001_t.up.sql', SPLIT_UP);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('--fix-dry-run prints a unified diff of the safe fixes and writes nothing', () => {
  const run = runCli(['check', '.', '--fix-dry-run'], root);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    [
      '--- a/db/migrations/001_a.sql',
      '+++ b/db/migrations/001_a.sql',
      '@@ -1,6 +1,7 @@',
      ' -- UP Migration',
      '-CREATE TABLE users (id int);',
      '-ALTER TABLE accounts ADD COLUMN note text;',
      "+SET lock_timeout = '5s';",
      '+CREATE TABLE IF NOT EXISTS users (id int);',
      '+ALTER TABLE accounts ADD COLUMN IF NOT EXISTS note text;',
      ' CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
      ' ',
      ' -- DOWN Migration (Rollback)',
      '--- /dev/null',
      '+++ b/gm/migrations/001_t.down.sql',
      '@@ -0,0 +1,2 @@',
      '+-- TODO: recreate what this drops: DROP INDEX old_idx',
      '+DROP TABLE IF EXISTS t;',
      '--- a/gm/migrations/001_t.up.sql',
      '+++ b/gm/migrations/001_t.up.sql',
      '@@ -1,2 +1,3 @@',
      "+SET lock_timeout = '5s';",
      ' CREATE TABLE IF NOT EXISTS t (id int);',
      '-DROP INDEX old_idx;',
      '+DROP INDEX IF EXISTS old_idx;',
      '',
    ].join('\n'),
  );
  assert.equal(read('db/migrations/001_a.sql'), TEMPLATE);
  assert.equal(read('gm/migrations/001_t.up.sql'), SPLIT_UP);
  assert.ok(!existsSync(join(root, 'gm/migrations/001_t.down.sql')));
  // The diff applies with patch(1) to give what --fix writes.
  const patched = spawnSync('patch', ['-p1', '-s'], { cwd: root, input: run.stdout, encoding: 'utf8' });
  assert.equal(patched.status, 0, patched.stderr + patched.stdout);
  const fixedByPatch = [read('db/migrations/001_a.sql'), read('gm/migrations/001_t.up.sql'), read('gm/migrations/001_t.down.sql')];
  write('db/migrations/001_a.sql', TEMPLATE);
  write('gm/migrations/001_t.up.sql', SPLIT_UP);
  rmSync(join(root, 'gm/migrations/001_t.down.sql'));
  assert.equal(runCli(['check', '.', '--fix'], root).code, 0);
  assert.deepEqual([read('db/migrations/001_a.sql'), read('gm/migrations/001_t.up.sql'), read('gm/migrations/001_t.down.sql')], fixedByPatch);
});

test('--fix writes the safe fixes, re-checks, and reports what is left; unsafe fixes are left to a person', () => {
  const run = runCli(['check', '.', '--fix'], root);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, 'safemig check --fix: 6 fixes applied in 3 files; what is left:\n');
  assert.equal(
    run.stdout.replace(/ (warning|info) ([a-z-]+) .*/g, ' $1 $2'),
    ['db/migrations/001_a.sql:5:1 warning require-if-not-exists', 'gm/migrations/001_t.up.sql:3:1 warning non-concurrent-index', '3 files checked: 0 errors, 2 warnings, 0 info', ''].join('\n'),
  );
  // OR REPLACE and CONCURRENTLY change what the statement does: not applied.
  assert.match(read('db/migrations/001_a.sql'), /\nCREATE FUNCTION f\(\)/);
  assert.match(read('gm/migrations/001_t.up.sql'), /\nDROP INDEX IF EXISTS old_idx;\n$/);
  assert.equal(read('gm/migrations/001_t.down.sql'), '-- TODO: recreate what this drops: DROP INDEX old_idx\nDROP TABLE IF EXISTS t;\n');
  // Nothing is left to fix.
  const again = runCli(['check', '.', '--fix'], root);
  assert.equal(again.stderr, 'safemig check --fix: 0 fixes applied in 0 files; what is left:\n');
  assert.equal(again.stdout, run.stdout);
});

test('--fix does not write through a symbolic link', () => {
  const outside = mkdtempSync(join(tmpdir(), 'safemig-fix-outside-'));
  try {
    writeFileSync(join(outside, 'target.sql'), 'DROP TABLE x;\n');
    symlinkSync(join(outside, 'target.sql'), join(root, 'db/migrations/002_link.sql'));
    const run = runCli(['check', 'db/migrations/002_link.sql', '--fix'], root);
    assert.match(run.stderr, /not fixed: .*002_link\.sql is a symbolic link, which --fix does not write through/);
    assert.equal(readFileSync(join(outside, 'target.sql'), 'utf8'), 'DROP TABLE x;\n');
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});
