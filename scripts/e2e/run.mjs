#!/usr/bin/env node
// Runs the mocha suite (out/e2e/suite/index.js, built by scripts/e2e/build-tests.mjs) inside a real
// VS Code 1.100 extension host: code-server + headless Chromium (playwright-core). See /work/shared/E2E.md.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import {
  FIXTURE_WORKSPACE,
  Fatal,
  RESULTS_DIR,
  ROOT,
  TESTS_INDEX,
  installVsix,
  launchBrowser,
  listExtensions,
  log,
  makeTempDirs,
  parseCli,
  preflight,
  runMain,
  startCodeServer,
  workbenchUrl,
} from './lib.mjs';

const usage = `Usage: node scripts/e2e/run.mjs [options]

Runs the e2e suite in code-server (VS Code 1.100.3) with headless Chromium; exits with the suite's code.
Needs: scripts/e2e/install.sh (once), node scripts/build.mjs, node scripts/e2e/build-tests.mjs.

  --vsix FILE        install FILE into a fresh extensions dir and test it (instead of the repo)
  --extension DIR    extension development folder (default: the repository root)
  --tests FILE       compiled tests index (default: out/e2e/suite/index.js)
  --workspace DIR    workspace to copy and open (default: test/e2e/fixtures/workspace)
  --grep PATTERN     only tests whose full title matches (mocha grep)
  --timeout SECONDS  global timeout (default 300)
  --start-timeout S  fail when the suite has not started S seconds after opening the workbench (default 120)
  --untrusted        open the workspace untrusted (Workspace Trust on, Restricted Mode); the suite's
                     trust tests run only then (use with --grep "workspace trust")
  --keep             keep the temp dir (user data, extensions, workspace copy)
  --verbose          print code-server output and every browser console message`;

const opts = await parseCli(
  {
    vsix: { type: 'string' },
    extension: { type: 'string' },
    tests: { type: 'string' },
    workspace: { type: 'string' },
    grep: { type: 'string' },
    timeout: { type: 'string' },
    'start-timeout': { type: 'string' },
    keep: { type: 'boolean' },
    untrusted: { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
  usage,
);
const LOG_PREFIX = '\u200b[safemig-e2e] ';

function formatArgs(list) {
  if (typeof list[0] === 'string' && /%[sdifjoOc%]/.test(list[0])) return format(...list);
  return list.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

const extensionDir = resolve(opts.extension ?? ROOT);
const tests = resolve(opts.tests ?? TESTS_INDEX);
const vsix = opts.vsix ? resolve(opts.vsix) : undefined;
const timeoutMs = Number(opts.timeout ?? 300) * 1000;

let page;
runMain.onFailure = async () => {
  if (!page) return;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, 'e2e-failure.png');
  await page.screenshot({ path: file });
  console.error(`[e2e] screenshot of the workbench: ${file}`);
};

await runMain(main, { timeoutMs, name: 'e2e (code-server)' });

async function main() {
  if (vsix && opts.extension) throw new Fatal('--vsix and --extension exclude each other');
  preflight({ extensionDir, vsix, tests });
  const dirs = makeTempDirs({ keep: opts.keep, workspace: opts.workspace ? resolve(opts.workspace) : FIXTURE_WORKSPACE, untrusted: opts.untrusted });
  if (vsix) {
    installVsix(dirs, vsix);
    log(`installed extensions: ${listExtensions(dirs).join(', ')}`);
  }

  const env = {
    SAFEMIG_E2E_LOG_PREFIX: LOG_PREFIX,
    // The suite checks that the extension it tests is loaded from here (repo/--extension or the vsix install).
    SAFEMIG_E2E_EXTENSION_PATH: vsix ? dirs.extensions : extensionDir,
  };
  // The installed extension gets its own `vscode` API object, not the suite's: the suite cannot
  // answer its prompts, and skips the tests that must (they run against the repository's build).
  if (vsix) env.SAFEMIG_E2E_VSIX = '1';
  if (opts.grep) env.SAFEMIG_E2E_GREP = opts.grep;
  const server = await startCodeServer(dirs, { verbose: opts.verbose, env, untrusted: opts.untrusted });

  const remote = (path) => `vscode-remote://${server.host}${path}`;
  // The workbench only runs extensionTestsPath in extension-development mode, so a --vsix run
  // points extensionDevelopmentPath at an empty folder: the installed extension is the one tested.
  let devPath = extensionDir;
  if (vsix) {
    devPath = join(dirs.base, 'no-development-extension');
    mkdirSync(devPath, { recursive: true });
  }
  const payload = [
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(tests)],
    ['skipWelcome', 'true'],
  ];

  const browser = await launchBrowser(dirs);
  page = browser.page;

  let finish;
  const finished = new Promise((r) => (finish = r));
  let markStarted;
  const started = new Promise((r) => (markStarted = r));
  // The workbench calls these (window.codeAutomation*) when it runs extension tests. Everything
  // the window logs arrives in codeAutomationLog, extension-host console output included; the
  // suite's reporter lines carry LOG_PREFIX (set through the environment).
  const workbenchLog = [];
  let reporterLines = 0;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const list = Array.isArray(args) ? args : [args];
    const text = formatArgs(list);
    if (text.startsWith(LOG_PREFIX)) {
      if (reporterLines++ === 0) {
        log('suite started');
        markStarted();
      }
      console.log(text.slice(LOG_PREFIX.length));
      return;
    }
    workbenchLog.push({ type, text });
    if (opts.verbose) console.error(`[workbench ${type}] ${text}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    markStarted();
    finish(Number(code));
  });
  page.on('pageerror', (err) => opts.verbose && console.error(`[browser pageerror] ${err.message}`));

  const url = workbenchUrl(server.url, { folder: dirs.workspace, payload });
  log(`opening the workbench${vsix ? ` (vsix ${vsix})` : ` (extension ${extensionDir})`}`);
  if (opts.verbose) log(url);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 0 }); // bounded by --timeout
  log('workbench loading; running the suite in the extension host');

  // Fail early (not at the global timeout) when the workbench never starts the tests.
  const startTimeoutMs = Number(opts['start-timeout'] ?? 120) * 1000;
  let startTimer;
  const neverStarted = new Promise((_, reject) => {
    startTimer = setTimeout(
      () =>
        reject(
          new Fatal(
            `the suite did not start within ${startTimeoutMs / 1000} s of opening the workbench ` +
              '(extension host not starting, extensionTestsPath not loading, or the workbench stuck; rerun with --verbose)',
          ),
        ),
      startTimeoutMs,
    );
  });
  started.then(() => clearTimeout(startTimer));
  const code = await Promise.race([finished, neverStarted]);
  clearTimeout(startTimer);
  log(`suite exited with code ${code}`);
  if (code !== 0 && !opts.verbose) {
    if (reporterLines === 0) log('the suite printed nothing: did out/e2e/suite/index.js load? (build it with node scripts/e2e/build-tests.mjs)');
    const errors = workbenchLog.filter((l) => l.type === 'error' && !/open-vsx\.org|ENOTFOUND/.test(l.text)).slice(-20);
    if (errors.length) console.error(`[e2e] workbench errors:\n${errors.map((l) => l.text).join('\n')}`);
    const serverErrors = server.output.filter((l) => /error|fail|exception/i.test(l) && !/open-vsx\.org|ENOTFOUND/.test(l)).slice(-20);
    if (serverErrors.length) console.error(`[e2e] code-server errors:\n${serverErrors.join('\n')}`);
  }
  return code;
}
