/**
 * `npm run bench`: safemig beside squawk (npm `squawk-cli`, a Rust linter of the same kind) on the
 * shared corpus of real migrations, in one run, alternating A B A B so drift hits both.
 *
 * 1. CLI: wall time to lint the whole corpus (every *.sql file), N runs each, cold and with a warm
 *    --cache, beside a floor (Node doing only a warm run's file system work and output); one
 *    file; two generated files full of syntax errors.
 * 2. LSP over stdio: open → diagnostics and edit → diagnostics latency on 600 corpus files (a p95
 *    of 200 files moved by ±30% from run to run on this 2-core machine; of 600, by about ±15%).
 *
 * Prints medians, p95s and the safemig/squawk ratios. Targets: the corpus cold ≤ 2.0× squawk and
 * warm (--cache) ≤ 0.3× (issue 19); server p95 ≤ squawk server's p95 (issue 2).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TestClient } from '../test/helpers/lsp-client';

const ROOT = join(__dirname, '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'files');
// squawk's native binary, called directly (no Node wrapper), so it starts as fast as it can.
const SQUAWK_VERSION = '2.66.0';
const SQUAWK = installPeer();
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const BROKEN_RUNS = 3;
const LSP_FILES = Number(process.env.BENCH_LSP_FILES ?? 600);

/**
 * The peer is a benchmark tool, not a dependency of safemig: it is installed on first use into
 * bench/.peers (git-ignored). As a devDependency its per-platform optional packages had to be in
 * package-lock.json, and the registry these machines reach does not serve the other platforms'
 * ones, so `npm ci` failed on a fresh clone.
 */
function installPeer(): string {
  const prefix = join(__dirname, '.peers');
  const bin = join(prefix, 'node_modules', '@squawk-cli', `${process.platform}-${process.arch}`, 'bin', 'squawk');
  if (!existsSync(bin)) {
    console.log(`installing squawk-cli@${SQUAWK_VERSION} into ${prefix} (once)`);
    const npm = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `squawk-cli@${SQUAWK_VERSION}`], { stdio: 'inherit' });
    if (npm.status !== 0 || !existsSync(bin)) throw new Error(`could not install squawk-cli@${SQUAWK_VERSION} for the benchmark`);
  }
  return bin;
}

/** `node -e FLOOR DIR REPORT`: lists DIR's *.sql files, stats each, reads REPORT and writes it to stdout. */
const FLOOR = `
const { readdirSync, statSync, readFileSync, writeSync } = require('node:fs');
const walk = (dir) => { for (const e of readdirSync(dir, { withFileTypes: true })) { const p = dir + '/' + e.name; if (e.isDirectory()) walk(p); else if (e.name.endsWith('.sql')) statSync(p, { bigint: true }); } };
walk(process.argv[1]);
const out = readFileSync(process.argv[2]);
for (let at = 0; at < out.length; ) at += writeSync(1, out, at);
`;

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2));

function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sqlFiles(path) : name.endsWith('.sql') ? [path] : [];
  });
}

