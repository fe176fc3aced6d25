// The Migrations view and the status bar item in the real editor, on the embedded database: a
// migrations folder appears when its files do (the file watcher), its migrations show as pending;
// the inline Apply (the command run with the view's item, as VS Code runs it) makes one applied,
// Apply All Pending applies the next and stops at a failing one, shown as failed; Roll Back Last
// rolls back the newest applied, one at a time; the status bar
// counts what is pending. A folder aimed at a server the guard stops shows "not connected" and
// asks nothing. The extension's activate() result hands the suite its view and status bar item.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtures } from './fixtures';
import { activeExtension, answeringWarnings, CAN_ANSWER_PROMPTS, fixtureUri, openFixture, waitFor } from './helpers';

/** PGlite's first start (copying its template, or initdb) is slow on a busy machine. */
const DB_TIMEOUT = 120_000;

/** A view item as the extension builds it (vscode.TreeItem, plus the folder of a folder item). */
interface Item {
  label?: string;
  description?: string;
  contextValue?: string;
  dir?: string;
  command?: { command: string; arguments?: unknown[] };
}

interface Api {
  migrations: { getChildren(node?: Item): Promise<Item[]> };
  statusBar: { text: string; tooltip?: unknown; command?: unknown };
}

interface Report {
  outcome?: string;
  path?: string;
  run?: { failure?: { message: string } };
}

interface RunnerReport {
  done: Report[];
  failed?: { file: string; message: string };
}

