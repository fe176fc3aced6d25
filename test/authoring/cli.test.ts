/** `safemig new` as a process (dist/cli.js, built by `npm test`): folders, output, exit codes, author, templates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { planNewMigration } from '../../server/src/authoring/plan';
import { NEW_FOLDER_CHOICES } from '../../server/src/authoring/style';
import { readMigrationFolder } from '../../server/src/migration/folder';
import { writePlan } from '../../server/src/cli/new';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { runCli } from '../helpers/cli';
import { AUTHOR, NOW, tree } from './helpers';

const UP = '-- UP Migration\nSELECT 1;\n\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n';
/** No user or system git config: only what a test sets. */
const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function gitRepo(root: string, name: string): void {
  execFileSync('git', ['init', '-q', root]);
  execFileSync('git', ['config', 'user.name', name], { cwd: root });
  execFileSync('git', ['config', 'user.email', 'ann@example.com'], { cwd: root });
}

const today = () => new Date().toISOString().slice(0, 10);

test('creates the next migration of the only migrations folder, prints its path, and check finds nothing in it', () => {
  const root = tree({ 'db/migrations/001_create_users.sql': UP, 'README.md': '# app\n' });
  gitRepo(root, 'Ann Author');
  const run = runCli(['new', 'add', 'retry', 'columns'], root, GIT_ENV);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'db/migrations/002_add_retry_columns.sql\n');
  assert.equal(
    readFileSync(join(root, 'db/migrations/002_add_retry_columns.sql'), 'utf8'),
    `-- Migration: add retry columns\n-- Date: ${today()}\n-- Author: Ann Author\n\n-- UP Migration\n\n\n-- DOWN Migration (Rollback)\n`,
  );
  const check = runCli(['check', 'db/migrations/002_add_retry_columns.sql'], root);
  assert.equal(check.code, 0, check.stderr);
  assert.equal(check.stdout, '1 file checked: 0 errors, 0 warnings, 0 info\n');
});

test('several migrations folders: exit 2 with the list, nothing created; --dir chooses', () => {
  const root = tree({ 'db/migrations/001_a.sql': UP, 'migrate/000001_init.up.sql': 'SELECT 1;\n', 'migrate/000001_init.down.sql': 'SELECT 1;\n' });
  const run = runCli(['new', 'add retry columns'], root, GIT_ENV);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /several migrations folders under .*; name one with --dir:\n {2}db\/migrations \(template, 1 migrations, latest 001 a\)\n {2}migrate \(golang-migrate, 1 migrations, latest 000001 init\)\n/);
  assert.deepEqual(readdirSync(join(root, 'migrate')).sort(), ['000001_init.down.sql', '000001_init.up.sql']);
  const chosen = runCli(['new', 'add retry columns', '--dir', 'migrate'], root, GIT_ENV);
  assert.equal(chosen.code, 0, chosen.stderr);
  assert.equal(chosen.stdout, 'migrate/000002_add_retry_columns.up.sql\nmigrate/000002_add_retry_columns.down.sql\n');
  // --dir on a folder above several migrations folders is still ambiguous.
  assert.equal(runCli(['new', 'x', '--dir', '.'], root, GIT_ENV).code, 2);
});

test('--dir on a diesel migration’s own folder or a rollback folder means the migrations folder', () => {
  const root = tree({ 'migrations/2019-02-26-002946_create_user/up.sql': 'SELECT 1;\n', 'migrations/2019-02-26-002946_create_user/down.sql': 'SELECT 1;\n' });
  const run = runCli(['new', 'add retry columns', '--dir', 'migrations/2019-02-26-002946_create_user'], root, GIT_ENV);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^migrations\/\d{4}-\d\d-\d\d-\d{6}_add_retry_columns\/up\.sql\nmigrations\/\d{4}-\d\d-\d\d-\d{6}_add_retry_columns\/down\.sql\n$/);
  const seeds = tree({ 'db/migrations/001_a.sql': 'SELECT 1;\n', 'db/rollback/001_a.sql': 'SELECT 1;\n' });
  const rollback = runCli(['new', 'b', '--dir', 'db/rollback'], seeds, GIT_ENV);
  assert.equal(rollback.stdout, 'db/migrations/002_b.sql\ndb/rollback/002_b.sql\n', rollback.stderr);
});

