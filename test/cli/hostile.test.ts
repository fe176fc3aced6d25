/**
 * A cloned repository's files and config cannot hang safemig, exhaust it, or make it read outside
 * the project: `safemig check` / `safemig new` as processes on such repositories.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/cli';

let root: string;
const MIGRATION = '-- UP Migration\nCREATE TABLE IF NOT EXISTS a (id int);\n\n-- DOWN Migration (Rollback)\nDROP TABLE IF EXISTS a;\n';

/** A project of its own per test: a config and one migration folder. */
function project(name: string, config: unknown): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'db', 'migrations'), { recursive: true });
  writeFileSync(join(dir, '.safemig.json'), typeof config === 'string' ? config : JSON.stringify(config));
  writeFileSync(join(dir, 'db', 'migrations', '001_a.sql'), MIGRATION);
  return dir;
}

/**
 * Runs the CLI; a run that does not end within a minute (a hang, which is the defect these tests
 * guard against) is killed and fails the test rather than the whole suite.
 */
function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.signal, null, `safemig ${args.join(' ')} did not finish (killed by ${result.signal})`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'safemig-hostile-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('fileNamePattern with catastrophic backtracking is matched in linear time', () => {
  const dir = project('redos', { fileNamePattern: '^(a+)+$' });
  // On a backtracking engine this name takes 2^40 steps.
  writeFileSync(join(dir, 'db', 'migrations', `${'a'.repeat(40)}.sql`), MIGRATION);
  const result = run(['check', 'db', '--format', 'json'], dir);
  const messages = JSON.parse(result.stdout).files.flatMap((f: { diagnostics: { rule: string; message: string }[] }) => f.diagnostics.filter((d) => d.rule === 'migration-file-name').map((d) => d.message));
  assert.equal(messages.length, 2, result.stdout);
  assert.match(messages[0], /"001_a\.sql" does not match fileNamePattern/);
});

test('protectedTables globs and database.productionPattern run in linear time too', () => {
  const dir = project('redos-globs', { protectedTables: [`${'*a'.repeat(20)}*b`], database: { productionPattern: '(x+x+)+y' } });
  writeFileSync(join(dir, 'db', 'migrations', '002_t.sql'), `-- UP Migration\nALTER TABLE ${'a'.repeat(60)} ADD COLUMN IF NOT EXISTS c int;\n\n-- DOWN Migration (Rollback)\nALTER TABLE ${'a'.repeat(60)} DROP COLUMN IF EXISTS c;\n`);
  const result = run(['check', 'db/migrations/002_t.sql', '--format', 'json'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(!result.stdout.includes('protected-table'));
});

test('migrations globs are matched in linear time too; extglobs and negated globs are a config error', () => {
  const dir = project('redos-migrations', { migrations: [`**/${'*a'.repeat(12)}*b.sql`] });
  // Without runner markers, only the globs make these migrations.
  writeFileSync(join(dir, 'db', 'migrations', `${'a'.repeat(200)}.sql`), 'SELECT 1;\n');
  writeFileSync(join(dir, 'db', 'migrations', `${'a'.repeat(30)}b.sql`), 'SELECT 1;\n');
  const result = run(['check', 'db', '--format', 'json'], dir);
  // 001_a.sql has runner markers.
  assert.deepEqual(JSON.parse(result.stdout).files.map((f: { path: string }) => f.path), ['db/migrations/001_a.sql', `db/migrations/${'a'.repeat(30)}b.sql`]);

  for (const glob of ['**/+(a|aa)*.sql', '!db/**']) {
    const refused = run(['check', 'db'], project(`glob-${glob.length}`, { migrations: [glob] }));
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /"migrations" holds the glob ".*", which cannot be used: (extglobs|negated globs)/);
  }
});

test('a pattern that needs backtracking (backreference, lookaround) is a config error, exit 2', () => {
  const dir = project('backref', { fileNamePattern: '^(\\d+)_\\1\\.sql$' });
  const result = run(['check', 'db'], dir);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /invalid configuration: .*\.safemig\.json: "fileNamePattern" must be a regular expression without backreferences or lookaround/);
});

