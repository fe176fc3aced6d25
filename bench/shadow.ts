/**
 * `npm run bench` (after bench/run.ts): the shadow schema on a generated folder of 300
 * migrations (tables, columns, indexes, each with its DOWN part; migration 200 drops a column
 * that migration 250 still uses). Targets (issue 17):
 * - CLI, `check --shadow` as a process: cold (no shadow cache; the PGlite template already made
 *   by a first run that is not counted) ≤ 15 s; warm (the shadow cache there) ≤ 3 s; also after
 *   an edit of the newest migration (its kept state) and of the first (everything after it again).
 * - Language server over JSON-RPC: the newest migration's schema-error ≤ 20 s after opening the
 *   cold folder; each edit (break it, fix it) followed by the shadow's diagnostics ≤ 1 s at the
 *   median; the server's peak RSS (VmHWM, with its worker threads) with three folders' shadows
 *   ≤ 600 MB.
 * Each run must report exactly the one schema-error the folder is built with.
 *
 *   npm run build && node --import tsx bench/shadow.ts
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { openThrowawayEmbedded } from '../server/src/database/embedded';
import { TestClient } from '../test/helpers/lsp-client';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const MIGRATIONS = Number(process.env.BENCH_SHADOW_MIGRATIONS ?? 300);
/** Not a table-making migration (i % 3 === 1), so nothing else depends on what it replaces. */
const notTable = (i: number) => (i % 3 === 1 ? i + 1 : i);
const DROPPED_AT = notTable(Math.round(MIGRATIONS * (2 / 3)));
const USED_AT = notTable(Math.round(MIGRATIONS * (5 / 6)));

/** Migration i (1-based): a table every third, else a column or an index on an earlier table. */
function migration(i: number): string {
  const table = `t${3 * Math.floor((i - 1) / 3) + 1}`;
  if (i === DROPPED_AT) return `-- UP Migration\nALTER TABLE t1 DROP COLUMN IF EXISTS note;\n\n-- DOWN Migration (Rollback)\nALTER TABLE t1 ADD COLUMN IF NOT EXISTS note text;\n`;
  if (i === USED_AT) return `-- UP Migration\nUPDATE t1 SET note = 'x' WHERE id = 1;\n\n-- DOWN Migration (Rollback)\nSELECT 1;\n`;
  switch (i % 3) {
    case 1:
      return `-- UP Migration\nCREATE TABLE IF NOT EXISTS t${i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n\n-- DOWN Migration (Rollback)\nDROP TABLE IF EXISTS t${i};\n`;
    case 2:
      return `-- UP Migration\nALTER TABLE ${table} ADD COLUMN IF NOT EXISTS note text;\n\n-- DOWN Migration (Rollback)\nALTER TABLE ${table} DROP COLUMN IF EXISTS note;\n`;
    default:
      return `-- UP Migration\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_${table}_name ON ${table} (name);\n\n-- DOWN Migration (Rollback)\nDROP INDEX CONCURRENTLY IF EXISTS idx_${table}_name;\n`;
  }
}