function timeCommand(command: string, args: string[]): number {
  const start = performance.now();
  const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

function benchCli(): void {
  const dir = mkdtempSync(join(tmpdir(), 'safemig-bench-'));
  try {
    benchCliWith(join(dir, 'corpus.safemig.json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchCliWith(config: string): void {
  writeFileSync(config, JSON.stringify({ migrations: ['**/*.sql'] }));
  const files = sqlFiles(CORPUS).length;
  const safemig = [process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', CORPUS, '--config', config, '--format', 'json']] as const;
  // --cache, warm: the cache is filled by the warm-up run, and every timed run reuses it.
  const cached = [process.execPath, [...safemig[1], '--cache-location', join(dirname(config), 'cache')]] as const;
  const squawk = [SQUAWK, [`${CORPUS}/**/*.sql`, '--reporter', 'json']] as const;
  // What a warm run cannot do without: Node starting, the corpus listed, each file stat'ed, a
  // report of safemig's size read and written. A floor for --cache, not a tool.
  const report = join(dirname(config), 'report.json');
  writeFileSync(report, spawnSync(...safemig, { maxBuffer: 1 << 28 }).stdout);
  const floor = [process.execPath, ['-e', FLOOR, CORPUS, report]] as const;
  timeCommand(...safemig); // warm-up: file cache, both binaries, safemig's cache
  timeCommand(...cached);
  timeCommand(...squawk);
  const a: number[] = [];
  const c: number[] = [];
  const b: number[] = [];
  const f: number[] = [];
  const ratios: number[] = [];
  const cachedRatios: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) {
    a.push(timeCommand(...safemig));
    b.push(timeCommand(...squawk));
    c.push(timeCommand(...cached));
    f.push(timeCommand(...floor));
    ratios.push(a[i] / b[i]);
    cachedRatios.push(c[i] / b[i]);
  }
  console.log(`\nCLI, whole corpus (${files} files, ${CLI_RUNS} runs each, alternating)`);
  console.log('| tool | median ms | p95 ms | min ms |');
  console.log('|---|---|---|---|');
  console.log(`| safemig check | ${fmt(median(a))} | ${fmt(quantile(a, 0.95))} | ${fmt(Math.min(...a))} |`);
  console.log(`| safemig check --cache (warm) | ${fmt(median(c))} | ${fmt(quantile(c, 0.95))} | ${fmt(Math.min(...c))} |`);
  console.log(`| squawk | ${fmt(median(b))} | ${fmt(quantile(b, 0.95))} | ${fmt(Math.min(...b))} |`);
  console.log(`| floor: node lists, stats, reads and writes the report (no analysis) | ${fmt(median(f))} | ${fmt(quantile(f, 0.95))} | ${fmt(Math.min(...f))} |`);
  console.log(`ratio safemig/squawk, pair by pair: median ${median(ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)} (target ≤ 2.0)`);
  console.log(`ratio safemig --cache (warm)/squawk, pair by pair: median ${median(cachedRatios).toFixed(2)}, max ${Math.max(...cachedRatios).toFixed(2)} (target ≤ 0.3)`);
  console.log(`ratio floor/squawk: median ${median(f.map((ms, i) => ms / b[i])).toFixed(2)} (the least a Node CLI reading these files takes)`);

  // One file, as a pre-commit hook checks it: mostly start-up. No target; for context.
  const file = sqlFiles(CORPUS).find((f) => f.includes('/lemmy/')) ?? sqlFiles(CORPUS)[0];
  const one = { safemig: [] as number[], squawk: [] as number[] };
  for (let i = 0; i < CLI_RUNS; i++) {
    one.safemig.push(timeCommand(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', file, '--config', config, '--format', 'json']));
    one.squawk.push(timeCommand(SQUAWK, [file, '--reporter', 'json']));
  }
  console.log(`\nCLI, one file (${CLI_RUNS} runs each, alternating): safemig median ${fmt(median(one.safemig))} ms, squawk median ${fmt(median(one.squawk))} ms`);
  benchBrokenFiles(dirname(config));
}

/**
 * Broken files are where cost can grow faster than the text: each syntax error makes the parser
 * start again. Two generated files, 20,000 errors in 180 KB and 60,000 in 2 MB (a file of
 * 20,000 errors took 5.3 s before it was fixed). No target; for context and to catch a regression.
 */
function benchBrokenFiles(dir: string): void {
  const files = {
    '20,000 errors, 180 KB': 'SELEC 1;\n'.repeat(20_000),
    '60,000 errors among 60,000 statements, 2 MB': 'CREATE TABLE a (id int);\nSELEC 1;\n'.repeat(60_000),
  };
  console.log(`\nCLI, files full of syntax errors (${BROKEN_RUNS} runs each, alternating)`);
  console.log('| file | safemig median ms | squawk median ms |');
  console.log('|---|---|---|');
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, 'broken.sql');
    writeFileSync(file, text);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < BROKEN_RUNS; i++) {
      ours.push(timeCommand(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', file, '--format', 'json']));
      theirs.push(timeCommand(SQUAWK, [file, '--reporter', 'json']));
    }
    console.log(`| ${name} | ${fmt(median(ours))} | ${fmt(median(theirs))} |`);
  }
}

interface Latencies {
  open: number[];
  edit: number[];
}

/**
 * Opens each file and waits until its diagnostics are in hand, then edits it and waits again.
 * safemig pushes diagnostics (publishDiagnostics); squawk's server answers pull requests
 * (textDocument/diagnostic), so for it the wait is the request's answer.
 */
async function measureServer(client: TestClient, files: string[], root: string, pull: boolean, tag: string): Promise<Latencies> {
  const out: Latencies = { open: [], edit: [] };
  const diagnose = (path: string) => client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: client.uri(path) } });
  for (const [i, file] of files.entries()) {
    const text = readFileSync(file, 'utf8');
    // Present each file as a migration of the benchmark workspace, whatever its original layout.
    const path = join(root, 'migrations', `${tag}${String(i).padStart(4, '0')}_${file.split('/').pop()}`);
    const edited = `${text}\n-- edited\nALTER TABLE bench_t ADD COLUMN IF NOT EXISTS c${i} int;\n`;
    let start = performance.now();
    if (pull) {
      void client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: client.uri(path), languageId: 'sql', version: 1, text } });
      await diagnose(path);
    } else {
      await client.open(path, text);
    }
    out.open.push(performance.now() - start);
    start = performance.now();
    if (pull) {
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: client.uri(path), version: 2 }, contentChanges: [{ text: edited }] });
      await diagnose(path);
    } else {
      await client.change(path, edited);
    }
    out.edit.push(performance.now() - start);
    client.close(path);
  }
  return out;
}

