/**
 * Adopting safemig in an existing project, in the editor: `startAfter` (from `.safemig.json` or
 * the `safemig.startAfter` setting) and a config file that cannot be read, over real LSP JSON-RPC.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../helpers/lsp-client';

let root: string;
let client: TestClient;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'safemig-lsp-adoption-'));
  client = await TestClient.start({ root });
});

after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

const codes = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.map((d) => d.code);

test('startAfter: a migration at or before it is never reported, yet read as context by the later ones', async () => {
  const dir = join(root, 'app', 'db', 'migrations');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'app', '.safemig.json'), JSON.stringify({ startAfter: '002' }));
  const first = join(dir, '001_create.sql');
  const second = join(dir, '002_widen.sql');
  const third = join(dir, '003_narrow.sql');
  const firstText = 'CREATE TABLE users (name varchar(50));\nDROP TABLE legacy;\n';
  const secondText = 'ALTER TABLE users ALTER COLUMN name TYPE int;\n';
  const thirdText = "-- UP Migration\nSET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(10);\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n";
  writeFileSync(first, firstText);
  writeFileSync(second, secondText);
  writeFileSync(third, thirdText);

  assert.deepEqual(codes(await client.open(first, firstText)), [], 'at or before startAfter: nothing reported');
  assert.deepEqual(codes(await client.open(second, secondText)), [], 'the version itself: nothing reported');
  const later = await client.open(third, thirdText);
  const change = later.diagnostics.find((d) => d.code === 'change-column-type');
  // The type comes from 002, read for context although it is not reported.
  assert.match(change?.message ?? '', /from integer \(as 002_widen\.sql left it\) to varchar\(10\)/, JSON.stringify(later.diagnostics));

  // The setting overrides the config file: now 003 is at or before it too.
  client.settings = { startAfter: '003' };
  const silenced = client.waitFor(third, (p) => p.diagnostics.length === 0);
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await silenced;
  // And without either, 001 is reported again.
  client.settings = {};
  writeFileSync(join(root, 'app', '.safemig.json'), '{}');
  const reported = client.waitFor(first, (p) => codes(p).includes('drop-table'));
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await reported;
});

test('an invalid safemig.startAfter setting is reported, not applied', async () => {
  const dir = join(root, 'bad-setting', 'db', 'migrations');
  mkdirSync(dir, { recursive: true });
  client.settings = { startAfter: 'not a version' };
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const published = await client.open(join(dir, '001_x.sql'), 'DROP TABLE t;\n');
  assert.ok(codes(published).includes('drop-table'));
  assert.ok(client.messages.some((m) => m.includes('startAfter')), client.messages.join('\n'));
  client.settings = {};
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
});

test('a .safemig.json that is a link to /dev/zero or a FIFO is refused at once with a clear error', async () => {
  for (const [name, make, reason] of [
    ['zero', (config: string) => symlinkSync('/dev/zero', config), 'not a regular file (a character device)'],
    ['fifo', (config: string) => assert.equal(spawnSync('mkfifo', [config]).status, 0), 'not a regular file (a FIFO)'],
  ] as const) {
    const dir = join(root, `config-${name}`);
    mkdirSync(join(dir, 'db', 'migrations'), { recursive: true });
    make(join(dir, '.safemig.json'));
    // The server answers (with the defaults) and says why the config is not used.
    const published = await client.open(join(dir, 'db', 'migrations', '001_x.sql'), 'DROP TABLE t;\n');
    assert.ok(codes(published).includes('drop-table'), name);
    const message = client.messages.find((m) => m.includes(`config-${name}/.safemig.json`));
    assert.equal(message, `safemig: invalid configuration: ${join(dir, '.safemig.json')}: cannot be read (${reason})`);
  }
});
