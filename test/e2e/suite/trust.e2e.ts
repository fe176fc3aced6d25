// Workspace Trust: in an untrusted workspace, New Migration (which copies the workspace's own
// template) and the database commands refuse, saying why, and write nothing; linting goes on.
// These run only when the workspace is untrusted: `node scripts/e2e/run.mjs --untrusted --grep "workspace trust"`
// (part of `npm run test:e2e`); in the trusted runs they are skipped.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeExtension, answeringErrors, CAN_ANSWER_PROMPTS, fixtureUri, openFixture, waitForDiagnostic } from './helpers';
import { fixtures } from './fixtures';

suite('workspace trust', () => {
  suiteSetup(async function () {
    if (vscode.workspace.isTrusted || !CAN_ANSWER_PROMPTS) this.skip();
    await openFixture(fixtures.template.path);
    await activeExtension();
  });

  test('linting works in an untrusted workspace', async () => {
    await waitForDiagnostic(fixtureUri(fixtures.template.path), fixtures.template.rule);
  });

  test('New Migration refuses, says why, and creates nothing', async () => {
    const folder = fixtureUri('db/migrations');
    const before = (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name).sort();
    const { result, shown } = await answeringErrors(() => undefined, () => vscode.commands.executeCommand<vscode.Uri | undefined>('safemig.newMigration', folder, { description: 'add thing' }));
    assert.strictEqual(result, undefined);
    assert.deepStrictEqual(
      shown.map((w) => w.message),
      ["safemig: cannot create a migration in an untrusted workspace (New Migration writes files from the workspace's own template and configuration). Trust it first: Workspaces: Manage Workspace Trust."],
    );
    assert.deepStrictEqual((await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name).sort(), before);
  });

  test('a database command refuses too', async () => {
    const { result, shown } = await answeringErrors(() => undefined, () => vscode.commands.executeCommand('safemig.apply', fixtureUri(fixtures.template.path)));
    assert.strictEqual(result, undefined);
    assert.match(shown[0]?.message ?? '', /^safemig: cannot apply in an untrusted workspace \(the database commands run the workspace's SQL\)\. Trust it first/);
  });
});
