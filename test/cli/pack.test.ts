/**
 * The CLI as an npm package: `scripts/pack-cli.mjs` packs the built CLI; the tarball is installed
 * into an empty folder without the registry, and its `safemig` runs the examples' check and a
 * migration on the embedded database (PGlite, shipped inside the tarball).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli';

const ROOT = resolve(__dirname, '..', '..');
let work: string;
let bin: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'safemig-pack-'));
  const packed = spawnSync(process.execPath, [join(ROOT, 'scripts', 'pack-cli.mjs'), '--out', work], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = packed.stdout.trim();
  assert.match(tarball, /safemig-\d+\.\d+\.\d+\.tgz$/);
  const project = join(work, 'project');
  cpSync(join(ROOT, 'examples'), join(project, 'examples'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{ "name": "uses-safemig", "private": true }\n');
  // --offline: everything the CLI needs is in the tarball; nothing comes from the registry.
  const installed = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8' });
  assert.equal(installed.status, 0, installed.stderr);
  bin = join(project, 'node_modules', '.bin', 'safemig');
});

after(() => rmSync(work, { recursive: true, force: true }));

test('the package holds only the CLI: its bundle, the shadow schema\'s worker, the parser WASM, PGlite; no devDependencies', () => {
  const pkg = join(work, 'project', 'node_modules', 'safemig');
  assert.deepEqual(readdirSync(pkg).sort(), ['LICENSE', 'README.md', 'cli.js', 'libpg-query.wasm', 'node_modules', 'package.json', 'shadow-worker.js']);
  assert.deepEqual(readdirSync(join(pkg, 'node_modules')), ['@electric-sql']);
  assert.deepEqual(readdirSync(join(work, 'project', 'node_modules')).sort(), ['.bin', '.package-lock.json', 'safemig']);
});

test('the installed bin checks the examples exactly as the repository build does', () => {
  const project = join(work, 'project');
  const installed = spawnSync(bin, ['check', 'examples'], { cwd: project, encoding: 'utf8' });
  const built = runCli(['check', 'examples'], project);
  assert.equal(installed.status, 1, installed.stderr);
  assert.match(installed.stdout, /\n13 files checked: 3 errors, \d+ warnings, \d+ info\n$/);
  assert.equal(installed.stdout, built.stdout);
});

test('the installed bin runs the shadow schema (its worker from the tarball)', () => {
  const project = join(work, 'project');
  mkdirSync(join(project, 'shadow', 'migrations'), { recursive: true });
  writeFileSync(join(project, 'shadow', 'migrations', '001_a.sql'), '-- UP Migration\nCREATE TABLE IF NOT EXISTS a (id int);\n');
  writeFileSync(join(project, 'shadow', 'migrations', '002_b.sql'), '-- UP Migration\nUPDATE a SET b = 1 WHERE id = 1;\n');
  const run = spawnSync(bin, ['check', '--shadow', 'shadow'], { cwd: project, encoding: 'utf8', env: { ...withoutDatabaseSettings(), SAFEMIG_CACHE_DIR: join(work, 'cache') } });
  assert.match(run.stdout, /002_b\.sql:2:14 error schema-error column "b" of relation "a" does not exist/, run.stderr);
});

test('the installed bin applies a migration on the embedded database (PGlite from the tarball)', () => {
  const project = join(work, 'project');
  mkdirSync(join(project, 'db', 'migrations'), { recursive: true });
  writeFileSync(join(project, 'db', 'migrations', '001_users.sql'), '-- UP Migration\nCREATE TABLE IF NOT EXISTS users (id int);\n\n-- DOWN Migration (Rollback)\nDROP TABLE IF EXISTS users;\n');
  const applied = spawnSync(bin, ['apply', 'db/migrations/001_users.sql'], { cwd: project, encoding: 'utf8', env: { ...withoutDatabaseSettings(), SAFEMIG_CACHE_DIR: join(work, 'cache') } });
  assert.equal(applied.status, 0, applied.stderr + applied.stdout);
  assert.match(applied.stdout, /target: embedded PGlite \(PostgreSQL \d+\.\d+\)/);
  assert.ok(existsSync(join(project, '.safemig', 'pglite')));
});

/** The environment without a configured database, so that the embedded one is used. */
function withoutDatabaseSettings(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && !key.startsWith('PG')));
}
