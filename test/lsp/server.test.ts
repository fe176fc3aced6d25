/** The language server driven over real LSP JSON-RPC, as an editor drives it. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../helpers/lsp-client';
import { applyWorkspaceEdit } from '../helpers/workspace-edit';

let root: string;
let client: TestClient;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'safemig-lsp-'));
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
  client = await TestClient.start({ root });
});

after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

const codes = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.map((d) => d.code);

test('open: diagnostics carry rule code, doc link, source and exact UTF-16 ranges', async () => {
  const path = join(root, 'db', 'migrations', '001_users.sql');
  const text = '-- Migration: café ☕ 🚀\r\n-- UP Migration\r\nCREATE TABLE users (id int);\r\n\r\n-- DOWN Migration (Rollback)\r\n-- DROP TABLE IF EXISTS users;\r\n';
  const published = await client.open(path, text);
  assert.deepEqual(codes(published), ['require-if-not-exists']);
  const [d] = published.diagnostics;
  assert.equal(d.source, 'safemig');
  assert.match(d.codeDescription!.href, /docs\/rules\/require-if-not-exists\.md$/);
  assert.deepEqual(d.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 18 } });
});

test('edit: diagnostics follow the text as it changes', async () => {
  const path = join(root, 'db', 'migrations', '002_edit.sql');
  const body = (sql: string) => `-- UP Migration\nSET lock_timeout = '5s';\n${sql}\n-- DOWN Migration (Rollback)\n-- ALTER TABLE t DROP COLUMN IF EXISTS a;\n`;
  assert.deepEqual(codes(await client.open(path, body('ALTER TABLE t ADD COLUMN IF NOT EXISTS a int;'))), []);
  const changed = await client.change(path, body('ALTER TABLE t DROP COLUMN IF EXISTS a;'));
  assert.deepEqual(codes(changed), ['drop-column']);
  assert.deepEqual(changed.diagnostics[0].range, { start: { line: 2, character: 14 }, end: { line: 2, character: 37 } });
  assert.deepEqual(codes(await client.change(path, body('SELECT 1;'))), []);
});

test('code action: the quick fix edit, applied, makes the diagnostic go away', async () => {
  const path = join(root, 'db', 'migrations', '003_fix.sql');
  const text = '-- UP Migration\nCREATE INDEX idx_a ON t (a);\n-- DOWN Migration (Rollback)\n-- DROP INDEX IF EXISTS idx_a;\n';
  const published = await client.open(path, text);
  const diagnostic = published.diagnostics.find((d) => d.code === 'require-if-not-exists');
  assert.ok(diagnostic);
  const actions = await client.codeActions(path, [diagnostic]);
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Add IF NOT EXISTS'), titles.join(', '));
  assert.ok(titles.some((t) => t.startsWith('Ignore require-if-not-exists for this statement')));
  const fix = actions.find((a) => a.title === 'Add IF NOT EXISTS')!;
  assert.equal(fix.kind, 'quickfix');
  const fixed = applyWorkspaceEdit(fix.edit!, { [client.uri(path)]: text })[client.uri(path)];
  assert.equal(fixed.split('\n')[1], 'CREATE INDEX IF NOT EXISTS idx_a ON t (a);');
  assert.ok(!codes(await client.change(path, fixed)).includes('require-if-not-exists'));
});

test('code action: fixes are built on request; a diagnostic of an older version gets none', async () => {
  const path = join(root, 'db', 'migrations', '004_stale.sql');
  const text = '-- UP Migration\nCREATE TABLE a (id int);\n-- DOWN Migration (Rollback)\n-- DROP TABLE IF EXISTS a;\n';
  const [old] = (await client.open(path, text)).diagnostics;
  // The diagnostic points at its finding; the edits are not in it.
  assert.ok(JSON.stringify(old.data).length < 64, JSON.stringify(old.data));
  assert.ok((await client.codeActions(path, [old])).some((a) => a.title === 'Add IF NOT EXISTS'));
  const edited = text.replace('CREATE TABLE a', 'CREATE TABLE b');
  const current = (await client.change(path, edited)).diagnostics.find((d) => d.code === 'require-if-not-exists')!;
  assert.deepEqual(await client.codeActions(path, [old]), []);
  const [action] = (await client.codeActions(path, [current])).filter((a) => a.title === 'Add IF NOT EXISTS');
  assert.equal(applyWorkspaceEdit(action.edit!, { [client.uri(path)]: edited })[client.uri(path)].split('\n')[1], 'CREATE TABLE IF NOT EXISTS b (id int);');
});

test('code action: "add rollback" creates the missing down file of a golang-migrate pair', async () => {
  mkdirSync(join(root, 'migrate'), { recursive: true });
  const path = join(root, 'migrate', '000001_init.up.sql');
  const text = 'CREATE TABLE IF NOT EXISTS users (id int);\nCREATE INDEX IF NOT EXISTS idx_users_id ON users (id);\n';
  writeFileSync(path, text);
  const published = await client.open(path, text);
  const missing = published.diagnostics.find((d) => d.code === 'missing-rollback');
  assert.ok(missing, JSON.stringify(codes(published)));
  const [action] = await client.codeActions(path, [missing]);
  const downUri = client.uri(join(root, 'migrate', '000001_init.down.sql'));
  const files = applyWorkspaceEdit(action.edit!, {});
  assert.equal(files[downUri], 'DROP INDEX IF EXISTS idx_users_id;\nDROP TABLE IF EXISTS users;\n');
  // Save the rollback as the editor would, tell the server, and the finding goes away.
  writeFileSync(join(root, 'migrate', '000001_init.down.sql'), files[downUri]);
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: downUri, type: 1 }] });
  await client.waitFor(path, (p) => !codes(p).includes('missing-rollback'));
});

test('config: .safemig.json changes a severity, and the editor settings override it', async () => {
  const path = join(root, 'db', 'migrations', '004_config.sql');
  const text = '-- UP Migration\nALTER TABLE accounts DROP COLUMN IF EXISTS legacy;\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n';
  const first = await client.open(path, text);
  assert.equal(first.diagnostics.find((d) => d.code === 'drop-column')?.severity, 2);
  writeFileSync(join(root, '.safemig.json'), JSON.stringify({ rules: { 'drop-column': 'error' } }));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(join(root, '.safemig.json')), type: 1 }] });
  await client.waitFor(path, (p) => p.diagnostics.find((d) => d.code === 'drop-column')?.severity === 1);
  client.settings = { rules: { 'drop-column': 'off' } };
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await client.waitFor(path, (p) => !codes(p).includes('drop-column'));
  client.settings = {};
  rmSync(join(root, '.safemig.json'));
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await client.waitFor(path, (p) => p.diagnostics.find((d) => d.code === 'drop-column')?.severity === 2);
});

test('an invalid config file is reported and linting goes on with the defaults', async () => {
  const dir = join(root, 'bad');
  mkdirSync(join(dir, 'db', 'migrations'), { recursive: true });
  writeFileSync(join(dir, '.safemig.json'), '{ "pgVersion": "sixteen" }');
  const published = await client.open(join(dir, 'db', 'migrations', '001_x.sql'), '-- UP Migration\nCREATE TABLE t (a int);\n-- DOWN Migration (Rollback)\n-- DROP TABLE IF EXISTS t;\n');
  assert.deepEqual(codes(published), ['require-if-not-exists']);
  assert.ok(client.messages.some((m) => m.includes('.safemig.json') && m.includes('pgVersion') && m.includes('PostgreSQL major version')), client.messages.join('\n'));
});

test('files that are not migrations are left alone', async () => {
  const published = await client.open(join(root, 'queries', 'report.sql'), 'DROP TABLE users;');
  assert.deepEqual(published.diagnostics, []);
});

test('bad input: binary junk, a huge file and an unterminated dollar quote do not stop the server', async () => {
  const junk = await client.open(join(root, 'db', 'migrations', '005_junk.sql'), '\u0000\u0001\uFFFD\uD800 garbage ;;; \\x');
  assert.ok(junk.diagnostics.every((d) => d.source === 'safemig'));
  const open = await client.open(join(root, 'db', 'migrations', '006_dollar.sql'), '-- UP Migration\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1;\n');
  assert.ok(codes(open).includes('syntax-error'));
  const huge = 'ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c int;\n'.repeat(200_000);
  const big = await client.open(join(root, 'db', 'migrations', '007_huge.sql'), `-- UP Migration\n${huge}-- DOWN Migration (Rollback)\n-- SELECT 1;\n`);
  assert.deepEqual(codes(big), ['file-too-large']);
  assert.match(big.diagnostics[0].message, /10\.\d MB, over safemig's limit of 2 MB/);
  // Still answering:
  assert.deepEqual(codes(await client.change(join(root, 'db', 'migrations', '006_dollar.sql'), '-- UP Migration\nSELECT 1;\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n')), []);
});

test('a statement nested too deeply for the parser: PostgreSQL\'s error on it, and the server goes on', async () => {
  const path = join(root, 'db', 'migrations', '008_deep.sql');
  const deep = `-- UP Migration\nUPDATE t SET a = ${'a || '.repeat(30_000)}'x';\nCREATE TABLE t (id int);\n-- DOWN Migration (Rollback)\n-- DROP TABLE IF EXISTS t;\n`;
  const published = await client.open(path, deep);
  assert.deepEqual(codes(published), ['syntax-error', 'require-if-not-exists']);
  assert.equal(published.diagnostics[0].message, 'Syntax error: stack depth limit exceeded.');
  assert.equal(published.diagnostics[0].range.start.line, 1);
  assert.deepEqual(codes(await client.change(path, '-- UP Migration\nCREATE TABLE IF NOT EXISTS t (id int);\n-- DOWN Migration (Rollback)\n-- DROP TABLE IF EXISTS t;\n')), []);
});

test('thousands of findings: the most severe first, up to what the editor shows, and a note of how many more', async () => {
  const path = join(root, 'db', 'migrations', '009_many.sql');
  // 1,500 warnings (drop-table), then 700 errors (syntax-error): the errors come first.
  const drops = Array.from({ length: 1500 }, (_, i) => `DROP TABLE IF EXISTS t${i};`);
  const errors = Array.from({ length: 700 }, (_, i) => `SELEC ${i};`);
  const text = `-- UP Migration\n${[...drops, ...errors].join('\n')}\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n`;
  const published = await client.open(path, text);
  assert.equal(published.diagnostics.length, 1000);
  const counts = new Map<unknown, number>();
  for (const d of published.diagnostics) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(counts), { 'drop-table': 299, 'syntax-error': 700, undefined: 1 });
  const note = published.diagnostics[999];
  const [, hidden] = /^(\d+) more findings are not shown \(the editor shows 1000 per file\): run `safemig check` on this file to see them all\.$/.exec(note.message) ?? [];
  // 1,201 drop-table warnings at least, and each DROP TABLE's other findings (info).
  assert.ok(Number(hidden) > 1200, note.message);
  // The ones shown keep their quick fixes.
  const drop = published.diagnostics.find((d) => d.code === 'drop-table')!;
  assert.ok((await client.codeActions(path, [drop])).some((a) => a.title.startsWith('Ignore drop-table')));
});

test('an unsaved edit of an earlier migration re-lints the open migrations after it (type history, twins)', async () => {
  const dir = join(root, 'db', 'history');
  mkdirSync(dir, { recursive: true });
  const create = join(dir, '20240101_create_users.sql');
  const widen = join(dir, '20240201_widen.sql');
  writeFileSync(create, 'CREATE TABLE IF NOT EXISTS users (name varchar(50));\n');
  const widenText = "-- UP Migration\nSET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(100);\n-- DOWN Migration (Rollback)\n-- ALTER TABLE users ALTER COLUMN name TYPE varchar(50);\n";
  writeFileSync(widen, widenText);
  // varchar(50) → varchar(100), judged from the file on disk: a widening, not reported.
  assert.deepEqual(codes(await client.open(widen, widenText)), []);
  // The earlier migration, edited in the editor and not saved: the column was an integer.
  await client.open(create, 'CREATE TABLE IF NOT EXISTS users (name varchar(50));\n');
  const changed = client.waitFor(widen, (p) => p.diagnostics.some((d) => d.code === 'change-column-type'));
  await client.change(create, 'CREATE TABLE IF NOT EXISTS users (name int);\n');
  const [finding] = (await changed).diagnostics.filter((d) => d.code === 'change-column-type');
  assert.match(finding.message, /from integer \(as 20240101_create_users\.sql left it\) to varchar\(100\)/);
  // Closed without saving: the disk's text counts again.
  const back = client.waitFor(widen, (p) => p.diagnostics.length === 0);
  client.close(create);
  await back;

  // A golang-migrate pair: the up file's rollback is its twin, as the editor holds it.
  const pair = join(root, 'db', 'pair');
  mkdirSync(pair, { recursive: true });
  const up = join(pair, '000001_accounts.up.sql');
  const down = join(pair, '000001_accounts.down.sql');
  writeFileSync(up, 'CREATE TABLE IF NOT EXISTS accounts (id int);\n');
  writeFileSync(down, 'DROP TABLE IF EXISTS accounts;\n');
  assert.deepEqual(codes(await client.open(up, 'CREATE TABLE IF NOT EXISTS accounts (id int);\n')), []);
  await client.open(down, 'DROP TABLE IF EXISTS accounts;\n');
  const incomplete = client.waitFor(up, (p) => codes(p).includes('incomplete-rollback'));
  await client.change(down, 'SELECT 1;\n');
  await incomplete;
});
