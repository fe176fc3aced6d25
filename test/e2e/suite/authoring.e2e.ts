// "safemig: New Migration" in a real editor: the folder from the explorer (a Uri, as the context
// menu passes it) or from the active file, the files of each fixture convention, the editor opened
// with the cursor in the UP part, no diagnostics on the new file, and its outline.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeExtension, describeDiagnostics, fixtureUri, openFixture, safemigDiagnostics, sleep, waitFor, waitForDiagnostic } from './helpers';
import { fixtures } from './fixtures';

const created: vscode.Uri[] = [];

async function newMigration(folder: vscode.Uri | undefined, description: string): Promise<vscode.Uri> {
  const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('safemig.newMigration', folder, { description });
  assert.ok(uri instanceof vscode.Uri, 'the command returns the new file');
  created.push(uri);
  return uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/** The outline the server gives, once it has read the file. */
async function outline(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  return waitFor(
    async () => {
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri);
      return symbols && symbols.length > 0 ? symbols : undefined;
    },
    20_000,
    `document symbols of ${uri.fsPath}`,
  );
}

suite('new migration', () => {
  suiteSetup(async () => {
    await openFixture(fixtures.template.path);
    await activeExtension();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) await vscode.workspace.fs.delete(uri, { useTrash: false }).then(undefined, () => undefined);
  });

  test('the command is contributed to the palette and to the explorer’s folder menu', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('safemig.newMigration'));
    const manifest = vscode.extensions.getExtension('safemig.safemig')!.packageJSON;
    assert.deepStrictEqual(manifest.contributes.menus['explorer/context'], [{ command: 'safemig.newMigration', when: 'explorerResourceIsFolder', group: 'navigation@9' }]);
  });

  test('template folder (explorer): next number, the template, cursor in the UP part, no diagnostics, outline', async () => {
    const uri = await newMigration(fixtureUri('db/migrations'), 'add retry columns');
    assert.strictEqual(uri.toString(), fixtureUri('db/migrations/002_add_retry_columns.sql').toString());
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.toString() === uri.toString(), 'the new file is open');
    const text = editor.document.getText();
    assert.match(text, /^-- Migration: add retry columns\n-- Date: \d{4}-\d\d-\d\d\n-- Author: .+\n\n-- UP Migration\n\n\n-- DOWN Migration \(Rollback\)\n$/);
    assert.strictEqual(editor.selection.active.line, 5, 'the cursor is on the line after -- UP Migration');

    const symbols = await outline(uri);
    assert.deepStrictEqual(symbols.map((s) => s.name), ['UP', 'DOWN']);
    await sleep(500);
    assert.deepStrictEqual(safemigDiagnostics(uri), [], describeDiagnostics(uri));

    // What is typed at the cursor is linted as UP (drop-column judges the UP part only).
    await editor.edit((e) => e.insert(editor.selection.active, 'ALTER TABLE users DROP COLUMN IF EXISTS legacy;'));
    const d = await waitForDiagnostic(uri, 'drop-column');
    assert.strictEqual(d.range.start.line, 5);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('goose folder (palette, from the active file): timestamp name and goose markers', async () => {
    await openFixture(fixtures.dropColumn.path);
    const uri = await newMigration(undefined, 'add retry columns');
    assert.match(uri.path, /\/migrations\/\d{14}_add_retry_columns\.sql$/);
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.match(text, /\n-- \+goose Up\n\n\n-- \+goose Down\n$/);
    assert.deepStrictEqual((await outline(uri)).map((s) => [s.name, s.detail]), [
      ['UP', '-- +goose Up, in a transaction'],
      ['DOWN', '-- +goose Down, in a transaction'],
    ]);
    assert.deepStrictEqual(safemigDiagnostics(uri), [], describeDiagnostics(uri));
  });

  test('golang-migrate folder: the .up.sql and .down.sql pair, the up file opened', async () => {
    const uri = await newMigration(fixtureUri('migrate'), 'add retry columns');
    const down = fixtureUri('migrate/000002_add_retry_columns.down.sql');
    created.push(down);
    assert.strictEqual(uri.toString(), fixtureUri('migrate/000002_add_retry_columns.up.sql').toString());
    assert.ok(await exists(down), 'the down file is created too');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    await sleep(500);
    assert.deepStrictEqual(safemigDiagnostics(uri), [], describeDiagnostics(uri));
  });

  test('several migrations folders and no active file: a quick pick of the folders', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const running = vscode.commands.executeCommand<vscode.Uri | undefined>('safemig.newMigration', undefined, { description: 'picked folder' });
    // The picker lists db/migrations, migrate, migrations (path order): accept the first.
    await sleep(1500);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const uri = await running;
    assert.ok(uri, 'a file was created');
    created.push(uri);
    assert.strictEqual(uri.toString(), fixtureUri('db/migrations/003_picked_folder.sql').toString());
  });

  test('an empty folder: a quick pick of conventions, the first being this project’s template', async () => {
    const folder = fixtureUri('db/empty');
    await vscode.workspace.fs.createDirectory(folder);
    try {
      const running = vscode.commands.executeCommand<vscode.Uri | undefined>('safemig.newMigration', folder, { description: 'init schema' });
      await sleep(1500);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const uri = await running;
      assert.ok(uri, 'a file was created');
      assert.match(uri.path, /\/db\/empty\/\d{8}_init_schema\.sql$/);
      assert.match(vscode.window.activeTextEditor!.document.getText(), /\n-- UP Migration\n\n\n-- DOWN Migration \(Rollback\)\n$/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
    }
  });

  test('an invalid description creates nothing and says why', async () => {
    const before = (await vscode.workspace.fs.readDirectory(fixtureUri('db/migrations'))).length;
    const result = await vscode.commands.executeCommand('safemig.newMigration', fixtureUri('db/migrations'), { description: 'a/b' });
    assert.strictEqual(result, undefined);
    assert.strictEqual((await vscode.workspace.fs.readDirectory(fixtureUri('db/migrations'))).length, before);
  });
});
