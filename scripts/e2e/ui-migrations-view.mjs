#!/usr/bin/env node
// UI test of the Migrations view and the status bar item in a real VS Code 1.100 (code-server +
// headless Chromium, see /work/shared/E2E.md), on the workspace's embedded database: the view
// lists db/migrations/001_create_users.sql as pending and the status bar says
// "embedded · N pending"; the row's inline Apply makes it applied (screenshot
// test-results/ui-migrations-view.png); the folder's Roll Back Last asks about the DROP TABLE of
// its DOWN part, and "Roll Back" makes it pending again.
// Needs: scripts/e2e/install.sh (once), node scripts/build.mjs. Exit code 0 on success.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Fatal, RESULTS_DIR, ROOT, log, makeTempDirs, openDevelopmentWorkbench, preflight, runMain } from './lib.mjs';

const FOLDER = 'db/migrations';
const FILE = '001_create_users.sql';
/** PGlite's first start in a fresh workspace storage is slow on a busy machine. */
const DB_TIMEOUT = 120_000;

let page;
runMain.onFailure = async () => {
  if (!page) return;
  // Room for the view in the screenshot: the explorer's folder tree collapsed.
  const tree = page.locator('.pane-header', { hasText: /^workspace/i }).first();
  if ((await tree.getAttribute('aria-expanded')) === 'true') await tree.click();
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, 'ui-migrations-view-failure.png') });
  console.error(`[e2e] screenshot: ${join(RESULTS_DIR, 'ui-migrations-view-failure.png')}`);
};

await runMain(main, { timeoutMs: 300_000, name: 'ui migrations view' });

async function main() {
  preflight({ extensionDir: ROOT });
  const dirs = makeTempDirs();
  ({ page } = await openDevelopmentWorkbench(dirs));
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  log('explorer ready');

  // The view's pane in the explorer, expanded.
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Migrations' }) });
  const header = pane.locator('.pane-header');
  await header.waitFor({ timeout: 60_000 });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  const row = (text) => pane.locator('.monaco-list-row', { hasText: text }).first();
  const migration = row(FILE);
  await migration.filter({ hasText: 'pending' }).waitFor({ timeout: DB_TIMEOUT });
  await row(FOLDER).filter({ hasText: /embedded · \d+ pending/ }).waitFor();
  log(`view: ${(await pane.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ')}`);

  const status = page.locator('.statusbar-item', { hasText: /embedded · \d+ pending/ });
  await status.waitFor({ timeout: 30_000 });
  const before = pendingOf(await status.innerText());
  log(`status bar: ${(await status.innerText()).trim()}`);

  // The row's inline Apply (shown on hover).
  await clickInline(migration, '.action-label[aria-label^="Apply Migration"]');
  await migration.filter({ hasText: /applied \d{4}-\d\d-\d\d \d\d:\d\d UTC/ }).waitFor({ timeout: DB_TIMEOUT });
  await page.locator('.statusbar-item', { hasText: `embedded · ${before - 1} pending` }).waitFor({ timeout: 30_000 });
  log(`applied from the view; status bar: ${before} -> ${before - 1} pending`);
  // Room for the view in the screenshot: the explorer's folder tree collapsed.
  const tree = page.locator('.pane-header', { hasText: /^workspace/i }).first();
  if ((await tree.getAttribute('aria-expanded')) === 'true') await tree.click();
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, 'ui-migrations-view.png') });
  log(`screenshot ${join(RESULTS_DIR, 'ui-migrations-view.png')}`);

  // The folder's Roll Back Last: its DOWN part drops the table, so it asks first.
  const folder = row(FOLDER);
  await clickInline(folder, '.action-label[aria-label="Roll Back Last Migration"]');
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'DROP TABLE' });
  await dialog.waitFor({ timeout: 30_000 });
  log(`asked: ${(await dialog.innerText()).replace(/\s+/g, ' ').trim()}`);
  await dialog.locator('.monaco-button', { hasText: 'Roll Back' }).click();
  await migration.filter({ hasText: 'pending' }).waitFor({ timeout: DB_TIMEOUT });
  await page.locator('.statusbar-item', { hasText: `embedded · ${before} pending` }).waitFor({ timeout: 30_000 });
  log('rolled back from the view: pending again');
  return 0;
}

/**
 * Hovers a row and clicks one of its inline actions, which show only while it is hovered. The
 * view is drawn again when a status read completes, and a hover from before that is lost (the
 * fresh-clone run once waited 30 s on an action that was there but hidden): hover and click again.
 */
async function clickInline(row, action) {
  for (let attempt = 0; ; attempt++) {
    await row.hover();
    if (await row.locator(action).click({ timeout: 3_000 }).then(() => true, () => false)) return;
    if (attempt === 10) throw new Fatal(`the inline action ${action} of a Migrations view row did not show on hover`);
    await page.mouse.move(0, 0);
  }
}

function pendingOf(text) {
  const m = /(\d+) pending/.exec(text);
  if (!m) throw new Fatal(`no pending count in the status bar item "${text}"`);
  return Number(m[1]);
}
