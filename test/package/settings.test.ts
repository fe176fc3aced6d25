/**
 * The editor's settings become one config layer in one place (protocol.ts), validated like
 * `.safemig.json`: the language server, the database commands and New Migration all read it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../server/src/config/config';
import { settingIn, SETTINGS, SETTINGS_SOURCE, settingsToOverrides } from '../../server/src/protocol';
import { TestClient } from '../helpers/lsp-client';

/** Settings as VS Code hands the server the `safemig` section: nested by dots. */
const pulled = (settings: object) => settingsToOverrides((key) => settingIn(settings, key));

/** A set value of each setting that maps to the config, and the layer it gives. */
const SAMPLES: Record<string, [unknown, object]> = {
  pgVersion: [16, { pgVersion: 16 }],
  rules: [{ 'drop-column': 'off' }, { rules: { 'drop-column': 'off' } }],
  protectedTables: [['users'], { protectedTables: ['users'] }],
  migrations: [[], { migrations: [] }],
  convention: ['goose', { convention: 'goose' }],
  assumeInTransaction: [false, { assumeInTransaction: false }],
  requireRollback: [true, { requireRollback: true }],
  startAfter: ['20240101120000', { startAfter: '20240101120000' }],
  'database.url': ['postgres://me@localhost/app_dev', { database: { url: 'postgres://me@localhost/app_dev' } }],
  'database.lockTimeout': ['2s', { database: { lockTimeout: '2s' } }],
  'database.statementTimeout': ['1min', { database: { statementTimeout: '1min' } }],
  'shadow.enabled': [false, { shadow: false }],
};

test('each setting that maps to the config overrides its key, and only it', () => {
  assert.deepEqual(SETTINGS.filter((s) => s.config).map((s) => s.key).sort(), Object.keys(SAMPLES).sort(), 'a setting without a sample here');
  for (const [key, [value, layer]] of Object.entries(SAMPLES)) assert.deepEqual(settingsToOverrides((k) => (k === key ? value : undefined)), layer, key);
});

test('settings left at their defaults (null, "", {}, "auto") leave the config file alone, but the shadow schema, which the editor runs by default', () => {
  const defaults = Object.fromEntries(SETTINGS.map((s) => [s.key, s.schema.default]));
  assert.deepEqual(settingsToOverrides((key) => defaults[key]), { shadow: true });
  assert.deepEqual(settingsToOverrides((key) => (key === 'convention' ? 'auto' : key.startsWith('database.') ? '' : undefined)), {});
  assert.deepEqual(settingsToOverrides(() => undefined), {});
});

test('the section as the server pulls it: nested keys, editor-only settings ignored', () => {
  const layer = pulled({ enable: true, pgVersion: 13, database: { url: null, lockTimeout: '3s' }, trace: { server: 'verbose' } });
  assert.deepEqual(layer, { pgVersion: 13, database: { lockTimeout: '3s' } });
});

test('an invalid setting is refused with the config file\'s message, naming the settings', () => {
  const cases: [object, RegExp][] = [
    [{ pgVersion: 8 }, /"pgVersion" must be a PostgreSQL major version from 9 to 18/],
    [{ pgVersion: '16' }, /"pgVersion" must be a PostgreSQL major version/],
    [{ rules: { 'no-such-rule': 'off' } }, /"rules\.no-such-rule" is not a safemig rule ID/],
    [{ convention: 'liquibase' }, /"convention" must be one of "auto", "template"/],
    [{ migrations: 'db/*.sql' }, /"migrations" must be an array of strings/],
    [{ database: { lockTimeout: 5 } }, /"database\.lockTimeout" must be a string/],
    [{ shadow: { enabled: 'yes' } }, /"shadow" must be true or false/],
  ];
  for (const [settings, message] of cases) {
    assert.throws(() => pulled(settings), (error: unknown) => error instanceof ConfigError && error.file === SETTINGS_SOURCE && message.test(error.message), JSON.stringify(settings));
  }
});

// Over LSP, as VS Code sends them: the server lints under valid settings and reports invalid ones.
let root: string;
let client: TestClient;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'safemig-settings-'));
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
  client = await TestClient.start({ root, settings: { enable: true, rules: { 'drop-column': 'error' }, database: { url: null, lockTimeout: '2s', statementTimeout: null }, trace: { server: 'off' } } });
});
after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

test('the server applies the pulled settings, and reports an invalid one and lints without them', async () => {
  const path = join(root, 'db', 'migrations', '001_drop.sql');
  const text = '-- UP Migration\nALTER TABLE accounts DROP COLUMN IF EXISTS legacy;\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n';
  const first = await client.open(path, text);
  assert.equal(first.diagnostics.find((d) => d.code === 'drop-column')?.severity, 1);
  client.settings = { rules: { 'drop-column': 'off' }, database: { lockTimeout: 5 } };
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await client.waitFor(path, (p) => p.diagnostics.find((d) => d.code === 'drop-column')?.severity === 2);
  assert.ok(client.messages.some((m) => m.includes(SETTINGS_SOURCE) && m.includes('"database.lockTimeout" must be a string')), client.messages.join('\n'));
  client.settings = { enable: false };
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await client.waitFor(path, (p) => p.diagnostics.length === 0);
});
