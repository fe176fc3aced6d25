// Code actions (quick fixes) offered for safemig diagnostics.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtures } from './fixtures';
import { openFixture, restoreDocument, waitForDiagnostic, waitForNoDiagnostic } from './helpers';

suite('quick fixes', () => {
  test('(c) the IF NOT EXISTS quick fix removes require-if-not-exists', async () => {
    const { path, rule } = fixtures.template;
    const doc = await openFixture(path);
    const original = doc.getText();
    const d = await waitForDiagnostic(doc.uri, rule);
    try {
      // itemResolveCount 10: actions whose edit comes from codeAction/resolve get it filled in.
      const actions =
        (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          d.range,
          undefined,
          10,
        )) ?? [];
      const titles = actions.map((a) => a.title);
      const fix = actions.find((a) => a.title.includes('IF NOT EXISTS'));
      assert.ok(fix, `no code action titled with 'IF NOT EXISTS'; got ${JSON.stringify(titles)}`);

      // A bare Command, or a CodeAction with an edit and/or a command (run after the edit).
      let edit: vscode.WorkspaceEdit | undefined;
      let command: vscode.Command | undefined;
      if (typeof (fix as vscode.Command).command === 'string') command = fix as vscode.Command;
      else ({ edit, command } = fix as vscode.CodeAction);
      assert.ok(edit || command, `the quick fix '${fix.title}' has neither an edit nor a command`);
      if (edit) assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit of the quick fix failed');
      if (command) await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));

      assert.match(doc.getText(), /CREATE TABLE IF NOT EXISTS users/i);
      await waitForNoDiagnostic(doc.uri, rule);
    } finally {
      await restoreDocument(doc, original);
    }
    await waitForDiagnostic(doc.uri, rule);
  });
});
