/**
 * `safemig apply | rollback | verify | status` as processes (dist/cli.js, built by npm test):
 * on the embedded database always, on this machine's PostgreSQL when SAFEMIG_TEST_DATABASE_URL
 * is set; the guard, the exit codes, Ctrl-C.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminConnect, runCliAsync, SERVER_URL, serverTestTarget, TestTarget, writeTree } from './helpers';

const MIGRATIONS = {
  'db/migrations/001_users.sql': [
    '-- Migration: users',
    '-- UP Migration',
    'CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);',
    'CREATE INDEX idx_users_email ON users (email);',
    '',
    '-- DOWN Migration (Rollback)',
    '-- DROP TABLE users;',
    '',
  ].join('\n'),
  'db/other/002_fails.sql': '-- UP Migration\nALTER TABLE users ADD COLUMN name text;\nUPDATE users SET name = email WHERE nope = 1;\n\n-- DOWN Migration\n-- ALTER TABLE users DROP COLUMN name;\n',
  'db/migrations/003_leaves_index.sql': '-- UP Migration\nALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX idx_users_email_lower ON users (lower(email));\n\n-- DOWN Migration\n-- ALTER TABLE users DROP COLUMN nick;\n',
  'db/other/004_slow.sql': '-- UP Migration\nCREATE TABLE slow (id int);\nSELECT pg_sleep(30);\n',
};

/** A duration as the log writes it. */
const TIME = String.raw`(?:\d+ ms|\d+\.\d s)`;

