/**
 * The runner commands' engine (`up`, `down` of server/src/database/runner.ts) on both targets:
 * the folder's order, one migration at a time, a stop at the first failure with the earlier ones
 * kept, `--to`, `--steps`, the apply gate, Ctrl-C between migrations, refusals of `down`.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { down, formatRunnerReport, up } from '../../server/src/database/runner';
import { PlanError } from '../../server/src/database/plan';
import { initParser } from '../../server/src/sql/pg';
import { config, fsOf, historyRows, resetDatabase, tables, TEST_TARGETS, TestTarget, writeTree } from './helpers';

const FOLDER = {
  'db/migrations/001_users.sql': '-- UP Migration\nCREATE TABLE users (id int PRIMARY KEY);\n\n-- DOWN Migration\nDROP TABLE users;\n',
  'db/migrations/002_posts.sql': '-- UP Migration\nCREATE TABLE posts (id int, user_id int REFERENCES users);\n\n-- DOWN Migration\nDROP TABLE posts;\n',
  'db/migrations/010_tags.sql': '-- UP Migration\nCREATE TABLE tags (id int);\n\n-- DOWN Migration\nDROP TABLE tags;\n',
};

for (const which of TEST_TARGETS) {
  describe(`runner up / down on the ${which.name}`, { skip: which.skip }, () => {
    let t: TestTarget;
    const roots: string[] = [];
    before(async () => {
      await initParser();
      t = await which.open();
    });
    after(async () => {
      await t?.close();
      for (const r of roots) rmSync(r, { recursive: true, force: true });
    });
    beforeEach(() => resetDatabase(t.target));

    const folder = (files: Record<string, string>) => {
      const root = writeTree(files);
      roots.push(root);
      return join(root, 'db/migrations');
    };
    const options = (dir: string) => ({ target: t.target, fs: fsOf(), config: config(), dir });
    const names = (files: string[]) => files.map((f) => f.replace(/^.*\//, ''));

    test('up applies every pending migration in the folder order (010 after 002), each recorded; a second up has nothing to do', async () => {
      const dir = folder(FOLDER);
      const report = await up(options(dir));
      assert.deepEqual(report.done.map((r) => r.outcome), ['applied', 'applied', 'applied']);
      assert.deepEqual(names(report.planned), ['001_users.sql', '002_posts.sql', '010_tags.sql']);
      assert.deepEqual(await tables(t.target), ['posts', 'tags', 'users']);
      assert.deepEqual((await historyRows(t.target)).map((h) => h.version), ['001', '002', '010']);
      assert.equal(report.failed, undefined);
      assert.match(formatRunnerReport(report), /3 of 3 migrations applied\n/);

      const again = await up(options(dir));
      assert.deepEqual(again.planned, []);
      assert.match(formatRunnerReport(again), /nothing pending/);
    });

    test('up stops at the first failure: it is rolled back, the earlier ones stay applied and recorded, the later ones do not run', async () => {
      const dir = folder({
        ...FOLDER,
        'db/migrations/002_posts.sql': '-- UP Migration\nCREATE TABLE posts (id int);\nINSERT INTO nowhere VALUES (1);\n',
      });
      const report = await up(options(dir));
      assert.deepEqual(names(report.done.map((r) => r.path)), ['001_users.sql']);
      assert.equal(names([report.failed!.file])[0], '002_posts.sql');
      assert.match(report.failed!.message, /relation "nowhere" does not exist/);
      assert.deepEqual(names(report.notRun), ['010_tags.sql']);
      assert.deepEqual(await tables(t.target), ['users']);
      assert.deepEqual((await historyRows(t.target)).map((h) => h.version), ['001']);
      assert.match(formatRunnerReport(report), /FAILED: 002_posts\.sql: relation "nowhere" does not exist[\s\S]*not run: 010_tags\.sql/);
    });

    test('up --to VERSION stops after that version; an unknown version is refused before anything runs', async () => {
      const dir = folder(FOLDER);
      const report = await up({ ...options(dir), to: '2' });
      assert.deepEqual(names(report.done.map((r) => r.path)), ['001_users.sql', '002_posts.sql']);
      assert.deepEqual(await tables(t.target), ['posts', 'users']);
      await assert.rejects(up({ ...options(dir), to: '003' }), (e: Error) => e instanceof PlanError && /--to 003: no migration of that version/.test(e.message));
      assert.deepEqual(await tables(t.target), ['posts', 'users']);
    });

    test('up honours the apply gate: a migration with error-severity findings stops it unless force', async () => {
      const dir = folder({
        ...FOLDER,
        'db/migrations/002_posts.sql': '-- UP Migration\nBEGIN;\nCREATE TABLE posts (id int);\nCREATE INDEX CONCURRENTLY posts_id ON posts (id);\nCOMMIT;\n',
      });
      const refused = await up(options(dir));
      assert.deepEqual(names(refused.done.map((r) => r.path)), ['001_users.sql']);
      assert.match(refused.failed!.message, /refusing to apply it: 1 error-severity finding/);
      assert.match(refused.blockers!.join('\n'), /002_posts\.sql:4:\d+ concurrently-in-transaction/);
      assert.deepEqual(await tables(t.target), ['users']);

      const forced = await up({ ...options(dir), force: true });
      assert.deepEqual(names(forced.done.map((r) => r.path)), ['002_posts.sql', '010_tags.sql']);
      assert.deepEqual(await tables(t.target), ['posts', 'tags', 'users']);
    });

    test('an aborted signal stops up before the next migration; what ran stays applied', async () => {
      const dir = folder(FOLDER);
      const controller = new AbortController();
      const report = await up({ ...options(dir), signal: controller.signal, progress: { log: (line) => /history: recorded 001_users/.test(line) && controller.abort() } });
      assert.equal(report.cancelled, true);
      assert.deepEqual(names(report.done.map((r) => r.path)), ['001_users.sql']);
      assert.deepEqual(names(report.notRun), ['002_posts.sql', '010_tags.sql']);
      assert.deepEqual(await tables(t.target), ['users']);
      assert.match(formatRunnerReport(report), /cancelled \(Ctrl-C\)/);
    });

    test('down rolls back the newest applied one by default; --steps 2 the two newest, newest first; --to VERSION down to it, exclusive', async () => {
      const dir = folder(FOLDER);
      await up(options(dir));
      const one = await down(options(dir));
      assert.deepEqual(names(one.done.map((r) => r.path)), ['010_tags.sql']);
      assert.deepEqual(await tables(t.target), ['posts', 'users']);

      await up(options(dir));
      const two = await down({ ...options(dir), steps: 2 });
      assert.deepEqual(names(two.done.map((r) => r.path)), ['010_tags.sql', '002_posts.sql']);
      assert.deepEqual(await tables(t.target), ['users']);
      assert.deepEqual((await historyRows(t.target)).map((h) => h.version), ['001']);

      await up(options(dir));
      const to = await down({ ...options(dir), to: '001' });
      assert.deepEqual(names(to.done.map((r) => r.path)), ['010_tags.sql', '002_posts.sql']);
      assert.deepEqual(await tables(t.target), ['users']);

      const rest = await down({ ...options(dir), steps: 5 });
      assert.deepEqual(names(rest.done.map((r) => r.path)), ['001_users.sql']);
      const none = await down(options(dir));
      assert.deepEqual(none.planned, []);
      assert.match(formatRunnerReport(none), /nothing to roll back/);
      await assert.rejects(down({ ...options(dir), steps: 0 }), /--steps 0: a whole number of migrations, 1 or more/);
      await assert.rejects(down({ ...options(dir), steps: 1, to: '001' }), /either --steps N or --to VERSION, not both/);
    });

    test('down stops at a migration rollback refuses (no DOWN part): nothing of it runs, the newer ones stay rolled back', async () => {
      const dir = folder({
        ...FOLDER,
        'db/migrations/002_posts.sql': '-- UP Migration\nCREATE TABLE posts (id int);\n',
      });
      await up(options(dir));
      const report = await down({ ...options(dir), steps: 3 });
      assert.deepEqual(names(report.done.map((r) => r.path)), ['010_tags.sql']);
      assert.match(report.failed!.message, /002_posts\.sql has no DOWN part/);
      assert.deepEqual(names(report.notRun), ['001_users.sql']);
      assert.deepEqual(await tables(t.target), ['posts', 'users']);
    });
  });
}
