/**
 * The database cases, run against each target (embedded.test.ts: PGlite; server.test.ts: this
 * machine's PostgreSQL): apply / roll back / verify in every convention, a failing statement in
 * the middle, CONCURRENTLY, history and checksums, cancel.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlreadyAppliedError, apply, rollback, rollbackRisk, RollbackRefused } from '../../server/src/database/migrate';
import { PlanError } from '../../server/src/database/plan';
import { formatChange } from '../../server/src/database/schema';
import { status } from '../../server/src/database/status';
import { verify } from '../../server/src/database/verify';
import { initParser } from '../../server/src/sql/pg';
import { config, fsOf, historyRows, indexes, resetDatabase, tables, TestTarget, writeTree } from './helpers';

/** Real migrations of each convention: the files, the one to run, what it creates. */
interface ConventionCase {
  convention: string;
  files: Record<string, string>;
  /** The file given to apply / rollback (the up file of a split migration). */
  file: string;
  /** The file given to rollback, when it is the other one. */
  downFile?: string;
  creates: string[];
  history: { version: string; name: string };
}

export const CONVENTIONS: ConventionCase[] = [
  {
    convention: 'template (commented-out DOWN with prose lines)',
    files: {
      'db/migrations/agent/001_add_retry_columns.sql': [
        '-- Migration: Add retry columns',
        '-- Date: 2025-01-10',
        '-- Author: agent team',
        '',
        '-- UP Migration',
        'CREATE TABLE jobs (id bigserial PRIMARY KEY, name text NOT NULL);',
        'ALTER TABLE jobs ADD COLUMN IF NOT EXISTS retry_count integer NOT NULL DEFAULT 0;',
        'CREATE INDEX IF NOT EXISTS idx_jobs_retry ON jobs (retry_count);',
        '',
        '-- DOWN Migration (Rollback)',
        '-- Remove the index first',
        '-- DROP INDEX IF EXISTS idx_jobs_retry;',
        '-- ALTER TABLE jobs DROP COLUMN IF EXISTS retry_count;',
        '-- DROP TABLE jobs;',
        '',
      ].join('\n'),
    },
    file: 'db/migrations/agent/001_add_retry_columns.sql',
    creates: ['jobs'],
    history: { version: '001', name: 'add_retry_columns' },
  },
  {
    convention: 'goose (StatementBegin / StatementEnd function, trigger)',
    files: {
      'migrations/20240101120000_orders.sql': [
        '-- +goose Up',
        'CREATE TABLE orders (id serial PRIMARY KEY, updated_at timestamptz);',
        '-- +goose StatementBegin',
        'CREATE FUNCTION touch_updated_at() RETURNS trigger AS $$',
        'BEGIN',
        '  NEW.updated_at := now();',
        '  RETURN NEW;',
        'END;',
        '$$ LANGUAGE plpgsql;',
        '-- +goose StatementEnd',
        'CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();',
        '',
        '-- +goose Down',
        'DROP TRIGGER orders_touch ON orders;',
        'DROP FUNCTION touch_updated_at();',
        'DROP TABLE orders;',
        '',
      ].join('\n'),
    },
    file: 'migrations/20240101120000_orders.sql',
    creates: ['orders'],
    history: { version: '20240101120000', name: 'orders' },
  },
  {
    convention: 'dbmate (enum type)',
    files: {
      'db/migrations/20240102090000_people.sql': '-- migrate:up\nCREATE TYPE mood AS ENUM (\'happy\', \'sad\');\nCREATE TABLE people (id int PRIMARY KEY, mood mood);\n\n-- migrate:down\nDROP TABLE people;\nDROP TYPE mood;\n',
    },
    file: 'db/migrations/20240102090000_people.sql',
    creates: ['people'],
    history: { version: '20240102090000', name: 'people' },
  },
  {
    convention: 'golang-migrate (.up.sql / .down.sql, rolled back from the down file)',
    files: {
      'migrate/000001_create_accounts.up.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\n',
      'migrate/000001_create_accounts.down.sql': 'DROP TABLE IF EXISTS accounts;\n',
    },
    file: 'migrate/000001_create_accounts.up.sql',
    downFile: 'migrate/000001_create_accounts.down.sql',
    creates: ['accounts'],
    history: { version: '000001', name: 'create_accounts' },
  },
  {
    convention: 'rollback files (seed 004: rollback_NNN_*.sql)',
    files: {
      'backend/db/migrations/001_create_webhook_inbox.sql': 'CREATE TABLE IF NOT EXISTS twilio_webhook_inbox (\n  id bigserial PRIMARY KEY,\n  payload jsonb NOT NULL,\n  received_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX IF NOT EXISTS idx_inbox_received ON twilio_webhook_inbox (received_at);\n',
      'backend/db/migrations/rollback_001_webhook_inbox.sql': 'DROP INDEX IF EXISTS idx_inbox_received;\nDROP TABLE IF EXISTS twilio_webhook_inbox;\n',
    },
    file: 'backend/db/migrations/001_create_webhook_inbox.sql',
    creates: ['twilio_webhook_inbox'],
    history: { version: '001', name: 'create_webhook_inbox' },
  },
  {
    convention: 'diesel (folder with up.sql / down.sql)',
    files: {
      'migrations/2024-01-01-000000_create_posts/up.sql': 'CREATE TABLE posts (id serial PRIMARY KEY, title varchar(200) NOT NULL, body text);\n',
      'migrations/2024-01-01-000000_create_posts/down.sql': 'DROP TABLE posts;\n',
    },
    file: 'migrations/2024-01-01-000000_create_posts/up.sql',
    creates: ['posts'],
    history: { version: '2024-01-01-000000', name: 'create_posts' },
  },
  {
    convention: 'flyway (V / U files)',
    files: {
      'db/migration/V1__create_items.sql': 'CREATE TABLE items (id int PRIMARY KEY, sku text NOT NULL CHECK (sku <> \'\'));\n',
      'db/migration/U1__create_items.sql': 'DROP TABLE items;\n',
    },
    file: 'db/migration/V1__create_items.sql',
    creates: ['items'],
    history: { version: '1', name: 'create_items' },
  },
  {
    convention: 'sqitch (deploy / revert with their own BEGIN … COMMIT)',
    files: {
      'sqitch.plan': '%syntax-version=1.0.0\n%project=app\n\nwidgets 2024-01-01T00:00:00Z Dev <dev@example.com> # widgets\n',
      'deploy/widgets.sql': '-- Deploy app:widgets to pg\nBEGIN;\nCREATE SCHEMA app;\nCREATE TABLE app.widgets (id int PRIMARY KEY);\nCOMMIT;\n',
      'revert/widgets.sql': '-- Revert app:widgets from pg\nBEGIN;\nDROP TABLE app.widgets;\nDROP SCHEMA app;\nCOMMIT;\n',
    },
    file: 'deploy/widgets.sql',
    creates: ['app.widgets'],
    history: { version: '1', name: 'widgets' },
  },
];

