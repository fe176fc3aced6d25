// The editor's safemig.* settings, set in the workspace as a user would: the language server and
// the database commands read them through the same mapping and validation (server/src/protocol.ts).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtures } from './fixtures';
import { activeExtension, CONFIG_TIMEOUT, fixtureUri, openFixture, waitForDiagnostic } from './helpers';

/** PGlite's first start is slow on a busy machine (database.e2e.ts may not have run first). */
const DB_TIMEOUT = 120_000;

interface Report {
  outcome?: string;
  run?: { failure?: { message: string } };
}

const settings = () => vscode.workspace.getConfiguration('safemig');

suite('editor settings', function () {
  this.timeout(DB_TIMEOUT * 2);

  teardown(async () => {
    for (const key of ['rules', 'database.lockTimeout']) await settings().update(key, undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('safemig.rules makes drop-column an Error, and unset gives the default back', async () => {
    const { path, rule } = fixtures.dropColumn;
    const doc = await openFixture(path);
    const before = await waitForDiagnostic(doc.uri, rule);
    assert.notStrictEqual(before.severity, vscode.DiagnosticSeverity.Error);
    await settings().update('rules', { [rule]: 'error' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostic(doc.uri, rule, CONFIG_TIMEOUT, (d) => d.severity === vscode.DiagnosticSeverity.Error);
    await settings().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostic(doc.uri, rule, CONFIG_TIMEOUT, (d) => d.severity === before.severity);
  });

  test('safemig.database.lockTimeout: an invalid value stops Apply before anything runs; a valid one reaches the database', async () => {
    const uri = fixtureUri('db/migrations/901_e2e_settings.sql');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('-- UP Migration\nCREATE TABLE IF NOT EXISTS e2e_settings (id int);\n'));
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
      await activeExtension();
      await settings().update('database.lockTimeout', 5, vscode.ConfigurationTarget.Workspace);
      assert.strictEqual(await vscode.commands.executeCommand<Report>('safemig.apply', uri), undefined, 'apply ran with an invalid setting');

      // PostgreSQL refuses this duration: the run fails while setting it, so the setting was used.
      await settings().update('database.lockTimeout', 'soon', vscode.ConfigurationTarget.Workspace);
      const report = await vscode.commands.executeCommand<Report>('safemig.apply', uri);
      assert.strictEqual(report?.outcome, 'failed', JSON.stringify(report));
      assert.match(report?.run?.failure?.message ?? '', /lock_timeout/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(uri);
    }
  });
});
