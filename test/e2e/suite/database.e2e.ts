// The database commands in the real editor, on the embedded database (PGlite in the workspace
// storage): CodeLens placement, apply / status / verify / rollback, and the diagnostic of a failed
// apply. The commands resolve to their reports, which is what these tests read.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtures } from './fixtures';
import { activeExtension, fixtureUri, openFixture, waitFor } from './helpers';

/** PGlite's first start (copying its template, or initdb) is slow on a busy machine. */
const DB_TIMEOUT = 120_000;

interface Report {
  outcome?: string;
  target?: string;
  ok?: boolean;
  differences?: string[];
  entries?: { file: string; state: string }[];
  run?: { failure?: { message: string } };
}

suite('database commands', function () {
  this.timeout(DB_TIMEOUT * 2);

  test('CodeLens: Apply UP and Verify above the UP section, Roll back above the DOWN section', async () => {
    const doc = await openFixture(fixtures.template.path);
    await activeExtension();
    const lenses = await waitFor(
      async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
        return found && found.length >= 3 ? found : undefined;
      },
      30_000,
      'the safemig CodeLens',
    );
    const seen = lenses.map((l) => `${l.range.start.line} ${l.command?.command}`).sort();
    assert.deepStrictEqual(seen, ['0 safemig.apply', '0 safemig.verify', '6 safemig.rollback']);
  });

  test('apply, status, verify and roll back the template migration on the embedded database', async () => {
    const doc = await openFixture(fixtures.template.path);
    await activeExtension();
    const applied = await vscode.commands.executeCommand<Report>('safemig.apply', doc.uri);
    assert.ok(applied, 'apply ran');
    assert.strictEqual(applied.outcome, 'applied', JSON.stringify(applied.run?.failure));
    assert.match(applied.target ?? '', /^embedded PGlite \(PostgreSQL \d+\.\d+\) at /);

    const status = await vscode.commands.executeCommand<Report>('safemig.status', doc.uri);
    assert.deepStrictEqual(status?.entries?.map((e) => `${e.file} ${e.state}`), ['001_create_users.sql applied']);

    const verified = await vscode.commands.executeCommand<Report>('safemig.verify', doc.uri);
    assert.strictEqual(verified?.ok, true, JSON.stringify(verified?.differences));

    const back = await vscode.commands.executeCommand<Report>('safemig.rollback', doc.uri);
    assert.strictEqual(back?.outcome, 'rolled back', JSON.stringify(back?.run?.failure));
  });

  test('a failed apply puts the PostgreSQL error on the failing statement; editing the file clears it', async () => {
    const uri = fixtureUri('db/migrations/900_e2e_fails.sql');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('-- UP Migration\nCREATE TABLE e2e_a (id int);\nSELECT nope FROM e2e_a;\n'));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      const report = await vscode.commands.executeCommand<Report>('safemig.apply', uri);
      assert.strictEqual(report?.outcome, 'failed');
      const diagnostic = await waitFor(
        () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'safemig apply'),
        10_000,
        'the safemig apply diagnostic',
      );
      assert.deepStrictEqual(
        [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character],
        [2, 7, 2, 11],
      );
      assert.match(diagnostic.message, /column "nope" does not exist/);
      assert.strictEqual(diagnostic.code, '42703');

      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '-- edited\n'));
      await waitFor(() => !vscode.languages.getDiagnostics(uri).some((d) => d.source === 'safemig apply'), 10_000, 'the diagnostic to be cleared');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });
});
