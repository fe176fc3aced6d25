/** `safemig check` as a process: output formats, exit codes, folders, config and bad input. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, runCli } from '../helpers/cli';
import { check } from '../../server/src/cli/check';

let root: string;
const write = (path: string, text: string | Buffer) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};

before(() => {
  root = mkdtempSync(join(tmpdir(), 'safemig-cli-'));
  write('db/migrations/001_users.sql', '-- UP Migration\nCREATE TABLE users (id int);\n\n-- DOWN Migration (Rollback)\n-- DROP TABLE IF EXISTS users;\n');
  write('db/migrations/002_drop.sql', "-- UP Migration\nSET lock_timeout = '5s';\nALTER TABLE accounts DROP COLUMN IF EXISTS legacy;\n\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n");
  write('db/queries/report.txt', 'not sql');
  write('scripts/report.sql', 'DROP TABLE users;');
  write('goose/20240101120000_orders.sql', '-- +goose Up\nALTER TABLE orders ADD COLUMN note text NOT NULL;\n-- +goose Down\nALTER TABLE orders DROP COLUMN IF EXISTS note;\n');
});

after(() => rmSync(root, { recursive: true, force: true }));

test('text output is compiler style, one line per finding, with a summary', () => {
  const run = runCli(['check', 'db'], root);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    [
      'db/migrations/001_users.sql:2:1 warning require-if-not-exists CREATE TABLE without IF NOT EXISTS fails if the migration is re-run.',
      `db/migrations/002_drop.sql:3:22 warning drop-column ${run.stdout.split('drop-column ')[1].split('\n')[0]}`,
      '2 files checked: 0 errors, 2 warnings, 0 info',
      '',
    ].join('\n'),
  );
});

test('JSON output has exactly the documented shape, with LSP positions', () => {
  const run = runCli(['check', 'db/migrations/001_users.sql', '--format', 'json'], root);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), {
    files: [
      {
        path: 'db/migrations/001_users.sql',
        convention: 'template',
        diagnostics: [
          {
            rule: 'require-if-not-exists',
            severity: 'warning',
            message: 'CREATE TABLE without IF NOT EXISTS fails if the migration is re-run.',
            range: { start: { line: 1, character: 0 }, end: { line: 1, character: 18 } },
          },
        ],
      },
    ],
  });
});

test('folders are searched for migrations; files with runner markers count wherever they are', () => {
  const run = runCli(['check', '.', '--format', 'json'], root);
  const paths = JSON.parse(run.stdout).files.map((f: { path: string }) => f.path);
  assert.deepEqual(paths, ['db/migrations/001_users.sql', 'db/migrations/002_drop.sql', 'goose/20240101120000_orders.sql']);
  assert.equal(run.code, 1, 'add-required-column is an error');
});

test('explicitly named files are always linted', () => {
  const run = runCli(['check', 'scripts/report.sql', '--format', 'json'], root);
  const [file] = JSON.parse(run.stdout).files;
  assert.equal(file.path, 'scripts/report.sql');
  assert.deepEqual(file.diagnostics.map((d: { rule: string }) => d.rule).sort(), ['drop-table', 'missing-rollback', 'require-if-exists', 'require-lock-timeout']);
});

test('exit code 1 on an error-severity finding, and with --max-warnings exceeded', () => {
  assert.equal(runCli(['check', 'goose'], root).code, 1);
  const capped = runCli(['check', 'db', '--max-warnings', '1'], root);
  assert.equal(capped.code, 1);
  assert.match(capped.stderr, /2 warnings \(more than --max-warnings 1\)/);
  assert.equal(runCli(['check', 'db', '--max-warnings', '2'], root).code, 0);
});

test('usage errors exit 2 with a message on stderr', () => {
  const unknown = runCli(['check', '--fromat', 'json'], root);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option --fromat/);
  const format = runCli(['check', '--format', 'xml'], root);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /unknown --format xml/);
  assert.equal(runCli(['lint'], root).code, 2);
});

test('an invalid config file exits 2 naming the file, the key and what was expected', () => {
  write('bad/.safemig.json', '{ "rules": { "drop-colum": "error" } }');
  write('bad/db/migrations/001_x.sql', '-- UP Migration\nSELECT 1;\n');
  const run = runCli(['check', 'bad'], root);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /bad\/\.safemig\.json: "rules\.drop-colum" is not a safemig rule ID/);
  write('bad/.safemig.json', '{ "pgVersion": 16, ');
  assert.match(runCli(['check', 'bad'], root).stderr, /\.safemig\.json: is not valid JSON/);
  write('bad/.safemig.json', '{ "protectedTable": [] }');
  assert.match(runCli(['check', 'bad'], root).stderr, /"protectedTable" is not a known setting/);
});

test('the config file changes severities and --config points at one explicitly', () => {
  write('cfg/.safemig.json', JSON.stringify({ rules: { 'drop-column': 'error', 'require-if-not-exists': 'off' } }));
  write('cfg/db/migrations/001_x.sql', "-- UP Migration\nSET lock_timeout = '5s';\nCREATE TABLE t (a int);\nALTER TABLE accounts DROP COLUMN IF EXISTS legacy;\n-- DOWN Migration (Rollback)\n-- DROP TABLE IF EXISTS t;\n");
  const run = runCli(['check', 'cfg', '--format', 'json'], root);
  assert.equal(run.code, 1);
  assert.deepEqual(JSON.parse(run.stdout).files[0].diagnostics.map((d: { rule: string; severity: string }) => `${d.rule}:${d.severity}`), ['drop-column:error']);
  write('other.json', JSON.stringify({ rules: { 'drop-column': 'off' } }));
  const explicit = runCli(['check', 'cfg', '--config', 'other.json', '--format', 'json'], root);
  assert.deepEqual(JSON.parse(explicit.stdout).files[0].diagnostics.map((d: { rule: string }) => d.rule), ['require-if-not-exists']);
  assert.equal(runCli(['check', 'cfg', '--config', 'missing.json'], root).code, 2);
});

test('in one run, each folder gets its nearest config file', () => {
  const migration = "-- UP Migration\nSET lock_timeout = '5s';\nALTER TABLE accounts DROP COLUMN IF EXISTS legacy;\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n";
  write('near/strict/.safemig.json', JSON.stringify({ rules: { 'drop-column': 'error' } }));
  write('near/strict/db/migrations/001_x.sql', migration);
  write('near/strict/db/migrations/nested/.safemig.json', JSON.stringify({ rules: { 'drop-column': 'off' } }));
  write('near/strict/db/migrations/nested/001_x.sql', migration);
  write('near/plain/db/migrations/001_x.sql', migration);
  const run = runCli(['check', 'near', '--format', 'json'], root);
  const severities = Object.fromEntries(
    JSON.parse(run.stdout).files.map((f: { path: string; diagnostics: { rule: string; severity: string }[] }) => [f.path, f.diagnostics.filter((d) => d.rule === 'drop-column').map((d) => d.severity)]),
  );
  assert.deepEqual(severities, {
    'near/plain/db/migrations/001_x.sql': ['warning'],
    'near/strict/db/migrations/001_x.sql': ['error'],
    'near/strict/db/migrations/nested/001_x.sql': [],
  });
});

test('binary, invalid UTF-8 and missing files are reported and the run goes on', () => {
  write('junk/db/migrations/001_binary.sql', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]));
  write('junk/db/migrations/002_latin1.sql', Buffer.from('-- caf\xe9\nSELECT 1;\n', 'latin1'));
  write('junk/db/migrations/003_ok.sql', '-- UP Migration\nSELECT 1;\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n');
  // Text with a NUL past the first 8 KB: the parser would have read it as ending there.
  write('junk/db/migrations/004_nul.sql', `-- ${'x'.repeat(9000)}\nSELECT 1\u0000;\nDROP TABLE users;\n`);
  const run = runCli(['check', 'junk', 'junk/db/migrations/404.sql', '--format', 'json'], root);
  assert.equal(run.code, 1);
  const byPath = Object.fromEntries(JSON.parse(run.stdout).files.map((f: { path: string; diagnostics: { rule: string; message: string }[] }) => [f.path, f.diagnostics]));
  assert.match(byPath['junk/db/migrations/001_binary.sql'][0].message, /not a text file/);
  assert.match(byPath['junk/db/migrations/002_latin1.sql'][0].message, /not valid UTF-8/);
  assert.match(byPath['junk/db/migrations/404.sql'][0].message, /file not found/);
  assert.deepEqual(byPath['junk/db/migrations/003_ok.sql'], []);
  assert.deepEqual(byPath['junk/db/migrations/004_nul.sql'].map((d: { rule: string; message: string }) => [d.rule, d.message]), [['unreadable-file', 'Not checked: not a text file (a NUL byte at byte 9012).']]);
  // Its severity is a setting like any rule's: a warning does not fail the run.
  write('junk/.safemig.json', '{ "rules": { "unreadable-file": "warning" } }');
  const lowered = runCli(['check', 'junk', '--format', 'json'], root);
  assert.equal(lowered.code, 0, lowered.stderr);
  const severities = JSON.parse(lowered.stdout).files.flatMap((f: { diagnostics: { rule: string; severity: string }[] }) => f.diagnostics.map((d) => `${d.rule} ${d.severity}`));
  assert.deepEqual(severities, ['unreadable-file warning', 'unreadable-file warning', 'unreadable-file warning']);
});

test('an unterminated quote or dollar quote is one syntax error, not a hang', () => {
  write('broken/db/migrations/001_x.sql', "-- UP Migration\nSELECT 1;\nINSERT INTO t VALUES ('oops);\nSELECT $$ never closed;\n");
  const run = runCli(['check', 'broken', '--format', 'json'], root);
  const diagnostics = JSON.parse(run.stdout).files[0].diagnostics.filter((d: { rule: string }) => d.rule === 'syntax-error');
  assert.equal(diagnostics.length, 1);
  assert.deepEqual(diagnostics[0].range.start, { line: 2, character: 22 }); // at the quote, as PostgreSQL reports it
});

test('a big folder is linted on every core: one report per file, in order, each with its own findings', () => {
  // Enough files for worker threads; each file's finding names its own table.
  for (let i = 1; i <= 420; i++) write(`big/migrations/${String(i).padStart(4, '0')}_t.sql`, `-- UP Migration\nDROP TABLE IF EXISTS t${i};\n`);
  const run = runCli(['check', 'big', '--format', 'json'], root);
  assert.equal(run.code, 0, run.stderr);
  const files: { path: string; diagnostics: { rule: string; severity: string; message: string }[] }[] = JSON.parse(run.stdout).files;
  assert.equal(files.length, 420);
  files.forEach((file, k) => {
    const i = k + 1;
    assert.equal(file.path, join('big', 'migrations', `${String(i).padStart(4, '0')}_t.sql`));
    const drop = file.diagnostics.find((d) => d.rule === 'drop-table');
    assert.match(drop?.message ?? '', new RegExp(`\\bt${i}\\b`), `${file.path}: ${JSON.stringify(file.diagnostics)}`);
  });
  // Each thread counts the findings of the files it linted; the summary adds them up.
  const all = files.flatMap((file) => file.diagnostics);
  const count = (severity: string) => all.filter((d) => d.severity === severity).length;
  const text = runCli(['check', 'big'], root).stdout.split('\n');
  assert.equal(text.length, all.length + 2);
  assert.equal(text.at(-2), `420 files checked: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} info`);
  // SARIF's results are one array across the threads' batches: commas only between results.
  const sarif = JSON.parse(runCli(['check', 'big', '--format', 'sarif'], root).stdout);
  assert.equal(sarif.runs[0].results.length, all.length);
});

test('an invalid config met while searching a big folder exits 2 at once (workers already started)', () => {
  for (let i = 1; i <= 400; i++) write(`bigbad/migrations/${String(i).padStart(4, '0')}_t.sql`, 'SELECT 1;\n');
  write('bigbad/z/.safemig.json', '{ "bogus": 1 }');
  write('bigbad/z/migrations/001_x.sql', 'SELECT 1;\n');
  // A worker left waiting for its task kept the process alive for ever once: give it a deadline.
  const run = spawnSync(process.execPath, [CLI, 'check', 'bigbad'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 2, `status ${run.status} (null: still running at the deadline): ${run.stderr}`);
  assert.match(run.stderr, /"bogus" is not a known setting/);
});

test('a closed output pipe (`safemig check | head`) ends the run quietly', () => {
  const result = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" check big | head -c 10`], { cwd: root, encoding: 'utf8' });
  assert.equal(result.stdout.length, 10);
  assert.doesNotMatch(result.stderr, /EPIPE|Error/);
});

test('once the reader of the output has gone, no further files are checked and nothing more is written', async () => {
  // In-process, to see what is written after the pipe closed (a process's later writes are lost).
  for (let i = 1; i <= 40; i++) write(`closed/migrations/${String(i).padStart(3, '0')}_t${i}.sql`, `CREATE TABLE t${i} (id int);\n`);
  const writes: string[] = [];
  const io = { cwd: root, stdout: (text: string) => void writes.push(text), stderr: () => undefined, stdoutClosed: () => writes.length > 0 };
  assert.equal(await check(['closed'], io), 0);
  assert.equal(writes.length, 1);
  // The first batch of files, and neither the others nor the summary.
  assert.match(writes[0], /^closed\/migrations\/001_t1\.sql:1:1 warning /);
  assert.doesNotMatch(writes[0], /040_t40|files checked/);
  const all = runCli(['check', 'closed'], root).stdout;
  assert.ok(all.startsWith(writes[0]), 'what was written is the start of the full report');
});
