/**
 * The database commands never lose or corrupt data (issue #15's six defects), tested as a user
 * meets them: the CLI as a process, Ctrl-C at a chosen statement, two processes racing, a
 * hostile `.safemig.json`, files that are not UTF-8, a password in every error path. On the
 * embedded database always, on this machine's PostgreSQL when SAFEMIG_TEST_DATABASE_URL is set.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATION_LOCK_KEY } from '../../server/src/database/lock';
import type { Target } from '../../server/src/database/target';
import { adminConnect, CLI_SIDES as SIDES, cliOn, CliResult, historyRows, project, runCliAsync, SERVER_URL, serverTestTarget, tables, writeTree } from './helpers';

const cli = cliOn;
const all = (r: CliResult) => r.stdout + r.stderr;

async function rowCount(target: Target, table: string): Promise<number> {
  return Number((await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
}

for (const side of SIDES) {
  describe(`#15 on the ${side.name}`, { skip: side.skip }, () => {
    test('1. Ctrl-C stops before the next statement, rolls back, says so, exits 130', async () => {
      const s = await project(side, {
        'db/migrations/001_slow.sql': '-- UP Migration\nCREATE TABLE t1 (id int);\nSELECT pg_sleep(2);\nSELECT pg_sleep(2);\nCREATE TABLE t2 (id int);\n',
      });
      let sent = false;
      const run = await cli(s, ['apply', 'db/migrations/001_slow.sql'], {
        onStdout: (out, child) => {
          if (!sent && out.includes('[2/4]')) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 300);
          }
        },
      });
      assert.ok(sent);
      assert.equal(run.code, 130, all(run));
      assert.match(run.stderr, /cancelling: /);
      assert.match(run.stdout, /cancelled: the transaction was rolled back, nothing of it was applied/);
      assert.doesNotMatch(run.stdout, /\[3\/4\]|applied: |committed/);
      await s.onDb(async (db) => {
        assert.deepEqual(await tables(db), []);
        assert.deepEqual(await historyRows(db), []);
      });
    });

    test('2. rolling back a migration that was never applied is refused (exit 1) naming what its DOWN part drops; --force runs it', async () => {
      const s = await project(side, {
        'db/migrations/001_users.sql': '-- UP Migration\nCREATE TABLE users (id int, email text);\n\n-- DOWN Migration\nDROP TABLE users;\nALTER TABLE accounts DROP COLUMN IF EXISTS legacy;\n',
      });
      // The table exists for other reasons, with rows.
      await s.onDb(async (db) => {
        await db.run('CREATE TABLE users (id int, email text)');
        await db.run(`INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 5000) g`);
        await db.run('CREATE TABLE accounts (id int, legacy text)');
      });
      const refused = await cli(s, ['rollback', 'db/migrations/001_users.sql']);
      assert.equal(refused.code, 1, all(refused));
      assert.match(refused.stderr, /refusing to roll back 001_users: 001_users is not recorded as applied on .* \(never applied with safemig here\); its DOWN part would run DROP TABLE users, DROP COLUMN accounts\.legacy; pass --force to run it anyway/);
      assert.doesNotMatch(refused.stdout, /\[1\/2\]/);
      await s.onDb(async (db) => assert.equal(await rowCount(db, 'users'), 5000));

      const forced = await cli(s, ['rollback', 'db/migrations/001_users.sql', '--force']);
      assert.equal(forced.code, 0, all(forced));
      assert.match(forced.stdout, /warning: 001_users is not recorded as applied .*\(--force: running its DOWN part anyway\)/);
      await s.onDb(async (db) => assert.deepEqual(await tables(db), ['accounts']));
    });

    test('also: rolling back a migration that is not the newest applied is refused, naming the later ones', async () => {
      const s = await project(side, {
        'db/migrations/001_users.sql': '-- UP Migration\nCREATE TABLE users (id int);\n\n-- DOWN Migration\nDROP TABLE users;\n',
        'db/migrations/002_nick.sql': '-- UP Migration\nALTER TABLE users ADD COLUMN nick text;\n\n-- DOWN Migration\nALTER TABLE users DROP COLUMN nick;\n',
      });
      for (const file of ['001_users', '002_nick']) {
        const applied = await cli(s, ['apply', `db/migrations/${file}.sql`]);
        assert.equal(applied.code, 0, all(applied));
        // The history table exists at the second: its CREATE … IF NOT EXISTS notice is safemig's own, not shown.
        assert.doesNotMatch(applied.stdout, /NOTICE/);
      }
      const refused = await cli(s, ['rollback', 'db/migrations/001_users.sql']);
      assert.equal(refused.code, 1, all(refused));
      assert.match(refused.stderr, /refusing to roll back 001_users: later migration is applied after it: 002_nick \(roll it back first, newest first\); its DOWN part would run DROP TABLE users/);
      const newest = await cli(s, ['rollback', 'db/migrations/002_nick.sql']);
      assert.equal(newest.code, 0, all(newest));
      assert.equal((await cli(s, ['rollback', 'db/migrations/001_users.sql'])).code, 0);
    });

    test('3. two applies at once: one runs, the other waits and then refuses; the INSERT runs once', async () => {
      const s = await project(side, {
        'db/migrations/001_once.sql': '-- UP Migration\nINSERT INTO runs DEFAULT VALUES;\nSELECT pg_sleep(2);\n',
      });
      await s.onDb((db) => db.run('CREATE TABLE runs (at timestamptz DEFAULT clock_timestamp())'));
      const runs = await Promise.all([cli(s, ['apply', 'db/migrations/001_once.sql']), cli(s, ['apply', 'db/migrations/001_once.sql'])]);
      const codes = runs.map((r) => r.code).sort();
      assert.equal(codes[0], 0, runs.map(all).join('\n----\n'));
      assert.notEqual(codes[1], 0, runs.map(all).join('\n----\n'));
      const second = runs.find((r) => r.code !== 0)!;
      if (side.name === 'embedded database') assert.match(second.stderr, /is in use by process \d+/);
      else {
        assert.match(second.stdout, /waiting up to 5s \(database\.lockTimeout\) for another safemig command \(server process \d+, safemig\) to finish/);
        assert.match(second.stderr, /001_once is already applied/);
      }
      await s.onDb(async (db) => assert.equal(await rowCount(db, 'runs'), 1));
    });

    test('4. a repository\'s .safemig.json cannot switch the guard off; the user can', async () => {
      const s = await project(side, { 'db/migrations/001_a.sql': '-- UP Migration\nCREATE TABLE a (id int);\n' });
      // The hostile file names a remote host and allows it, and empties the production pattern.
      writeFileSync(join(s.root, '.safemig.json'), JSON.stringify({ database: { url: 'postgres://me@db.example.invalid:5432/app', allowHosts: ['db.example.invalid'], productionPattern: 'nothing' } }));
      const remote = await runCliAsync(['apply', 'db/migrations/001_a.sql'], s.root);
      assert.equal(remote.code, 2, all(remote));
      assert.match(remote.stdout, /warning: .*\.safemig\.json: database\.allowHosts \(db\.example\.invalid\) is ignored: a repository's own settings cannot allow a database host/);
      assert.match(remote.stderr, /refusing to run on it: me@db\.example\.invalid:5432\/app \(from .*\.safemig\.json database\.url\) does not look like a dev database: host db\.example\.invalid is not this machine/);
      assert.match(remote.stderr, /allow the host yourself: --allow-host db\.example\.invalid or SAFEMIG_ALLOW_HOSTS=db\.example\.invalid/);
      // The user's own consent passes the guard (here the host then does not resolve).
      for (const consent of [['--allow-host', 'db.example.invalid'], []]) {
        const allowed = await runCliAsync(['status', 'db/migrations', ...consent], s.root, { env: consent.length ? {} : { SAFEMIG_ALLOW_HOSTS: 'other.host, db.example.invalid' } });
        assert.equal(allowed.code, 2, all(allowed));
        assert.doesNotMatch(allowed.stderr, /refusing/);
        assert.match(allowed.stderr, /unknown host db\.example\.invalid|could not connect|timed out/);
      }
      if (!s.server) return;
      // On the server: a database whose name says production, behind a file whose pattern says nothing is.
      const admin = await adminConnect(s.server.connection!);
      const prod = `safemig_prod_${process.pid}`;
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${prod}`);
        await admin.query(`CREATE DATABASE ${prod}`);
        const url = s.server.url!.replace(/\/[^/?]+(\?|$)/, `/${prod}$1`);
        writeFileSync(join(s.root, '.safemig.json'), JSON.stringify({ database: { url, productionPattern: 'nothing' } }));
        const refused = await runCliAsync(['apply', 'db/migrations/001_a.sql'], s.root);
        assert.equal(refused.code, 2, all(refused));
        assert.match(refused.stderr, new RegExp(`database name "${prod}" matches database\\.productionPattern`));
        const yes = await runCliAsync(['apply', 'db/migrations/001_a.sql', '--yes-i-mean-this-database'], s.root);
        assert.equal(yes.code, 0, all(yes));
        const check = await adminConnect({ ...s.server.connection!, database: prod });
        try {
          assert.equal((await check.query(`SELECT 1 FROM pg_tables WHERE tablename = 'a'`)).rowCount, 1);
        } finally {
          await check.end();
        }
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${prod} WITH (FORCE)`);
        await admin.end();
      }
    });

    test('also: a failed CREATE INDEX CONCURRENTLY is reported as INVALID, and running the migration again rebuilds it', async () => {
      const s = await project(side, { 'db/migrations/001_idx.sql': '-- UP Migration\nCREATE UNIQUE INDEX CONCURRENTLY idx_t_v ON t (v);\n' });
      await s.onDb(async (db) => {
        await db.run('CREATE TABLE t (v int)');
        await db.run('INSERT INTO t VALUES (1), (1)');
      });
      const failed = await cli(s, ['apply', 'db/migrations/001_idx.sql']);
      assert.equal(failed.code, 1, all(failed));
      assert.match(failed.stdout, /failed: no statement completed, but the failed one left behind what is listed below/);
      assert.match(failed.stdout, /schema changes left behind:\n {4}\+ index idx_t_v UNIQUE ON public\.t USING btree \(v\), INVALID \(a failed CREATE INDEX CONCURRENTLY left it/);
      await s.onDb((db) => db.run('DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t)'));
      const again = await cli(s, ['apply', 'db/migrations/001_idx.sql']);
      assert.equal(again.code, 0, all(again));
      assert.match(again.stdout, /index public\.idx_t_v is INVALID \(a failed CREATE INDEX CONCURRENTLY left it\): dropping it so that line 2 builds it again/);
      await s.onDb(async (db) => assert.deepEqual(await db.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'idx_t_v'::regclass`), [{ valid: true }]));
    });

    test('also: a migration cut off by SIGKILL outside a transaction is shown as partly applied, with what ran', async () => {
      const s = await project(side, {
        'db/migrations/001_cut.sql': '-- UP Migration\nCREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY idx_a ON a (id);\nSELECT pg_sleep(3);\nCREATE TABLE b (id int);\n',
      });
      let sent = false;
      const killed = await cli(s, ['apply', 'db/migrations/001_cut.sql'], {
        onStdout: (out, child) => {
          if (!sent && out.includes('[3/4]')) {
            sent = true;
            setTimeout(() => child.kill('SIGKILL'), 300);
          }
        },
      });
      assert.equal(killed.code, null, all(killed));
      const st = await cli(s, ['status', 'db/migrations']);
      assert.equal(st.code, 0, all(st));
      assert.match(st.stdout, /001_cut\.sql {2}PARTLY APPLIED \d{4}-\d\d-\d\dT\S+: 2 of 4 statements ran \(the last: line 3\), then it stopped/);
      assert.match(st.stdout, /0 applied \(0 changed since\), 1 partly applied, 0 pending/);
      const again = await cli(s, ['apply', 'db/migrations/001_cut.sql']);
      assert.equal(again.code, 1, all(again));
      assert.match(again.stderr, /001_cut is partly applied on .* \(2 of 4 statements ran \(the last: line 3\), at .*\): make its statements re-runnable/);
      await s.onDb(async (db) => assert.deepEqual(await tables(db), ['a']));
    });

    test('apply gate: a migration with error-severity findings is refused (exit 1), listing them, unless --force', async () => {
      const s = await project(side, {
        '.safemig.json': JSON.stringify({ protectedTables: ['documents'] }),
        'db/migrations/001_docs.sql': '-- UP Migration\nALTER TABLE documents ADD COLUMN IF NOT EXISTS x text;\n',
      });
      await s.onDb((db) => db.run('CREATE TABLE documents (id int)'));
      const refused = await cli(s, ['apply', 'db/migrations/001_docs.sql']);
      assert.equal(refused.code, 1, all(refused));
      assert.match(refused.stderr, /safemig apply: refusing to apply it: 1 error-severity finding \(as safemig check reports them\); nothing ran\. Fix it, or pass --force to apply anyway:\n {2}db\/migrations\/001_docs\.sql:2:1 protected-table: .*documents/);
      assert.equal(refused.stdout, '');
      const forced = await cli(s, ['apply', 'db/migrations/001_docs.sql', '--force']);
      assert.equal(forced.code, 0, all(forced));
      await s.onDb(async (db) => assert.equal((await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'documents' AND column_name = 'x'`)).length, 1));
    });

    test('5. a file that is not UTF-8 is refused by apply, rollback and verify with check\'s words; nothing runs', async () => {
      const s = await project(side, {
        'db/migrations/001_t.sql': '-- UP Migration\nCREATE TABLE t (name text);\n\n-- DOWN Migration\nDROP TABLE t;\n',
        'db/migrations/003_pair.up.sql': 'CREATE TABLE pair (id int);\n',
      });
      writeFileSync(join(s.root, 'db/migrations/002_latin1.sql'), Buffer.concat([Buffer.from("-- UP Migration\nINSERT INTO t VALUES ('caf"), Buffer.from([0xe9]), Buffer.from("');\n")]));
      writeFileSync(join(s.root, 'db/migrations/003_pair.down.sql'), Buffer.concat([Buffer.from('-- caf'), Buffer.from([0xe9]), Buffer.from('\nDROP TABLE pair;\n')]));
      writeFileSync(join(s.root, 'db/migrations/004_nul.sql'), Buffer.from('-- UP Migration\nCREATE TABLE n (id int);\0\n'));
      assert.equal((await cli(s, ['apply', 'db/migrations/001_t.sql'])).code, 0);
      const checked = await runCliAsync(['check', 'db/migrations/002_latin1.sql'], s.root);
      assert.match(checked.stdout, /Not checked: not valid UTF-8 text\./);

      const apply = await cli(s, ['apply', 'db/migrations/002_latin1.sql']);
      assert.equal(apply.code, 1, all(apply));
      assert.match(apply.stderr, /safemig apply: .*002_latin1\.sql: not valid UTF-8 text \(safemig check refuses it too\)/);
      const nul = await cli(s, ['apply', 'db/migrations/004_nul.sql']);
      assert.equal(nul.code, 1, all(nul));
      assert.match(nul.stderr, /004_nul\.sql: not a text file/);
      assert.equal((await cli(s, ['apply', 'db/migrations/003_pair.up.sql'])).code, 0);
      const rollback = await cli(s, ['rollback', 'db/migrations/003_pair.up.sql']);
      assert.equal(rollback.code, 1, all(rollback));
      assert.match(rollback.stderr, /safemig rollback: .*003_pair\.down\.sql: not valid UTF-8 text \(safemig check refuses it too\)/);
      const verify = await cli(s, ['verify', 'db/migrations/002_latin1.sql']);
      assert.equal(verify.code, 1, all(verify));
      assert.match(verify.stderr, /safemig verify: .*002_latin1\.sql: not valid UTF-8 text/);
      await s.onDb(async (db) => {
        assert.equal(await rowCount(db, 't'), 0);
        assert.deepEqual(await tables(db), ['pair', 't']);
      });
    });
  });
}

describe('6. a password is never printed', () => {
  // Pieces of each password: none may appear in any output, whole or in part.
  const PIECES = ['Sx7q', 'Kz9w', 'Wm3r'];
  const assertHidden = (r: CliResult, what: string) => {
    for (const piece of PIECES) assert.ok(!all(r).includes(piece), `${what} printed "${piece}":\n${all(r)}`);
  };
  let root: string;
  after(() => root && rmSync(root, { recursive: true, force: true }));

  test('in every error path of a URL: invalid, bad port, bad sslmode, refused, unknown host, the guard, .safemig.json', async () => {
    root = writeTree({ 'db/migrations/001_a.sql': '-- UP Migration\nCREATE TABLE a (id int);\n' });
    const urls = [
      'postgres://me:Sx7q/Kz9w+Wm3r=@localhost:5432/dev', // `/` `+` `=` of a base64 password
      'postgres://me:Sx7q@Kz9w:Wm3r@localhost:5432/dev', // `@` and `:` unencoded
      'postgres://me:Sx7q@Kz9w:Wm3r@localhost:99999/dev',
      'postgres://me:Sx7qKz9wWm3r@localhost/dev?sslmode=bogus',
      'postgres://me@localhost/dev?password=Sx7q@Kz9w/Wm3r&sslmode=bogus',
      'postgres://me:Sx7qKz9wWm3r@127.0.0.1:1/dev',
      'postgres://me:Sx7qKz9wWm3r@db.example.invalid:5432/dev',
      'postgres://me:Sx7qKz9wWm3r@db.example.invalid:5432/dev_prod',
      'postgresql:/me:Sx7q@Kz9w:Wm3r@localhost/dev',
      'mysql://me:Sx7q/Kz9w@Wm3r@localhost/dev',
    ];
    for (const url of urls) {
      for (const [how, run] of [
        ['--db', () => runCliAsync(['apply', 'db/migrations/001_a.sql', '--db', url], root)],
        ['DATABASE_URL', () => runCliAsync(['status', 'db/migrations', '--format', 'json'], root, { env: { DATABASE_URL: url } })],
        ['verify --db', () => runCliAsync(['verify', 'db/migrations/001_a.sql', '--db', url, '--allow-host', 'db.example.invalid'], root)],
      ] as const) {
        const r = await run();
        assert.notEqual(r.code, 0, `${how} ${url}`);
        assertHidden(r, `${how} ${url}`);
      }
      writeFileSync(join(root, '.safemig.json'), JSON.stringify({ database: { url } }));
      const configured = await runCliAsync(['status', 'db/migrations'], root);
      assert.equal(configured.code, 2, all(configured));
      assertHidden(configured, `.safemig.json ${url}`);
      rmSync(join(root, '.safemig.json'));
    }
  });

  test('in the output of commands that run on a server reached with a password', { skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set' }, async () => {
    const server = await serverTestTarget();
    const dir = writeTree({
      'db/migrations/001_a.sql': '-- UP Migration\nCREATE TABLE a (id int);\n\n-- DOWN Migration\nDROP TABLE a;\n',
      'db/migrations/002_fails.sql': '-- UP Migration\nSELECT nope FROM a;\n',
    });
    try {
      // This machine's server trusts local connections: the password is sent only if asked, yet must never be shown.
      const url = server.url!.replace('://postgres@', '://postgres:Sx7q%2FKz9w%2BWm3r@');
      assert.notEqual(url, server.url);
      for (const args of [
        ['apply', 'db/migrations/001_a.sql', '--db', url],
        ['apply', 'db/migrations/002_fails.sql', '--db', url, '--format', 'json'],
        ['status', 'db/migrations', '--db', url],
        ['verify', 'db/migrations/001_a.sql', '--db', url],
        ['rollback', 'db/migrations/001_a.sql', '--db', url, '--format', 'json'],
      ]) {
        const r = await runCliAsync(args, dir);
        assert.ok(r.code === 0 || r.code === 1, all(r));
        assertHidden(r, args.join(' '));
      }
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('the advisory lock held elsewhere: apply waits database.lockTimeout, then refuses (exit 2) and runs nothing', { skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set' }, async () => {
  const server = await serverTestTarget();
  const dir = writeTree({
    '.safemig.json': JSON.stringify({ database: { lockTimeout: '1s' } }),
    'db/migrations/001_a.sql': '-- UP Migration\nCREATE TABLE a (id int);\n',
  });
  const holder = await adminConnect(server.connection!);
  try {
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const r = await runCliAsync(['apply', 'db/migrations/001_a.sql', '--db', server.url!], dir);
    assert.equal(r.code, 2, all(r));
    assert.match(r.stdout, /waiting up to 1s \(database\.lockTimeout\) for another safemig command \(server process \d+\)/);
    assert.match(r.stderr, /another safemig command \(server process \d+\) is still migrating this database after 1s: nothing ran; try again when it has finished/);
    assert.deepEqual(await tables(server.target), []);
  } finally {
    await holder.end();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('also: a session holding the history table does not hang apply or status: they wait database.lockTimeout, then refuse (exit 2)', { skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set', timeout: 60_000 }, async () => {
  const server = await serverTestTarget();
  const dir = writeTree({
    '.safemig.json': JSON.stringify({ database: { lockTimeout: '1s' } }),
    'db/migrations/001_a.sql': '-- UP Migration\nCREATE TABLE a (id int);\n',
    'db/migrations/002_b.sql': '-- UP Migration\nCREATE TABLE b (id int);\n',
  });
  const holder = await adminConnect(server.connection!);
  try {
    assert.equal((await runCliAsync(['apply', 'db/migrations/001_a.sql', '--db', server.url!], dir)).code, 0);
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE public.safemig_migrations IN ACCESS EXCLUSIVE MODE');
    for (const args of [['status', 'db/migrations'], ['apply', 'db/migrations/002_b.sql']]) {
      const r = await runCliAsync([...args, '--db', server.url!], dir);
      assert.equal(r.code, 2, all(r));
      assert.match(r.stderr, /another session holds a lock on the history table public\.safemig_migrations \(waited database\.lockTimeout\): nothing ran/);
    }
    await holder.query('ROLLBACK');
    assert.deepEqual(await tables(server.target), ['a']);
  } finally {
    await holder.end();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('also: verify --db killed half way leaves its throwaway database, which the next command on that server drops', { skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set', timeout: 60_000 }, async () => {
  const server = await serverTestTarget();
  const dir = writeTree({ 'db/migrations/001_slow.sql': '-- UP Migration\nCREATE TABLE a (id int);\nSELECT pg_sleep(5);\n\n-- DOWN Migration\nDROP TABLE a;\n' });
  const admin = await adminConnect(server.connection!);
  const throwaways = async () => (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'safemig\\_verify\\_%' ORDER BY 1`)).rows.map((r) => r.datname);
  try {
    const before = await throwaways();
    let sent = false;
    const killed = await runCliAsync(['verify', 'db/migrations/001_slow.sql', '--db', server.url!], dir, {
      onStdout: (out, child) => {
        if (!sent && out.includes('[2/2]')) {
          sent = true;
          setTimeout(() => child.kill('SIGKILL'), 300);
        }
      },
    });
    assert.equal(killed.code, null, all(killed));
    const left = (await throwaways()).filter((d) => !before.includes(d));
    assert.equal(left.length, 1, 'the killed verify left its database');
    // Its server session ends with the process: wait until the server has seen it go.
    for (let i = 0; i < 50 && (await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [left[0]])).rowCount; i++) await new Promise((r) => setTimeout(r, 100));
    const st = await runCliAsync(['status', 'db/migrations', '--db', server.url!], dir);
    assert.equal(st.code, 0, all(st));
    assert.match(st.stdout, new RegExp(`dropped ${left[0]}, the throwaway database of a safemig verify --db that was stopped before it could`));
    assert.deepEqual((await throwaways()).filter((d) => !before.includes(d)), []);
  } finally {
    await admin.end();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