async function benchLsp(): Promise<void> {
  const all = sqlFiles(CORPUS).filter((f) => !f.includes('/squawk/'));
  const step = Math.max(1, Math.floor(all.length / LSP_FILES));
  const files = all.filter((_, i) => i % step === 0).slice(0, LSP_FILES);
  const root = mkdtempSync(join(tmpdir(), 'safemig-bench-lsp-'));
  const results: Record<string, Latencies> = {};
  const servers = [
    { name: 'safemig', pull: false, options: { root } },
    { name: 'squawk', pull: true, options: { root, command: [SQUAWK, 'server'] } },
  ];
  const clients = await Promise.all(servers.map((s) => TestClient.start(s.options)));
  for (const [i, server] of servers.entries()) await measureServer(clients[i], files.slice(0, 20), root, server.pull, 'warm'); // warm-up
  // Alternate the two servers file by file so machine noise hits both alike.
  for (const server of servers) results[server.name] = { open: [], edit: [] };
  for (const [k, file] of files.entries()) {
    for (const [i, server] of servers.entries()) {
      const one = await measureServer(clients[i], [file], root, server.pull, `${server.name}${k}-`);
      results[server.name].open.push(...one.open);
      results[server.name].edit.push(...one.edit);
    }
  }
  await Promise.all(clients.map((c) => c.stop()));
  rmSync(root, { recursive: true, force: true });
  console.log(`\nLSP server over stdio, ${files.length} corpus files (open → diagnostics, edit → diagnostics)`);
  console.log('| server | open median ms | open p95 ms | edit median ms | edit p95 ms |');
  console.log('|---|---|---|---|---|');
  for (const [name, r] of Object.entries(results)) {
    console.log(`| ${name} | ${fmt(median(r.open))} | ${fmt(quantile(r.open, 0.95))} | ${fmt(median(r.edit))} | ${fmt(quantile(r.edit, 0.95))} |`);
  }
  const s = results.safemig;
  const q = results.squawk;
  console.log(`ratio safemig/squawk: open p95 ${(quantile(s.open, 0.95) / quantile(q.open, 0.95)).toFixed(2)}, edit p95 ${(quantile(s.edit, 0.95) / quantile(q.edit, 0.95)).toFixed(2)} (target ≤ 1)`);
}

async function main(): Promise<void> {
  console.log(`safemig benchmark: node ${process.version}, corpus ${CORPUS}`);
  if (!process.argv.includes('--lsp-only')) benchCli();
  if (!process.argv.includes('--cli-only')) await benchLsp();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
