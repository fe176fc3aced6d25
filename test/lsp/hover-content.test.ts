/** The hover of an UP statement: the lock it takes, what that blocks, rewrite or scan, the safer way. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { mergeConfig } from '../../server/src/config/config';
import { hoverAt } from '../../server/src/lsp/hover';
import type { Position } from '../../server/src/sql/positions';
import { lintSql } from '../helpers/lint';
import { TestClient } from '../helpers/lsp-client';

/** The hover text at `position` (default: the start of the last line with SQL). */
function hover(sql: string, position?: Position, pgVersion = 14): string | undefined {
  const config = mergeConfig({ pgVersion });
  const result = lintSql(sql, { config: { pgVersion } });
  const lines = sql.split('\n');
  const at = position ?? { line: lines.length - 1 - [...lines].reverse().findIndex((l) => l.trim() !== '' && !l.startsWith('--')), character: 0 };
  return hoverAt(result, config, at)?.markdown;
}

function expectAll(text: string | undefined, ...parts: (string | RegExp)[]): void {
  assert.ok(text, 'a hover');
  for (const part of parts) {
    if (typeof part === 'string') assert.ok(text.includes(part), `hover contains ${JSON.stringify(part)}:\n${text}`);
    else assert.match(text, part);
  }
}

describe('hover per statement kind', () => {
  test('CREATE INDEX: SHARE, blocks writes, reads the table, CONCURRENTLY is safer', () => {
    expectAll(
      hover('CREATE INDEX IF NOT EXISTS i ON users (email);'),
      '**CREATE INDEX** takes **SHARE** on table `users`',
      '**Blocks:** writes (INSERT, UPDATE, DELETE) and DDL, VACUUM and ANALYZE; reads go on',
      '**Scans the table:** reads the whole table to build the index',
      '**Safer:** CREATE INDEX CONCURRENTLY',
      '[CREATE INDEX](https://www.postgresql.org/docs/current/sql-createindex.html)',
      '[Explicit Locking](https://www.postgresql.org/docs/current/explicit-locking.html)',
    );
  });

  test('CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on', () => {
    const text = hover('CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (email);');
    expectAll(text, '**SHARE UPDATE EXCLUSIVE**', 'reads and writes go on', 'two passes');
    assert.ok(!text!.includes('lock_timeout'), 'no lock_timeout advice for a lock that does not block writes');
  });

  test('ADD COLUMN with a volatile default: ACCESS EXCLUSIVE and a rewrite, from the function', () => {
    expectAll(
      hover('ALTER TABLE users ADD COLUMN IF NOT EXISTS token uuid DEFAULT gen_random_uuid();'),
      '**ADD COLUMN token** takes **ACCESS EXCLUSIVE** on table `users`',
      '**Blocks:** reads, writes and DDL: every other query on it waits',
      '**Rewrites the table:** gen_random_uuid() is volatile',
      '**Safer:** add the column without that default',
    );
  });

  test('ADD COLUMN with now(): catalog change only since PostgreSQL 11, a rewrite before', () => {
    expectAll(hover('ALTER TABLE users ADD COLUMN IF NOT EXISTS seen timestamptz DEFAULT now();'), '**ACCESS EXCLUSIVE**', '**No rewrite, no scan:**');
    expectAll(hover('ALTER TABLE users ADD COLUMN IF NOT EXISTS seen timestamptz DEFAULT now();', undefined, 10), '**Rewrites the table:** before PostgreSQL 11');
  });

  test('a foreign key: SHARE ROW EXCLUSIVE on both tables, NOT VALID is safer', () => {
    const text = hover('ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES app.users (id);');
    expectAll(text, '**SHARE ROW EXCLUSIVE** on table `orders`', '**SHARE ROW EXCLUSIVE** on table `app.users`', 'reads the whole table', 'ADD … NOT VALID');
    expectAll(hover('ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;'), '**No rewrite, no scan:**');
  });

  test('VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE, a scan that lets writes go on', () => {
    expectAll(hover('ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;'), '**SHARE UPDATE EXCLUSIVE**', 'reads and writes go on', '**Scans the table:**');
  });

  test('ADD CONSTRAINT UNIQUE: index build under ACCESS EXCLUSIVE; USING INDEX is the safe way', () => {
    expectAll(hover('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);'), '**ACCESS EXCLUSIVE**', 'build the unique index', 'USING INDEX');
    expectAll(hover('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;'), '**ACCESS EXCLUSIVE**', '**No rewrite, no scan:**');
  });

  test('SET NOT NULL: a scan, and the CHECK … NOT VALID way from PostgreSQL 12', () => {
    expectAll(hover('ALTER TABLE users ALTER COLUMN email SET NOT NULL;'), '**ACCESS EXCLUSIVE**', 'check for NULLs', 'CHECK (col IS NOT NULL) NOT VALID');
  });

  test('ALTER COLUMN TYPE: a rewrite unless binary-compatible', () => {
    expectAll(hover('ALTER TABLE users ALTER COLUMN id TYPE bigint;'), '**Rewrites the table:**', 'binary-compatible');
  });

  test('DROP INDEX: ACCESS EXCLUSIVE on the index\'s table', () => {
    expectAll(hover('DROP INDEX IF EXISTS users_email_idx;'), '**ACCESS EXCLUSIVE** on the table of index `users_email_idx`', 'DROP INDEX CONCURRENTLY');
  });

  test('REINDEX TABLE: writes blocked; REINDEX INDEX: the index rewritten', () => {
    expectAll(hover('REINDEX TABLE users;'), '**SHARE** on table `users`', 'REINDEX … CONCURRENTLY');
    expectAll(hover('REINDEX INDEX users_email_idx;'), '**ACCESS EXCLUSIVE** on index `users_email_idx`', '**Rewrites the index:**');
  });

  test('TRUNCATE, DROP TABLE, RENAME, CREATE TRIGGER, COMMENT, REFRESH', () => {
    expectAll(hover('TRUNCATE audit_log;'), '**ACCESS EXCLUSIVE**', 'every row is gone');
    expectAll(hover('DROP TABLE IF EXISTS old_jobs;'), '**DROP TABLE** takes **ACCESS EXCLUSIVE** on table `old_jobs`');
    expectAll(hover('ALTER TABLE users RENAME COLUMN name TO full_name;'), '**RENAME COLUMN** takes **ACCESS EXCLUSIVE**');
    expectAll(hover('ALTER INDEX users_email_idx RENAME TO users_email_key;'), '**SHARE UPDATE EXCLUSIVE**');
    expectAll(hover('CREATE TRIGGER t AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION f();'), '**SHARE ROW EXCLUSIVE**', 'writes (INSERT, UPDATE, DELETE)');
    expectAll(hover("COMMENT ON COLUMN users.email IS 'login';"), '**COMMENT ON** takes **SHARE UPDATE EXCLUSIVE** on table `users`');
    expectAll(hover('REFRESH MATERIALIZED VIEW CONCURRENTLY stats;'), '**EXCLUSIVE** on materialized view `stats`', 'plain reads go on');
    expectAll(hover('REFRESH MATERIALIZED VIEW stats;'), '**ACCESS EXCLUSIVE**', 'CONCURRENTLY');
  });

  test('UPDATE without WHERE: ROW EXCLUSIVE and a row lock on every row', () => {
    expectAll(hover('UPDATE users SET active = true;'), '**ROW EXCLUSIVE**', 'updates every row', 'in batches');
    const bounded = hover('UPDATE users SET active = true WHERE id = 1;');
    expectAll(bounded, '**ROW EXCLUSIVE**');
    assert.ok(!bounded!.includes('every row'));
  });

  test('CREATE TABLE: the tables it references; nothing for a table without foreign keys', () => {
    expectAll(hover('CREATE TABLE IF NOT EXISTS orders (id int, user_id int REFERENCES users (id));'), '**SHARE ROW EXCLUSIVE** on table `users`');
    assert.equal(hover('CREATE TABLE IF NOT EXISTS orders (id int);'), undefined);
  });
});

