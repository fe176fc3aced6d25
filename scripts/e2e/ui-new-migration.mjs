#!/usr/bin/env node
// UI test of "New Migration" from the explorer's context menu, in a real VS Code 1.100 (code-server
// + headless Chromium, see /work/shared/E2E.md): right-click the `migrate` folder, choose
// "New Migration", type the description, press Enter; the golang-migrate pair must exist on disk
// and the .up.sql must be open. Also runs the palette command on the open goose file, and shows
// the new file's outline.
// Needs: scripts/e2e/install.sh (once), node scripts/build.mjs. Exit code 0 on success.
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Fatal, RESULTS_DIR, ROOT, log, makeTempDirs, openDevelopmentWorkbench, preflight, runMain } from './lib.mjs';

let page;
runMain.onFailure = async () => {
  if (!page) return;
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, 'ui-new-migration-failure.png') });
  console.error(`[e2e] screenshot: ${join(RESULTS_DIR, 'ui-new-migration-failure.png')}`);
};

await runMain(main, { timeoutMs: 240_000, name: 'ui new migration' });

async function main() {
  preflight({ extensionDir: ROOT });
  const dirs = makeTempDirs();
  ({ page } = await openDevelopmentWorkbench(dirs));

  // The explorer, with the fixture's folders.
  const row = (name) => page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
  await row('migrate').waitFor({ timeout: 60_000 });
  log('explorer ready');

  // Explorer: right-click a folder → New Migration → description → Enter. The menu item shows
  // once the development extension is registered, which may follow the explorer by a few seconds.
  // A click that comes too soon after the menu opened can be lost (the menu stays open, the item
  // highlighted): then the menu is opened and clicked again.
  const item = page.locator('.context-view .action-item', { hasText: 'New Migration' });
  const input = page.locator('.quick-input-widget input.input');
  const shows = (locator, timeout) => locator.waitFor({ timeout }).then(() => true, () => false);
  for (let attempt = 0; ; attempt++) {
    await row('migrate').click({ button: 'right' });
    if (await shows(item, 3_000)) {
      // Let the menu settle: it is drawn again as the workbench updates, and a click split
      // between two drawings is lost.
      // The menu can also close in that time (a workbench update): then the click is retried
      // with a new menu rather than waiting for an item that is gone.
      await page.waitForTimeout(300 * (attempt + 1));
      const clicked = await item.click({ timeout: 3_000 }).then(() => true, () => false);
      if (clicked && (await shows(input, 5_000))) break;
    }
    if (attempt === 20) throw new Fatal('no "New Migration" in the explorer context menu of a folder, or clicking it opened no input box');
    await page.keyboard.press('Escape');
  }
  await input.fill('add retry columns');
  // The input box says which file it will create before Enter.
  await page.locator('.quick-input-widget', { hasText: 'Creates 000002_add_retry_columns.up.sql' }).waitFor({ timeout: 10_000 });
  await input.press('Enter');
  const up = join(dirs.workspace, 'migrate', '000002_add_retry_columns.up.sql');
  const down = join(dirs.workspace, 'migrate', '000002_add_retry_columns.down.sql');
  await waitUntil(() => existsSync(up) && existsSync(down), 20_000, 'the .up.sql/.down.sql pair on disk');
  await page.locator('.tabs-container .tab.active', { hasText: '000002_add_retry_columns.up.sql' }).waitFor({ timeout: 20_000 });
  log(`explorer: created ${readdirSync(join(dirs.workspace, 'migrate')).join(', ')}`);
  if (!/^-- Migration: add retry columns\n/.test(readFileSync(up, 'utf8'))) throw new Fatal(`unexpected content:\n${readFileSync(up, 'utf8')}`);

  // Palette: with a goose migration open, the command uses its folder.
  await row('migrations').click();
  await row('20240101120000_add_email.sql').dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: '20240101120000_add_email.sql' }).waitFor({ timeout: 20_000 });
  await page.keyboard.press('F1');
  await input.waitFor({ timeout: 10_000 });
  await input.fill('>safemig: New Migration');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'safemig: New Migration' }).first().waitFor({ timeout: 10_000 });
  await input.press('Enter');
  await page.locator('.quick-input-widget', { hasText: 'What does the migration do?' }).waitFor({ timeout: 10_000 });
  await input.fill('add index');
  await input.press('Enter');
  const goose = () => readdirSync(join(dirs.workspace, 'migrations')).find((f) => /^\d{14}_add_index\.sql$/.test(f));
  await waitUntil(goose, 20_000, 'the goose migration on disk');
  await page.locator('.tabs-container .tab.active', { hasText: goose() }).waitFor({ timeout: 20_000 });
  log(`palette: created migrations/${goose()}`);

  // The outline of the new file: its UP and DOWN parts.
  await page.locator('.pane-header', { hasText: 'Outline' }).click();
  for (const part of ['UP', 'DOWN']) await page.locator('.monaco-list-row', { hasText: new RegExp(`^${part}`) }).first().waitFor({ timeout: 20_000 });
  log('outline: UP, DOWN');

  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, 'ui-new-migration.png') });
  return 0;
}

async function waitUntil(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Fatal(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
