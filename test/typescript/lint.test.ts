/**
 * The engine on TS/JS migrations: every rule runs on the SQL read from the strings and builder
 * calls, findings land on the exact characters of the file (UTF-16), fixes are made inside the
 * strings and the result lints clean of them, `// safemig-ignore` comments silence, and what is
 * not a migration, an interpolation or a DOWN function says nothing it should not.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../server/src/config/config';
import { Finding, lint } from '../../server/src/lint/lint';
import { initParser } from '../../server/src/sql/pg';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { isMigrationFile } from '../../server/src/workspace/settings';
import { LineIndex } from '../../server/src/sql/positions';
import { FIXTURES } from './helpers';

before(async () => {
  await initParser();
});

const fs = new DiskFileSystem();

function lintFixture(relative: string, text?: string, config = defaultConfig()) {
  const path = join(FIXTURES, relative);
  const source = text ?? readFileSync(path, 'utf8');
  return { path, text: source, ...lint(path, source, fs, config) };
}

/** `rule "file text"` of each finding, the lock-timeout advice aside (it is on nearly every statement). */
function found(text: string, findings: Finding[]): string[] {
  return findings.filter((f) => f.rule !== 'require-lock-timeout').map((f) => `${f.rule} ${JSON.stringify(text.slice(f.start, f.end))}`);
}

