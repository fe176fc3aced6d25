// Commands contributed by the extension.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeExtension, openFixture } from './helpers';
import { fixtures } from './fixtures';

suite('commands', () => {
  test('the extension registers safemig.* commands', async () => {
    await openFixture(fixtures.template.path);
    await activeExtension();
    const commands = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('safemig.'));
    for (const expected of ['safemig.newMigration', 'safemig.apply', 'safemig.rollback', 'safemig.verify', 'safemig.status', 'safemig.restartServer']) {
      assert.ok(commands.includes(expected), `${expected} is not registered (have: ${commands.join(', ')})`);
    }
  });

  // Apply / status / verify / rollback and their CodeLens and diagnostics: database.e2e.ts.

  // New migration from the palette and the explorer: authoring.e2e.ts.
});