test('template outside the project is refused: an absolute path at config load, a symlink when read', () => {
  const absolute = project('template-abs', { template: '/etc/passwd' });
  const refused = run(['check', 'db'], absolute);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /"template" must be a path inside the project .*not "\/etc\/passwd"/);

  const escaping = project('template-up', { template: '../../etc/passwd' });
  assert.equal(run(['check', 'db'], escaping).code, 2);

  const linked = project('template-link', { template: 'tpl.sql' });
  symlinkSync('/etc/passwd', join(linked, 'tpl.sql'));
  const made = run(['new', 'add thing', '--dir', 'db/migrations'], linked);
  assert.equal(made.code, 1);
  assert.match(made.stderr, /template is refused: .*tpl\.sql \(a link to \/etc\/passwd\) is outside the project/);
  assert.deepEqual(readdirSync(join(linked, 'db', 'migrations')), ['001_a.sql'], 'no migration was written');

  // The default template, .safemig/template.sql, may not be a link out of the project either.
  const defaultLinked = project('template-default-link', {});
  mkdirSync(join(defaultLinked, '.safemig'));
  symlinkSync('/etc/passwd', join(defaultLinked, '.safemig', 'template.sql'));
  const madeDefault = run(['new', 'add thing', '--dir', 'db/migrations'], defaultLinked);
  assert.equal(madeDefault.code, 1);
  assert.match(madeDefault.stderr, /is outside the project/);
});

test('a template inside the project is still used', () => {
  const dir = project('template-ok', { template: 'tpl/new.sql' });
  mkdirSync(join(dir, 'tpl'));
  writeFileSync(join(dir, 'tpl', 'new.sql'), '-- UP Migration\n-- house template\n\n-- DOWN Migration (Rollback)\n');
  const made = run(['new', 'add thing', '--dir', 'db/migrations'], dir);
  assert.equal(made.code, 0, made.stderr);
  const created = readdirSync(join(dir, 'db', 'migrations')).find((n) => n !== '001_a.sql')!;
  assert.match(readFileSync(join(dir, 'db', 'migrations', created), 'utf8'), /house template/);
});

test('devices, FIFOs and links to them are refused at once, not read', () => {
  const dir = project('devices', {});
  const migrations = join(dir, 'db', 'migrations');
  symlinkSync('/dev/zero', join(migrations, '002_zero.sql'));
  symlinkSync('/dev/urandom', join(migrations, '003_random.sql'));
  assert.equal(spawnSync('mkfifo', [join(migrations, '004_fifo.sql')]).status, 0);
  const result = run(['check', 'db/migrations/002_zero.sql', 'db/migrations/003_random.sql', 'db/migrations/004_fifo.sql', 'db/migrations/001_a.sql', '--format', 'json'], dir);
  const byPath = Object.fromEntries(JSON.parse(result.stdout).files.map((f: { path: string; diagnostics: { message: string }[] }) => [f.path, f.diagnostics.map((d) => d.message)]));
  assert.deepEqual(byPath['db/migrations/002_zero.sql'], ['Not checked: not a regular file (a character device).']);
  assert.deepEqual(byPath['db/migrations/003_random.sql'], ['Not checked: not a regular file (a character device).']);
  assert.deepEqual(byPath['db/migrations/004_fifo.sql'], ['Not checked: not a regular file (a FIFO).']);
  assert.deepEqual(byPath['db/migrations/001_a.sql'], []);
});

test('a file over the size limit is refused before it is read', () => {
  const dir = project('huge', {});
  // Sparse: 40 MB stated, nothing on the disk.
  const path = join(dir, 'db', 'migrations', '002_huge.sql');
  writeFileSync(path, '');
  assert.equal(spawnSync('truncate', ['-s', '40M', path]).status, 0);
  const result = run(['check', 'db/migrations/002_huge.sql', '--format', 'json'], dir);
  const [file] = JSON.parse(result.stdout).files;
  assert.deepEqual(
    file.diagnostics.map((d: { rule: string; message: string }) => [d.rule, d.message]),
    [['unreadable-file', 'Not checked: too large (40.0 MB; files over 32 MB are not read).']],
  );
});