/** The text with the edits of one fix applied. */
function applyFix(text: string, finding: Finding, title: string): string {
  const fix = finding.fixes.find((f) => f.title === title);
  assert.ok(fix, `${finding.rule} offers "${title}" (has ${finding.fixes.map((f) => f.title).join(', ')})`);
  const lines = new LineIndex(text);
  const edits = fix.edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

describe('conventions of TS/JS migrations', () => {
  test('each framework is its convention, with its parts and runner transaction', () => {
    const cases: Array<[string, string, string]> = [
      ['knex/migrations/20240105093000_create_users.ts', 'knex', 'up:t down:t'],
      ['knex/migrations/20240201100000_concurrent_index.ts', 'knex', 'up:- down:-'],
      ['pgm/migrations/1700000200000_index-concurrently.js', 'node-pg-migrate', 'up:- down:-'],
      ['pgm/migrations/1700000100000_add-columns.ts', 'node-pg-migrate', 'up:t down:t'],
      ['kysely/migrations/2024_01_15_create_pets.ts', 'kysely', 'up:t down:t'],
      ['typeorm/src/migrations/1700000900000-ConcurrentIndex.ts', 'typeorm', 'up:- down:-'],
      ['typeorm/src/migrations/1700000000000-CreatePost.ts', 'typeorm', 'up:t down:t'],
      ['seed003/scripts/migrations/000-init-database.ts', 'migration-scripts', 'up:-'],
    ];
    for (const [relative, convention, parts] of cases) {
      const { migration } = lintFixture(relative);
      assert.equal(migration.convention.name, convention, relative);
      assert.equal(migration.parts.map((p) => `${p.kind}:${p.runnerTransaction ? 't' : '-'}`).join(' '), parts, relative);
    }
  });

  test('what is not a migration is never linted: application code, helpers beside migrations', () => {
    for (const relative of ['app/src/db/users.ts', 'app/src/db/UserRepository.ts', 'app/migrations/helpers.ts']) {
      const path = join(FIXTURES, relative);
      const text = readFileSync(path, 'utf8');
      assert.equal(isMigrationFile(path, text, defaultConfig(), FIXTURES, fs), false, relative);
      assert.deepEqual(lint(path, text, fs, defaultConfig()).findings, [], relative);
    }
    // A migration's shape outside a migrations folder is application code too.
    const elsewhere = join(FIXTURES, 'app', 'src', 'db', '20240101000000_x.ts');
    assert.equal(isMigrationFile(elsewhere, "export async function up(knex) { await knex.raw('DROP TABLE users') }\n", defaultConfig(), FIXTURES, fs), false);
  });

  test('Drizzle: its SQL files are its convention, roll-forward, in the migrator’s transaction', () => {
    const { migration, findings, text } = lintFixture('drizzle/drizzle/0001_add_name.sql');
    assert.equal(migration.convention.name, 'drizzle');
    assert.equal(migration.parts.map((p) => `${p.kind}:${p.runnerTransaction}`).join(' '), 'up:true');
    assert.deepEqual(found(text, findings), [
      'add-required-column "ADD COLUMN \\"name\\" text NOT NULL"',
      'require-if-not-exists "ADD COLUMN \\"name\\""',
      'concurrently-in-transaction "CREATE INDEX CONCURRENTLY \\"users_name_idx\\" ON \\"users\\" USING btree (\\"name\\")"',
      'require-if-not-exists "CREATE INDEX CONCURRENTLY \\"users_name_idx\\""',
    ]);
    assert.deepEqual(lintFixture('drizzle/drizzle/0000_init.sql').findings, [], 'no missing-rollback: roll-forward');
  });
});

describe('findings at the characters of the strings', () => {
  test('CR LF and multi-byte text before, escaped quotes inside', () => {
    const { text, findings } = lintFixture('typeorm/src/migrations/1700001000000-AddPostStatus.ts');
    const add = findings.find((f) => f.rule === 'require-if-not-exists')!;
    assert.equal(text.slice(add.start, add.end), 'ADD "status"');
    // Line 7 (0-based 6) after CR LF lines and a comment with 🚀-class characters: UTF-16 columns.
    assert.deepEqual(add.range, { start: { line: 6, character: 12 }, end: { line: 6, character: 24 } });
    const drop = findings.find((f) => f.rule === 'require-if-exists')!;
    assert.deepEqual(drop.range, { start: { line: 11, character: 52 }, end: { line: 11, character: 72 } });
  });

  test('escape sequences, a line continuation and `\\`` in a script', () => {
    const { text, findings } = lintFixture('seed003/scripts/migrations/004-escapes.js');
    assert.deepEqual(found(text, findings), [
      'require-if-not-exists "ADD COLUMN \\\\\\"tag\\\\\\""',
      'set-not-null "ALTER COLUMN label SET NOT NULL"',
      'unbounded-data-change "UPDATE notes \\\\\\nSET label = body"',
    ]);
  });

  test('interpolations are placeholders: no syntax error, no finding about an unknown name', () => {
    const { text, findings } = lintFixture('lint/migrations/20240402000000_interpolated.ts');
    assert.deepEqual(findings, []);
    // A placeholder where a number or a keyword goes parses too.
    const inline = text.replace("ADD COLUMN IF NOT EXISTS note text", 'ADD COLUMN IF NOT EXISTS note varchar(${width}) ${nullable}');
    assert.deepEqual(lintFixture('lint/migrations/20240402000000_interpolated.ts', inline).findings.map((f) => f.rule), []);
    // A real syntax error in the same string is still one, at its characters.
    const broken = text.replace('ADD COLUMN IF NOT EXISTS note text', 'ADD COLUMN IF NOT EXISTS note text NOT NUL');
    const [error] = lintFixture('lint/migrations/20240402000000_interpolated.ts', broken).findings;
    assert.equal(error.rule, 'syntax-error');
    assert.equal(broken.slice(error.start, error.end), 'NUL');
  });

  test('the DOWN function drops what UP made: no drop-table there', () => {
    const { text, findings } = lintFixture('knex/migrations/20240105093000_create_users.ts');
    assert.ok(!findings.some((f) => f.rule === 'drop-table'), found(text, findings).join('\n'));
    assert.ok(findings.some((f) => f.rule === 'require-if-exists' && text.slice(f.start, f.end) === "knex.schema.dropTable('users')"));
  });

  test('schema builder calls stand for their SQL: the finding is on the call', () => {
    const knex = lintFixture('knex/migrations/20240112110000_alter_users.ts');
    const pgm = lintFixture('pgm/migrations/1700000100000_add-columns.ts');
    const at = (r: ReturnType<typeof lintFixture>, rule: string) => r.findings.filter((f) => f.rule === rule).map((f) => r.text.slice(f.start, f.end));
    assert.deepEqual(at(knex, 'drop-column'), ["table.dropColumn('display_name')"]);
    assert.deepEqual(at(knex, 'rename-column'), ["table.renameColumn('email', 'primary_email')"]);
    assert.equal(at(knex, 'add-required-column').length, 1);
    assert.deepEqual(at(pgm, 'rename-column'), ["pgm.renameColumn('accounts', 'name', 'display_name')"]);
    assert.equal(at(pgm, 'drop-column').length, 2);
  });

  test('transactions: a CONCURRENTLY index in a runner transaction is an error; the opt-out clears it', () => {
    const optedOut = lintFixture('knex/migrations/20240201100000_concurrent_index.ts');
    assert.ok(!optedOut.findings.some((f) => f.rule === 'concurrently-in-transaction'));
    const wrapped = optedOut.text.replace('export const config = { transaction: false };\n', '');
    const inTransaction = lintFixture('knex/migrations/20240201100000_concurrent_index.ts', wrapped);
    const [error] = inTransaction.findings.filter((f) => f.rule === 'concurrently-in-transaction');
    assert.ok(error, found(wrapped, inTransaction.findings).join('\n'));
    assert.match(wrapped.slice(error.start, error.end), /^CREATE INDEX CONCURRENTLY/);
  });

  test('down = false: missing-rollback says the migration is irreversible, where it says so', () => {
    const { text, findings } = lintFixture('pgm/migrations/1700000300000_alter-and-constraints.js');
    const [missing] = findings.filter((f) => f.rule === 'missing-rollback');
    assert.equal(missing.messageId, 'irreversible');
    assert.equal(text.slice(missing.start, missing.end), 'false');
    // A seed-003 script is roll-forward: no missing-rollback unless requireRollback.
    assert.ok(!lintFixture('seed003/scripts/migrations/001-add-conversation-tracking.ts').findings.some((f) => f.rule === 'missing-rollback'));
    const strict = { ...defaultConfig(), requireRollback: true };
    assert.ok(lintFixture('seed003/scripts/migrations/001-add-conversation-tracking.ts', undefined, strict).findings.some((f) => f.rule === 'missing-rollback'));
  });

  test('earlier TS migrations of the folder are read as their SQL: a column’s type before this one', () => {
    const root = mkdtempSync(join(tmpdir(), 'safemig-ts-history-'));
    try {
      mkdirSync(join(root, 'migrations'));
      const knex = (up: string, down: string) => `import type { Knex } from 'knex';\n\nexport async function up(knex: Knex): Promise<void> {\n  await knex.raw('${up}');\n}\n\nexport async function down(knex: Knex): Promise<void> {\n  await knex.raw('${down}');\n}\n`;
      writeFileSync(join(root, 'migrations', '20240101000000_users.ts'), knex('CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, email varchar(100))', 'DROP TABLE IF EXISTS users'));
      const path = join(root, 'migrations', '20240102000000_widen.ts');
      const widen = knex('ALTER TABLE users ALTER COLUMN email TYPE varchar(200)', 'ALTER TABLE users ALTER COLUMN email TYPE varchar(100)');
      writeFileSync(path, widen);
      // varchar(100) → varchar(200) is free: known only from the earlier migration's string.
      assert.deepEqual(lint(path, widen, new DiskFileSystem(), defaultConfig()).findings.map((f) => f.rule), ['require-lock-timeout']);
      const narrow = widen.replace('TYPE varchar(200)', 'TYPE varchar(50)');
      assert.ok(lint(path, narrow, new DiskFileSystem(), defaultConfig()).findings.some((f) => f.rule === 'change-column-type'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a script’s early ROLLBACK before `return` is a way out, not the end of its transaction', () => {
    const { findings } = lintFixture('seed003/scripts/migrations/001-add-conversation-tracking.ts');
    assert.ok(!findings.some((f) => f.rule === 'unbalanced-transaction'));
  });
});

describe('fixes inside the strings, and ignore comments', () => {
  test('IF NOT EXISTS goes inside each kind of string, with its quoting, and the finding goes away', () => {
    for (const relative of ['knex/migrations/20240120080000_raw_sql.js', 'typeorm/src/migrations/1700001000000-AddPostStatus.ts', 'seed003/scripts/migrations/004-escapes.js']) {
      const first = lintFixture(relative);
      const finding = first.findings.find((f) => f.rule === 'require-if-not-exists')!;
      const fixed = applyFix(first.text, finding, 'Add IF NOT EXISTS');
      const again = lintFixture(relative, fixed);
      assert.equal(again.findings.filter((f) => f.rule === 'require-if-not-exists').length, first.findings.filter((f) => f.rule === 'require-if-not-exists').length - 1, `${relative}:\n${fixed}`);
      assert.ok(!again.findings.some((f) => f.rule === 'syntax-error'), relative);
    }
    const escapes = lintFixture('seed003/scripts/migrations/004-escapes.js');
    const fixed = applyFix(escapes.text, escapes.findings.find((f) => f.rule === 'require-if-not-exists')!, 'Add IF NOT EXISTS');
    assert.match(fixed, /'ALTER TABLE notes ADD COLUMN IF NOT EXISTS \\"tag\\" text'/);
  });

  test('a fix that would add a statement to a string, or edit a builder call, is not offered', () => {
    const knex = lintFixture('knex/migrations/20240201100000_concurrent_index.ts');
    const concurrent = knex.findings.find((f) => f.rule === 'concurrent-index-if-not-exists')!;
    assert.deepEqual(concurrent.fixes.map((f) => f.title), ['Ignore concurrent-index-if-not-exists for this statement', 'Ignore concurrent-index-if-not-exists for this file']);
    const builder = lintFixture('knex/migrations/20240105093000_create_users.ts').findings.find((f) => f.rule === 'require-if-not-exists')!;
    assert.ok(builder.fixes.every((f) => f.title.startsWith('Ignore')));
  });

  test('// safemig-ignore before the call silences it; an unused one is reported on its rule', () => {
    const { text, findings } = lintFixture('lint/migrations/20240401000000_ignored.ts');
    assert.deepEqual(found(text, findings), ['unused-suppression "rename-table"']);
    const [unused] = findings.filter((f) => f.rule === 'unused-suppression');
    assert.deepEqual(unused.range, { start: { line: 5, character: 20 }, end: { line: 5, character: 32 } });
  });

  test('the ignore fix writes the comment on the line before the call, and it is honoured', () => {
    const first = lintFixture('knex/migrations/20240112110000_alter_users.ts');
    const drop = first.findings.find((f) => f.rule === 'drop-column')!;
    const fixed = applyFix(first.text, drop, 'Ignore drop-column for this statement');
    assert.match(fixed, /\n {4}\/\/ safemig-ignore drop-column: <reason>\n {4}table\.dropColumn\('display_name'\);/);
    const again = lintFixture('knex/migrations/20240112110000_alter_users.ts', fixed);
    assert.ok(!again.findings.some((f) => f.rule === 'drop-column'));
    assert.ok(!again.findings.some((f) => f.rule === 'unused-suppression'));
    const fileWide = applyFix(first.text, drop, 'Ignore drop-column for this file');
    assert.ok(fileWide.startsWith('// safemig-ignore-file drop-column: <reason>\n'));
    assert.ok(!lintFixture('knex/migrations/20240112110000_alter_users.ts', fileWide).findings.some((f) => f.rule === 'drop-column'));
  });
});
