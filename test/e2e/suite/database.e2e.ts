// The database commands in the real editor, on the embedded database (PGlite in the workspace
// storage): CodeLens placement, apply / status / verify / rollback, and the diagnostic of a failed
// apply. The commands resolve to their reports, which is what these tests read.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtures } from './fixtures';
import { activeExtension, answeringWarnings, CAN_ANSWER_PROMPTS, fixtureUri, openFixture, waitFor } from './helpers';

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

    // Its DOWN part drops the table: the rollback asks first, as an apply of destructive UP statements does.
    if (!CAN_ANSWER_PROMPTS) return;
    const { result: back, shown } = await answeringWarnings(
      (w) => (w.modal ? 'Roll Back' : undefined),
      () => vscode.commands.executeCommand<Report>('safemig.rollback', doc.uri),
    );
    assert.deepStrictEqual(shown.filter((w) => w.modal).map((w) => [w.message.replace(/ on .*/, ''), w.detail]), [['001_create_users.sql destroys data when it runs', '• DROP TABLE users']]);
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

  test('rolling back a migration never applied here asks, naming what its DOWN part drops; Cancel keeps the table and its rows', async function () {
    if (!CAN_ANSWER_PROMPTS) this.skip();
    await openFixture(fixtures.template.path);
    await activeExtension();
    const files = {
      keep: fixtureUri('db/e2e_cases/001_keep.sql'),
      never: fixtureUri('db/e2e_cases/002_never.sql'),
      check: fixtureUri('db/e2e_cases/003_check.sql'),
    };
    const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    await write(files.keep, '-- UP Migration\nCREATE TABLE IF NOT EXISTS e2e_keep (id int);\nINSERT INTO e2e_keep VALUES (1), (2), (3);\n\n-- DOWN Migration\nDROP TABLE IF EXISTS e2e_keep;\n');
    await write(files.never, '-- UP Migration\nCREATE TABLE IF NOT EXISTS e2e_keep (id int);\n\n-- DOWN Migration\nDROP TABLE IF EXISTS e2e_keep;\n');
    await write(files.check, "-- UP Migration\nDO $$ BEGIN IF (SELECT count(*) FROM e2e_keep) <> 3 THEN RAISE EXCEPTION 'e2e_keep lost its rows'; END IF; END $$;\n\n-- DOWN Migration\nSELECT 1;\n");
    const run = (command: string, uri: vscode.Uri, answer: string | undefined) =>
      answeringWarnings((w) => (w.modal ? answer : undefined), () => vscode.commands.executeCommand<Report>(command, uri));
    try {
      const kept = await run('safemig.apply', files.keep, undefined);
      assert.strictEqual(kept.result?.outcome, 'applied', JSON.stringify(kept.result?.run?.failure));

      const cancelled = await run('safemig.rollback', files.never, undefined);
      assert.strictEqual(cancelled.result, undefined, 'nothing ran');
      const asked = cancelled.shown.filter((w) => w.modal);
      assert.strictEqual(asked.length, 1, JSON.stringify(cancelled.shown));
      assert.match(asked[0].message, /^Roll back 002_never\.sql on embedded/);
      assert.match(asked[0].detail ?? '', /002_never is not recorded as applied on .*; its DOWN part would run DROP TABLE e2e_keep$/);

      // The table is there with its three rows: this UP raises otherwise.
      const checked = await run('safemig.apply', files.check, undefined);
      assert.strictEqual(checked.result?.outcome, 'applied', JSON.stringify(checked.result?.run?.failure));
      assert.strictEqual((await run('safemig.rollback', files.check, undefined)).result?.outcome, 'rolled back');

      // The newest applied one, whose DOWN drops the table: asked, and Cancel keeps it too.
      const declined = await run('safemig.rollback', files.keep, undefined);
      assert.strictEqual(declined.result, undefined);
      assert.deepStrictEqual(declined.shown.filter((w) => w.modal).map((w) => w.detail), ['• DROP TABLE e2e_keep']);
      const dropped = await run('safemig.rollback', files.keep, 'Roll Back');
      assert.strictEqual(dropped.result?.outcome, 'rolled back', JSON.stringify(dropped.result?.run?.failure));
    } finally {
      await vscode.workspace.fs.delete(fixtureUri('db/e2e_cases'), { recursive: true });
    }
  });

  test('the apply gate: error-severity findings are listed in a modal; Cancel runs nothing, Apply anyway hands it to apply', async function () {
    if (!CAN_ANSWER_PROMPTS) this.skip();
    await openFixture(fixtures.template.path);
    await activeExtension();
    const uri = fixtureUri('db/e2e_gate/001_gate.sql');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('-- UP Migration\nCREATE TABLE e2e_gate (id int;\n\n-- DOWN Migration\nDROP TABLE IF EXISTS e2e_gate;\n'));
    const run = (answer: string | undefined) => answeringWarnings((w) => (w.modal ? answer : undefined), () => vscode.commands.executeCommand<Report>('safemig.apply', uri));
    try {
      const cancelled = await run(undefined);
      assert.strictEqual(cancelled.result, undefined, 'nothing ran');
      assert.deepStrictEqual(
        cancelled.shown.filter((w) => w.modal).map((w) => [w.message, w.detail]),
        [['001_gate.sql has 1 error-severity finding (as safemig check reports them):', '• line 2 syntax-error: Syntax error: syntax error at or near ";".']],
      );
      // Apply anyway hands it to apply, whose planner refuses a file that does not parse (the CLI's --force does the same).
      const window = vscode.window as { showErrorMessage: (...args: unknown[]) => Thenable<unknown> };
      const original = window.showErrorMessage;
      const errors: string[] = [];
      window.showErrorMessage = (message: unknown) => {
        errors.push(String(message));
        return Promise.resolve(undefined);
      };
      try {
        const forced = await run('Apply anyway');
        assert.strictEqual(forced.result, undefined);
        assert.deepStrictEqual(forced.shown.filter((w) => w.modal).length, 1);
      } finally {
        window.showErrorMessage = original;
      }
      assert.strictEqual(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0], /^safemig apply: .*001_gate\.sql:2:30: syntax error at or near ";" \(fix the syntax error first; nothing ran\)$/);
    } finally {
      await vscode.workspace.fs.delete(fixtureUri('db/e2e_gate'), { recursive: true });
    }
  });

  test('a workspace .safemig.json cannot allow a production host: its allowHosts is ignored with a warning and the guard asks before connecting', async function () {
    if (!CAN_ANSWER_PROMPTS) this.skip();
    await openFixture(fixtures.template.path);
    await activeExtension();
    const dir = fixtureUri('e2e_guard');
    const migration = fixtureUri('e2e_guard/001_guarded.sql');
    // 203.0.113.1 is TEST-NET-3 (never routed): had the guard let it through, nothing could answer.
    await vscode.workspace.fs.writeFile(fixtureUri('e2e_guard/.safemig.json'), Buffer.from(JSON.stringify({ database: { url: 'postgres://app@203.0.113.1:5432/app_dev', allowHosts: ['203.0.113.1'] } })));
    await vscode.workspace.fs.writeFile(migration, Buffer.from('-- UP Migration\nCREATE TABLE IF NOT EXISTS e2e_guarded (id int);\n\n-- DOWN Migration\nDROP TABLE IF EXISTS e2e_guarded;\n'));
    try {
      const { result, shown } = await answeringWarnings(() => undefined, () => vscode.commands.executeCommand<Report>('safemig.apply', migration));
      assert.strictEqual(result, undefined, 'nothing ran');
      const ignored = shown.filter((w) => !w.modal && /database\.allowHosts \(203\.0\.113\.1\) is ignored/.test(w.message));
      assert.strictEqual(ignored.length, 1, JSON.stringify(shown));
      assert.match(ignored[0].message, /e2e_guard[\\/]\.safemig\.json: database\.allowHosts/);
      const asked = shown.filter((w) => w.modal);
      assert.strictEqual(asked.length, 1, JSON.stringify(shown));
      assert.match(asked[0].message, /203\.0\.113\.1.*is not this machine/);
    } finally {
      await vscode.workspace.fs.delete(dir, { recursive: true });
    }
  });
});