test('a config file that is a link to a device, a FIFO or over the size limit is refused at once, exit 2', () => {
  const cases: [string, (config: string) => void, RegExp][] = [
    ['zero', (config) => symlinkSync('/dev/zero', config), /cannot be read \(not a regular file \(a character device\)\)/],
    ['fifo', (config) => assert.equal(spawnSync('mkfifo', [config]).status, 0), /cannot be read \(not a regular file \(a FIFO\)\)/],
    ['fifo-link', (config) => {
      assert.equal(spawnSync('mkfifo', [`${config}.fifo`]).status, 0);
      symlinkSync(`${config}.fifo`, config);
    }, /cannot be read \(not a regular file \(a FIFO\)\)/],
    // Sparse: 40 MB stated, nothing on the disk.
    ['huge', (config) => assert.equal(spawnSync('truncate', ['-s', '40M', config]).status, 0), /cannot be read \(too large \(40\.0 MB/],
  ];
  for (const [name, make, reason] of cases) {
    const dir = project(`config-${name}`, {});
    const config = join(dir, '.safemig.json');
    rmSync(config);
    make(config);
    const result = run(['check', 'db'], dir);
    assert.equal(result.code, 2, `${name}: ${result.stdout}${result.stderr}`);
    assert.equal(result.stdout, '', name);
    assert.match(result.stderr, new RegExp(`^safemig: invalid configuration: .*config-${name}/\\.safemig\\.json: ${reason.source}`), name);
    // Named with --config, the same.
    const named = run(['check', 'db', '--config', '.safemig.json'], dir);
    assert.equal(named.code, 2, `${name} --config: ${named.stderr}`);
    assert.match(named.stderr, reason, `${name} --config`);
  }
});

test('a UTF-16 file with a byte order mark is called UTF-16, not binary, and not analysed', () => {
  const dir = project('utf16', {});
  const text = '-- UP Migration\nDROP TABLE users;\n';
  writeFileSync(join(dir, 'db', 'migrations', '002_le.sql'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  writeFileSync(join(dir, 'db', 'migrations', '003_be.sql'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
  const result = run(['check', 'db', '--format', 'json'], dir);
  const byPath = Object.fromEntries(JSON.parse(result.stdout).files.map((f: { path: string; diagnostics: { rule: string; message: string }[] }) => [f.path, f.diagnostics.map((d) => `${d.rule}: ${d.message}`)]));
  const utf16 = 'unreadable-file: Not checked: UTF-16 text (save it as UTF-8 to have it checked).';
  assert.deepEqual(byPath['db/migrations/002_le.sql'], [utf16]);
  assert.deepEqual(byPath['db/migrations/003_be.sql'], [utf16]);
});

for (const key of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
  test(`config key ${key} is an unknown key at every level, exit 2`, () => {
    for (const [where, config, shown] of [
      ['top', `{"${key}": 1}`, key],
      ['rules', `{"rules": {"${key}": "off"}}`, `rules.${key}`],
      ['database', `{"database": {"${key}": "x"}}`, `database.${key}`],
    ]) {
      const dir = project(`key-${key.replace(/_/g, '')}-${where}`, config);
      const result = run(['check', 'db'], dir);
      assert.equal(result.code, 2, `${where}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`^safemig: invalid configuration: .*\\.safemig\\.json: "${shown}" is not a (known setting|safemig rule ID)`), where);
    }
  });
}

test('shadowTimeout cannot make the shadow schema wait for ever: above 60 s it is a config error, exit 2', () => {
  for (const value of [1e9, 0, '10']) {
    const result = run(['check', '--shadow', 'db'], project(`shadow-timeout-${String(value)}`, { shadow: true, shadowTimeout: value }));
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /"shadowTimeout" must be a number of seconds from 1 to 60/);
  }
});
