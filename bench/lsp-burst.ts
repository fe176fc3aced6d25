/**
 * The language server under bursts (issue 19), driven over stdio JSON-RPC as an editor drives it:
 * - typing: 20 keystrokes 30 ms apart in a 1 MB migration, then a hover; reports the hover's
 *   answer time and the time to the final version's diagnostics, both after the last keystroke;
 * - many documents: one edit in each of 200 open migrations of one folder (a search and replace);
 *   reports the time to the last diagnostics published and how many were published.
 * Each scenario runs its own server; its peak RSS is the process's VmHWM (Linux).
 * Targets: hover ≤ 1 s, final diagnostics ≤ 4 s (1 MB); burst ≤ 5 s; memory ≤ 600 MB.
 *
 *   npm run build && node --import tsx bench/lsp-burst.ts [--heap MB] [--server path/to/server.js]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { TestClient, SERVER } from '../test/helpers/lsp-client';

const KEYSTROKES = 20;
const KEYSTROKE_GAP_MS = 30;
const DOCUMENTS = 200;
/** No diagnostics for this long: the server is done with the burst. */
const QUIET_MS = 8000;
/** A heap limit makes a server that keeps too much die instead of swapping (`--heap 1024`). */
const HEAP_MB = process.argv.includes("--heap") ? Number(process.argv[process.argv.indexOf("--heap") + 1]) : undefined;

function migration(statements: number, tag: string): string {
  const up: string[] = ['-- UP Migration', "SET lock_timeout = '5s';"];
  const down: string[] = ['-- DOWN Migration (Rollback)'];
  for (let i = 0; i < statements; i++) {
    const t = `${tag}_t${i}`;
    up.push(`CREATE TABLE IF NOT EXISTS ${t} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());`);
    up.push(`ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS email text;`);
    up.push(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${t}_email_idx ON ${t} (email);`);
    down.push(`-- DROP TABLE IF EXISTS ${t};`);
  }
  return `${up.join('\n')}\n\n${down.join('\n')}\n`;
}

function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.match(/\d+/)?.[0] ?? 0) / 1024);
}

/** Records every publishDiagnostics with its arrival time, beside the client's own waiters. */
function recordPublishes(client: TestClient): { uri: string; version?: number; at: number }[] {
  const log: { uri: string; version?: number; at: number }[] = [];
  client.onPublish.push((p: PublishDiagnosticsParams) => log.push({ uri: p.uri, version: p.version, at: performance.now() }));
  return log;
}

/** Another build of the server to measure (`--server path/to/server.js`), e.g. main's for a before/after table. */
const SERVER_JS = process.argv.includes('--server') ? process.argv[process.argv.indexOf('--server') + 1] : SERVER;

async function startServer(root: string): Promise<TestClient> {
  const command = [process.execPath, ...(HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : []), SERVER_JS, '--stdio'];
  return TestClient.start({ root, command });
}

async function untilQuiet(log: { at: number }[], alive: () => boolean): Promise<void> {
  const start = performance.now();
  let seen = -1;
  while (alive() && (seen !== log.length || performance.now() - Math.max(start, log.at(-1)?.at ?? 0) < QUIET_MS)) {
    seen = log.length;
    await sleep(200);
  }
}

interface Row {
  scenario: string;
  hoverMs?: number;
  diagnosticsMs: number;
  publishes: number;
  peakRssMb: number;
  note?: string;
}

async function typing(): Promise<Row> {
  const root = mkdtempSync(join(tmpdir(), 'safemig-burst-'));
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
  const text = migration(3300, 'big');
  const path = join(root, 'db', 'migrations', '001_big.sql');
  writeFileSync(path, text);
  const client = await startServer(root);
  const pid = client.process.pid!;
  let exited = false;
  client.process.on('exit', () => (exited = true));
  try {
    await client.open(path, text);
    const log = recordPublishes(client);
    const uri = client.uri(path);
    // Type "-- note" at the start of line 2 (a comment: the statements stay the same).
    const typed = '-- note typed fast..'.slice(0, KEYSTROKES);
    for (let k = 0; k < KEYSTROKES; k++) {
      void client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: k + 2 },
        contentChanges: [{ range: { start: { line: 1, character: k }, end: { line: 1, character: k } }, text: typed[k] }],
      });
      if (k < KEYSTROKES - 1) await sleep(KEYSTROKE_GAP_MS);
    }
    const last = performance.now();
    const finalVersion = KEYSTROKES + 1;
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 2 } });
    const hoverMs = performance.now() - last;
    await untilQuiet(log, () => !exited);
    const final = log.filter((p) => p.uri === uri && p.version === finalVersion).at(-1);
    return {
      scenario: `typing: ${KEYSTROKES} keystrokes ${KEYSTROKE_GAP_MS} ms apart, ${(text.length / 1e6).toFixed(1)} MB migration`,
      hoverMs: exited ? NaN : hoverMs,
      diagnosticsMs: final ? final.at - last : NaN,
      publishes: log.length,
      peakRssMb: exited ? NaN : peakRssMb(pid),
      note: exited ? 'server died' : hover ? undefined : 'hover empty',
    };
  } finally {
    if (!exited) await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function manyDocuments(): Promise<Row> {
  const root = mkdtempSync(join(tmpdir(), 'safemig-burst-'));
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
  const files = Array.from({ length: DOCUMENTS }, (_, i) => {
    const path = join(root, 'db', 'migrations', `${String(i + 1).padStart(4, '0')}_m${i}.sql`);
    const text = migration(20, `m${i}`);
    writeFileSync(path, text);
    return { path, text };
  });
  const client = await startServer(root);
  const pid = client.process.pid!;
  let exited = false;
  client.process.on('exit', () => (exited = true));
  try {
    await Promise.all(files.map((f) => client.open(f.path, f.text)));
    const log = recordPublishes(client);
    await untilQuiet(log, () => !exited);
    log.length = 0;
    const start = performance.now();
    await Promise.all(files.map((f) => client.change(f.path, f.text.replace('PRIMARY KEY', 'PRIMARY KEY NOT NULL'))));
    await untilQuiet(log, () => !exited);
    const last = log.at(-1);
    return {
      scenario: `one edit in each of ${DOCUMENTS} open migrations`,
      diagnosticsMs: last && !exited ? last.at - start : NaN,
      publishes: log.length,
      peakRssMb: exited ? NaN : peakRssMb(pid),
      note: exited ? 'server died' : undefined,
    };
  } finally {
    if (!exited) await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`safemig language server under bursts: node ${process.version}, ${SERVER_JS}${HEAP_MB ? `, server heap ${HEAP_MB} MB` : ''}`);
  const rows = [await typing(), await manyDocuments()];
  const fmt = (n?: number) => (n === undefined ? '–' : Number.isNaN(n) ? 'n/a' : String(Math.round(n)));
  console.log('| scenario | hover after last keystroke ms | final diagnostics ms | diagnostics published | peak RSS MB | |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.scenario} | ${fmt(r.hoverMs)} | ${fmt(r.diagnosticsMs)} | ${r.publishes} | ${fmt(r.peakRssMb)} | ${r.note ?? ''} |`);
  console.log('targets: hover ≤ 1000 ms, final diagnostics ≤ 4000 ms (typing), ≤ 5000 ms (200 documents), peak RSS ≤ 600 MB');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
