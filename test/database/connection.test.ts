/** Which database a command targets, the dev-database guard, and ~/.pgpass: no database needed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../server/src/config/config';
import { chooseTarget, connectionLabel, parseDatabaseUrl, redactUrl } from '../../server/src/database/connection';
import { isLocalHost, looksLikeProduction, productionSigns } from '../../server/src/database/guard';
import { GuardRefusal, openTarget } from '../../server/src/database/open';
import { pgpassLookup } from '../../server/src/database/server-target';

const ENV = { PGHOST: undefined, PGDATABASE: undefined, PGUSER: 'me', PGPORT: undefined } as NodeJS.ProcessEnv;
const DEFAULTS = { productionPattern: 'prod|production|live', allowHosts: [] as string[] };

test('the target is --db, then the configured URL, then DATABASE_URL, then PGHOST/PGDATABASE, else embedded', () => {
  const env = { ...ENV, DATABASE_URL: 'postgres://envuser@envhost/envdb', PGHOST: 'pghost', PGDATABASE: 'pgdb' };
  const pick = (o: Parameters<typeof chooseTarget>[0]) => {
    const c = chooseTarget(o);
    return c.kind === 'embedded' ? `embedded (${c.source})` : `${connectionLabel(c)} (${c.source})`;
  };
  assert.equal(pick({ explicit: 'postgres://a@h1:5433/d1', configuredUrl: 'postgres://b@h2/d2', env }), 'a@h1:5433/d1 (--db)');
  assert.equal(pick({ explicit: 'embedded', configuredUrl: 'postgres://b@h2/d2', env }), 'embedded (--db embedded)');
  assert.equal(pick({ configuredUrl: 'postgres://b@h2/d2', configuredSource: 'the safemig.database.url setting', env }), 'b@h2:5432/d2 (the safemig.database.url setting)');
  assert.equal(pick({ env }), 'envuser@envhost:5432/envdb (DATABASE_URL)');
  assert.equal(pick({ env: { ...env, DATABASE_URL: undefined } }), 'me@pghost:5432/pgdb (PGHOST/PGDATABASE environment variables)');
  assert.equal(pick({ env: ENV }), 'embedded (nothing configured)');
});

test('URLs: socket folders, IPv6, percent-encoding, parameters, and what is missing comes from PG* and the defaults', () => {
  const env = { ...ENV, PGHOST: '/run/pg-test', PGPORT: '6543' };
  assert.deepEqual(pick(parseDatabaseUrl('postgresql:///app_dev?host=/var/run/postgresql', 's', ENV)), { host: '/var/run/postgresql', port: 5432, database: 'app_dev', user: 'me' });
  assert.deepEqual(pick(parseDatabaseUrl('postgres://%2Ftmp%2Fsock/db', 's', ENV)), { host: '/tmp/sock', port: 5432, database: 'db', user: 'me' });
  assert.deepEqual(pick(parseDatabaseUrl('postgres://u@[::1]:5444/d', 's', ENV)), { host: '::1', port: 5444, database: 'd', user: 'u' });
  assert.deepEqual(pick(parseDatabaseUrl('postgres://j%C3%B6rg@localhost/caf%C3%A9', 's', ENV)), { host: 'localhost', port: 5432, database: 'café', user: 'jörg' });
  assert.deepEqual(pick(parseDatabaseUrl('postgres:///', 's', env)), { host: '/run/pg-test', port: 6543, database: 'me', user: 'me' });
  assert.equal(parseDatabaseUrl('postgres://u:s3cr%40t@h/d', 'DATABASE_URL', ENV).password, 's3cr@t');
  assert.deepEqual(parseDatabaseUrl('postgres://h/d?sslmode=require', 's', ENV).ssl, { rejectUnauthorized: false });
  assert.deepEqual(parseDatabaseUrl('postgres://h/d?sslmode=verify-full', 's', ENV).ssl, { rejectUnauthorized: true });
  assert.equal(parseDatabaseUrl('postgres://h/d?sslmode=disable', 's', ENV).ssl, false);
});

function pick(c: { host: string; port: number; database: string; user: string }) {
  return { host: c.host, port: c.port, database: c.database, user: c.user };
}

test('a password in the settings or .safemig.json is refused; bad URLs say what is expected; passwords never shown', () => {
  assert.throws(() => chooseTarget({ configuredUrl: 'postgres://u:hunter2@localhost/dev', configuredSource: '/p/.safemig.json database.url', env: ENV }), (e: Error) => e instanceof ConfigError && /must not hold a password/.test(e.message) && !e.message.includes('hunter2'));
  assert.throws(() => chooseTarget({ configuredUrl: 'postgres://u@localhost/dev?password=hunter2', env: ENV }), /must not hold a password/);
  assert.throws(() => chooseTarget({ explicit: 'mysql://u:hunter2@h/d', env: ENV }), (e: Error) => /is not a PostgreSQL connection URL/.test(e.message) && !e.message.includes('hunter2'));
  assert.throws(() => chooseTarget({ explicit: 'postgres://h:99999/d', env: ENV }), /not a port number|not a valid URL/);
  assert.throws(() => chooseTarget({ explicit: 'postgres://h/d?sslmode=sometimes', env: ENV }), /sslmode "sometimes"/);
  assert.equal(redactUrl('postgres://u:hunter2@h/d?password=x&a=1'), 'postgres://u:***@h/d?password=***&a=1');
});

test('the guard: local hosts and sockets pass; other hosts and production-looking names do not', () => {
  for (const host of ['localhost', '127.0.0.1', '127.0.1.1', '::1', '/var/run/postgresql', '']) assert.equal(isLocalHost(host), true, host);
  for (const host of ['db.example.com', '10.0.0.5', '192.168.1.2', 'localhost.evil.com']) assert.equal(isLocalHost(host), false, host);
  for (const name of ['prod', 'app_prod', 'production', 'live-eu', 'APP.PROD', 'prod_copy']) assert.equal(looksLikeProduction(name, DEFAULTS.productionPattern), true, name);
  for (const name of ['products', 'delivery', 'app_dev', 'olive', 'productivity']) assert.equal(looksLikeProduction(name, DEFAULTS.productionPattern), false, name);
  const remote = parseDatabaseUrl('postgres://me@db.example.com/app_prod', '--db', ENV);
  assert.deepEqual(productionSigns(remote, DEFAULTS).map((s) => s.kind), ['host', 'name']);
  assert.deepEqual(productionSigns(remote, { productionPattern: 'prd', allowHosts: ['DB.example.com'] }), []);
});

test('the guard refuses a remote target before connecting, and asks consent when it can', async () => {
  // An address nothing listens on: consent given, the connection is what fails.
  const remote = parseDatabaseUrl('postgres://me@10.255.255.1:1/app', '--db', ENV);
  const options = { config: DEFAULTS, embeddedDir: '/nonexistent', cacheDir: '/nonexistent' };
  const started = performance.now();
  await assert.rejects(openTarget(remote, options), (e: Error) => e instanceof GuardRefusal && /me@10\.255\.255\.1:1\/app \(from --db\) does not look like a dev database: host 10\.255\.255\.1 is not this machine/.test(e.message));
  assert.ok(performance.now() - started < 1000, 'refused without trying to connect');
  let asked = '';
  await assert.rejects(openTarget(remote, { ...options, consent: async (m) => ((asked = m), false) }), GuardRefusal);
  assert.match(asked, /does not look like a dev database/);
});

test('~/.pgpass: first matching line, wildcards, escapes; a file others can read is ignored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safemig-pgpass-'));
  const file = join(dir, 'pgpass');
  try {
    writeFileSync(file, ['# comment', 'otherhost:5432:*:me:nope', 'localhost:5432:app\\:dev:me:pa\\:ss', '*:*:*:me:fallback', ''].join('\n'));
    chmodSync(file, 0o600);
    const env = { PGPASSFILE: file };
    assert.equal(pgpassLookup({ host: 'localhost', port: 5432, database: 'app:dev', user: 'me' }, env), 'pa:ss');
    assert.equal(pgpassLookup({ host: '/var/run/postgresql', port: 5432, database: 'app:dev', user: 'me' }, env), 'pa:ss', 'a socket matches localhost');
    assert.equal(pgpassLookup({ host: 'elsewhere', port: 1, database: 'x', user: 'me' }, env), 'fallback');
    assert.equal(pgpassLookup({ host: 'elsewhere', port: 1, database: 'x', user: 'you' }, env), undefined);
    chmodSync(file, 0o644);
    assert.equal(pgpassLookup({ host: 'localhost', port: 5432, database: 'app:dev', user: 'me' }, env), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
