#!/usr/bin/env node
// UI test: drives the real VS Code 1.100 workbench (code-server + headless Chromium) like a user:
// explorer -> squiggles -> Problems panel -> command palette -> quick fix; screenshot in test-results/.
// No extension tests payload: only the extension (development folder or installed .vsix).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  Fatal,
  RESULTS_DIR,
  ROOT,
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

const usage = `Usage: node scripts/e2e/ui.mjs [options]

Needs: scripts/e2e/install.sh (once), node scripts/build.mjs (unless --vsix).

  --vsix FILE        install FILE and test it (instead of the repository as development extension)
  --extension DIR    extension development folder (default: the repository root)
  --timeout SECONDS  global timeout (default 300)
  --step-timeout S   timeout of each UI step (default 30)
  --keep             keep the temp dir
  --verbose          print code-server output and browser console errors`;

const opts = await parseCli(
  {
    vsix: { type: 'string' },
    extension: { type: 'string' },
    timeout: { type: 'string' },
    'step-timeout': { type: 'string' },
    keep: { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
  usage,
);

/** What the UI test opens and expects; the fixture is test/e2e/fixtures/workspace. */
const FILE_PATH = ['db', 'migrations', '001_create_users.sql'];
const DIAGNOSTIC_LINE = 2; // 1-based line of CREATE TABLE users (require-if-not-exists)
const QUICK_FIX = /IF NOT EXISTS/;

const extensionDir = resolve(opts.extension ?? ROOT);
const vsix = opts.vsix ? resolve(opts.vsix) : undefined;
const stepTimeout = Number(opts['step-timeout'] ?? 30) * 1000;
let page;
let currentStep = 'start';

runMain.onFailure = async () => {
  if (!page) return;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, 'ui-failure.png');
  await page.screenshot({ path: file });
  console.error(`[ui] failed during step "${currentStep}"; screenshot: ${file}`);
};
await runMain(main, { timeoutMs: Number(opts.timeout ?? 300) * 1000, name: 'ui test' });

async function step(name, fn) {
  currentStep = name;
  const started = Date.now();
  try {
    const result = await fn();
    console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
    return result;
  } catch (err) {
    console.log(`  ✖ ${name}`);
    throw err instanceof Fatal ? err : new Fatal(`${name}: ${err?.message ?? err}`);
  }
}

async function main() {
  if (vsix && opts.extension) throw new Fatal('--vsix and --extension exclude each other');
  preflight({ extensionDir, vsix });
  const dirs = makeTempDirs({ keep: opts.keep });
  if (vsix) {
    installVsix(dirs, vsix);
    log(`installed extensions: ${listExtensions(dirs).join(', ')}`);
  }
  const server = await startCodeServer(dirs, { verbose: opts.verbose });
  const browser = await launchBrowser(dirs);
  page = browser.page;
  page.setDefaultTimeout(stepTimeout);
  if (opts.verbose) {
    page.on('console', (m) => m.type() === 'error' && console.error(`[browser error] ${m.text()}`));
    page.on('pageerror', (e) => console.error(`[browser pageerror] ${e.message}`));
  }

  const payload = vsix ? undefined : [['extensionDevelopmentPath', `vscode-remote://${server.host}${extensionDir}`], ['skipWelcome', 'true']];
  const url = workbenchUrl(server.url, { folder: dirs.workspace, payload });
  log(`opening the workbench${vsix ? ` (vsix ${vsix})` : ` (extension ${extensionDir})`}`);
  console.log('ui test');

  await step('workbench loads with the fixture folder in the explorer', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 0 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await explorerRow(FILE_PATH[0]).waitFor({ timeout: 90_000 });
  });

  const editor = page.locator('.editor-instance .monaco-editor').first();
  const squiggles = editor.locator('.squiggly-warning, .squiggly-error');

  await step(`open ${FILE_PATH.join('/')} from the explorer`, async () => {
    // A click that lands while the tree re-renders (the Migrations view and the status bar refresh
    // on start-up) can select a folder without expanding it: click again until it is expanded.
    for (const name of FILE_PATH.slice(0, -1)) {
      const row = explorerRow(name);
      for (let clicks = 0; (await row.getAttribute('aria-expanded')) !== 'true'; clicks++) {
        if (clicks === 3) throw new Error(`the folder ${name} did not expand after 3 clicks`);
        await row.click();
        await page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: 5_000 }).catch(() => undefined);
      }
    }
    await explorerRow(FILE_PATH.at(-1)).click();
    await page.locator('.tabs-container .tab.active', { hasText: FILE_PATH.at(-1) }).waitFor();
    await editor.locator('.view-lines').waitFor();
  });

  const before = await step('a safemig squiggle appears in the editor', async () => {
    await squiggles.first().waitFor({ state: 'attached', timeout: Math.max(stepTimeout, 60_000) });
    return squiggles.count();
  });
  log(`${before} squiggle(s)`);

  await step('the Problems panel lists a safemig entry', async () => {
    await runCommand('View: Focus on Problems View', /Focus on Problems View|Problems: Focus/);
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: /safemig/ }).first().waitFor();
    const texts = await rows.allInnerTexts();
    log(`problems: ${texts.map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ')}`);
  });

  await step('the command palette offers safemig: commands', async () => {
    await focusEditor(editor);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>safemig');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: /safemig:/i }).first().waitFor();
    const labels = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    log(`palette: ${labels.join(' | ')}`);
    if (!labels.some((l) => /safemig:/i.test(l))) throw new Error(`no 'safemig:' command in ${JSON.stringify(labels)}`);
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  });

  await step('the lightbulb quick fix adds IF NOT EXISTS and removes a squiggle', async () => {
    await gotoLine(editor, DIAGNOSTIC_LINE);
    const bulb = page.locator('.lightBulbWidget, .codicon-light-bulb, .codicon-lightbulb-autofix').first();
    await bulb.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => log('no lightbulb shown (continuing with Ctrl+.)'));
    await page.keyboard.press('Control+Period');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: QUICK_FIX }).first();
    await item.waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'ui.png') });
    log(`screenshot ${join(RESULTS_DIR, 'ui.png')}`);
    // Clicking the row is swallowed by the widget's pointer block: select it with the keyboard.
    const rows = page.locator('.action-widget .monaco-list-row.action');
    const count = await rows.count();
    for (let i = 0; i <= count && !QUICK_FIX.test((await page.locator('.action-widget .monaco-list-row.focused').first().innerText().catch(() => '')) ?? ''); i++) {
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').waitFor({ state: 'hidden' });
    // The editor renders spaces as U+00A0: match with \s.
    await editor.locator('.view-line', { hasText: /CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+users/ }).waitFor();
    await waitUntil(async () => (await squiggles.count()) < before, 'the squiggle count to decrease');
    await page.screenshot({ path: join(RESULTS_DIR, 'ui-after-fix.png') });
  });

  log(`squiggles: ${before} -> ${await squiggles.count()}`);
  return 0;
}

function explorerRow(name) {
  return page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .first();
}

async function focusEditor(editor) {
  // Keyboard, not a click: code lenses and other content widgets sit on top of the text.
  await page.keyboard.press('Control+1'); // View: Focus First Editor Group
  await editor.locator('textarea.inputarea, .native-edit-context').first().waitFor({ state: 'attached' });
  await waitUntil(() => editor.evaluate((el) => el.classList.contains('focused')), 'the editor to take the focus');
}

async function gotoLine(editor, line) {
  await focusEditor(editor);
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:1`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function runCommand(label, match) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${label}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: match }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function waitUntil(predicate, what, timeoutMs = stepTimeout) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
