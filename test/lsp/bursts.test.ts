/**
 * The language server under bursts of edits, over real LSP JSON-RPC: only the newest version is
 * published, requests are answered while a long lint runs, one edit in each of many open
 * migrations lints each once. Assertions are on order and counts, never on time.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../helpers/lsp-client';

let root: string;
let client: TestClient;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'safemig-lsp-bursts-'));
  client = await TestClient.start({ root });
});

after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

function migration(statements: number, tag: string): string {
  const up = ['-- UP Migration', "SET lock_timeout = '5s';"];
  for (let i = 0; i < statements; i++) {
    up.push(`CREATE TABLE IF NOT EXISTS ${tag}_t${i} (id bigint PRIMARY KEY, name text NOT NULL);`);
    up.push(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${tag}_t${i}_name_idx ON ${tag}_t${i} (name);`);
  }
  return `${up.join('\n')}\n\n-- DOWN Migration (Rollback)\n-- DROP TABLE IF EXISTS ${tag}_t0;\n`;
}

function folder(name: string): string {
  const dir = join(root, name, 'migrations');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every diagnostics notification from now on, in order of arrival. */
function record(): PublishDiagnosticsParams[] {
  const log: PublishDiagnosticsParams[] = [];
  client.onPublish.push((p) => log.push(p));
  return log;
}

function didChange(uri: string, version: number, at: { line: number; character: number }, text: string): object {
  return { jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text }] } };
}

/** Notifications written to the server in one write, so it reads them together. */
function sendAtOnce(messages: object[]): void {
  const frames = messages.map((message) => {
    const body = JSON.stringify(message);
    return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  });
  client.process.stdin!.write(frames.join(''));
}

/** Answered once the server has no lint pending for the document (outline waits for one due). */
function settled(path: string): Promise<unknown> {
  return client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: client.uri(path) } });
}

test('a burst of versioned edits: diagnostics are published for the final version only', async () => {
  const path = join(folder('typing'), '001_big.sql');
  const text = migration(1500, 'big'); // slow to lint (over SLOW_LINT_MS) even on a quiet machine: linted once typing pauses
  await client.open(path, text);
  const log = record();
  const uri = client.uri(path);
  const typed = 'SELECT 1;\n';
  // One write, as a fast typist's keystrokes are read while the server is busy: all at once.
  sendAtOnce([...typed].map((character, k) => didChange(uri, k + 2, { line: 2, character: k }, character)));
  const final = typed.length + 1;
  await client.waitFor(path, (p) => p.version === final, 60_000);
  await settled(path);
  const versions = log.filter((p) => p.uri === uri).map((p) => p.version!);
  assert.deepEqual(versions, [final]);
  // The typed statement is in the final text; its diagnostics are of that text.
  assert.ok(log.at(-1)!.diagnostics.every((d) => d.range.start.line !== 2 || d.range.end.character <= 'SELECT 1;'.length));
});

test('hover while typing: answered for the text as it is now, its range in the current lines', async () => {
  const path = join(folder('hover-typing'), '001_big.sql');
  const text = migration(1500, 'ht');
  await client.open(path, text);
  const uri = client.uri(path);
  // A comment typed above the statements, then a hover on a statement below it. The hover is
  // answered from the last lint where the text is unchanged (a large document's lint awaits a
  // pause in typing), or after the new lint: the same answer either way.
  const typed = '-- fast\n';
  sendAtOnce([...typed].map((character, k) => didChange(uri, k + 2, { line: 2, character: k }, character)));
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 5 } })) as { contents: { value: string }; range: unknown } | null;
  const line = text.split('\n')[3];
  assert.match(line, /^CREATE INDEX CONCURRENTLY/);
  assert.ok(hover?.contents.value.includes('SHARE UPDATE EXCLUSIVE'), JSON.stringify(hover));
  assert.deepEqual(hover!.range, { start: { line: 4, character: 0 }, end: { line: 4, character: line.indexOf(';') } });
  await client.waitFor(path, (p) => p.version === typed.length + 1, 60_000);
});

test('hover sent while the open migrations are re-linted is answered before that lint ends', async () => {
  const dir = folder('hover');
  const paths = Array.from({ length: 30 }, (_, i) => join(dir, `${String(i + 1).padStart(3, '0')}_m${i}.sql`));
  await Promise.all(paths.map((path, i) => client.open(path, migration(150, `h${i}`))));
  const log = record();
  // An edit in the first migration re-lints every later one (they read the types it gives).
  const others = new Set(paths.slice(1).map((p) => client.uri(p)));
  const relint = new Promise<void>((resolve) => client.onPublish.push((p) => others.has(p.uri) && resolve()));
  await client.change(paths[0], migration(150, 'h0').replace('PRIMARY KEY', 'PRIMARY KEY NOT NULL'));
  await relint;
  const before = log.filter((p) => others.has(p.uri)).length;
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(paths[0]) }, position: { line: 3, character: 2 } })) as { contents: { value: string } } | null;
  const answeredAfter = log.filter((p) => others.has(p.uri)).length;
  assert.ok(hover?.contents.value.includes('SHARE UPDATE EXCLUSIVE'), JSON.stringify(hover));
  assert.ok(before >= 1);
  assert.ok(answeredAfter < others.size, `hover answered after ${answeredAfter} of ${others.size} re-lints`);
  await Promise.all(paths.map(settled));
  const relinted = log.filter((p) => others.has(p.uri)).map((p) => p.uri);
  assert.deepEqual([...relinted].sort(), [...others].sort(), 'each later migration is re-linted once');
});

test('one edit in each of 200 open migrations: exactly one diagnostics set per document, of the final version', async () => {
  const dir = folder('many');
  const files = Array.from({ length: 200 }, (_, i) => ({ path: join(dir, `${String(i + 1).padStart(4, '0')}_m${i}.sql`), text: migration(3, `m${i}`) }));
  await Promise.all(files.map((f) => client.open(f.path, f.text)));
  await Promise.all(files.map((f) => settled(f.path)));
  const log = record();
  const edited = await Promise.all(files.map((f) => client.change(f.path, f.text.replace('PRIMARY KEY', 'PRIMARY KEY NOT NULL'))));
  assert.ok(edited.every((p) => p.version === 2));
  await Promise.all(files.map((f) => settled(f.path)));
  const counts = new Map<string, number[]>();
  for (const p of log) counts.set(p.uri, [...(counts.get(p.uri) ?? []), p.version!]);
  assert.equal(counts.size, files.length);
  for (const f of files) assert.deepEqual(counts.get(client.uri(f.path)), [2], f.path);
});
