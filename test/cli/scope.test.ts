/** `safemig check --since REF` and `startAfter`: only what changed is reported, the rest is context. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
const reported = (args: string[], cwd = root) => {
  const run = runCli(['check', ...args, '--format', 'json'], cwd);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return JSON.parse(run.stdout).files.map((f: { path: string; diagnostics: { rule: string }[] }) => `${f.path}: ${f.diagnostics.map((d) => d.rule).join(' ')}`);
};

const section = (up: string, down: string) => `-- UP Migration\n${up}\n\n-- DOWN Migration (Rollback)\n${down}\n`;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'safemig-scope-'));
  git('init', '-q', '-b', 'main');
  write('db/migrations/001_users.sql', section('CREATE TABLE IF NOT EXISTS users (id int);', 'DROP TABLE IF EXISTS users;'));
  write('db/migrations/002_drop.sql', section('DROP TABLE users;', 'SELECT 1;'));
  write('db/split/003_orders.up.sql', 'CREATE TABLE IF NOT EXISTS orders (id int);\n');
  write('db/split/003_orders.down.sql', 'SELECT 1;\n');
  git('add', '.');
  git('commit', '-qm', 'base');
  git('tag', 'base');
});

after(() => rmSync(root, { recursive: true, force: true }));

test('--since REF reports only migrations added or changed since the ref, committed or not', () => {
  assert.deepEqual(reported(['.', '--since', 'base']), []);
  // New and untracked: reported. It reads 001 for context: users is an existing table there.
  write('db/migrations/004_name.sql', section("SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN IF NOT EXISTS name text NOT NULL;", 'ALTER TABLE users DROP COLUMN IF EXISTS name;'));
  assert.deepEqual(reported(['.', '--since', 'base']), ['db/migrations/004_name.sql: add-required-column']);
  // A changed down file: its migration (the .up.sql twin) is reported too.
  write('db/split/003_orders.down.sql', 'SELECT 2;\n');
  git('add', '.');
  git('commit', '-qm', 'more');
  assert.deepEqual(reported(['db', '--since', 'base']), [
    'db/migrations/004_name.sql: add-required-column',
    'db/split/003_orders.down.sql: ',
    'db/split/003_orders.up.sql: incomplete-rollback',
  ]);
  assert.deepEqual(reported(['.', '--since', 'HEAD']), []);
});

test('--since outside a git checkout, or with an unknown ref, is a clear error, exit 2', () => {
  const outside = mkdtempSync(join(tmpdir(), 'safemig-nogit-'));
  try {
    mkdirSync(join(outside, 'db', 'migrations'), { recursive: true });
    writeFileSync(join(outside, 'db', 'migrations', '001_a.sql'), 'SELECT 1;\n');
    const run = runCli(['check', '.', '--since', 'main'], outside);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, `safemig check: --since needs a git checkout, and ${outside} is not inside one\n`);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
  const unknown = runCli(['check', '.', '--since', 'no-such-ref'], root);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, 'safemig check: --since no-such-ref: git knows no commit of that name\n');
});

test('startAfter: migrations at or before the version are context only, never reported', () => {
  write('adopt/.safemig.json', JSON.stringify({ startAfter: '002' }));
  write('adopt/db/migrations/001_users.sql', section('CREATE TABLE users (id int);', 'DROP TABLE users;'));
  write('adopt/db/migrations/002_drop.sql', section('DROP TABLE users;', 'SELECT 1;'));
  write('adopt/db/migrations/003_add.sql', section('ALTER TABLE users ADD COLUMN IF NOT EXISTS n int NOT NULL;', 'ALTER TABLE users DROP COLUMN IF EXISTS n;'));
  // 003 is judged against 001 (users exists), though 001 is not reported.
  assert.deepEqual(reported(['db'], join(root, 'adopt')), ['db/migrations/003_add.sql: require-lock-timeout add-required-column']);
  // Named explicitly, an old migration is still context only.
  const run = runCli(['check', 'db/migrations/001_users.sql'], join(root, 'adopt'));
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '0 files checked: 0 errors, 0 warnings, 0 info\n');

  write('adopt/.safemig.json', JSON.stringify({ startAfter: 'latest' }));
  const invalid = runCli(['check', 'db'], join(root, 'adopt'));
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /"startAfter" must be a migration version such as "20240101093000", "001" or "1\.2", not "latest"/);
});
