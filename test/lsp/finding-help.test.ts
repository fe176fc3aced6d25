/**
 * Over real LSP JSON-RPC (dist/server.js): a diagnostic's message is the problem only; what to do
 * instead travels as its related information on the same range, and hover on the finding shows it.
 * A finding whose rule gives no help has neither.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient } from '../helpers/lsp-client';

describe('a finding over LSP: problem as the message, help apart', () => {
  let root: string;
  let client: TestClient;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'safemig-help-'));
    mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
    client = await TestClient.start({ root });
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('drop-column: the message is the problem, relatedInformation and hover carry the help', async () => {
    const path = join(root, 'db', 'migrations', '001_drop.sql');
    const text = "SET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN IF EXISTS legacy;\n";
    const published = await client.open(path, text);
    const drop = published.diagnostics.find((d) => d.code === 'drop-column');
    assert.ok(drop, `drop-column among ${published.diagnostics.map((d) => d.code).join(', ')}`);
    const range = { start: { line: 1, character: 18 }, end: { line: 1, character: 46 } };
    assert.deepEqual(drop.range, range);
    assert.equal(drop.message, 'Dropping column legacy of users breaks running code that still reads or writes it, and its data is lost.');
    assert.deepEqual(drop.relatedInformation, [
      { location: { uri: client.uri(path), range }, message: 'Stop using the column in the application first, deploy, then drop it.' },
    ]);

    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(path) }, position: { line: 1, character: 25 } })) as Hover | null;
    assert.ok(hover);
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.ok(contents.value.startsWith('**drop-column**: Stop using the column in the application first, deploy, then drop it.'), contents.value);
    // The problem is the diagnostic's, which the editor shows in the same hover: not repeated.
    assert.ok(!contents.value.includes('breaks running code'), contents.value);
  });

  test('a rule without help: no related information, and no help section on hover', async () => {
    const path = join(root, 'db', 'migrations', '002_drop_index.sql');
    const published = await client.open(path, "SET lock_timeout = '5s';\nDROP INDEX CONCURRENTLY i;\n");
    const ifExists = published.diagnostics.find((d) => d.code === 'require-if-exists');
    assert.ok(ifExists, `require-if-exists among ${published.diagnostics.map((d) => d.code).join(', ')}`);
    assert.equal(ifExists.message, 'DROP INDEX without IF EXISTS fails if the object is already gone (a re-run, a partial rollback).');
    assert.equal(ifExists.relatedInformation, undefined);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(path) }, position: { line: 1, character: 3 } })) as Hover | null;
    assert.ok(!hover || !(hover.contents as MarkupContent).value.includes('require-if-exists'));
  });
});