test('an empty folder needs --convention (exit 2); with it, the chosen convention’s files', () => {
  const root = tree({ 'db/migrations/': '' });
  const run = runCli(['new', 'init', '--dir', 'db/migrations'], root, GIT_ENV);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /has no migrations yet, so there is no convention to follow: choose one with --convention\nusage: safemig new/);
  const goose = runCli(['new', 'init', '--dir', 'db/migrations', '--convention', 'goose'], root, GIT_ENV);
  assert.equal(goose.code, 0, goose.stderr);
  assert.match(goose.stdout, /^db\/migrations\/\d{14}_init\.sql\n$/);
  assert.match(readFileSync(join(root, goose.stdout.trim()), 'utf8'), /^-- \+goose Up\n\n\n-- \+goose Down\n$/m);
  // A folder that does not exist yet is created with the migration.
  const fresh = runCli(['new', 'init', '--dir', 'sql/new', '--convention', 'template-numbered'], root, GIT_ENV);
  assert.equal(fresh.stdout, 'sql/new/001_init.sql\n', fresh.stderr);
  assert.equal(runCli(['new', 'x', '--dir', 'db/migrations', '--convention', 'liquibase'], root, GIT_ENV).code, 2);
});

test('every convention from the CLI: the files it prints exist, and `safemig check` finds nothing in them', () => {
  for (const choice of NEW_FOLDER_CHOICES) {
    const dir = choice.id === 'supabase' ? 'supabase/migrations' : choice.id === 'prisma' ? 'prisma/migrations' : choice.id === 'migration-scripts' ? 'scripts/migrations' : 'db/migrations';
    const root = tree({ [`${dir}/`]: '' });
    const first = runCli(['new', 'init schema', '--dir', dir, '--convention', choice.id], root, GIT_ENV);
    assert.equal(first.code, 0, `${choice.id}: ${first.stderr}`);
    // The second one follows the first without being told.
    const second = runCli(['new', 'add retry columns', '--dir', dir], root, GIT_ENV);
    assert.equal(second.code, 0, `${choice.id}: ${second.stderr}`);
    const created = [...first.stdout.split('\n'), ...second.stdout.split('\n')].map((l) => l.replace(/ \(added the change\)$/, '')).filter((l) => l.endsWith('.sql') || l.endsWith('.ts'));
    assert.ok(created.length >= 2, `${choice.id}: ${first.stdout}${second.stdout}`);
    for (const path of created) assert.ok(existsSync(join(root, path)), `${choice.id}: ${path}`);
    const check = runCli(['check', ...created], root);
    assert.equal(check.code, 0, `${choice.id}: ${check.stdout}${check.stderr}`);
    assert.match(check.stdout, new RegExp(`^${created.length} files checked: 0 errors, 0 warnings, 0 info\\n$`), `${choice.id}: ${check.stdout}`);
  }
});

test('no migrations folder anywhere: exit 2 asking for --dir', () => {
  const root = tree({ 'src/app.ts': '' });
  const run = runCli(['new', 'init'], root, GIT_ENV);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /no migrations folder under .*: name one with --dir \(a new, empty folder also needs --convention\)/);
});

test('invalid descriptions: exit 2 with a clear message, nothing created', () => {
  const root = tree({ 'db/migrations/001_a.sql': UP });
  for (const [args, message] of [
    [['new'], /say what the migration does/],
    [['new', ''], /The description is empty/],
    [['new', '   '], /The description is empty/],
    [['new', 'add/column'], /must not contain "\/" or "\\"/],
    [['new', '..\\x'], /must not contain/],
    [['new', 'x', '--bogus'], /unknown option --bogus/],
  ] as [string[], RegExp][]) {
    const run = runCli(args, root, GIT_ENV);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, message);
  }
  assert.deepEqual(readdirSync(join(root, 'db/migrations')), ['001_a.sql']);
});

test('the author is git’s user.name, else the OS user', () => {
  const root = tree({ 'db/migrations/001_a.sql': UP });
  const run = runCli(['new', 'b'], root, { ...GIT_ENV, HOME: root });
  assert.equal(run.code, 0, run.stderr);
  assert.match(readFileSync(join(root, 'db/migrations/002_b.sql'), 'utf8'), new RegExp(`^-- Author: ${userInfo().username}$`, 'm'));
});

test('the project template: .safemig/template.sql beside .safemig.json, or `template` from the config', () => {
  const root = tree({
    '.safemig.json': '{}',
    '.safemig/template.sql': '-- ${description} by ${author} on ${date}, version ${version}\n-- UP Migration\nSET lock_timeout = \'5s\';\n${cursor}\n-- DOWN Migration (Rollback)\n',
    'db/migrations/001_a.sql': UP,
  });
  gitRepo(root, 'Ann Author');
  assert.equal(runCli(['new', 'b'], root, GIT_ENV).code, 0);
  assert.equal(readFileSync(join(root, 'db/migrations/002_b.sql'), 'utf8'), `-- b by Ann Author on ${today()}, version 002\n-- UP Migration\nSET lock_timeout = '5s';\n\n-- DOWN Migration (Rollback)\n`);

  writeFileSync(join(root, '.safemig.json'), '{ "template": "templates/migration.sql" }');
  mkdirSync(join(root, 'templates'));
  writeFileSync(join(root, 'templates/migration.sql'), '-- from the configured template\n-- +goose Up\n${cursor}\n-- +goose Down\n');
  assert.equal(runCli(['new', 'c'], root, GIT_ENV).code, 0);
  assert.equal(readFileSync(join(root, 'db/migrations/003_c.sql'), 'utf8'), '-- from the configured template\n-- UP Migration\n\n-- DOWN Migration (Rollback)\n');

  writeFileSync(join(root, '.safemig.json'), '{ "template": "templates/missing.sql" }');
  const missing = runCli(['new', 'd'], root, GIT_ENV);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /the template .*templates\/missing\.sql \(`template` in .*\.safemig\.json\) cannot be read/);
  assert.equal(existsSync(join(root, 'db/migrations/004_d.sql')), false);
});