suite('Migrations view and status bar', function () {
  this.timeout(DB_TIMEOUT * 2);

  async function api(): Promise<Api> {
    await openFixture(fixtures.template.path);
    const ext = await activeExtension();
    const exported = ext.exports as Api | undefined;
    assert.ok(exported?.migrations && exported.statusBar, 'activate() returns the Migrations view and the status bar item');
    return exported;
  }

  const write = (path: string, text: string) => vscode.workspace.fs.writeFile(fixtureUri(path), Buffer.from(text));
  const endsWith = (dir: string | undefined, rel: string) => dir !== undefined && dir.replace(/\\/g, '/').endsWith(`/${rel}`);

  /** The folder item of `rel`, once `accept` holds for its migrations' `label description` lines. */
  async function folderWhen(view: Api, rel: string, accept: (lines: string[]) => boolean): Promise<{ folder: Item; items: Item[]; lines: string[] }> {
    let seen = 'nothing yet';
    return waitFor(
      async () => {
        const folder = (await view.migrations.getChildren()).find((f) => endsWith(f.dir, rel));
        if (!folder) return undefined;
        const items = await view.migrations.getChildren(folder);
        const lines = items.map((i) => `${i.label} ${i.description}`);
        seen = `${folder.description}: ${JSON.stringify(lines)}`;
        return accept(lines) ? { folder, items, lines } : undefined;
      },
      DB_TIMEOUT,
      `the Migrations view's ${rel}`,
      () => `last seen: ${seen}`,
    );
  }

  async function expectStatusBar(view: Api): Promise<void> {
    let expected = '';
    await waitFor(
      async () => {
        const folders = await view.migrations.getChildren();
        const counts = await Promise.all(folders.map(async (f) => (await view.migrations.getChildren(f)).filter((i) => /^safemig\.migration\.(pending|failed)$/.test(i.contextValue ?? '')).length));
        expected = `$(database) embedded · ${counts.reduce((a, b) => a + b, 0)} pending`;
        return view.statusBar.text === expected;
      },
      30_000,
      'the status bar item',
      () => `expected ${expected}, shown ${view.statusBar.text}`,
    );
  }

  test('a new folder is listed pending; inline Apply makes one applied; Apply All Pending stops at a failing one, shown failed; Roll Back Last undoes the newest; the status bar counts', async () => {
    const view = await api();
    const dir = 'db/e2e_view';
    await write(`${dir}/001_first.sql`, '-- UP Migration\nCREATE VIEW e2e_view_first AS SELECT 1 AS one;\n\n-- DOWN Migration\nDROP VIEW IF EXISTS e2e_view_first;\n');
    await write(`${dir}/002_second.sql`, '-- UP Migration\nCREATE VIEW e2e_view_second AS SELECT 2 AS two;\n\n-- DOWN Migration\nDROP VIEW IF EXISTS e2e_view_second;\n');
    try {
      const listed = await folderWhen(view, dir, (l) => l.length === 2);
      assert.deepStrictEqual(listed.lines, ['001_first.sql pending', '002_second.sql pending']);
      assert.match(listed.folder.description ?? '', /^embedded · 2 pending$/);
      assert.deepStrictEqual(listed.items.map((i) => i.contextValue), ['safemig.migration.pending', 'safemig.migration.pending']);
      await expectStatusBar(view);
      assert.strictEqual(commandId(view.statusBar.command), 'safemig.switchTarget');

      // The inline Apply runs the command with the item itself.
      const applied = await vscode.commands.executeCommand<Report>('safemig.apply', listed.items[0]);
      assert.strictEqual(applied?.outcome, 'applied', JSON.stringify(applied?.run?.failure));
      const after = await folderWhen(view, dir, (l) => /^001_first\.sql applied \d{4}-\d\d-\d\d \d\d:\d\d UTC$/.test(l[0] ?? ''));
      assert.strictEqual(after.lines[1], '002_second.sql pending');
      assert.strictEqual(after.items[0].contextValue, 'safemig.migration.applied');
      assert.match(after.folder.description ?? '', /^embedded · 1 pending$/);
      await expectStatusBar(view);
      // The target's history is shared: no other folder lists its record as "applied, file missing".
      for (const other of (await view.migrations.getChildren()).filter((f) => !endsWith(f.dir, dir))) {
        assert.deepStrictEqual((await view.migrations.getChildren(other)).filter((i) => i.label === '001_first'), [], other.label);
      }

      // Apply All Pending (the folder's inline button) runs the engine's up: 002, then 003 fails and stops it.
      // A migration whose apply fails stays pending in the history: the view says it failed, and why.
      await write(`${dir}/003_fails.sql`, '-- UP Migration\nSELECT nope FROM e2e_view_first;\n\n-- DOWN Migration\nSELECT 1;\n');
      await folderWhen(view, dir, (l) => l.length === 3);
      const up = await vscode.commands.executeCommand<RunnerReport>('safemig.applyPending', after.folder);
      assert.deepStrictEqual(up?.done.map((r) => r.outcome), ['applied'], JSON.stringify(up?.failed));
      assert.ok(endsWith(up?.done[0].path, `${dir}/002_second.sql`), up?.done[0].path);
      assert.ok(endsWith(up?.failed?.file, `${dir}/003_fails.sql`), JSON.stringify(up?.failed));
      const shown = await folderWhen(view, dir, (l) => /^003_fails\.sql failed: /.test(l[2] ?? ''));
      assert.match(shown.lines[1], /^002_second\.sql applied /);
      assert.match(shown.lines[2], /column "nope" does not exist/);
      assert.strictEqual(shown.items[2].contextValue, 'safemig.migration.failed');
      await vscode.workspace.fs.delete(fixtureUri(`${dir}/003_fails.sql`));
      await folderWhen(view, dir, (l) => l.length === 2);

      // Roll Back Last, twice: the newest applied one each time, 002 then 001.
      for (const [name, left] of [['002_second.sql', ['001_first.sql applied', '002_second.sql pending']], ['001_first.sql', ['001_first.sql pending', '002_second.sql pending']]] as const) {
        const back = await vscode.commands.executeCommand<Report>('safemig.rollbackLast', after.folder);
        assert.strictEqual(back?.outcome, 'rolled back', JSON.stringify(back?.run?.failure));
        assert.ok(endsWith(back?.path, `${dir}/${name}`), back?.path);
        const now = await folderWhen(view, dir, (l) => l[1] === left[1] && l[0].startsWith(left[0]));
        assert.deepStrictEqual(now.lines.map((l) => l.replace(/ \d{4}-.*/, '')), left);
      }
      await expectStatusBar(view);
    } finally {
      await vscode.workspace.fs.delete(fixtureUri(dir), { recursive: true });
    }
  });

  test('Flyway repeatable migrations: listed after the versioned ones, applied by Apply All Pending, "Apply runs it again" once changed, never rolled back', async () => {
    const view = await api();
    const dir = 'db/e2e_flyway';
    await write(`${dir}/V1__first.sql`, 'CREATE VIEW e2e_flyway_first AS SELECT 1 AS one;\n');
    await write(`${dir}/U1__first.sql`, 'DROP VIEW IF EXISTS e2e_flyway_first;\n');
    await write(`${dir}/R__views.sql`, 'CREATE OR REPLACE VIEW e2e_flyway_r AS SELECT 1 AS one;\n');
    try {
      const listed = await folderWhen(view, dir, (l) => l.length === 2);
      assert.deepStrictEqual(listed.lines, ['V1__first.sql pending', 'R__views.sql pending']);
      const up = await vscode.commands.executeCommand<RunnerReport>('safemig.applyPending', listed.folder);
      assert.deepStrictEqual(up?.done.map((r) => r.path?.replace(/.*\//, '')), ['V1__first.sql', 'R__views.sql'], JSON.stringify(up?.failed));
      const applied = await folderWhen(view, dir, (l) => /^R__views\.sql applied /.test(l[1] ?? ''));
      assert.deepStrictEqual(applied.items.map((i) => i.contextValue), ['safemig.migration.applied', 'safemig.migration.repeatable']);

      await write(`${dir}/R__views.sql`, 'CREATE OR REPLACE VIEW e2e_flyway_r AS SELECT 1 AS one, 2 AS two;\n');
      const changed = await folderWhen(view, dir, (l) => /Apply runs it again$/.test(l[1] ?? ''));
      assert.strictEqual(changed.items[1].contextValue, 'safemig.migration.rerun');
      assert.match(changed.folder.description ?? '', /^embedded · 1 pending$/);
      const again = await vscode.commands.executeCommand<RunnerReport>('safemig.applyPending', changed.folder);
      assert.deepStrictEqual(again?.done.map((r) => r.path?.replace(/.*\//, '')), ['R__views.sql'], JSON.stringify(again?.failed));
      await folderWhen(view, dir, (l) => /^R__views\.sql applied /.test(l[1] ?? ''));

      // Roll Back Last takes the newest versioned migration: the repeatable one has no rollback.
      const back = await vscode.commands.executeCommand<Report>('safemig.rollbackLast', changed.folder);
      assert.strictEqual(back?.outcome, 'rolled back', JSON.stringify(back?.run?.failure));
      assert.ok(endsWith(back?.path, `${dir}/V1__first.sql`), back?.path);
    } finally {
      await vscode.workspace.fs.delete(fixtureUri(dir), { recursive: true });
    }
  });

  test('a folder whose server the guard stops shows "not connected — click to connect" and asks nothing until clicked', async () => {
    const view = await api();
    const dir = 'e2e_view_guard';
    // 203.0.113.1 is TEST-NET-3 (never routed): the guard stops it before any connection.
    await write(`${dir}/.safemig.json`, JSON.stringify({ database: { url: 'postgres://app@203.0.113.1:5432/app_dev' } }));
    await write(`${dir}/migrations/001_guarded.sql`, '-- UP Migration\nCREATE VIEW e2e_guarded AS SELECT 1;\n\n-- DOWN Migration\nDROP VIEW IF EXISTS e2e_guarded;\n');
    try {
      const read = () => folderWhen(view, `${dir}/migrations`, (l) => l.length === 1);
      const { result, shown } = CAN_ANSWER_PROMPTS ? await answeringWarnings(() => undefined, read) : { result: await read(), shown: [] };
      assert.deepStrictEqual(shown, [], 'reading the view asks nothing');
      assert.strictEqual(result.folder.description, 'app@203.0.113.1:5432/app_dev · not connected');
      assert.strictEqual(result.lines[0], 'Not connected — click to connect app@203.0.113.1:5432/app_dev');
      assert.strictEqual(result.items[0].command?.command, 'safemig.connectDatabase');
      await waitFor(() => /^\$\(database\) 2 targets · \d+ pending · not connected$/.test(view.statusBar.text), 30_000, 'the status bar to say "not connected"', () => view.statusBar.text);

      // Clicking it asks the guard's question; Cancel connects nothing.
      if (!CAN_ANSWER_PROMPTS) return;
      const click = result.items[0].command!;
      const clicked = await answeringWarnings(() => undefined, () => vscode.commands.executeCommand(click.command, ...(click.arguments ?? [])));
      assert.strictEqual(clicked.result, false);
      const asked = clicked.shown.filter((w) => w.modal);
      assert.strictEqual(asked.length, 1, JSON.stringify(clicked.shown));
      assert.match(asked[0].message, /203\.0\.113\.1.*is not this machine/);
    } finally {
      await vscode.workspace.fs.delete(fixtureUri(dir), { recursive: true });
    }
  });

  test('Switch Database Target (the status bar item\'s click): a server URL moves the view and the status bar there, read without asking; "As configured" goes back', async function () {
    if (!CAN_ANSWER_PROMPTS) this.skip();
    const view = await api();
    // The PostgreSQL server of this machine when the run has one (read only: status creates nothing); else a guarded host.
    const server = process.env.SAFEMIG_TEST_DATABASE_URL;
    const url = server && !/:\/\/[^/@]*:[^/@]*@/.test(server) ? server : 'postgres://app@203.0.113.1:5432/app_dev';
    const settings = () => vscode.workspace.getConfiguration('safemig').inspect<string>('database.url')?.workspaceValue;
    const before = settings();
    const offered: string[][] = [];
    let refused: unknown;
    try {
      const name = url.includes('203.0.113.1') ? 'app@203.0.113.1:5432/app_dev' : undefined;
      const expected = name ? `$(database) ${name} · not connected` : /^\$\(database\) \S+@(127\.0\.0\.1|localhost):\d+\/\S+ · \d+ pending$/;
      const onTarget = () => (typeof expected === 'string' ? view.statusBar.text === expected : expected.test(view.statusBar.text));
      const { result: chosen, shown } = await answeringWarnings(() => undefined, async () => {
        const value = await answeringPicks(
          (labels) => (offered.push(labels), labels.find((l) => l.includes('PostgreSQL server'))),
          (options) => {
            refused = options.validateInput?.('postgres://me:hunter2@localhost:5432/dev');
            return url;
          },
          () => vscode.commands.executeCommand<string>('safemig.switchTarget'),
        );
        // The view and the status bar read the new target on their own: nothing may ask meanwhile.
        await waitFor(onTarget, 60_000, 'the status bar item on the new target', () => view.statusBar.text);
        return value;
      });
      assert.strictEqual(chosen, url);
      assert.deepStrictEqual(offered, [['$(database) Embedded database', '$(plug) PostgreSQL server…', '$(settings) As configured']]);
      assert.match(String(refused), /must not hold a password/);
      assert.doesNotMatch(String(refused), /hunter2/);
      assert.strictEqual(settings(), url);
      assert.doesNotMatch(view.statusBar.text, /hunter2|password/i);
      for (const folder of await view.migrations.getChildren()) assert.ok(!folder.description?.startsWith('embedded'), folder.description);
      assert.deepStrictEqual(shown, [], 'reading the view asks nothing');

      await answeringPicks((labels) => labels.find((l) => l.includes('As configured')), () => undefined, () => vscode.commands.executeCommand('safemig.switchTarget'));
      assert.strictEqual(settings(), undefined);
      await waitFor(() => /^\$\(database\) embedded · \d+ pending$/.test(view.statusBar.text), 60_000, 'the status bar back on the embedded database', () => view.statusBar.text);
    } finally {
      await vscode.workspace.getConfiguration('safemig').update('database.url', before, vscode.ConfigurationTarget.Workspace);
    }
  });
});

/** Runs `body` while the quick picks and input boxes are answered by `pick` and `type` instead of a user. */
async function answeringPicks<T>(pick: (labels: string[]) => string | undefined, type: (options: vscode.InputBoxOptions) => string | undefined, body: () => Thenable<T>): Promise<T> {
  const window = vscode.window as { showQuickPick: (...args: unknown[]) => Thenable<unknown>; showInputBox: (...args: unknown[]) => Thenable<unknown> };
  const original = { pick: window.showQuickPick, input: window.showInputBox };
  window.showQuickPick = async (items: unknown) => {
    const list = (await items) as vscode.QuickPickItem[];
    const label = pick(list.map((i) => i.label));
    return list.find((i) => i.label === label);
  };
  window.showInputBox = (options: unknown) => Promise.resolve(type((options ?? {}) as vscode.InputBoxOptions));
  try {
    return await body();
  } finally {
    window.showQuickPick = original.pick;
    window.showInputBox = original.input;
  }
}

function commandId(command: unknown): string | undefined {
  return typeof command === 'string' ? command : (command as { command?: string } | undefined)?.command;
}