describe('hover context', () => {
  test('a table this migration creates is said to be unused yet', () => {
    expectAll(hover('CREATE TABLE IF NOT EXISTS jobs (id int);\nCREATE INDEX IF NOT EXISTS jobs_id ON jobs (id);'), 'This migration creates `jobs`: no other session uses it yet');
  });

  test('lock_timeout: advised when missing, not when set before', () => {
    expectAll(hover('ALTER TABLE users DROP COLUMN IF EXISTS x;'), 'No `lock_timeout` is set');
    assert.ok(!hover("SET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN IF EXISTS x;")!.includes('No `lock_timeout`'));
  });

  test('inside one action of an ALTER TABLE: that action; on its head: all of them', () => {
    const sql = 'ALTER TABLE users ADD COLUMN IF NOT EXISTS a int, ALTER COLUMN b SET STATISTICS 500;';
    const second = hover(sql, { line: 0, character: sql.indexOf('ALTER COLUMN') + 2 });
    expectAll(second, '**ALTER COLUMN b SET STATISTICS** takes **SHARE UPDATE EXCLUSIVE**');
    assert.ok(!second!.includes('ADD COLUMN'));
    expectAll(hover(sql, { line: 0, character: 3 }), '**ADD COLUMN a**', '**ALTER COLUMN b SET STATISTICS**');
  });

  test('positions count UTF-16 code units after multi-byte text', () => {
    const sql = "SELECT 'é 日本語 😀'; CREATE INDEX IF NOT EXISTS i ON users (email);";
    expectAll(hover(sql, { line: 0, character: sql.indexOf('CREATE') }), '**CREATE INDEX**');
    assert.equal(hover(sql, { line: 0, character: 2 }), undefined);
  });

  test('no hover in the DOWN part, in comments between statements, or beyond the text', () => {
    const sql = '-- UP Migration\nSELECT 1;\n-- a note\n\n-- DOWN Migration (Rollback)\nDROP INDEX IF EXISTS i;\n';
    assert.equal(hover(sql, { line: 5, character: 2 }), undefined);
    assert.equal(hover(sql, { line: 2, character: 3 }), undefined);
    assert.equal(hover(sql, { line: 40, character: 0 }), undefined);
  });

  test('the hover range is the statement', () => {
    const sql = 'SELECT 1;\n  CREATE INDEX IF NOT EXISTS i\n    ON users (email);\n';
    const result = lintSql(sql);
    assert.deepEqual(hoverAt(result, mergeConfig({}), { line: 2, character: 6 })?.range, { start: { line: 1, character: 2 }, end: { line: 2, character: 20 } });
  });
});

