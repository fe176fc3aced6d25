// Diagnostics published by the safemig language server, seen through the vscode API.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, fixtures } from './fixtures';
import {
  activeExtension,
  describeDiagnostics,
  openFixture,
  restoreDocument,
  ruleOf,
  safemigDiagnostics,
  sleep,
  waitForDiagnostic,
  waitForNoDiagnostic,
} from './helpers';

suite('diagnostics', () => {
  test(`${EXTENSION_ID} is installed and activates on a migration`, async () => {
    await openFixture(fixtures.template.path);
    const ext = await activeExtension();
    assert.strictEqual(ext.id.toLowerCase(), EXTENSION_ID);
    // Set by the runners: the repository (development run) or the extensions dir the .vsix went to.
    const expected = process.env.SAFEMIG_E2E_EXTENSION_PATH;
    if (expected) {
      const actual = ext.extensionUri.fsPath;
      assert.ok(actual === expected || actual.startsWith(expected + '/'), `tested ${actual}, expected it under ${expected}`);
    }
  });

  test('(a) CREATE TABLE without IF NOT EXISTS in a template migration', async () => {
    const { path, rule, line, character } = fixtures.template;
    const doc = await openFixture(path);
    const d = await waitForDiagnostic(doc.uri, rule);
    assert.strictEqual(d.source, 'safemig');
    assert.strictEqual(ruleOf(d), rule);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning, describeDiagnostics(doc.uri));
    assert.strictEqual(d.range.start.line, line, describeDiagnostics(doc.uri));
    assert.strictEqual(d.range.start.character, character, describeDiagnostics(doc.uri));
    assert.ok(d.range.end.isAfter(d.range.start), `empty range ${JSON.stringify(d.range)}`);
    if (typeof d.code === 'object') assert.ok(d.code.target instanceof vscode.Uri, 'code.target must be a Uri');
    assert.strictEqual(safemigDiagnostics(doc.uri, rule).length, 1, describeDiagnostics(doc.uri));
  });

  test('(b) adding IF NOT EXISTS by an edit clears the diagnostic', async () => {
    const { path, rule, insertAt } = fixtures.template;
    const doc = await openFixture(path);
    const original = doc.getText();
    await waitForDiagnostic(doc.uri, rule);
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(insertAt.line, insertAt.character), ' IF NOT EXISTS');
      assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit failed');
      assert.match(doc.lineAt(insertAt.line).text, /^CREATE TABLE IF NOT EXISTS users/);
      await waitForNoDiagnostic(doc.uri, rule);
    } finally {
      await restoreDocument(doc, original);
    }
    // Back to the fixture text: the diagnostic comes back (the server re-lints unsaved edits).
    await waitForDiagnostic(doc.uri, rule);
  });

  test('goose file without a Down section: missing-rollback', async () => {
    const doc = await openFixture(fixtures.gooseNoDown.path);
    const d = await waitForDiagnostic(doc.uri, fixtures.gooseNoDown.rule);
    assert.strictEqual(d.source, 'safemig');
  });

  test('ALTER TABLE ... DROP COLUMN: drop-column', async () => {
    const { path, rule, line } = fixtures.dropColumn;
    const doc = await openFixture(path);
    const d = await waitForDiagnostic(doc.uri, rule);
    assert.strictEqual(d.range.start.line, line, describeDiagnostics(doc.uri));
    assert.strictEqual(safemigDiagnostics(doc.uri, 'missing-rollback').length, 0, 'this goose file has a Down section');
  });

  test('golang-migrate .up.sql with its .down.sql: no missing-rollback', async () => {
    // Lint a file known to have a problem first, so we know the server is up, then give the
    // clean file time to be linted.
    const probe = await openFixture(fixtures.gooseNoDown.path);
    await waitForDiagnostic(probe.uri, fixtures.gooseNoDown.rule);
    const doc = await openFixture(fixtures.golangMigrateUp.path);
    await sleep(1500);
    assert.deepStrictEqual(safemigDiagnostics(doc.uri, 'missing-rollback'), [], describeDiagnostics(doc.uri));
  });
});