test('the config’s convention applies; an invalid config is exit 2', () => {
  const root = tree({ '.safemig.json': '{ "convention": "dbmate" }', 'db/migrations/001_a.sql': UP });
  assert.equal(runCli(['new', 'b'], root, GIT_ENV).code, 0);
  assert.match(readFileSync(join(root, 'db/migrations/002_b.sql'), 'utf8'), /^-- migrate:up\n\n\n-- migrate:down\n$/m);
  writeFileSync(join(root, '.safemig.json'), '{ "convention": "nope" }');
  const bad = runCli(['new', 'c'], root, GIT_ENV);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid configuration: .*"convention" must be one of/);
});

test('a name that fileNamePattern does not accept is created (it follows the folder) with a warning', () => {
  const root = tree({ '.safemig.json': '{ "fileNamePattern": "^\\\\d{14}_[a-z_]+\\\\.sql$" }', 'db/migrations/001_a.sql': UP });
  const run = runCli(['new', 'b'], root, GIT_ENV);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'db/migrations/002_b.sql\n');
  assert.match(run.stderr, /002_b\.sql does not match fileNamePattern \^\\d\{14\}_\[a-z_\]\+\\\.sql\$ of the configuration/);
});

test('never overwrites: a sqitch change that exists is exit 1', () => {
  const root = tree({ 'sqitch.plan': '%project=app\n\nusers 2025-01-01T00:00:00Z Ann <a@b> # users\n', 'deploy/users.sql': '', 'revert/users.sql': '' });
  const run = runCli(['new', 'users'], root, GIT_ENV);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /sqitch\.plan already has a change named "users"/);
  assert.deepEqual(readdirSync(join(root, 'deploy')), ['users.sql']);
});

test('writing: a file that appears between planning and writing is not overwritten, and nothing half-made stays', () => {
  const root = tree({ 'migrate/000001_a.up.sql': 'SELECT 1;\n', 'migrate/000001_a.down.sql': 'SELECT 1;\n' });
  const plan = planNewMigration({ dir: join(root, 'migrate'), description: 'b', fs: new DiskFileSystem(), now: NOW, author: AUTHOR });
  writeFileSync(plan.files[1].path, 'mine');
  assert.throws(() => writePlan(plan), /000002_b\.down\.sql already exists: safemig never overwrites a file/);
  assert.equal(readFileSync(plan.files[1].path, 'utf8'), 'mine');
  assert.equal(existsSync(plan.files[0].path), false, 'the up file written first was removed');

  const diesel = tree({ 'm/2019-02-26-002946_a/up.sql': '', 'm/2019-02-26-002946_a/down.sql': '' });
  const folderPlan = planNewMigration({ dir: join(diesel, 'm'), description: 'b', fs: new DiskFileSystem(), now: NOW, author: AUTHOR });
  mkdirSync(join(folderPlan.files[1].path, '..'), { recursive: true });
  writeFileSync(folderPlan.files[1].path, 'mine');
  assert.throws(() => writePlan(folderPlan), /already exists/);
  assert.equal(readFileSync(folderPlan.files[1].path, 'utf8'), 'mine', 'a folder the writer did not create is kept');
});

test('a second migration the same day in a date-versioned folder is dated today to the second, never tomorrow; the header says today', () => {
  const day = today().replace(/-/g, '');
  const root = tree({ [`db/migrations/${day}_first.sql`]: UP });
  gitRepo(root, 'Ann Author');
  const run = runCli(['new', 'second'], root, GIT_ENV);
  assert.equal(run.code, 0, run.stderr);
  const made = new RegExp(`^db/migrations/(${day}\\d{6})_second\\.sql\\n$`).exec(run.stdout);
  assert.ok(made, run.stdout);
  assert.match(readFileSync(join(root, made[0].trim()), 'utf8'), new RegExp(`^-- Migration: second\\n-- Date: ${today()}\\n`));
  // It runs after the first, as safemig (`up`) and the runners order versions: as text and as numbers.
  assert.deepEqual(readMigrationFolder(join(root, 'db/migrations'), new DiskFileSystem()).map((m) => m.description), ['first', 'second']);
  assert.ok(made[1] > day && BigInt(made[1]) > BigInt(day));
});
