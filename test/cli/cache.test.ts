/**
 * `safemig check --cache` as a process: a warm run reuses reports (and writes exactly what a cold
 * run writes), and a change to the file, its twin, its folder or the config is seen.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../helpers/cli';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const CACHE = join('node_modules', '.cache', 'safemig', 'check-cache.json');

/** The same check cold (no cache) and with the cache: the outputs must be identical. */
function coldAndCached(args: string[]) {
  const cold = runCli(['check', ...args], root);
  const cached = runCli(['check', ...args, '--cache'], root);
  assert.equal(cached.stderr, cold.stderr);
  assert.equal(cached.stdout, cold.stdout);
  assert.equal(cached.code, cold.code);
  return cached.stdout;
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'safemig-cache-'));
  write('db/migrations/001_users.up.sql', 'CREATE TABLE IF NOT EXISTS users (id int);\nCREATE INDEX IF NOT EXISTS users_id ON users (id);\n');
  write('db/migrations/001_users.down.sql', 'DROP TABLE IF EXISTS users;\n');
  write('db/migrations/002_orders.up.sql', "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN IF NOT EXISTS n int NOT NULL;\n");
  write('db/migrations/002_orders.down.sql', 'ALTER TABLE users DROP COLUMN IF EXISTS n;\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

test('a warm run writes byte for byte what a cold run writes, in every format', () => {
  for (const format of ['text', 'json', 'sarif', 'markdown']) {
    coldAndCached(['db', '--format', format]);
    coldAndCached(['db', '--format', format]);
  }
  assert.ok(existsSync(join(root, CACHE)), 'the default location is node_modules/.cache/safemig');
});

test('the cache is what a warm run reports from', () => {
  coldAndCached(['db', '--format', 'json']);
  const cache = readFileSync(join(root, CACHE), 'utf8');
  // Tampered by hand, the cache shows: the report was not computed again.
  writeFileSync(join(root, CACHE), cache.replace('add-required-column', 'add-tampered-column'));
  assert.match(runCli(['check', 'db', '--cache'], root).stdout, /add-tampered-column/);
  writeFileSync(join(root, CACHE), cache);
});


test('findings past ASCII (names, emoji, the messages’ own `→`) come back from the cache unchanged; the cache file is ASCII', () => {
  write('uni/migrations/001_café.sql', 'ALTER TABLE "café_👍" ADD COLUMN "naïve" int NOT NULL;\nALTER TABLE "café_👍" ALTER COLUMN "naïve" TYPE bigint;\n');
  const out = coldAndCached(['uni', '--format', 'json']);
  assert.match(out, /café_👍/);
  assert.equal(coldAndCached(['uni', '--format', 'json']), out);
  assert.doesNotMatch(readFileSync(join(root, CACHE), 'latin1'), /[^\x00-\x7f]/);
});
test('a change to a twin, to the folder or to the config is seen', () => {
  const before = coldAndCached(['db']);
  assert.doesNotMatch(before, /incomplete-rollback/);
  // The rollback no longer drops the index's table: 001's up file gets a finding.
  write('db/migrations/001_users.down.sql', 'SELECT 1;\n');
  assert.match(coldAndCached(['db']), /001_users\.up\.sql:1:1 warning incomplete-rollback/);
  // A new file with the same version: the others of that version get a finding.
  write('db/migrations/002_dup.up.sql', 'SELECT 1;\n');
  write('db/migrations/002_dup.down.sql', 'SELECT 1;\n');
  assert.match(coldAndCached(['db']), /002_orders\.up\.sql:1:1 error duplicate-migration-version/);
  rmSync(join(root, 'db/migrations/002_dup.up.sql'));
  rmSync(join(root, 'db/migrations/002_dup.down.sql'));
  assert.doesNotMatch(coldAndCached(['db']), /duplicate-migration-version/);
  // The config: a rule turned off.
  write('.safemig.json', JSON.stringify({ rules: { 'add-required-column': 'off' } }));
  assert.doesNotMatch(coldAndCached(['db']), /add-required-column/);
  rmSync(join(root, '.safemig.json'));
  assert.match(coldAndCached(['db']), /add-required-column/);
});

test('an earlier migration edited and then put back: the later one follows it each time (its history)', () => {
  // Plain files: their rollback folders are looked for up the tree, so ancestors are listed too
  // (three levels up: nested, so that they lie in this test's folder, which nothing else changes).
  write('nest/app/hist/db/migrations/001_create.sql', 'CREATE TABLE IF NOT EXISTS users (name varchar(50));\n');
  write('nest/app/hist/db/migrations/002_widen.sql', "SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(100);\n");
  assert.doesNotMatch(coldAndCached(['nest/app/hist']), /change-column-type/);
  write('nest/app/hist/db/migrations/001_create.sql', 'CREATE TABLE IF NOT EXISTS users (name int);\n');
  assert.match(coldAndCached(['nest/app/hist']), /002_widen\.sql:2:\d+ warning change-column-type/);
  write('nest/app/hist/db/migrations/001_create.sql', 'CREATE TABLE IF NOT EXISTS users (name varchar(50));\n');
  assert.doesNotMatch(coldAndCached(['nest/app/hist']), /change-column-type/);
});

test('a run whose every report is cached does not load the parser', () => {
  coldAndCached(['db', '--format', 'json']);
  // The same bundle (the same engine, so the same cache) without the parser's WASM beside it.
  const bare = mkdtempSync(join(tmpdir(), 'safemig-bare-'));
  try {
    copyFileSync(CLI, join(bare, 'cli.js'));
    const run = (args: string[]) => spawnSync(process.execPath, [join(bare, 'cli.js'), 'check', 'db', '--format', 'json', ...args], { cwd: root, encoding: 'utf8' });
    const warm = run(['--cache']);
    assert.equal(warm.stdout, runCli(['check', 'db', '--format', 'json'], root).stdout, warm.stderr);
    // Without the cache it needs the parser: the test would not notice a parser loaded anyway otherwise.
    const cold = run([]);
    assert.notEqual(cold.status, 0);
    assert.equal(cold.stdout, '');
    assert.match(cold.stderr, /libpg-query/);
  } finally {
    rmSync(bare, { recursive: true, force: true });
  }
});

test('a file is not read again while its stamp is unchanged; a same-size edit with its mtime put back is still seen', async () => {
  write('nest/app/stamped/migrations/001_a.sql', 'ALTER TABLE t DROP COLUMN IF EXISTS a;\n');
  write('nest/app/stamped/migrations/002_b.sql', 'CREATE TABLE IF NOT EXISTS b (id int);\n');
  // A whole second, which can be set again exactly.
  const path = join(root, 'nest/app/stamped/migrations/001_a.sql');
  const past = new Date('2024-01-01T00:00:00Z');
  utimesSync(path, past, past);
  // A stamp stands for a file's content once the file was last changed a while before (see isSettled).
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const first = coldAndCached(['nest/app/stamped']);
  assert.match(first, /001_a\.sql:1:\d+ warning drop-column/);
  const stamps = JSON.parse(readFileSync(join(root, CACHE), 'utf8')).stamps;
  assert.ok(Object.keys(stamps).some((path) => path.endsWith('001_a.sql')), 'the cache keeps the file\'s stamp');
  // Same size, and the same modification time as before: only the change time tells.
  writeFileSync(path, 'ALTER TABLE t DROP COLUMN IF EXISTS b;\n');
  utimesSync(path, past, past);
  assert.equal(statSync(path, { bigint: true }).mtimeNs, BigInt(past.getTime()) * 1_000_000n);
  assert.match(coldAndCached(['nest/app/stamped']), /drop-column Dropping column b of t/);
});

test('--cache-location DIR keeps the cache there', () => {
  const run = runCli(['check', 'db', '--cache-location', 'elsewhere'], root);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  assert.ok(existsSync(join(root, 'elsewhere', 'check-cache.json')));
});

test('a folder above the migrations that the analysis only lists is keyed by its listing: its files are not read (they may lie outside the project)', () => {
  write('above/proj/db/migrations/001_a.sql', 'ALTER TABLE t ADD COLUMN IF NOT EXISTS n int NOT NULL;\n');
  write('above/proj/notes.txt', 'one\n');
  write('above/secret.txt', 'one\n');
  assert.match(coldAndCached(['above/proj/db/migrations']), /add-required-column/);
  const cache = readFileSync(join(root, CACHE), 'utf8');
  // Tampered by hand, the cache shows whether the report was computed again.
  writeFileSync(join(root, CACHE), cache.replaceAll('add-required-column', 'add-tampered-column'));
  write('above/proj/notes.txt', 'two\n');
  write('above/secret.txt', 'two\n');
  assert.match(runCli(['check', 'above/proj/db/migrations', '--cache'], root).stdout, /add-tampered-column/, 'a content change above the folder kept the cache');
  // A change to what the analysis does read is still seen: a new migration beside it.
  write('above/proj/db/migrations/002_b.sql', 'SELECT 1;\n');
  assert.match(runCli(['check', 'above/proj/db/migrations', '--cache'], root).stdout, /add-required-column/);
  writeFileSync(join(root, CACHE), cache);
});
