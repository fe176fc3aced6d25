/**
 * package.json's generated sections (settings, commands, menus, views, restricted settings) are the
 * declarations of server/src/protocol.ts, and its `convention` enum is the engine's conventions.
 * When this fails: `npm run sync:package-json`, then review the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../server/src/config/config';
import { CONVENTION_NAMES } from '../../server/src/migration/model';
import { COMMANDS, manifestSections, packageJsonText } from '../../server/src/protocol';
import { RULE_IDS } from '../../server/src/rules';

const PATH = join(__dirname, '..', '..', 'package.json');
const TEXT = readFileSync(PATH, 'utf8');
const PKG = JSON.parse(TEXT);
const SYNC = 'package.json is out of step with server/src/protocol.ts: run `npm run sync:package-json`';

test('package.json declares the settings, commands, menus, views and restricted settings of protocol.ts', () => {
  const sections = manifestSections();
  assert.deepEqual(PKG.contributes.configuration.properties, sections.configurationProperties, SYNC);
  assert.deepEqual(PKG.contributes.commands, sections.commands, SYNC);
  assert.deepEqual(PKG.contributes.menus, sections.menus, SYNC);
  assert.deepEqual(PKG.contributes.views, sections.views, SYNC);
  assert.deepEqual(PKG.contributes.viewsWelcome, sections.viewsWelcome, SYNC);
  assert.deepEqual(PKG.capabilities.untrustedWorkspaces.restrictedConfigurations, sections.restrictedConfigurations, SYNC);
  // Byte for byte (key order, indentation): what the sync script writes.
  assert.equal(TEXT, packageJsonText(PKG), SYNC);
});

test('the convention setting offers exactly the conventions the engine knows, and the config accepts each', () => {
  assert.deepEqual(PKG.contributes.configuration.properties['safemig.convention'].enum, [null, 'auto', ...CONVENTION_NAMES]);
  for (const name of ['auto', ...CONVENTION_NAMES]) assert.deepEqual(validateConfig({ convention: name }, 'x', RULE_IDS), { convention: name });
  assert.throws(() => validateConfig({ convention: 'liquibase' }, 'x', RULE_IDS), /convention/);
});

test('command IDs are unique, under the extension\'s prefix, and package.json lists no other', () => {
  const ids = Object.values(COMMANDS).map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^safemig\.[a-zA-Z]+$/);
  assert.deepEqual(PKG.contributes.commands.map((c: { command: string }) => c.command), ids);
});