function run(root: string, cacheDir: string, storage: string): { ms: number; errors: number } {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, [CLI, 'check', '--shadow', '--format', 'json', '--cache-location', storage, 'db'], { cwd: root, encoding: 'utf8', env: { ...process.env, SAFEMIG_CACHE_DIR: cacheDir }, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (!result.stdout) throw new Error(`check --shadow failed (exit ${result.status}): ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { files: { diagnostics: { rule: string }[] }[] };
  return { ms, errors: report.files.flatMap((f) => f.diagnostics).filter((d) => d.rule === 'schema-error').length };
}

const file = (root: string, i: number) => join(root, 'db', 'migrations', `${String(i).padStart(4, '0')}_m${i}.sql`);

function writeFolder(root: string): void {
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
  for (let i = 1; i <= MIGRATIONS; i++) writeFileSync(file(root, i), migration(i));
  // The newest migration uses a column that does not exist.
  writeFileSync(file(root, MIGRATIONS + 1), NEWEST('nmae'));
}

const NEWEST = (column: string) => `-- UP Migration\nUPDATE t1 SET ${column} = 'x' WHERE id = 1;\n\n-- DOWN Migration (Rollback)\nSELECT 1;\n`;

function benchCli(root: string, cacheDir: string): void {
  const storage = join(root, 'shadow-cache');
  run(root, cacheDir, join(root, 'unused-cache')); // makes the PGlite template, not counted
  rmSync(join(root, 'unused-cache'), { recursive: true, force: true });
  const cold = run(root, cacheDir, storage);
  const warm = run(root, cacheDir, storage);
  writeFileSync(file(root, MIGRATIONS + 1), NEWEST('nmae2'));
  const newest = run(root, cacheDir, storage);
  writeFileSync(file(root, MIGRATIONS + 1), NEWEST('nmae'));
  writeFileSync(file(root, 1), migration(1).replace('created_at timestamptz', 'created_on timestamptz'));
  const first = run(root, cacheDir, storage);
  writeFileSync(file(root, 1), migration(1));
  console.log(`\nCLI, check --shadow on ${MIGRATIONS + 1} generated migrations (two schema-errors expected: the dropped column, the newest's typo)`);
  console.log('| run | wall ms | schema-error findings | target ms |');
  console.log('|---|---|---|---|');
  console.log(`| cold (no shadow cache) | ${cold.ms.toFixed(0)} | ${cold.errors} | 15000 |`);
  console.log(`| warm (shadow cache) | ${warm.ms.toFixed(0)} | ${warm.errors} | 3000 |`);
  console.log(`| after an edit of the newest | ${newest.ms.toFixed(0)} | ${newest.errors} | |`);
  console.log(`| after an edit of the first | ${first.ms.toFixed(0)} | ${first.errors} | |`);
  if ([cold, warm, newest, first].some((r) => r.errors !== 2)) throw new Error('check --shadow did not report exactly the two schema-errors the folder is built with');
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function benchLsp(root: string, cacheDir: string): Promise<void> {
  process.env.SAFEMIG_CACHE_DIR = cacheDir;
  // PGlite's template made first, as for the CLI: made by the server (once per machine and PGlite
  // version), its initdb alone peaks at about 900 MB and would stand for the three shadows' memory.
  await (await openThrowawayEmbedded({ cacheDir })).close();
  const roots = [root, `${root}-b`, `${root}-c`];
  for (const other of roots.slice(1)) cpSync(root, other, { recursive: true });
  rmSync(join(root, 'shadow-cache'), { recursive: true, force: true });
  const client = await TestClient.start({ root: tmpdir(), settings: { shadow: { enabled: true } } });
  const publishes: { uri: string; version?: number; schemaError: boolean; at: number }[] = [];
  client.onPublish.push((p: PublishDiagnosticsParams) => publishes.push({ uri: p.uri, version: p.version, schemaError: p.diagnostics.some((d) => d.code === 'schema-error'), at: performance.now() }));
  try {
    const newest = file(root, MIGRATIONS + 1);
    const t0 = performance.now();
    await client.open(newest, NEWEST('nmae'));
    const staticMs = performance.now() - t0;
    await client.waitFor(newest, (p) => p.diagnostics.some((d) => d.code === 'schema-error'), 300_000);
    const firstMs = performance.now() - t0;
    // Each edit: the shadow's publication of that version (the second one: the static diagnostics come first).
    const edits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const column = i % 2 === 0 ? 'name' : 'nmae';
      const start = performance.now();
      const version = i + 2;
      await client.change(newest, NEWEST(column));
      const uri = client.uri(newest);
      await client.waitFor(newest, () => publishes.filter((p) => p.uri === uri && p.version === version).length >= 2, 60_000);
      const shadow = publishes.filter((p) => p.uri === uri && p.version === version)[1];
      if (shadow.schemaError !== (column === 'nmae')) throw new Error(`edit ${i}: the shadow's diagnostics are wrong`);
      edits.push(shadow.at - start);
    }
    // Two more folders' shadows: the server holds three.
    await Promise.all(roots.slice(1).map(async (other) => {
      const path = file(other, MIGRATIONS + 1);
      await client.open(path, NEWEST('nmae'));
      await client.waitFor(path, (p) => p.diagnostics.some((d) => d.code === 'schema-error'), 600_000);
    }));
    const rss = peakRssMb(client.process.pid!);
    console.log(`\nLanguage server, the same folder opened cold (newest migration open), then two more folders`);
    console.log('| measure | value | target |');
    console.log('|---|---|---|');
    console.log(`| static diagnostics after opening | ${staticMs.toFixed(0)} ms | as before |`);
    console.log(`| schema-error after opening the cold folder | ${firstMs.toFixed(0)} ms | 20000 ms |`);
    console.log(`| each edit → shadow diagnostics, median of ${edits.length} (incl. 300 ms typing pause) | ${median(edits).toFixed(0)} ms (max ${Math.max(...edits).toFixed(0)}) | 1000 ms |`);
    console.log(`| server peak RSS with three shadows | ${rss.toFixed(0)} MB | 600 MB |`);
  } finally {
    await client.stop();
    for (const other of roots.slice(1)) rmSync(other, { recursive: true, force: true });
  }
}

export async function benchShadow(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'safemig-bench-shadow-'));
  const cacheDir = join(root, 'template-cache');
  try {
    writeFolder(root);
    if (!process.argv.includes('--lsp-only')) benchCli(root, cacheDir);
    if (!process.argv.includes('--cli-only')) await benchLsp(root, cacheDir);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) void benchShadow();
