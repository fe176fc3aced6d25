/**
 * `safemig up`, `down` and `status` as a user runs them: the CLI as a process on the embedded
 * database and on this machine's PostgreSQL; Ctrl-C and SIGKILL at a chosen statement of `up`,
 * two `up`s racing, `down --steps 2`, `status` from the project's root and from a folder of it,
 * a 50 MB migration, Ctrl-C while another session holds the history table.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminConnect, CLI_SIDES, cliOn as cli, CliResult, historyRows, project, runCliAsync, SERVER_URL, serverTestTarget, tables, writeTree } from './helpers';

const all = (r: CliResult) => r.stdout + r.stderr;

const THREE = {
  'db/migrations/001_a.sql': '-- UP Migration\nCREATE TABLE a (id int);\n\n-- DOWN Migration\nDROP TABLE a;\n',
  'db/migrations/002_b.sql': '-- UP Migration\nCREATE TABLE b (id int);\n\n-- DOWN Migration\nDROP TABLE b;\n',
  'db/migrations/003_c.sql': '-- UP Migration\nCREATE TABLE c (id int);\n\n-- DOWN Migration\nDROP TABLE c;\n',
};

for (const side of CLI_SIDES) {
  describe(`safemig up / down / status on the ${side.name}`, { skip: side.skip }, () => {
    test('status from the project root and from a folder of it finds every migrations folder; up applies them all; a record whose file is gone is shown', async () => {
      const s = await project(side, {
        '.git/HEAD': 'ref: refs/heads/main\n',
        'src/app.ts': 'export {};\n',
        ...THREE,
        'services/billing/migrations/001_invoices.sql': '-- UP Migration\nCREATE TABLE invoices (id int);\n',
      });
      const before = await cli(s, ['status']);
      assert.equal(before.code, 0, all(before));
      assert.match(before.stdout, /safemig status .*db\/migrations\n[\s\S]*0 applied \(0 changed since\), 3 pending/);
      assert.match(before.stdout, /safemig status .*services\/billing\/migrations\n[\s\S]*001_invoices\.sql {2}pending/);

      const upped = await cli(s, ['up']);
      assert.equal(upped.code, 0, all(upped));
      assert.match(upped.stdout, /db\/migrations: 3 of 3 migrations applied\n/);
      assert.match(upped.stdout, /billing\/migrations: 1 of 1 migration applied\n/);

      unlinkSync(join(s.root, 'db/migrations/003_c.sql'));
      const fromSrc = await runCliAsync(['status', ...s.args], join(s.root, 'src'));
      assert.equal(fromSrc.code, 0, all(fromSrc));
      assert.match(fromSrc.stdout, /001_a\.sql {2}applied \d{4}-/);
      assert.match(fromSrc.stdout, /003_c applied \S+, but its file is missing from this folder/);
      assert.match(fromSrc.stdout, /001_invoices\.sql {2}applied/);

      const json = await cli(s, ['status', 'services', '--format', 'json']);
      assert.equal(json.code, 0, all(json));
      assert.deepEqual(JSON.parse(json.stdout).folders.map((f: { entries: { file: string; state: string }[] }) => f.entries.map((e) => `${e.file} ${e.state}`)), [['001_invoices.sql applied']]);

      const nowhere = await cli(s, ['status', 'src']);
      assert.equal(nowhere.code, 2, all(nowhere));
      assert.match(nowhere.stderr, /no migrations folder in or under src/);
    });

    test('Ctrl-C at a chosen statement of up: that migration is rolled back, the earlier one stays, the later one does not run; exit 130', async () => {
      const s = await project(side, {
        ...THREE,
        'db/migrations/002_b.sql': '-- UP Migration\nCREATE TABLE b (id int);\nSELECT pg_sleep(2);\nSELECT pg_sleep(2);\nCREATE TABLE b2 (id int);\n',
      });
      let sent = false;
      const run = await cli(s, ['up'], {
        onStdout: (out, child) => {
          if (!sent && /002_b\.sql[\s\S]*\[2\/4\]/.test(out)) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 300);
          }
        },
      });
      assert.ok(sent);
      assert.equal(run.code, 130, all(run));
      assert.doesNotMatch(run.stdout, /\[3\/4\]/);
      assert.match(run.stdout, /1 of 3 migrations applied, then cancelled \(Ctrl-C\)\n[\s\S]*cancelled: 002_b\.sql, rolled back\n {2}not run: 003_c\.sql/);
      await s.onDb(async (db) => {
        assert.deepEqual(await tables(db), ['a']);
        assert.deepEqual((await historyRows(db)).map((h) => h.version), ['001']);
      });
    });

    test('SIGKILL at a chosen statement of a migration run statement by statement: status says partly applied, and up stops there', async () => {
      const s = await project(side, {
        ...THREE,
        'db/migrations/002_b.sql': '-- UP Migration\nCREATE TABLE b (id int);\nSELECT pg_sleep(3);\nCREATE INDEX CONCURRENTLY b_id ON b (id);\n',
      });
      let sent = false;
      const killed = await cli(s, ['up'], {
        onStdout: (out, child) => {
          if (!sent && /002_b\.sql[\s\S]*\[2\/3\]/.test(out)) {
            sent = true;
            setTimeout(() => child.kill('SIGKILL'), 300);
          }
        },
      });
      assert.equal(killed.code, null, all(killed));
      // The server ends the killed process's session (and its advisory lock) when it notices.
      if (s.server) await waitForNoOtherSessions(s);
      const st = await cli(s, ['status']);
      assert.equal(st.code, 0, all(st));
      assert.match(st.stdout, /001_a\.sql {2}applied/);
      assert.match(st.stdout, /002_b\.sql {2}PARTLY APPLIED \S+: 1 of 3 statements ran \(the last: line 2\), then it stopped/);
      assert.match(st.stdout, /003_c\.sql {2}pending/);
      const again = await cli(s, ['up']);
      assert.equal(again.code, 1, all(again));
      assert.match(again.stdout, /FAILED: 002_b\.sql: 002_b is partly applied \(1 of 3 statements ran/);
      assert.match(again.stdout, /not run: 003_c\.sql/);
      await s.onDb(async (db) => assert.deepEqual(await tables(db), ['a', 'b']));
    });

    test('two up processes racing: every migration runs once', async () => {
      const s = await project(side, {
        'db/migrations/001_counter.sql': '-- UP Migration\nCREATE TABLE counter (n int);\nINSERT INTO counter VALUES (1);\n',
        'db/migrations/002_slow.sql': '-- UP Migration\nSELECT pg_sleep(1);\nINSERT INTO counter VALUES (2);\n',
        'db/migrations/003_more.sql': '-- UP Migration\nINSERT INTO counter VALUES (3);\n',
      });
      const runs = await Promise.all([cli(s, ['up']), cli(s, ['up'])]);
      const codes = runs.map((r) => r.code);
      assert.ok(codes.includes(0), runs.map(all).join('\n----\n'));
      for (const r of runs) {
        // The server: the second waits for the first, then finds nothing pending. The embedded database: one process at a time.
        if (r.code !== 0) {
          assert.equal(side.name, 'embedded database', all(r));
          assert.equal(r.code, 2, all(r));
        }
      }
      await s.onDb(async (db) => {
        assert.deepEqual((await db.query<{ n: number }>('SELECT n FROM counter ORDER BY n')).map((r) => r.n), [1, 2, 3]);
        assert.deepEqual((await historyRows(db)).map((h) => h.version), ['001', '002', '003']);
      });
    });

    test('down --steps 2 rolls back the two newest, newest first; down at a root with several folders asks which', async () => {
      const s = await project(side, { ...THREE, 'other/migrations/001_x.sql': '-- UP Migration\nCREATE TABLE x (id int);\n' });
      assert.equal((await cli(s, ['up', 'db/migrations'])).code, 0);
      const back = await cli(s, ['down', 'db/migrations', '--steps', '2']);
      assert.equal(back.code, 0, all(back));
      assert.match(back.stdout, /2 of 2 migrations rolled back\n[\s\S]*rolled back: 003_c\.sql\n {2}rolled back: 002_b\.sql\n/);
      await s.onDb(async (db) => {
        assert.deepEqual(await tables(db), ['a']);
        assert.deepEqual((await historyRows(db)).map((h) => h.version), ['001']);
      });
      const which = await cli(s, ['down']);
      assert.equal(which.code, 2, all(which));
      assert.match(which.stderr, /one migrations folder at a time; .* holds 2:\n {2}db\/migrations\n {2}other\/migrations/);
      const bad = await cli(s, ['down', 'db/migrations', '--steps', 'two']);
      assert.equal(bad.code, 2, all(bad));
      assert.match(bad.stderr, /--steps two: a whole number of migrations, 1 or more/);
    });

    test('Flyway repeatable migrations: up runs them after the versioned ones, again once changed (not for a line-ending change), never with --to; down leaves them', async () => {
      const dir = 'src/main/resources/db/migration';
      const s = await project(side, {
        [`${dir}/V1__a.sql`]: 'CREATE TABLE a (id int);\n',
        [`${dir}/U1__a.sql`]: 'DROP TABLE a;\n',
        [`${dir}/V2__b.sql`]: 'CREATE TABLE b (id int);\n',
        [`${dir}/U2__b.sql`]: 'DROP TABLE b;\n',
        [`${dir}/R__views.sql`]: 'CREATE OR REPLACE VIEW a_ids AS SELECT id FROM a;\n',
      });
      const before = await cli(s, ['status']);
      assert.match(before.stdout, /R__views\.sql {2}pending\n {2}0 applied \(0 changed since\), 3 pending/);
      const toOne = await cli(s, ['up', '--to', '1']);
      assert.equal(toOne.code, 0, all(toOne));
      assert.match(toOne.stdout, /1 of 1 migration applied\n[\s\S]*applied: V1__a\.sql\n/);
      const upped = await cli(s, ['up']);
      assert.equal(upped.code, 0, all(upped));
      assert.match(upped.stdout, /2 of 2 migrations applied\n[\s\S]*applied: V2__b\.sql\n {2}applied: R__views\.sql\n/);
      assert.match((await cli(s, ['up'])).stdout, /nothing pending: every migration is applied/);

      const views = join(s.root, dir, 'R__views.sql');
      writeFileSync(views, 'CREATE OR REPLACE VIEW a_ids AS SELECT id FROM a;\r\n');
      assert.match((await cli(s, ['status'])).stdout, /R__views\.sql {2}applied \d{4}-/);
      writeFileSync(views, 'CREATE OR REPLACE VIEW a_ids AS SELECT id FROM a;\nCREATE OR REPLACE VIEW b_ids AS SELECT id FROM b;\n');
      const changed = await cli(s, ['status']);
      assert.match(changed.stdout, /R__views\.sql {2}CHANGED since applied \S+; up runs it again\n {2}3 applied \(1 changed since\), 0 pending/);
      const again = await cli(s, ['up']);
      assert.equal(again.code, 0, all(again));
      assert.match(again.stdout, /1 of 1 migration applied\n[\s\S]*applied: R__views\.sql\n/);
      await s.onDb(async (db) => assert.deepEqual((await db.query<{ v: string }>("SELECT string_agg(viewname, ' ' ORDER BY viewname) AS v FROM pg_views WHERE schemaname = 'public'"))[0].v, 'a_ids b_ids'));

      // down rolls back versioned migrations only: the repeatable one has no rollback.
      const back = await cli(s, ['down', dir, '--steps', '1']);
      assert.equal(back.code, 1, all(back));
      assert.match(back.stdout, /0 of 1 migration rolled back, then stopped[\s\S]*FAILED: V2__b\.sql: [\s\S]*cannot drop table b because other objects depend on it/);
    });

    test('a 50 MB migration: up and apply say it is too large (not [object Object]); the migration before it is applied', async () => {
      const s = await project(side, THREE);
      const big = join(s.root, 'db/migrations/002_b.sql');
      writeFileSync(big, '-- UP Migration\n' + 'SELECT 1;\n'.repeat(5 * 1024 * 1024));
      const upped = await cli(s, ['up']);
      assert.equal(upped.code, 1, all(upped));
      assert.match(upped.stdout, /FAILED: 002_b\.sql: .*002_b\.sql: too large \(50\.0 MB; files over 32 MB are not read\) \(safemig check refuses it too\)/);
      assert.doesNotMatch(all(upped), /object Object/);
      const applied = await cli(s, ['apply', 'db/migrations/002_b.sql']);
      assert.equal(applied.code, 1, all(applied));
      assert.match(applied.stderr, /too large \(50\.0 MB; files over 32 MB are not read\)/);
      assert.doesNotMatch(all(applied), /object Object/);
      await s.onDb(async (db) => assert.deepEqual(await tables(db), ['a']));
    });
  });
}

/** Waits until the test database has no session but the test's own (a killed CLI's session has ended). */
async function waitForNoOtherSessions(s: Awaited<ReturnType<typeof project>>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const rows = await s.server!.target.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    if (Number(rows[0].n) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the first Ctrl-C while another session holds the history table stops up and status at once: exit 130, nothing ran', { skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set', timeout: 60_000 }, async () => {
  const server = await serverTestTarget();
  const dir = writeTree({
    '.safemig.json': JSON.stringify({ database: { lockTimeout: '60s' } }),
    ...THREE,
  });
  const holder = await adminConnect(server.connection!);
  try {
    assert.equal((await runCliAsync(['up', 'db/migrations', '--to', '001', '--db', server.url!], dir)).code, 0);
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE public.safemig_migrations IN ACCESS EXCLUSIVE MODE');
    for (const command of ['up', 'status', 'apply']) {
      const args = command === 'apply' ? ['apply', 'db/migrations/002_b.sql'] : [command];
      const started = performance.now();
      // Ctrl-C once the process waits on the table's lock (seen in pg_locks), however loaded the machine.
      const interruptWhenWaiting = async (child: { kill(signal: NodeJS.Signals): boolean }) => {
        const deadline = Date.now() + 25_000;
        while (Date.now() < deadline) {
          const waiting = await server.target.query(`SELECT 1 FROM pg_locks WHERE NOT granted AND relation = to_regclass('public.safemig_migrations')`);
          if (waiting.length > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        child.kill('SIGINT');
      };
      const r = await runCliAsync([...args, '--db', server.url!], dir, { onStart: (child) => void interruptWhenWaiting(child) });
      assert.equal(r.code, 130, `${command}: ${all(r)}`);
      assert.ok(performance.now() - started < 30_000, `${command} stopped at the first Ctrl-C, not after database.lockTimeout (60s)`);
      assert.doesNotMatch(r.stdout, /\[1\/1\]/);
    }
    await holder.query('ROLLBACK');
    assert.deepEqual(await tables(server.target), ['a']);
    assert.deepEqual((await historyRows(server.target)).map((h) => h.version), ['001']);
  } finally {
    await holder.end();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
