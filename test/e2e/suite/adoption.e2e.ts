// Adopting safemig in a project whose migrations live in an unusual folder: a SQL file outside
// every migration folder offers, once per folder, "Treat this folder as migrations", which writes
// the folder's glob to .safemig.json (created, or updated with its other keys kept).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeExtension, answeringInformation, CAN_ANSWER_PROMPTS, CONFIG_TIMEOUT, fixtureUri, sleep, waitFor, waitForDiagnostic } from './helpers';
import { fixtures } from './fixtures';

const TREAT = 'Treat this folder as migrations';
const DEFAULT_GLOBS = ['**/migrations/**/*.sql', '**/migrate/**/*.sql', '**/db/**/*.sql', '**/supabase/migrations/*.sql', '**/deploy/*.sql', '**/revert/*.sql'];

async function write(path: string, text: string): Promise<vscode.Uri> {
  const uri = fixtureUri(path);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  return uri;
}

async function readConfig(): Promise<Record<string, unknown>> {
  return JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(fixtureUri(fixtures.configFile))).toString('utf8'));
}

suite('treat a folder as migrations', () => {
  suiteSetup(async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri(fixtures.dropColumn.path)));
    await activeExtension();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const path of [fixtures.configFile, 'queries', 'scratch', 'notes']) {
      await vscode.workspace.fs.delete(fixtureUri(path), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    }
  });

  test('the command is contributed', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('safemig.treatFolderAsMigrations'));
  });

  test('a SQL file outside every migration folder offers it once per folder; accepting writes the glob and the file is checked', async function () {
    if (!CAN_ANSWER_PROMPTS) this.skip();
    const report = await write('queries/report.sql', 'DROP TABLE users;\n');
    const other = await write('queries/other.sql', 'DROP TABLE orders;\n');
    const scratch = await write('scratch/notes.sql', 'SELECT 1;\n');
    const migration = fixtureUri(fixtures.dropColumn.path);

    const offers: string[] = [];
    const { shown } = await answeringInformation(
      (w) => (offers.push(w.message), w.message.includes('report.sql') ? TREAT : undefined),
      async () => {
        // A migration offers nothing.
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(migration));
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(report));
        // Accepted: the config names the folder, and the server checks the file.
        await waitForDiagnostic(report, 'drop-table', CONFIG_TIMEOUT);
        // Another file of the same folder, and one of a folder whose offer is dismissed: each folder once.
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other));
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(scratch));
        await waitFor(() => offers.some((m) => m.includes('notes.sql')) || undefined, 10_000, 'the offer for scratch/');
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(scratch));
        await write('scratch/more.sql', 'SELECT 2;\n');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri('scratch/more.sql')));
        // What would be offered again is offered right after the opening: give it that time.
        await sleep(1500);
      },
    );
    assert.deepStrictEqual(
      shown.filter((w) => w.message.includes('is not in a migration folder')).map((w) => w.message.replace(/^safemig: (\S+) .*?Treat (\S+) as .*$/, '$1 in $2')),
      ['report.sql in queries', 'notes.sql in scratch'],
      shown.map((w) => w.message).join('\n'),
    );
    assert.ok(shown.some((w) => w.message === 'safemig: added "queries/*.sql" to "migrations" in .safemig.json.'), 'the change is confirmed');
    assert.deepStrictEqual(await readConfig(), { migrations: [...DEFAULT_GLOBS, 'queries/*.sql'] });
    await waitForDiagnostic(other, 'drop-table', CONFIG_TIMEOUT);
  });

  test('the command adds to an existing .safemig.json, keeping its other keys', async () => {
    await vscode.workspace.fs.writeFile(fixtureUri(fixtures.configFile), Buffer.from(JSON.stringify({ rules: { 'drop-table': 'error' }, migrations: ['db/**/*.sql'] }, null, 2)));
    const notes = await write('notes/draft.sql', 'DROP TABLE users;\n');
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('safemig.treatFolderAsMigrations', fixtureUri('notes'));
    assert.strictEqual(written?.fsPath, fixtureUri(fixtures.configFile).fsPath);
    assert.deepStrictEqual(await readConfig(), { rules: { 'drop-table': 'error' }, migrations: ['db/**/*.sql', 'notes/*.sql'] });
    // The file is checked now, with the config's severity.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(notes));
    await waitForDiagnostic(notes, 'drop-table', CONFIG_TIMEOUT, (d) => d.severity === vscode.DiagnosticSeverity.Error);
    // Run again: the glob is not added twice.
    await vscode.commands.executeCommand('safemig.treatFolderAsMigrations', notes);
    assert.deepStrictEqual((await readConfig()).migrations, ['db/**/*.sql', 'notes/*.sql']);
  });
});