describe('CLI on the embedded database', () => {
  // Each test its own project, so its own embedded database.
  const roots: string[] = [];
  const project = () => {
    const root = writeTree(MIGRATIONS);
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  test('apply, status, rollback: the target, each statement, timings, the schema report, the history; exit 0', async () => {
    const root = project();
    const applied = await runCliAsync(['apply', 'db/migrations/001_users.sql'], root);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    const out = applied.stdout;
    assert.match(out, new RegExp(`embedded database in ${join(root, '.safemig', 'pglite')} \\(nothing configured;`));
    assert.match(out, /target: embedded PGlite \(PostgreSQL \d+\.\d+\) at /);
    assert.match(out, /UP part: 2 statements, in one transaction/);
    assert.match(out, new RegExp(String.raw`\[1/2\] line 3: CREATE TABLE users .*\n {6}ok, ${TIME}\n`));
    assert.match(out, new RegExp(String.raw`\[2/2\] line 4: CREATE INDEX idx_users_email ON users \(email\)\n {6}ok, ${TIME}\n`));
    assert.match(out, new RegExp(`applied: 2 statements of the UP part in ${TIME}, committed in one transaction`));
    assert.match(out, /history: recorded 001_users in safemig_migrations/);
    assert.match(out, /schema changes:\n {4}\+ table users \(id bigint NOT NULL identity ALWAYS, email text NOT NULL, index idx_users_email ON public\.users USING btree \(email\), constraint users_pkey PRIMARY KEY \(id\)\)/);
    assert.equal(readFileSync(join(root, '.safemig', '.gitignore'), 'utf8').split('\n')[1], '*', 'the embedded database is kept out of git');

    const again = await runCliAsync(['apply', 'db/migrations/001_users.sql'], root);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /001_users is already applied on embedded PGlite .*roll it back first, or apply it again with --force/);

    const st = await runCliAsync(['status', 'db/migrations'], root);
    assert.equal(st.code, 0, st.stderr);
    assert.match(st.stdout, /001_users\.sql {9}applied \d{4}-\d\d-\d\dT/);
    assert.match(st.stdout, /003_leaves_index\.sql {2}pending/);
    assert.match(st.stdout, /1 applied \(0 changed since\), 1 pending/);

    const json = await runCliAsync(['status', 'db/migrations', '--format', 'json'], root);
    const doc = JSON.parse(json.stdout);
    assert.deepEqual(doc.folders[0].entries.map((e: { file: string; state: string }) => `${e.file} ${e.state}`), ['001_users.sql applied', '003_leaves_index.sql pending']);

    const back = await runCliAsync(['rollback', 'db/migrations/001_users.sql'], root);
    assert.equal(back.code, 0, back.stderr + back.stdout);
    assert.match(back.stdout, /DOWN part \(written as comments: run uncommented\): 1 statement, in one transaction/);
    assert.match(back.stdout, /history: removed 001_users from safemig_migrations/);
    assert.match(back.stdout, /- table users/);
  });

  test('a failing statement: exit 1, the error at file:line:column, what ran and what did not, nothing left behind', async () => {
    const root = project();
    assert.equal((await runCliAsync(['apply', 'db/migrations/001_users.sql'], root)).code, 0);
    const run = await runCliAsync(['apply', 'db/other/002_fails.sql', '--format', 'json'], root);
    assert.equal(run.code, 1);
    const doc = JSON.parse(run.stdout);
    assert.equal(doc.outcome, 'failed');
    assert.deepEqual(doc.statements.map((s: { status: string }) => s.status), ['rolled back', 'failed']);
    assert.deepEqual(doc.error.range, { start: { line: 2, character: 36 }, end: { line: 2, character: 40 } });
    assert.equal(doc.error.code, '42703');
    assert.deepEqual(doc.schemaChanges, []);
    // JSON on stdout, the log on stderr.
    assert.match(run.stderr, /error 42703: column "nope" does not exist\n {4}hint: Perhaps you meant to reference the column "users\.name"\.\n {4}at .*002_fails\.sql:3:37\n {2}failed: the transaction was rolled back, nothing of it was applied\n {4}ran, then rolled back: 1 \(line 2\)\n {4}failed: 2 \(line 3\)/);
    assert.match(run.stderr, /schema: unchanged \(nothing left behind\)/);
  });

  test('verify: the round trip on a throwaway database; a DOWN that leaves an index behind exits 1', async () => {
    const root = project();
    const good = await runCliAsync(['verify', 'db/migrations/001_users.sql'], root);
    assert.equal(good.code, 0, good.stderr + good.stdout);
    assert.match(good.stdout, /target: throwaway embedded PGlite/);
    assert.match(good.stdout, /1\. prepare: no earlier migration in the folder/);
    assert.match(good.stdout, /3\. DOWN \(1 statement, uncommented, in one transaction\)[\s\S]*the schema is as before UP/);
    assert.match(good.stdout, /verified: the round trip leaves the schema as it was \(UP is not idempotent\)/);

    const bad = await runCliAsync(['verify', 'db/migrations/003_leaves_index.sql'], root);
    assert.equal(bad.code, 1, bad.stderr + bad.stdout);
    assert.match(bad.stdout, new RegExp(`applied 001_users \\(2 statements, ${TIME}\\)`));
    assert.match(bad.stdout, /DOWN leaves index idx_users_email_lower behind/);
    assert.match(bad.stdout, /verify failed: 2 differences/);
  });

  test('--version prints the package version; COMMAND --help and -h print that command\'s usage (exit 0)', async () => {
    const root = project();
    const version = await runCliAsync(['--version'], root);
    assert.equal(version.code, 0);
    assert.equal(version.stdout, `${JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`);
    for (const [command, flag] of [['apply', '--help'], ['rollback', '-h'], ['status', '--help'], ['verify', '-h']]) {
      const help = await runCliAsync([command, flag], root);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, new RegExp(`^usage: safemig ${command} `));
    }
  });

  test('usage and configuration errors exit 2 and say what is wrong', async () => {
    const root = project();
    const none = await runCliAsync(['apply'], root);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /which migration file\?\nusage: safemig apply FILE/);
    assert.equal((await runCliAsync(['apply', 'db/migrations/nope.sql'], root)).code, 2);
    assert.equal((await runCliAsync(['status', '--format', 'xml'], root)).code, 2);
    const configured = writeTree({ '.safemig.json': JSON.stringify({ database: { url: 'postgres://me:hunter2@localhost/dev' } }), 'db/migrations/001_a.sql': 'SELECT 1;\n' });
    try {
      const bad = await runCliAsync(['status', 'db/migrations'], configured);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /\.safemig\.json database\.url: must not hold a password/);
      assert.doesNotMatch(bad.stderr, /hunter2/);
    } finally {
      rmSync(configured, { recursive: true, force: true });
    }
  });

  test('the guard refuses a remote or production-looking target (exit 2) unless --yes-i-mean-this-database', async () => {
    const root = project();
    const remote = await runCliAsync(['apply', 'db/migrations/001_users.sql', '--db', 'postgres://me@db.example.com:5432/app'], root);
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /refusing to run on it: me@db\.example\.com:5432\/app \(from --db\) does not look like a dev database: host db\.example\.com is not this machine/);
    assert.match(remote.stderr, /if it is a dev database: pass --yes-i-mean-this-database, or allow the host yourself: --allow-host db\.example\.com or SAFEMIG_ALLOW_HOSTS=db\.example\.com/);
    const prod = await runCliAsync(['status', '--db', 'postgres://me@127.0.0.1:1/app_prod'], root);
    assert.equal(prod.code, 2);
    assert.match(prod.stderr, /database name "app_prod" matches database\.productionPattern/);
    // With consent it goes on, and the connection is what fails here (nothing listens on port 1).
    const yes = await runCliAsync(['status', '--db', 'postgres://me@127.0.0.1:1/app_prod', '--yes-i-mean-this-database'], root);
    assert.equal(yes.code, 2);
    assert.match(yes.stdout, /warning: .*app_prod.* Running anyway \(--yes-i-mean-this-database\)/);
    assert.match(yes.stderr, /no PostgreSQL server is listening at 127\.0\.0\.1:1 \(from --db\)/);
  });
});

