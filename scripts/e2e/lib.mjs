// Shared plumbing for the code-server based runners (run.mjs, ui.mjs): temp dirs, code-server,
// Chromium through playwright-core, a global timeout and cleanup. See /work/shared/E2E.md.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION ?? '4.100.3';
export const CODE_SERVER = join(ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.SAFEMIG_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const FIXTURE_WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');
export const TESTS_INDEX = join(ROOT, 'out', 'e2e', 'suite', 'index.js');
export const RESULTS_DIR = join(ROOT, 'test-results');
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export const t0 = Date.now();
export function log(...args) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(5);
  console.error(`[e2e ${s}s]`, ...args);
}

export class Fatal extends Error {}

/** Stops everything registered with onCleanup, in reverse order; safe to call twice. */
const cleanups = [];
export function onCleanup(fn) {
  cleanups.push(fn);
}
let cleaning;
export function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error('[e2e] cleanup:', err?.message ?? err);
      }
    }
  })();
  return cleaning;
}
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    interrupted = true;
    log(`${sig}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

/** Runs main() under a global timeout; prints the error and exits with the code main() returns. */
export async function runMain(main, { timeoutMs, name }) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Fatal(`${name}: global timeout, nothing finished within ${Math.round(timeoutMs / 1000)} s (raise it with --timeout SECONDS)`)),
      timeoutMs,
    );
  });
  let code = 1;
  try {
    code = await Promise.race([main(), timeout]);
  } catch (err) {
    if (interrupted) return new Promise(() => {}); // the signal handler exits
    if (err instanceof Fatal) console.error(`\n[e2e] FAILED: ${err.message}`);
    else console.error('\n[e2e] FAILED:', err);
    code = 1;
    if (typeof runMain.onFailure === 'function') {
      try {
        await Promise.race([runMain.onFailure(), new Promise((r) => setTimeout(r, 10_000))]);
      } catch {
        // best effort
      }
    }
  } finally {
    clearTimeout(timer);
  }
  await cleanup();
  log(`${name} finished with exit code ${code}`);
  process.exit(code);
}

/** Checks what the runners need, with the command that fixes each problem. */
export function preflight({ extensionDir, vsix, tests }) {
  const problems = [];
  if (!existsSync(CODE_SERVER)) problems.push(`code-server is not installed: run scripts/e2e/install.sh`);
  else {
    const v = JSON.parse(readFileSync(join(ROOT, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
    if (v !== CODE_SERVER_VERSION) problems.push(`code-server ${v} installed, ${CODE_SERVER_VERSION} wanted: run scripts/e2e/install.sh`);
  }
  if (!existsSync(CHROMIUM)) problems.push(`${CHROMIUM} not found: run scripts/e2e/install.sh (or set SAFEMIG_E2E_CHROMIUM)`);
  if (tests && !existsSync(tests)) problems.push(`${tests} not found: run node scripts/e2e/build-tests.mjs`);
  if (vsix) {
    if (!existsSync(vsix)) problems.push(`${vsix} not found (package it with npx vsce package)`);
  } else {
    const pkgPath = join(extensionDir, 'package.json');
    if (!existsSync(pkgPath)) problems.push(`${pkgPath} not found (--extension DIR must be an extension folder)`);
    else {
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
      if (!pkg.main) problems.push(`${pkgPath} has no "main"`);
      else {
        const main = resolve(extensionDir, pkg.main);
        if (![main, `${main}.js`].some(existsSync)) problems.push(`${main} not found: run node scripts/build.mjs`);
      }
      if (pkg.engines?.vscode && !/\^?1\.(\d+)/.test(pkg.engines.vscode)) problems.push(`unexpected engines.vscode ${pkg.engines.vscode}`);
      const minor = Number(/1\.(\d+)/.exec(pkg.engines?.vscode ?? '')?.[1] ?? 0);
      if (minor > 100) problems.push(`engines.vscode ${pkg.engines.vscode} does not accept 1.100 (code-server ${CODE_SERVER_VERSION} is VS Code 1.100.3): the extension would not load`);
    }
  }
  if (problems.length > 0) throw new Fatal(`not ready:\n  - ${problems.join('\n  - ')}`);
}

/** Fresh temp dirs: user data, extensions, and a copy of the fixture workspace (tests may modify it). */
export function makeTempDirs({ keep = false, workspace = FIXTURE_WORKSPACE, untrusted = false } = {}) {
  const base = mkdtempSync(join(tmpdir(), 'safemig-e2e-'));
  const dirs = {
    base,
    userData: join(base, 'user-data'),
    extensions: join(base, 'extensions'),
    workspace: join(base, 'workspace'),
    config: join(base, 'code-server.yaml'),
  };
  mkdirSync(dirs.userData, { recursive: true });
  mkdirSync(dirs.extensions, { recursive: true });
  cpSync(workspace, dirs.workspace, { recursive: true });
  // Keep the editor quiet: no welcome page, no trust prompt, no telemetry prompt, no update check.
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        // `untrusted`: Workspace Trust on, and the workspace opened in Restricted Mode without a prompt.
        'security.workspace.trust.enabled': untrusted,
        ...(untrusted && { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }),
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'git.enabled': false,
        'files.autoSave': 'off',
        'editor.lightbulb.enabled': 'on',
        'explorer.compactFolders': false,
        'workbench.editor.enablePreview': false,
        'problems.autoReveal': false,
      },
      null,
      2,
    ),
  );
  writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  onCleanup(() => {
    if (keep) log(`kept temp dir ${base}`);
    else rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  });
  return dirs;
}

function codeServerEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  // Anything that would steer code-server elsewhere or make it talk to a parent VS Code.
  for (const key of Object.keys(env)) {
    if (key === 'PORT' || key === 'CODE_SERVER_HOST' || key === 'PASSWORD' || key === 'HASHED_PASSWORD') delete env[key];
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  return env;
}

function baseArgs(dirs) {
  return ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/** `code-server --install-extension file.vsix` into the temp extensions dir (works offline). */
export function installVsix(dirs, vsix) {
  log(`installing ${vsix}`);
  const r = spawnSync(CODE_SERVER, [...baseArgs(dirs), '--install-extension', resolve(vsix)], {
    env: codeServerEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0 || !/successfully installed|already installed/i.test(out)) throw new Fatal(`installing ${vsix} failed (exit ${r.status ?? r.signal}):\n${out}`);
  log(out.split('\n').filter(Boolean).pop() ?? 'installed');
  return out;
}

/** Starts code-server on 127.0.0.1 and a free port; resolves with its base URL once it listens. */
export async function startCodeServer(dirs, { verbose = false, env = {}, untrusted = false } = {}) {
  const args = [
    ...baseArgs(dirs),
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--log', verbose ? 'debug' : 'info',
  ];
  log(`starting code-server ${CODE_SERVER_VERSION}`);
  // Own process group: the extension host and the language server are its descendants.
  const proc = spawn(CODE_SERVER, args, { env: codeServerEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  let exited = false;
  const exitedPromise = new Promise((resolveExit) => proc.on('exit', (code, signal) => {
    exited = true;
    resolveExit({ code, signal });
  }));
  onCleanup(async () => {
    if (exited) return;
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      return;
    }
    const done = await Promise.race([exitedPromise.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
    try {
      process.kill(-proc.pid, 'SIGKILL'); // whatever is left of the group
    } catch {
      // all gone
    }
    if (!done) log('code-server did not stop on SIGTERM, killed');
  });

  const url = await new Promise((resolveUrl, reject) => {
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        output.push(line);
        if (verbose) console.error(`[code-server] ${line}`);
        const m = /HTTP server listening on (http:\/\/\S+?)\/?\s*$/.exec(line);
        if (m) resolveUrl(m[1].replace(/\/$/, ''));
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    exitedPromise.then(({ code, signal }) =>
      reject(new Fatal(`code-server exited (${code ?? signal}) before listening:\n${output.slice(-30).join('\n')}`)),
    );
    proc.on('error', (err) => reject(new Fatal(`cannot start ${CODE_SERVER}: ${err.message}`)));
  });
  log(`code-server listening on ${url}`);
  return { url, host: new URL(url).host, proc, output };
}

/** Headless Debian Chromium through playwright-core. */
export async function launchBrowser(dirs, { headed = false } = {}) {
  const { chromium } = await import('playwright-core');
  // Chromium writes crash-reporter state under $XDG_CONFIG_HOME even with a temp profile: keep it in the temp dir.
  const env = { ...process.env, XDG_CONFIG_HOME: join(dirs.base, 'xdg-config'), XDG_CACHE_HOME: join(dirs.base, 'xdg-cache') };
  // Our own signal handlers stop code-server too; Playwright's would only close the browser and exit.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !headed,
    args: CHROMIUM_ARGS,
    env,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  onCleanup(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return { browser, context, page };
}

export function workbenchUrl(base, { folder, payload }) {
  const params = new URLSearchParams();
  params.set('folder', folder);
  if (payload) params.set('payload', JSON.stringify(payload));
  return `${base}/?${params.toString()}`;
}

/** code-server and Chromium on the fixture workspace with the repository's extension loaded: what the UI tests start from. */
export async function openDevelopmentWorkbench(dirs) {
  const server = await startCodeServer(dirs);
  const browser = await launchBrowser(dirs);
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${server.host}${ROOT}`],
    ['skipWelcome', 'true'],
  ];
  await browser.page.goto(workbenchUrl(server.url, { folder: dirs.workspace, payload }), { waitUntil: 'domcontentloaded' });
  return { server, browser, page: browser.page };
}

/** Ids of the extensions installed in the temp extensions dir. */
export function listExtensions(dirs) {
  const out = spawnSync(CODE_SERVER, [...baseArgs(dirs), '--list-extensions'], { env: codeServerEnv(), encoding: 'utf8' });
  return out.stdout.trim().split('\n').filter(Boolean);
}

/** Parses `--name value` / `--flag` options (node:util parseArgs, strict). */
export async function parseCli(options, usage) {
  const { parseArgs } = await import('node:util');
  try {
    const { values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    return values;
  } catch (err) {
    console.error(`${err.message}\n\n${usage}`);
    process.exit(2);
  }
}
