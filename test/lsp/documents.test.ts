/** The server's workspace in-process: what the editor is given for a document the engine fails on. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../../server/src/lsp/documents';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { initParser } from '../../server/src/sql/pg';

let root: string;
before(async () => {
  await initParser();
  root = mkdtempSync(join(tmpdir(), 'safemig-documents-'));
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('a document the engine fails on gets an internal-error diagnostic (cached for its version), not silence', () => {
  const document = TextDocument.create(pathToFileURL(join(root, 'db', 'migrations', '001_users.sql')).toString(), 'sql', 1, 'CREATE TABLE users (id int);\n');
  const workspace = new Workspace((uri) => (uri === document.uri ? document : undefined), () => [root]);
  // The engine meets a failure where it does not expect one: its file system's cache.
  Object.defineProperty(workspace.fs, 'memo', { value: () => { throw new Error('cache failed'); } });
  const state = workspace.stateOf(document, {});
  assert.equal(state?.result, undefined);
  assert.equal((state?.failed?.error as Error).message, 'cache failed');
  const diagnostics = state!.failed!.findings.map((f, i) => toDiagnostic(f, i, document.version));
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.range.start, d.source]), [['internal-error', 1, { line: 0, character: 0 }, 'safemig']]);
  assert.match(diagnostics[0].message, /^Not checked: safemig failed on this file \(cache failed\)\. This is a bug in safemig/);
  assert.equal(workspace.stateOf(document, {}), state);
  // Its severity is a setting like any rule's.
  workspace.forget(document.uri);
  assert.deepEqual(workspace.stateOf(document, { rules: { 'internal-error': 'off' } })?.failed?.findings, []);
});