export function targetCases(name: string, open: () => Promise<TestTarget>): void {
  describe(name, () => {
    let t: TestTarget;
    const cfg = config();
    before(async () => {
      await initParser();
      t = await open();
    });
    after(() => t?.close());
    beforeEach(() => resetDatabase(t.target));

    const run = (which: typeof apply, root: string, file: string, extra: Partial<Parameters<typeof apply>[0]> = {}) =>
      which({ target: t.target, fs: fsOf(), config: cfg, path: join(root, file), ...extra });

    for (const c of CONVENTIONS) {
      test(`${c.convention}: apply records it, rollback undoes it, verify passes`, async () => {
        const root = writeTree(c.files);
        try {
          const applied = await run(apply, root, c.file);
          assert.equal(applied.outcome, 'applied', JSON.stringify(applied.run?.failure));
          assert.deepEqual(await tables(t.target), c.creates);
          const history = await historyRows(t.target);
          assert.deepEqual(history.map((h) => ({ version: h.version, name: h.name })), [c.history]);
          assert.equal(history[0].checksum, applied.checksum);

          const back = await run(rollback, root, c.downFile ?? c.file);
          assert.equal(back.outcome, 'rolled back', JSON.stringify(back.run?.failure));
          assert.deepEqual(await tables(t.target), []);
          assert.deepEqual(await historyRows(t.target), []);
          assert.ok(back.changes.some((ch) => ch.change === 'removed'), 'the schema report lists what DOWN removed');

          const round = await verify({ fs: fsOf(), config: cfg, path: join(root, c.file), openThrowaway: () => t.openThrowaway() });
          assert.deepEqual(round.differences, []);
          assert.equal(round.ok, true, JSON.stringify(round.steps));
          assert.deepEqual(round.steps.map((s) => s.name), ['prepare', 'up', 'down', 'up again', 'up twice']);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      });
    }

    test('the schema report: a new table with its columns and constraints, then added, altered and removed columns and indexes', async () => {
      const root = writeTree({
        'db/migrations/001_users.sql': '-- UP Migration\nCREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, name text, legacy int);\n',
        'db/migrations/002_change.sql': [
          '-- UP Migration',
          'ALTER TABLE users ADD COLUMN nickname text NOT NULL DEFAULT \'\';',
          'ALTER TABLE users ALTER COLUMN name TYPE varchar(80);',
          'ALTER TABLE users DROP COLUMN legacy;',
          'CREATE INDEX idx_users_name ON users (lower(name));',
          'ALTER TABLE users ADD CONSTRAINT users_name_check CHECK (name <> \'\');',
          '',
        ].join('\n'),
      });
      try {
        const first = await run(apply, root, 'db/migrations/001_users.sql');
        assert.deepEqual(first.changes.map(formatChange), [
          '+ table users (id bigint NOT NULL identity ALWAYS, email text NOT NULL, name text, legacy integer, constraint users_email_key UNIQUE (email), constraint users_pkey PRIMARY KEY (id))',
        ]);
        const second = await run(apply, root, 'db/migrations/002_change.sql', { confirmDestructive: async () => true });
        assert.deepEqual(second.changes.map(formatChange), [
          '- column users.legacy',
          '~ column users.name: type: text → character varying(80)',
          '+ column users.nickname text NOT NULL DEFAULT \'\'::text',
          '+ constraint users.users_name_check CHECK (((name)::text <> \'\'::text))',
          '+ index idx_users_name ON public.users USING btree (lower((name)::text))',
        ]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('a failing statement in the middle: nothing is left behind and the error sits on its line and column (multi-byte text before it)', async () => {
      const sql = [
        '-- UP Migration',
        '-- Notes: ünïcödé 🚀 before the failing statement',
        'CREATE TABLE a (id int PRIMARY KEY);',
        'INSERT INTO a VALUES (1);',
        "SELECT '🚀🚀' AS x, nope FROM a;",
        'CREATE TABLE b (id int);',
        '',
      ].join('\n');
      const root = writeTree({ 'db/migrations/001_fail.sql': sql });
      try {
        const report = await run(apply, root, 'db/migrations/001_fail.sql');
        assert.equal(report.outcome, 'failed');
        assert.deepEqual(await tables(t.target), [], 'statement 1 was rolled back');
        assert.deepEqual(await historyRows(t.target), []);
        assert.deepEqual(report.changes, []);
        const f = report.run?.failure;
        assert.equal(f?.code, '42703');
        assert.match(f?.message ?? '', /column "nope" does not exist/);
        assert.equal(f?.statement, 3);
        assert.deepEqual(f?.range, { start: { line: 4, character: 20 }, end: { line: 4, character: 24 } });
        assert.deepEqual(report.run?.outcomes.map((o) => o.status), ['rolled back', 'rolled back', 'failed', 'not run']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('the error position maps through CRLF lines; an error without a position covers its statement; detail and hint are kept', async () => {
      const root = writeTree({
        'db/migrations/001_crlf.sql': '-- UP Migration\r\nCREATE TABLE u (e text UNIQUE);\r\nINSERT INTO u VALUES (\'é\'), (\'é\');\r\n',
        'db/migrations/002_twice.sql': '-- UP Migration\nCREATE TABLE v (id int);\nCREATE TABLE v (id int);\n',
      });
      try {
        const dup = await run(apply, root, 'db/migrations/001_crlf.sql');
        assert.equal(dup.run?.failure?.code, '23505');
        assert.equal(dup.run?.failure?.detail, 'Key (e)=(é) already exists.');
        assert.deepEqual(dup.run?.failure?.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 33 } });
        const twice = await run(apply, root, 'db/migrations/002_twice.sql');
        assert.equal(twice.run?.failure?.code, '42P07');
        assert.deepEqual(twice.run?.failure?.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 23 } });
        assert.deepEqual(await tables(t.target), []);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('a DOWN in the twin file fails: the error is on the down file', async () => {
      const root = writeTree({
        'migrate/000001_x.up.sql': 'CREATE TABLE x (id int);\n',
        'migrate/000001_x.down.sql': '\nDROP TABLE x;\nDROP TABLE not_there;\n',
      });
      try {
        assert.equal((await run(apply, root, 'migrate/000001_x.up.sql')).outcome, 'applied');
        const back = await run(rollback, root, 'migrate/000001_x.up.sql');
        assert.equal(back.outcome, 'failed');
        assert.equal(back.run?.failure?.path, join(root, 'migrate/000001_x.down.sql'));
        assert.equal(back.run?.failure?.range.start.line, 2);
        assert.deepEqual(await tables(t.target), ['x'], 'the DOWN transaction was rolled back');
        assert.equal((await historyRows(t.target)).length, 1, 'the history record stays');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('CREATE INDEX CONCURRENTLY runs outside a transaction, statement by statement; a later failure keeps what ran and says so', async () => {
      const root = writeTree({
        'db/migrations/001_big.sql': '-- UP Migration\nCREATE TABLE big (id int, v text);\nCREATE INDEX CONCURRENTLY idx_big_v ON big (v);\n\n-- DOWN Migration\nDROP INDEX CONCURRENTLY idx_big_v;\nDROP TABLE big;\n',
        'db/migrations/002_more.sql': '-- UP Migration\nCREATE INDEX CONCURRENTLY idx_big_id ON big (id);\nCREATE INDEX CONCURRENTLY idx_big_bad ON big (nope);\n',
      });
      try {
        const report = await run(apply, root, 'db/migrations/001_big.sql');
        assert.equal(report.outcome, 'applied', JSON.stringify(report.run?.failure));
        assert.equal(report.plan.transaction, false);
        assert.match(report.plan.mode, /CREATE INDEX CONCURRENTLY cannot run inside a transaction \(line 3\)/);
        assert.deepEqual(await indexes(t.target), ['idx_big_v']);
        const valid = await t.target.query<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'idx_big_v'::regclass`);
        assert.equal(valid[0].valid, true);

        const more = await run(apply, root, 'db/migrations/002_more.sql');
        assert.equal(more.outcome, 'failed');
        assert.deepEqual(more.run?.outcomes.map((o) => o.status), ['ok', 'failed']);
        assert.deepEqual(await indexes(t.target), ['idx_big_id', 'idx_big_v'], 'the committed statement stays applied');
        assert.deepEqual(more.changes.map(formatChange), ['+ index idx_big_id ON public.big USING btree (id)']);
        assert.deepEqual((await historyRows(t.target)).map((h) => h.version), ['001', '002'], 'the failed migration is recorded as partly applied');
        assert.equal(more.partial, '1 of 2 statements ran (the last: line 2)');

        // 002 is recorded (partly) after it: rolling 001 back takes --force.
        const back = await run(rollback, root, 'db/migrations/001_big.sql', { force: true });
        assert.equal(back.outcome, 'rolled back', JSON.stringify(back.run?.failure));
        assert.equal(back.plan.transaction, false);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('a runner opt-out (goose NO TRANSACTION) runs statement by statement, saying why', async () => {
      const root = writeTree({ 'migrations/20240101000000_x.sql': '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE TABLE x (id int);\n-- +goose Down\nDROP TABLE x;\n' });
      try {
        const report = await run(apply, root, 'migrations/20240101000000_x.sql');
        assert.equal(report.outcome, 'applied');
        assert.equal(report.plan.transaction, false);
        assert.match(report.plan.mode, /-- \+goose NO TRANSACTION/);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('a file with two transactions of its own runs as written: a failure keeps the committed one and rolls back the open one', async () => {
      const root = writeTree({
        'db/migrations/001_two.sql': '-- UP Migration\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (id int);\nINSERT INTO nope VALUES (1);\nCOMMIT;\n',
      });
      try {
        const report = await run(apply, root, 'db/migrations/001_two.sql');
        assert.equal(report.plan.transaction, false);
        assert.match(report.plan.mode, /the file controls its transactions/);
        assert.equal(report.outcome, 'failed');
        assert.deepEqual(report.run?.outcomes.map((o) => o.status), ['ok', 'ok', 'ok', 'rolled back', 'rolled back', 'failed', 'not run']);
        assert.deepEqual(await tables(t.target), ['a']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('history and checksums: status tells applied, pending, changed since applied, and records of missing files', async () => {
      const root = writeTree({
        'db/migrations/001_users.sql': '-- UP Migration\nCREATE TABLE IF NOT EXISTS users (id int);\n\n-- DOWN Migration\n-- DROP TABLE users;\n',
        'db/migrations/002_orders.sql': '-- UP Migration\nCREATE TABLE orders (id int);\n',
        'db/migrations/003_items.sql': '-- UP Migration\nCREATE TABLE items (id int);\n',
        'db/migrations/004_gone.sql': '-- UP Migration\nCREATE TABLE gone (id int);\n',
      });
      const dir = join(root, 'db/migrations');
      const st = async () => (await status({ target: t.target, fs: fsOf(), config: cfg, dir })).entries.map((e) => `${e.file} ${e.state}`);
      try {
        const empty = await status({ target: t.target, fs: fsOf(), config: cfg, dir });
        assert.equal(empty.hasHistory, false);
        assert.deepEqual(await st(), ['001_users.sql pending', '002_orders.sql pending', '003_items.sql pending', '004_gone.sql pending']);

        await run(apply, root, 'db/migrations/001_users.sql');
        const second = await run(apply, root, 'db/migrations/002_orders.sql');
        await run(apply, root, 'db/migrations/004_gone.sql');
        assert.deepEqual(second.warnings, []);
        // Comments and blank lines are not a change; a statement is.
        writeFileSync(join(dir, '001_users.sql'), '-- UP Migration\n-- creates the users table\n\nCREATE TABLE IF NOT EXISTS users (id int);\n\n-- DOWN Migration\n-- DROP TABLE users;\n');
        writeFileSync(join(dir, '002_orders.sql'), '-- UP Migration\nCREATE TABLE orders (id int, total numeric);\n');
        renameSync(join(dir, '004_gone.sql'), join(root, '004_gone.sql'));
        const report = await status({ target: t.target, fs: fsOf(), config: cfg, dir });
        assert.deepEqual(report.entries.map((e) => `${e.file} ${e.state}`), ['001_users.sql applied', '002_orders.sql changed', '003_items.sql pending']);
        assert.deepEqual(report.unknown.map((r) => `${r.version}_${r.name}`), ['004_gone']);
        assert.ok(report.entries[0].appliedAt instanceof Date);

        // Applying again is refused, unless forced (it re-runs and updates the record).
        await assert.rejects(run(apply, root, 'db/migrations/001_users.sql'), AlreadyAppliedError);
        const again = await run(apply, root, 'db/migrations/001_users.sql', { force: true });
        assert.equal(again.outcome, 'applied');
        assert.equal(again.run?.outcomes[0].notices.length, 1, 'the NOTICE of IF NOT EXISTS is kept');
        assert.match(again.run?.outcomes[0].notices[0] ?? '', /already exists, skipping/);
        assert.deepEqual((await historyRows(t.target)).map((h) => h.version), ['001', '002', '004']);

        // Rolling back removes the record (002 is applied after it: it takes --force).
        await assert.rejects(run(rollback, root, 'db/migrations/001_users.sql'), /later migration is applied after it: 002_orders/);
        assert.equal((await run(rollback, root, 'db/migrations/001_users.sql', { force: true })).outcome, 'rolled back');
        assert.deepEqual(await st(), ['001_users.sql pending', '002_orders.sql changed', '003_items.sql pending']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('applying before the earlier migrations warns; rolling back what has no record is refused, and runs with force', async () => {
      const root = writeTree({
        'db/migrations/001_a.sql': '-- UP Migration\nCREATE TABLE a (id int);\n',
        'db/migrations/002_b.sql': '-- UP Migration\nCREATE TABLE b (id int);\n\n-- DOWN Migration\nDROP TABLE b;\n',
      });
      try {
        const report = await run(apply, root, 'db/migrations/002_b.sql');
        assert.deepEqual(report.warnings, ['1 earlier migration is not recorded as applied on this target: 001_a (see safemig status)']);
        await t.target.run('DELETE FROM safemig_migrations');
        const asked = { target: t.target, fs: fsOf(), config: cfg, path: join(root, 'db/migrations/002_b.sql') };
        assert.deepEqual(await rollbackRisk(asked), { reasons: [`002_b is not recorded as applied on ${t.target.describe()} (never applied with safemig here)`], drops: ['DROP TABLE b'] });
        await assert.rejects(run(rollback, root, 'db/migrations/002_b.sql'), RollbackRefused);
        assert.deepEqual(await tables(t.target), ['b']);
        const back = await run(rollback, root, 'db/migrations/002_b.sql', { force: true });
        assert.equal(back.outcome, 'rolled back');
        assert.match(back.warnings[0], /002_b is not recorded as applied .*\(--force: running its DOWN part anyway\)/);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('destructive UP statements are confirmed first; declined, nothing runs', async () => {
      const root = writeTree({ 'db/migrations/001_drop.sql': '-- UP Migration\nCREATE TABLE keep (id int);\nDROP TABLE IF EXISTS legacy;\nTRUNCATE keep;\nDELETE FROM keep;\nDELETE FROM keep WHERE id = 1;\n' });
      try {
        let asked: string[] = [];
        const report = await run(apply, root, 'db/migrations/001_drop.sql', {
          confirmDestructive: async (statements) => {
            asked = statements.map((s) => `${s.destructive} (line ${s.line + 1})`);
            return false;
          },
        });
        assert.deepEqual(asked, ['DROP TABLE legacy (line 3)', 'TRUNCATE keep (line 4)', 'DELETE FROM keep without WHERE (line 5)']);
        assert.equal(report.outcome, 'declined');
        assert.equal(report.run, undefined);
        assert.deepEqual(await tables(t.target), []);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('what cannot run is refused before anything runs: no DOWN part, roll-forward conventions, syntax errors', async () => {
      const root = writeTree({
        'db/migrations/001_plain.sql': 'CREATE TABLE p (id int);\n',
        'supabase/migrations/20240101000000_init.sql': 'CREATE TABLE profiles (id uuid PRIMARY KEY);\n',
        'db/migrations/002_bad.sql': '-- UP Migration\nCREATE TABLE ok (id int);\nCREATE TABEL broken (id int);\n',
      });
      try {
        await assert.rejects(run(rollback, root, 'db/migrations/001_plain.sql'), (e: Error) => e instanceof PlanError && /has no DOWN part \(add a DOWN section\)/.test(e.message));
        await assert.rejects(run(rollback, root, 'supabase/migrations/20240101000000_init.sql'), /supabase migrations are roll-forward/);
        await assert.rejects(run(apply, root, 'db/migrations/002_bad.sql'), /002_bad\.sql:3:8: syntax error at or near "TABEL" \(fix the syntax error first; nothing ran\)/);
        assert.deepEqual(await tables(t.target), []);
        // A roll-forward migration still verifies: UP, and UP twice; DOWN is skipped and said so.
        const round = await verify({ fs: fsOf(), config: cfg, path: join(root, 'supabase/migrations/20240101000000_init.sql'), openThrowaway: () => t.openThrowaway() });
        assert.equal(round.ok, true);
        assert.match(round.steps.find((s) => s.name === 'down')?.lines[0] ?? '', /skipped: .*roll-forward/);
        assert.equal(round.idempotent, false);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('verify applies the earlier migrations first and finds what DOWN leaves behind or does not restore', async () => {
      const root = writeTree({
        'db/migrations/001_users.sql': '-- UP Migration\nCREATE TABLE users (id int PRIMARY KEY, email text, legacy text);\n\n-- DOWN Migration\n-- DROP TABLE users;\n',
        'db/migrations/002_index.sql': [
          '-- UP Migration',
          'ALTER TABLE users ADD COLUMN nickname text;',
          'CREATE INDEX idx_users_email ON users (email);',
          'ALTER TABLE users DROP COLUMN legacy;',
          '',
          '-- DOWN Migration (Rollback)',
          '-- ALTER TABLE users DROP COLUMN nickname;',
          '-- ALTER TABLE users ADD COLUMN legacy integer;',
          '',
        ].join('\n'),
        'db/migrations/003_later.sql': '-- UP Migration\nCREATE TABLE later (id int);\n',
      });
      try {
        const report = await verify({ fs: fsOf(), config: cfg, path: join(root, 'db/migrations/002_index.sql'), openThrowaway: () => t.openThrowaway() });
        assert.equal(report.ok, false);
        // Only the earlier migration is applied first, not the later one.
        assert.equal(report.steps[0].lines.length, 1);
        assert.match(report.steps[0].lines[0], /^applied 001_users \(1 statement, \d+ ms\)$/);
        assert.deepEqual(report.differences.slice(0, 2), [
          'DOWN leaves column users.legacy changed: type: text → integer',
          'DOWN leaves index idx_users_email behind',
        ]);
        assert.equal(report.steps.find((s) => s.name === 'up again')?.ok, false, 'UP after DOWN fails: the index already exists');
        assert.match(report.differences[2], /^UP fails after DOWN: .*relation "idx_users_email" already exists/);
        assert.equal(report.differences.length, 3);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('cancel between statements rolls back what ran', async () => {
      const root = writeTree({ 'db/migrations/001_c.sql': '-- UP Migration\nCREATE TABLE c1 (id int);\nCREATE TABLE c2 (id int);\nCREATE TABLE c3 (id int);\n' });
      try {
        const controller = new AbortController();
        const report = await run(apply, root, 'db/migrations/001_c.sql', {
          signal: controller.signal,
          progress: {
            log: () => undefined,
            step: (_message, done) => {
              if (done === 2) controller.abort();
            },
          },
        });
        assert.equal(report.outcome, 'cancelled');
        assert.equal(report.run?.cancelled, true);
        assert.equal(report.run?.failure, undefined);
        assert.deepEqual(report.run?.outcomes.map((o) => o.status), ['rolled back', 'rolled back', 'not run']);
        assert.deepEqual(await tables(t.target), []);
        assert.deepEqual(await historyRows(t.target), []);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
}
