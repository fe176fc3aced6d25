// Workspace configuration (.safemig.json): the server restarts and re-lints when it changes.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtures } from './fixtures';
import { CONFIG_TIMEOUT, describeDiagnostics, fixtureUri, openFixture, safemigDiagnostics, waitFor, waitForDiagnostic } from './helpers';

suite('configuration', () => {
  const configUri = () => fixtureUri(fixtures.configFile);

  teardown(async () => {
    try {
      await vscode.workspace.fs.delete(configUri());
    } catch {
      // not there
    }
  });

  test('(d) .safemig.json {"rules":{"drop-column":"error"}} makes drop-column an Error', async () => {
    const { path, rule } = fixtures.dropColumn;
    const doc = await openFixture(path);
    const before = await waitForDiagnostic(doc.uri, rule);
    assert.notStrictEqual(before.severity, vscode.DiagnosticSeverity.Error, 'drop-column must not be an error by default');

    const config = { rules: { [rule]: 'error' } };
    await vscode.workspace.fs.writeFile(configUri(), Buffer.from(JSON.stringify(config, null, 2) + '\n'));
    await waitForDiagnostic(doc.uri, rule, CONFIG_TIMEOUT, (d) => d.severity === vscode.DiagnosticSeverity.Error);

    // Removing the file brings the default severity back.
    await vscode.workspace.fs.delete(configUri());
    await waitFor(
      () => safemigDiagnostics(doc.uri, rule).some((d) => d.severity === before.severity),
      CONFIG_TIMEOUT,
      `drop-column back to severity ${before.severity} after deleting ${fixtures.configFile}`,
      () => describeDiagnostics(doc.uri),
    );
  });
});
