#!/usr/bin/env node
// Runs the same mocha suite (out/e2e/suite/index.js) in desktop VS Code through @vscode/test-electron.
// For a developer laptop or a hosted CI that can download VS Code (on a Linux box without a display,
// run it under xvfb-run -a). Where VS Code cannot be downloaded, use scripts/e2e/run.mjs (code-server).
//
// Usage: node scripts/e2e/electron.mjs [--vsix FILE] [--extension DIR] [--grep PATTERN] [--vscode-version V] [--keep]
// Needs: node scripts/build.mjs, node scripts/e2e/build-tests.mjs.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const usage = `Usage: node scripts/e2e/electron.mjs [options]

  --vsix FILE           install FILE into a fresh extensions dir and test it (instead of the repo)
  --extension DIR       extension development folder (default: the repository root)
  --tests FILE          compiled tests index (default: out/e2e/suite/index.js)
  --grep PATTERN        only tests whose full title matches
  --vscode-version V    VS Code to download (default: stable; e.g. 1.100.3 = the engines minimum)
  --keep                keep the temp dir`;

let opts;
try {
  opts = parseArgs({
    options: {
      vsix: { type: 'string' },
      extension: { type: 'string' },
      tests: { type: 'string' },
      grep: { type: 'string' },
      'vscode-version': { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (err) {
  console.error(`${err.message}\n\n${usage}`);
  process.exit(2);
}
if (opts.help) {
  console.log(usage);
  process.exit(0);
}

const fail = (message) => {
  console.error(`[e2e electron] ${message}`);
  process.exit(1);
};

const vsix = opts.vsix ? resolve(opts.vsix) : undefined;
const extensionDir = resolve(opts.extension ?? ROOT);
const tests = resolve(opts.tests ?? join(ROOT, 'out', 'e2e', 'suite', 'index.js'));
if (!existsSync(tests)) fail(`${tests} not found: run node scripts/e2e/build-tests.mjs`);
if (vsix && !existsSync(vsix)) fail(`${vsix} not found`);
if (!vsix && !existsSync(join(extensionDir, 'dist', 'client.js')) && extensionDir === ROOT) fail('dist/client.js not found: run node scripts/build.mjs');

const { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } = await import('@vscode/test-electron');

// 1. Desktop VS Code (cached in .vscode-test/ after the first download).
let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version: opts['vscode-version'] ?? 'stable', cachePath: join(ROOT, '.vscode-test'), timeout: 60_000 });
} catch (err) {
  fail(
    `could not download VS Code (${err?.message ?? err}).\n` +
      'This machine cannot reach update.code.visualstudio.com; run the same suite in code-server instead:\n' +
      '  scripts/e2e/install.sh && node scripts/e2e/run.mjs' +
      (vsix ? ` --vsix ${opts.vsix}` : ''),
  );
}

// 2. Fresh profile, extensions dir and a copy of the fixture workspace (tests modify files).
const base = mkdtempSync(join(tmpdir(), 'safemig-e2e-electron-'));
const userData = join(base, 'user-data');
const extensionsDir = join(base, 'extensions');
const workspace = join(base, 'workspace');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensionsDir, { recursive: true });
cpSync(join(ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoUpdate': false, 'git.enabled': false }, null, 2),
);
const cleanup = () => (opts.keep ? console.error(`[e2e electron] kept ${base}`) : rmSync(base, { recursive: true, force: true, maxRetries: 3 }));

let devPath = extensionDir;
if (vsix) {
  // Tests only run in extension-development mode: point it at an empty folder, test the installed vsix.
  devPath = join(base, 'no-development-extension');
  mkdirSync(devPath);
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
  const args = [...cliArgs.filter((a) => !a.startsWith('--extensions-dir') && !a.startsWith('--user-data-dir')), `--extensions-dir=${extensionsDir}`, `--user-data-dir=${userData}`, '--install-extension', vsix];
  const r = spawnSync(cli, args, { encoding: 'utf8', stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    cleanup();
    fail(`installing ${vsix} failed (exit ${r.status})`);
  }
}

// 3. The suite.
const launchArgs = [workspace, `--extensions-dir=${extensionsDir}`, `--user-data-dir=${userData}`, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'];
if (process.platform === 'linux' && process.getuid?.() === 0) launchArgs.push('--no-sandbox');
let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: devPath,
    extensionTestsPath: tests,
    launchArgs,
    extensionTestsEnv: {
      SAFEMIG_E2E_GREP: opts.grep,
      SAFEMIG_E2E_EXTENSION_PATH: vsix ? extensionsDir : extensionDir,
    },
  });
} catch (err) {
  console.error(`[e2e electron] tests failed: ${err?.message ?? err}`);
  code = typeof err?.code === 'number' && err.code !== 0 ? err.code : 1;
} finally {
  cleanup();
}
console.error(`[e2e electron] exit code ${code}`);
process.exit(code);
