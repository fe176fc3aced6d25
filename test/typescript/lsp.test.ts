/** The language server on TypeScript / JavaScript documents, over real LSP JSON-RPC (dist/server.js). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lsp-client';
import { applyWorkspaceEdit } from '../helpers/workspace-edit';

let root: string;
let client: TestClient;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'safemig-ts-lsp-'));
  mkdirSync(join(root, 'migrations'), { recursive: true });
  mkdirSync(join(root, 'src'), { recursive: true });
  client = await TestClient.start({ root });
});

after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

const KNEX = [
  "import type { Knex } from 'knex';",
  '',
  '// Ajoute un index — café ☕ 🚀',
  'export async function up(knex: Knex): Promise<void> {',
  "  /* 🚀 */ await knex.raw(`CREATE INDEX users_email_idx ON users (email)`);",
  '}',
  '',
  'export async function down(knex: Knex): Promise<void> {',
  "  await knex.raw('DROP INDEX IF EXISTS users_email_idx');",
  '}',
  '',
].join('\r\n');

test('a knex migration: diagnostics inside the template literal, at UTF-16 columns after CR LF and emoji', async () => {
  const path = join(root, 'migrations', '20240101000000_index.ts');
  const published = await client.open(path, KNEX, 'typescript');
  const codes = published.diagnostics.map((d) => d.code).sort();
  assert.deepEqual(codes, ['non-concurrent-index', 'require-if-not-exists', 'require-lock-timeout']);
  const ifNotExists = published.diagnostics.find((d) => d.code === 'require-if-not-exists')!;
  // `CREATE INDEX users_email_idx` inside the backticks of line 5, after 🚀 (two UTF-16 units).
  assert.deepEqual(ifNotExists.range, { start: { line: 4, character: 27 }, end: { line: 4, character: 55 } });
});

test('a quick fix edits inside the string, and the diagnostic goes away', async () => {
  const path = join(root, 'migrations', '20240102000000_fix.ts');
  const published = await client.open(path, KNEX, 'typescript');
  const diagnostic = published.diagnostics.find((d) => d.code === 'require-if-not-exists')!;
  const actions = await client.codeActions(path, [diagnostic]);
  const fix = actions.find((a) => a.title === 'Add IF NOT EXISTS');
  assert.ok(fix, actions.map((a) => a.title).join(', '));
  const fixed = applyWorkspaceEdit(fix.edit!, { [client.uri(path)]: KNEX })[client.uri(path)];
  assert.equal(fixed.split('\r\n')[4], '  /* 🚀 */ await knex.raw(`CREATE INDEX IF NOT EXISTS users_email_idx ON users (email)`);');
  const again = await client.change(path, fixed);
  assert.ok(!again.diagnostics.some((d) => d.code === 'require-if-not-exists'));
  const ignore = actions.find((a) => a.title === 'Ignore require-if-not-exists for this statement')!;
  const ignored = applyWorkspaceEdit(ignore.edit!, { [client.uri(path)]: KNEX })[client.uri(path)];
  // On a line of its own right before the call (the block comment starting its line stays there).
  assert.equal(ignored.split('\r\n')[5], '  // safemig-ignore require-if-not-exists: <reason>');
  assert.match(ignored.split('\r\n')[6], /^ {2}await knex\.raw\(`CREATE INDEX users_email_idx/);
  const silenced = await client.change(path, ignored);
  assert.ok(!silenced.diagnostics.some((d) => d.code === 'require-if-not-exists' || d.code === 'unused-suppression'), JSON.stringify(silenced.diagnostics.map((d) => d.code)));
});

test('hover on the statement in the string, and CodeLens on the up and down functions', async () => {
  const path = join(root, 'migrations', '20240103000000_hover.ts');
  await client.open(path, KNEX, 'typescript');
  const uri = client.uri(path);
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 31 } })) as Hover | null;
  assert.ok(hover, 'a hover on CREATE INDEX');
  assert.match(JSON.stringify(hover.contents), /SHARE/);
  const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
  assert.deepEqual(lenses.map((l) => `${l.range.start.line} ${l.command?.title}`), ['3 Apply UP', '3 Verify round trip', '7 Roll back (DOWN)']);
});

test('TypeScript that is not a migration gets no diagnostics, even with SQL in it', async () => {
  const app = join(root, 'src', 'users.ts');
  const published = await client.open(app, "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function purge() {\n  await pool.query('DROP TABLE sessions');\n  await pool.query(`DELETE FROM users`);\n}\n", 'typescript');
  assert.deepEqual(published.diagnostics, []);
  const helper = join(root, 'migrations', 'helpers.ts');
  assert.deepEqual((await client.open(helper, "export async function dropAll(knex) {\n  await knex.raw('DROP TABLE users');\n}\n", 'typescript')).diagnostics, []);
  const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: client.uri(app) } })) as CodeLens[] | null;
  assert.deepEqual(lenses ?? [], []);
});

test('a JavaScript script of scripts/migrations (seed 003)', async () => {
  mkdirSync(join(root, 'scripts', 'migrations'), { recursive: true });
  const path = join(root, 'scripts', 'migrations', '005-add-flag.js');
  const text = "const { Client } = require('pg')\nconst client = new Client()\nawait client.connect()\nawait client.query('ALTER TABLE api_requests ADD COLUMN flagged boolean NOT NULL')\nawait client.end()\n";
  const published = await client.open(path, text, 'javascript');
  const required = published.diagnostics.find((d) => d.code === 'add-required-column');
  assert.ok(required, JSON.stringify(published.diagnostics.map((d) => d.code)));
  assert.deepEqual(required.range, { start: { line: 3, character: 45 }, end: { line: 3, character: 80 } });
  assert.ok(!published.diagnostics.some((d) => d.code === 'missing-rollback'), 'roll-forward');
});
