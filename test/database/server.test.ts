/**
 * The same database cases on this machine's PostgreSQL, when SAFEMIG_TEST_DATABASE_URL names a
 * server (e.g. postgres://postgres@127.0.0.1:5432/postgres): a database created for the run and
 * dropped at its end. Then what only a server has: a running statement cancelled, lock and
 * statement timeouts, a second session.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { apply } from '../../server/src/database/migrate';
import { openServer } from '../../server/src/database/server-target';
import { ConnectionError } from '../../server/src/database/target';
import { initParser } from '../../server/src/sql/pg';
import { targetCases } from './cases';
import { adminConnect, config, fsOf, historyRows, resetDatabase, SERVER_URL, serverTestTarget, tables, TestTarget, writeTree } from './helpers';

if (!SERVER_URL) {
  describe('PostgreSQL server (set SAFEMIG_TEST_DATABASE_URL to run)', { skip: 'SAFEMIG_TEST_DATABASE_URL is not set' }, () => undefined);
} else {
  targetCases('PostgreSQL server', serverTestTarget);

  describe('PostgreSQL server only', () => {
    let t: TestTarget;
    let other: Client;
    let root: string;
    before(async () => {
      await initParser();
      t = await serverTestTarget();
      other = await adminConnect(t.connection!);
      root = writeTree({
        'db/migrations/001_slow.sql': '-- UP Migration\nCREATE TABLE slow (id int);\nSELECT pg_sleep(30);\nCREATE TABLE never (id int);\n',
        'db/migrations/002_alter.sql': '-- UP Migration\nCREATE TABLE mine (id int);\nALTER TABLE locked ADD COLUMN note text;\n',
      });
    });
    after(async () => {
      await other?.end();
      await t?.close();
      rmSync(root, { recursive: true, force: true });
    });
    beforeEach(() => resetDatabase(t.target));

    test('cancel stops the running statement on the server and rolls the transaction back', async () => {
      const controller = new AbortController();
      const started = performance.now();
      const report = await apply({
        target: t.target,
        fs: fsOf(),
        config: config(),
        path: join(root, 'db/migrations/001_slow.sql'),
        signal: controller.signal,
        progress: { log: () => undefined, step: (_m, done) => done === 1 && setTimeout(() => controller.abort(), 300) },
      });
      assert.ok(performance.now() - started < 10_000, 'pg_sleep(30) was interrupted');
      assert.equal(report.outcome, 'cancelled');
      assert.deepEqual(report.run?.outcomes.map((o) => o.status), ['rolled back', 'not run', 'not run']);
      assert.deepEqual(await tables(t.target), []);
      assert.deepEqual(await historyRows(t.target), []);
    });

    test('statement_timeout fails the statement (a failure, not a cancel) and rolls back', async () => {
      const report = await apply({ target: t.target, fs: fsOf(), config: config({ statementTimeout: '300ms' }), path: join(root, 'db/migrations/001_slow.sql') });
      assert.equal(report.outcome, 'failed');
      assert.equal(report.run?.failure?.code, '57014');
      assert.match(report.run?.failure?.message ?? '', /statement timeout/);
      assert.equal(report.run?.failure?.range.start.line, 2);
      assert.deepEqual(await tables(t.target), []);
    });

    test('lock_timeout: a table locked by another session fails the ALTER quickly instead of queueing behind it', async () => {
      await t.target.run('CREATE TABLE locked (id int)');
      await other.query('BEGIN');
      await other.query('LOCK TABLE locked IN ACCESS SHARE MODE');
      try {
        const started = performance.now();
        const report = await apply({ target: t.target, fs: fsOf(), config: config({ lockTimeout: '200ms' }), path: join(root, 'db/migrations/002_alter.sql') });
        assert.ok(performance.now() - started < 5000);
        assert.equal(report.outcome, 'failed');
        assert.equal(report.run?.failure?.code, '55P03');
        assert.match(report.run?.failure?.message ?? '', /lock timeout/);
        assert.deepEqual(await tables(t.target), ['locked'], 'the table created before it was rolled back');
      } finally {
        await other.query('ROLLBACK');
      }
    });

    test('connection failures say what to check, and nothing runs', async () => {
      const conn = t.connection!;
      await assert.rejects(openServer({ ...conn, port: 1, host: '127.0.0.1' }), (e: Error) => e instanceof ConnectionError && e.reason === 'refused' && /no PostgreSQL server is listening at 127\.0\.0\.1:1/.test(e.message));
      await assert.rejects(openServer({ ...conn, database: 'safemig_no_such_db' }), (e: Error) => e instanceof ConnectionError && e.reason === 'no-database' && /createdb safemig_no_such_db/.test(e.message));
      await assert.rejects(openServer({ ...conn, user: 'safemig_no_such_role' }), (e: Error) => e instanceof ConnectionError && e.reason === 'auth');
    });
  });
}