describe('hover over LSP (dist/server.js)', () => {
  let root: string;
  let client: TestClient;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'safemig-hover-'));
    mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
    client = await TestClient.start({ root });
  });
  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('the server offers hover and answers with the lock of the statement under the cursor', async () => {
    const path = join(root, 'db', 'migrations', '001_index.sql');
    await client.open(path, '-- UP Migration\nCREATE INDEX IF NOT EXISTS i ON users (email);\n\n-- DOWN Migration (Rollback)\n-- DROP INDEX IF EXISTS i;\n');
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(path) }, position: { line: 1, character: 5 } })) as Hover | null;
    assert.ok(hover);
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.match(contents.value, /\*\*CREATE INDEX\*\* takes \*\*SHARE\*\* on table `users`/);
    assert.deepEqual(hover.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 45 } });
    const none = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(path) }, position: { line: 4, character: 5 } });
    assert.equal(none, null);
  });

  test('dropping a foreign key an earlier migration on disk defined: the hover names the referenced table\'s lock too', async () => {
    const earlier = join(root, 'db', 'migrations', '002_orders.sql');
    writeFileSync(earlier, '-- UP Migration\nCREATE TABLE IF NOT EXISTS orders (id int, user_id int REFERENCES users (id));\n');
    // As the editor tells of a file created on disk.
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(earlier), type: 1 }] });
    const path = join(root, 'db', 'migrations', '003_drop_fk.sql');
    const text = '-- UP Migration\nALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\n';
    // A file of the folder, as a migration being edited is (the folder's order is read from the disk).
    writeFileSync(path, text);
    await client.open(path, text);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri(path) }, position: { line: 1, character: 25 } })) as Hover | null;
    const shown = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(shown, /\*\*DROP CONSTRAINT orders_user_id_fkey\*\* takes \*\*ACCESS EXCLUSIVE\*\* on table `orders`/);
    assert.match(shown, /\*\*DROP CONSTRAINT orders_user_id_fkey \(referenced table of the foreign key\)\*\* takes \*\*ACCESS EXCLUSIVE\*\* on table `users`/);
  });
});