describe('CLI on a PostgreSQL server', { skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set' }, () => {
  let root: string;
  let t: TestTarget;
  before(async () => {
    root = writeTree(MIGRATIONS);
    t = await serverTestTarget();
  });
  after(async () => {
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('apply, status, rollback with --db; the configured database.url of .safemig.json', async () => {
    const applied = await runCliAsync(['apply', 'db/migrations/001_users.sql', '--db', t.url!], root);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /target: PostgreSQL \d+\.\d+ at /);
    assert.doesNotMatch(applied.stdout, /embedded/);
    assert.match(applied.stdout, /\+ table users/);
    writeFileSync(join(root, '.safemig.json'), JSON.stringify({ database: { url: t.url } }));
    try {
      const st = await runCliAsync(['status', 'db/migrations'], root);
      assert.equal(st.code, 0, st.stderr);
      assert.match(st.stdout, /001_users\.sql {9}applied/);
      const back = await runCliAsync(['rollback', 'db/migrations/001_users.sql'], root);
      assert.equal(back.code, 0, back.stderr + back.stdout);
      assert.match(back.stdout, /\.safemig\.json database\.url|target: PostgreSQL/);
    } finally {
      rmSync(join(root, '.safemig.json'));
    }
    assert.equal(existsSync(join(root, '.safemig', 'pglite')), false, 'no embedded database was made');
  });

  test('verify --db makes a throwaway database on the server and drops it', async () => {
    const run = await runCliAsync(['verify', 'db/migrations/003_leaves_index.sql', '--db', t.url!], root);
    assert.equal(run.code, 1, run.stderr + run.stdout);
    assert.match(run.stdout, /target: throwaway database safemig_verify_\w+ on PostgreSQL/);
    assert.match(run.stdout, /DOWN leaves index idx_users_email_lower behind/);
    const admin = await adminConnect(t.connection!);
    try {
      const left = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'safemig_verify_%'`);
      assert.deepEqual(left.rows, []);
    } finally {
      await admin.end();
    }
  });

  test('Ctrl-C cancels the running statement, rolls back, exits 130', async () => {
    const started = performance.now();
    let sent = false;
    const run = await runCliAsync(['apply', 'db/other/004_slow.sql', '--db', t.url!], root, {
      onStdout: (out, child) => {
        if (!sent && out.includes('[2/2]')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    });
    assert.ok(performance.now() - started < 20_000, 'pg_sleep(30) was interrupted');
    assert.equal(run.code, 130, run.stderr + run.stdout);
    assert.match(run.stderr, /cancelling: the running statement is stopped/);
    assert.match(run.stdout, /cancelled: the transaction was rolled back, nothing of it was applied/);
    const tables = await t.target.query(`SELECT 1 FROM pg_tables WHERE tablename = 'slow'`);
    assert.equal(tables.length, 0);
  });
});
