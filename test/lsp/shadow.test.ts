/**
 * The shadow schema in the language server, over real LSP JSON-RPC: static diagnostics first,
 * the shadow's after them in the same document's diagnostics; they follow edits; hover and code
 * actions are answered while the shadow (a worker thread, real PGlite) replays the folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TEST_CACHE_DIR } from '../database/helpers';
import { TestClient } from '../helpers/lsp-client';

let root: string;
let client: TestClient;
const MIGRATIONS = 40;
const statuses: { state: string; done?: number; total?: number }[] = [];

const newest = () => join(root, 'db', 'migrations', `${String(MIGRATIONS + 1).padStart(3, '0')}_newest.sql`);
const body = (column: string) => `-- UP Migration\nSET lock_timeout = '5s';\nUPDATE t1 SET ${column} = 'x' WHERE id = 1;\nCREATE INDEX IF NOT EXISTS idx_t1_name ON t1 (name);\n\n-- DOWN Migration (Rollback)\nDROP INDEX IF EXISTS idx_t1_name;\n`;
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => d.code);
const hasSchemaError = (p: PublishDiagnosticsParams) => codes(p).includes('schema-error');

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'safemig-lsp-shadow-'));
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
  for (let i = 1; i <= MIGRATIONS; i++) {
    const sql = i % 2 === 1 ? `CREATE TABLE IF NOT EXISTS t${i} (id bigint PRIMARY KEY, name text NOT NULL);` : `ALTER TABLE t${i - 1} ADD COLUMN IF NOT EXISTS note text;`;
    writeFileSync(join(root, 'db', 'migrations', `${String(i).padStart(3, '0')}_m${i}.sql`), `-- UP Migration\n${sql}\n\n-- DOWN Migration (Rollback)\nSELECT 1;\n`);
  }
  writeFileSync(newest(), body('nmae'));
  process.env.SAFEMIG_CACHE_DIR = TEST_CACHE_DIR;
  client = await TestClient.start({ root, settings: { shadow: { enabled: true } } });
  client.connection.onNotification('safemig/shadowStatus', (status: { state: string }) => statuses.push(status));
});

after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

test('static diagnostics come first; hover and code actions are answered while the shadow replays; the schema-error follows', async () => {
  const first = await client.open(newest(), body('nmae'));
  assert.deepEqual(codes(first), ['non-concurrent-index'], 'the first diagnostics are the static ones');
  const uri = client.uri(newest());
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 2 } })) as Hover | null;
  assert.ok(hover, 'hover answered');
  await client.codeActions(newest(), first.diagnostics);
  // Answered before the shadow was done: its findings had not come yet.
  assert.ok(!statuses.some((s) => s.state === 'ready'), 'the shadow was still working when hover was answered');
  const withShadow = await client.waitFor(newest(), hasSchemaError, 180_000);
  const error = withShadow.diagnostics.find((d) => d.code === 'schema-error')!;
  assert.equal(error.message, 'column "nmae" of relation "t1" does not exist');
  assert.deepEqual(error.range, { start: { line: 2, character: 14 }, end: { line: 2, character: 18 } });
  // The static ones are still there, in the same publication.
  assert.deepEqual(codes(withShadow).sort(), ['non-concurrent-index', 'schema-error']);
  assert.ok(statuses.some((s) => s.state === 'replaying' && s.total === MIGRATIONS + 1), JSON.stringify(statuses));
});

test('fix it: the schema-error goes; break it: it comes back', async () => {
  await client.change(newest(), body('name'));
  const readyBefore = statuses.filter((s) => s.state === 'ready').length;
  await client.waitFor(newest(), (p) => p.version === 2 && !hasSchemaError(p), 60_000);
  // The shadow ran for this version (ready once more) and found nothing.
  const deadline = Date.now() + 60_000;
  while (statuses.filter((s) => s.state === 'ready').length === readyBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(statuses.filter((s) => s.state === 'ready').length > readyBefore, JSON.stringify(statuses.slice(-5)));
  // Hover on the CREATE INDEX shows what the shadow saw it lock, beside the lock table's explanation.
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(newest()) }, position: { line: 3, character: 2 } })) as Hover | null;
  const text = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
  assert.ok(text.includes('**Observed in the shadow schema**'), text);
  assert.ok(text.includes('- takes **SHARE** on table `t1`'), text);
  await client.change(newest(), body('nam'));
  const back = await client.waitFor(newest(), (p) => p.version === 3 && hasSchemaError(p), 60_000);
  assert.match(back.diagnostics.find((d) => d.code === 'schema-error')!.message, /column "nam" of relation "t1" does not exist/);
});

test('closing the folder\'s last file lets its shadow go', async () => {
  client.close(newest());
  const deadline = Date.now() + 30_000;
  while (!statuses.some((s) => s.state === 'closed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(statuses.some((s) => s.state === 'closed'));
});
