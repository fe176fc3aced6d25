/**
 * Reading TS/JS migrations: which files are migrations, the SQL each part hands to the database,
 * its exact place in the file (escapes, `${…}`, CR LF, multi-byte text), placeholders that always
 * parse, transactions, and whether all of it is known before it runs.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { initParser } from '../../server/src/sql/pg';
import { parseSql } from '../../server/src/sql/parse';
import { isPlaceholderName } from '../../server/src/typescript/embedded-sql';
import { extractMigration } from '../../server/src/typescript/extract';
import { parseEmbedded } from '../../server/src/typescript/parse-embedded';
import { assertExactMap, fixture, fixturePaths, FIXTURES, pieceWith, sourceOf } from './helpers';

before(async () => {
  await initParser();
});

describe('which files are migrations', () => {
  test('each framework fixture is read with its framework; application code beside them is not', () => {
    const frameworks = new Map(fixturePaths().map((path) => [relative(FIXTURES, path), extractMigration(readFileSync(path, 'utf8'), path)?.framework ?? 'not a migration']));
    for (const [path, framework] of frameworks) {
      const expected = path.startsWith('app/') ? 'not a migration'
        : path.startsWith('knex/') || path.startsWith('lint/') ? 'knex'
        : path.startsWith('pgm/') ? 'node-pg-migrate'
        : path.startsWith('kysely/') ? 'kysely'
        : path.startsWith('typeorm/') ? 'typeorm'
        : 'script';
      assert.equal(framework, expected, path);
    }
    assert.ok(frameworks.size >= 24);
  });

  const notMigrations: Array<[string, string, string]> = [
    ['up is not a function', 'src/a.ts', "export const up = 'x';\nawait pool.query('DROP TABLE t');"],
    ['a helper beside migrations', 'migrations/helpers.ts', "export async function run(knex) { await knex.raw('DROP TABLE t'); }"],
    ['a class whose up/down take no QueryRunner', 'src/lift.ts', 'export class Lift { async up(n: number) { await this.r.query(`DROP TABLE t`) } async down(n: number) {} }'],
    ['a numbered script outside scripts/migrations', 'scripts/tools/001-cleanup.ts', "await pool.query('DROP TABLE t')"],
    ['a script without a number', 'scripts/migrations/run-all.ts', "await pool.query('DROP TABLE t')"],
  ];
  for (const [name, path, text] of notMigrations) {
    test(`not a migration: ${name}`, () => assert.equal(extractMigration(text, path), undefined));
  }

  test('up/down as exports.*, module.exports, export const and export { } are all read', () => {
    const shapes = [
      "exports.up = function (knex) { return knex.raw('SELECT 1') }; exports.down = function (knex) { return knex.raw('SELECT 2') };",
      "module.exports = { up: async (knex) => { await knex.raw('SELECT 1') }, async down(knex) { await knex.raw('SELECT 2') } };",
      "export const up = async (knex) => { await knex.raw('SELECT 1') }; export const down = async (knex) => { await knex.raw('SELECT 2') };",
      "async function up(knex) { await knex.raw('SELECT 1') } async function down(knex) { await knex.raw('SELECT 2') } export { up, down };",
      "const up = async (knex) => { await knex.raw('SELECT 1') }; const down = async (knex) => { await knex.raw('SELECT 2') }; module.exports = { up, down };",
    ];
    for (const text of shapes) {
      const m = extractMigration(text, 'migrations/20240101000000_x.js');
      assert.deepEqual(m?.sql.map((p) => [p.part, p.text]), [['up', 'SELECT 1'], ['down', 'SELECT 2']], text);
    }
  });
});

describe('the SQL each part runs', () => {
  test('TypeORM: queryRunner.query in up() and down(), in order', () => {
    const { migration } = fixture('typeorm/src/migrations/1700000500000-RenamePostTitle.ts');
    assert.deepEqual(migration.sql.map((p) => [p.part, p.via, p.text]), [
      ['up', 'query', 'ALTER TABLE "post" RENAME COLUMN "title" TO "name"'],
      ['up', 'query', 'ALTER TABLE "post" ADD "slug" character varying NOT NULL'],
      ['down', 'query', 'ALTER TABLE "post" DROP COLUMN "slug"'],
      ['down', 'query', 'ALTER TABLE "post" RENAME COLUMN "name" TO "title"'],
    ]);
    assert.equal(migration.down, 'function');
  });

  test('kysely: sql tags, sql.raw and a compiled query', () => {
    const { migration } = fixture('kysely/migrations/2024_03_10_drop_toy.ts');
    assert.deepEqual(migration.sql.map((p) => [p.part, p.via, p.text]), [
      ['up', 'sql', 'DROP TABLE toy'],
      ['up', 'raw', 'ALTER TABLE pet DROP COLUMN toy_id'],
      ['down', 'sql', 'CREATE TABLE toy (id serial PRIMARY KEY)'],
    ]);
  });

  test('knex: knex.raw and knex.schema.raw', () => {
    const { migration } = fixture('knex/migrations/20240120080000_raw_sql.js');
    assert.deepEqual(migration.sql.map((p) => [p.part, p.text]), [
      ['up', 'CREATE INDEX orders_created_at_idx ON orders (created_at)'],
      ['up', `ALTER TABLE orders ADD COLUMN note text DEFAULT 'it''s "fine"'`],
      ['up', 'ALTER TABLE orders\n    ADD COLUMN status text NOT NULL'],
      ['down', 'DROP INDEX orders_created_at_idx'],
      ['down', 'ALTER TABLE orders DROP COLUMN note, DROP COLUMN status'],
    ]);
  });

  test('seed 003: a script is all UP, with BEGIN / COMMIT as written and ROLLBACK only on the error path', () => {
    const { migration } = fixture('seed003/scripts/migrations/000-init-database.ts');
    assert.equal(migration.down, 'none');
    assert.deepEqual(migration.runnerTransaction, { up: false, down: false });
    assert.ok(migration.sql.every((p) => p.part === 'up'));
    const run = migration.sql.filter((p) => !p.onError).map((p) => p.text.trim().split(/\s+/).slice(0, 3).join(' '));
    assert.deepEqual(run, ['BEGIN', 'CREATE TABLE IF', 'CREATE TABLE IF', 'CREATE INDEX IF', 'COMMENT ON TABLE', 'COMMIT']);
    assert.deepEqual(migration.sql.filter((p) => p.onError).map((p) => p.text), ['ROLLBACK']);
    assert.equal(migration.dynamic, undefined);
  });

  test("seed 003: Bun's sql, postgres.js clients and their transactions are SQL tags; other templates are not", () => {
    const text = [
      "import postgres from 'postgres'",
      'const db = postgres(process.env.DATABASE_URL)',
      'const html = (s) => s',
      'await db.begin(async (tx) => {',
      '  await tx`ALTER TABLE a ADD COLUMN b int`',
      '})',
      'await db`DROP INDEX i`',
      'console.log(html`<b>DROP TABLE x</b>`)',
    ].join('\n');
    const m = extractMigration(text, 'scripts/migrations/005-x.ts');
    assert.deepEqual(m?.sql.map((p) => p.text), ['ALTER TABLE a ADD COLUMN b int', 'DROP INDEX i']);
  });

  test('SQL in a local function runs in the part that calls it; a function never called runs nowhere', () => {
    const text = [
      "import type { Knex } from 'knex';",
      "async function addColumn(knex: Knex) { await knex.raw('ALTER TABLE t ADD COLUMN c int'); }",
      "async function unused(knex: Knex) { await knex.raw('DROP TABLE t'); }",
      'export async function up(knex: Knex) { await addColumn(knex); }',
      "export async function down(knex: Knex) { await knex.raw('ALTER TABLE t DROP COLUMN c'); }",
    ].join('\n');
    const m = extractMigration(text, 'migrations/20240101000000_x.ts');
    assert.deepEqual(m?.sql.map((p) => [p.part, p.text]), [['up', 'ALTER TABLE t ADD COLUMN c int'], ['down', 'ALTER TABLE t DROP COLUMN c']]);
  });

  test('SQL held in a const, concatenated, or in { text } is read; the map still points into it', () => {
    const text = [
      "const { Client } = require('pg')",
      "const ADD = `ALTER TABLE t ADD COLUMN c int`",
      'async function main() {',
      '  const client = new Client()',
      '  await client.query(ADD)',
      "  await client.query('ALTER TABLE t ' + \"ALTER COLUMN c SET NOT NULL\")",
      "  await client.query({ text: 'UPDATE t SET c = $1', values: [1] })",
      '}',
      'main()',
    ].join('\n');
    const m = extractMigration(text, 'scripts/migrations/006-x.js')!;
    assert.deepEqual(m.sql.map((p) => p.text), ['ALTER TABLE t ADD COLUMN c int', 'ALTER TABLE t ALTER COLUMN c SET NOT NULL', 'UPDATE t SET c = $1']);
    assert.equal(sourceOf(text, m.sql[0], 'ADD COLUMN c'), 'ADD COLUMN c');
    // A range across the two literals covers the `+` between them.
    assert.equal(sourceOf(text, m.sql[1], 't ALTER'), "t ' + \"ALTER");
    assert.equal(m.dynamic, undefined);
  });
});

describe('positions: every SQL offset maps to the characters it came from', () => {
  test('every fixture: each SQL unit maps to file text that decodes to it', () => {
    let pieces = 0;
    for (const path of fixturePaths()) {
      const text = readFileSync(path, 'utf8');
      for (const piece of extractMigration(text, path)?.sql ?? []) {
        if (piece.origin === 'string') {
          assertExactMap(text, piece);
          pieces++;
        }
      }
    }
    assert.ok(pieces >= 40, `${pieces} pieces checked`);
  });

  test('a literal without interpolation reads as JavaScript reads it', () => {
    for (const path of fixturePaths()) {
      const text = readFileSync(path, 'utf8');
      for (const piece of extractMigration(text, path)?.sql ?? []) {
        if (piece.origin !== 'string' || piece.placeholders.length > 0 || piece.literals.length !== 1) continue;
        const literal = piece.literals[0];
        const value = new Function(`return ${text.slice(literal.start, literal.end)}`)();
        assert.equal(piece.text, value, `${relative(FIXTURES, path)} at ${literal.start}`);
      }
    }
  });

  test('escapes: \\" \\\\ \\t \\u \\x \\` \\${ and a line continuation', () => {
    const { text, migration } = fixture('seed003/scripts/migrations/004-escapes.js');
    assert.equal(sourceOf(text, pieceWith(migration, '"tag"'), '"tag"'), '\\"tag\\"');
    const values = pieceWith(migration, 'INSERT INTO notes');
    assert.equal(values.text, "INSERT INTO notes (body) VALUES ('line one\\nline two'), ('tab\there'), ('été')");
    assert.equal(sourceOf(text, values, '\\n'), '\\\\n');
    assert.equal(sourceOf(text, values, 'two'), 'two');
    assert.equal(sourceOf(text, values, '\there'), '\\there');
    assert.equal(sourceOf(text, values, 'été'), '\\u00e9t\\xe9');
    assert.equal(sourceOf(text, values, "')"), "')", 'after the escapes, offsets are back in step');
    const comment = pieceWith(migration, 'back`tick');
    assert.equal(comment.text, "COMMENT ON TABLE notes IS 'back`tick and ${dollar}'");
    assert.equal(sourceOf(text, comment, 'back`tick'), 'back\\`tick');
    assert.equal(sourceOf(text, comment, '${dollar}'), '\\${dollar}');
    const update = pieceWith(migration, 'UPDATE notes');
    assert.equal(update.text, 'UPDATE notes SET label = body');
    assert.equal(sourceOf(text, update, 'notes SET'), 'notes \\\nSET');
  });

  test('CR LF line breaks and multi-byte text before the SQL (TypeORM, UTF-16 offsets)', () => {
    const { text, migration } = fixture('typeorm/src/migrations/1700001000000-AddPostStatus.ts');
    assert.ok(text.includes('\r\n') && text.includes('📝'));
    const add = pieceWith(migration, 'ADD "status"');
    assert.equal(add.text, 'ALTER TABLE "post"\n            ADD "status" varchar(20) NOT NULL DEFAULT \'brouillon\'');
    assert.equal(sourceOf(text, add, '\n'), '\r\n', 'the template reads CR LF as one LF');
    assert.equal(sourceOf(text, add, "'brouillon'"), "'brouillon'");
    const range = add.sourceRange(add.text.indexOf('varchar'), add.text.indexOf('varchar') + 7);
    assert.equal(text.slice(range.start, range.end), 'varchar');
    const comment = pieceWith(migration, 'COMMENT ON COLUMN');
    assert.equal(comment.text, 'COMMENT ON COLUMN "post"."status" IS \'état 📝\\t\'');
    assert.equal(sourceOf(text, comment, '"post"."status"'), '\\"post\\".\\"status\\"');
    assert.equal(sourceOf(text, comment, '📝'), '📝');
    assert.equal(sourceOf(text, comment, "\\t'"), "\\\\t'");
  });

  test('multi-byte text inside a template and the SQL after it (seed 003)', () => {
    const { text, migration } = fixture('seed003/scripts/migrations/000-init-database.ts');
    const comment = pieceWith(migration, 'COMMENT ON TABLE');
    assert.equal(sourceOf(text, comment, 'API — with'), 'API — with');
    assert.equal(sourceOf(text, comment, "response'"), "response'");
  });

  test('a statement parsed from the SQL maps back onto the file', () => {
    const { text, migration } = fixture('seed003/scripts/migrations/001-add-conversation-tracking.ts');
    const alter = pieceWith(migration, 'ADD COLUMN message_count');
    const [statement] = parseSql(alter.text).statements;
    const range = alter.sourceRange(statement.start, statement.end);
    assert.ok(text.slice(range.start, range.end).startsWith('ALTER TABLE api_requests\n        ADD COLUMN current_message_hash'));
    assert.ok(text.slice(range.start, range.end).endsWith('message_count INTEGER NOT NULL'));
  });
});

describe('placeholders', () => {
  test('no fixture SQL is a syntax error', () => {
    for (const path of fixturePaths()) {
      const text = readFileSync(path, 'utf8');
      for (const piece of extractMigration(text, path)?.sql ?? []) {
        assert.deepEqual(parseSql(piece.text).errors, [], `${relative(FIXTURES, path)}: ${piece.text}`);
        assert.deepEqual(parseEmbedded(piece).text, piece.text, 'names parse where these placeholders are');
      }
    }
  });

  test('an interpolation in every place a name or a value goes parses, and its range is the `${…}`', () => {
    const sqls = [
      'ALTER TABLE ${table} ADD COLUMN ${column} ${type}',
      'CREATE INDEX idx_${table}_${column} ON ${schema}.${table} (${column})',
      "UPDATE t SET a = ${value}, b = '${text}', c = \"${quoted}\" WHERE id IN (${ids})",
      'SELECT * FROM t WHERE a = ANY(${list}) LIMIT ${n} OFFSET ${m}',
      "ALTER TABLE t ALTER COLUMN c TYPE varchar(${length}) USING c::varchar(${length})",
      "DELETE FROM t WHERE created_at < now() - interval '${days} days'",
      'ALTER TABLE t ADD COLUMN c int DEFAULT ${fallback} NOT NULL',
      'SELECT ${expr} FROM ${table} ORDER BY ${column} DESC',
      'DROP TABLE IF EXISTS ${a}, ${b} CASCADE',
      'COMMENT ON COLUMN ${table}.${column} IS ${comment}',
      'CREATE ${unique} INDEX ${concurrently} i ON t (c)',
      'ALTER TABLE t ADD COLUMN c numeric(${precision}, ${scale}) NOT NULL',
    ];
    for (const sql of sqls) {
      const text = `export async function up(knex) { await knex.raw(\`${sql}\`) }`;
      const m = extractMigration(text, 'migrations/20240101000000_x.js')!;
      const [piece] = m.sql;
      const parsed = parseEmbedded(piece);
      assert.deepEqual(parsed.errors, [], parsed.text);
      assert.equal(parsed.text.length, piece.text.length, 'offsets keep');
      assert.ok(piece.placeholders.length > 0);
      for (const p of piece.placeholders) {
        const source = text.slice(p.source.start, p.source.end);
        assert.ok(source.startsWith('${') && source.endsWith('}'), source);
        assert.equal(piece.placeholderIn(p.start, p.end), p);
        assert.ok(isPlaceholderName(piece.text.slice(p.start, p.end)), 'rules can tell the name is unknown');
      }
      assert.match(m.dynamic!.description, /known only when the migration runs/);
    }
  });

  test('a real syntax error away from any placeholder is still reported', () => {
    const m = extractMigration('export async function up(knex) { await knex.raw(`ALTER TABLE ${t} ADD COLUMN c int NOT NUL`) }', 'migrations/1_x.js')!;
    const parsed = parseEmbedded(m.sql[0]);
    assert.equal(parsed.errors.length, 1);
    assert.equal(parsed.text.slice(parsed.errors[0].start, parsed.errors[0].end), 'NUL');
  });

  test("knex bindings: ?? is a name and ? a value, outside SQL strings", () => {
    const { text, migration } = fixture('knex/migrations/20240210120000_rename_table.ts');
    const update = pieceWith(migration, 'UPDATE');
    assert.match(update.text, /^UPDATE safemig_placeholder_\d+ SET actor_id = safemig_placeholder_\d+ WHERE actor_id IS NULL$/);
    assert.deepEqual(update.placeholders.map((p) => text.slice(p.source.start, p.source.end)), ['??', '?']);
    const quoted = extractMigration("exports.up = (knex) => knex.raw('UPDATE t SET a = ? WHERE b = \\'?\\'', [1])", 'migrations/1_x.js')!;
    assert.equal(quoted.sql[0].placeholders.length, 1, 'a ? inside a SQL string is text');
    const named = "exports.up = (knex) => knex.raw('UPDATE :table: SET a = :value, b = c::int WHERE d = \\':e\\'', { table: 't', value: 1 })";
    const n = extractMigration(named, 'migrations/1_x.js')!.sql[0];
    assert.deepEqual(n.placeholders.map((p) => named.slice(p.source.start, p.source.end)), [':table:', ':value']);
    assert.match(n.text, /^UPDATE safemig_placeholder_\d+ SET a = safemig_placeholder_\d+, b = c::int WHERE d = ':e'$/);
  });
});

describe('transactions and DOWN', () => {
  test('runner transactions and their opt-outs, by framework', () => {
    const cases: Array<[string, { up: boolean; down: boolean }, string[]]> = [
      ['knex/migrations/20240105093000_create_users.ts', { up: true, down: true }, []],
      ['knex/migrations/20240201100000_concurrent_index.ts', { up: false, down: false }, ['{ transaction: false }']],
      ['pgm/migrations/1700000200000_index-concurrently.js', { up: false, down: false }, ['pgm.noTransaction()', 'pgm.noTransaction()']],
      ['typeorm/src/migrations/1700000000000-CreatePost.ts', { up: true, down: true }, []],
      ['typeorm/src/migrations/1700000900000-ConcurrentIndex.ts', { up: false, down: false }, ['transaction = false as const']],
      ['kysely/migrations/2024_01_15_create_pets.ts', { up: true, down: true }, []],
      ['seed003/scripts/migrations/002-optimize-conversation-indexes.ts', { up: false, down: false }, []],
    ];
    for (const [path, wrapped, optOuts] of cases) {
      const { text, migration } = fixture(path);
      assert.deepEqual(migration.runnerTransaction, wrapped, path);
      assert.deepEqual(migration.transactionOptOuts.map((r) => text.slice(r.start, r.end)), optOuts, path);
    }
  });

  test('pgm.noTransaction() in up only leaves down in a transaction', () => {
    const m = extractMigration("exports.up = (pgm) => { pgm.noTransaction(); pgm.sql('SELECT 1') }; exports.down = (pgm) => { pgm.sql('SELECT 2') };", 'migrations/1_x.js')!;
    assert.deepEqual(m.runnerTransaction, { up: false, down: true });
  });

  test('node-pg-migrate down = false is irreversible; no down is none', () => {
    const { text, migration } = fixture('pgm/migrations/1700000300000_alter-and-constraints.js');
    assert.equal(migration.down, 'irreversible');
    assert.equal(text.slice(migration.irreversibleAt!.start, migration.irreversibleAt!.end), 'false');
    assert.equal(extractMigration("exports.up = (pgm) => { pgm.sql('SELECT 1') };", 'migrations/1_x.js')!.down, 'none');
    assert.equal(extractMigration("export const up = (pgm) => { pgm.sql('SELECT 1') }; export const down = false;", 'migrations/1_x.ts')!.down, 'irreversible');
  });
});

describe('static or dynamic', () => {
  test('fixtures whose SQL is all known are static', () => {
    for (const path of [
      'knex/migrations/20240105093000_create_users.ts', 'knex/migrations/20240120080000_raw_sql.js', 'pgm/migrations/1700000100000_add-columns.ts',
      'kysely/migrations/2024_01_15_create_pets.ts', 'typeorm/src/migrations/1700001000000-AddPostStatus.ts', 'seed003/scripts/migrations/000-init-database.ts',
      'seed003/scripts/migrations/002-optimize-conversation-indexes.ts', 'seed003/scripts/migrations/004-escapes.js',
    ]) assert.equal(fixture(path).migration.dynamic, undefined, path);
  });

  test('an early return inside an if: the if is named', () => {
    const { text, migration } = fixture('seed003/scripts/migrations/001-add-conversation-tracking.ts');
    const d = migration.dynamic!;
    assert.equal(text.slice(d.start, d.end), 'existing.rows.length > 0');
    assert.equal(d.description, 'the `if` `existing.rows.length > 0` (line 16) decides whether the SQL in it runs');
  });

  test('the first interpolation is named', () => {
    const { text, migration } = fixture('seed003/scripts/migrations/003-add-subtask-tracking.ts');
    assert.equal(text.slice(migration.dynamic!.start, migration.dynamic!.end), '${sql(table)}');
    assert.match(migration.dynamic!.description, /line 9/);
  });

  const dynamic: Array<[string, string, string]> = [
    ['a loop', "for (const t of tables) {\n  await client.query('ANALYZE t')\n}", "for (const t of tables) {\n  await client.query('ANALYZE t')\n}"],
    ['a ternary choosing the SQL', "await client.query(big ? 'VACUUM t' : 'ANALYZE t')", 'big'],
    ['a ternary choosing the call', "big ? await client.query('VACUUM t') : await client.query('ANALYZE t')", 'big'],
    ['an && guard', "ok && await client.query('ANALYZE t')", 'ok'],
    ['a switch', "switch (mode) { case 'a': await client.query('ANALYZE t') }", 'mode'],
    ['SQL built at run time', 'await client.query(buildSql())', 'buildSql()'],
    ['a variable that is not a constant', "let q = 'ANALYZE t'\nawait client.query(q)", 'q'],
    ['an early return before the SQL', "if (skip) { return }\nawait client.query('ANALYZE t')", 'skip'],
    ['process.exit before the SQL', "if (done) process.exit(0)\nawait client.query('ANALYZE t')", 'done'],
  ];
  for (const [name, body, part] of dynamic) {
    test(`dynamic: ${name}`, () => {
      const text = `const client = new Client()\n${body}\n`;
      const m = extractMigration(text, 'scripts/migrations/010-x.ts')!;
      assert.ok(m.dynamic, 'dynamic');
      assert.equal(text.slice(m.dynamic.start, m.dynamic.end), part);
    });
  }

  const unread: Array<[string, string, string, string]> = [
    ["TypeORM's queryRunner API", 'typeorm/x.ts', 'import { MigrationInterface, QueryRunner, TableColumn } from "typeorm"\nexport class X1 implements MigrationInterface {\n  async up(queryRunner: QueryRunner) { await queryRunner.addColumn("post", new TableColumn({ name: "a", type: "int" })) }\n  async down(queryRunner: QueryRunner) {}\n}', 'queryRunner.addColumn("post", new TableColumn({ name: "a", type: "int" }))'],
    ["kysely's schema builder", 'migrations/2024_x.ts', "import { Kysely } from 'kysely'\nexport async function up(db: Kysely<any>) { await db.schema.createTable('person').addColumn('id', 'serial').execute() }", "db.schema.createTable('person').addColumn('id', 'serial').execute()"],
    ["knex's query builder", 'migrations/1_x.js', "exports.up = async (knex) => { await knex('users').insert({ id: 1 }) }", "knex('users').insert({ id: 1 })"],
    ['a helper of another module given knex', 'migrations/1_x.ts', "import { addAudit } from '../lib/audit'\nexport async function up(knex) { await addAudit(knex, 'users') }", "addAudit(knex, 'users')"],
    ['a MigrationBuilder method not read here', 'migrations/1_x.js', "exports.up = (pgm) => { pgm.createExtension('pgcrypto') }", "pgm.createExtension('pgcrypto')"],
  ];
  for (const [name, path, text, part] of unread) {
    test(`dynamic: ${name} runs SQL that is not read here`, () => {
      const m = extractMigration(text, path)!;
      assert.deepEqual(m.sql, [], 'no SQL is made up for it');
      assert.equal(text.slice(m.dynamic!.start, m.dynamic!.end), part);
      assert.match(m.dynamic!.description, /SQL that safemig does not read/);
    });
  }

  test('kysely queries run with .execute(db) and knex.fn.now() leave a migration static', () => {
    const text = "import { Kysely, sql } from 'kysely'\nexport async function up(db: Kysely<any>) { await sql`ALTER TABLE t ADD COLUMN c timestamptz`.execute(db) }\nexport async function down(db: Kysely<any>) { await sql`ALTER TABLE t DROP COLUMN c`.execute(db) }";
    assert.equal(extractMigration(text, 'migrations/2024_x.ts')!.dynamic, undefined);
    const knex = "exports.up = (knex) => knex.schema.alterTable('t', (t) => { t.timestamp('at').defaultTo(knex.fn.now()) })";
    const m = extractMigration(knex, 'migrations/1_x.js')!;
    assert.equal(m.dynamic, undefined);
    assert.deepEqual(m.sql.map((p) => p.text), ['ALTER TABLE "t" ADD COLUMN "at" timestamptz DEFAULT CURRENT_TIMESTAMP']);
  });

  test('both branches of a ternary argument are SQL, each read', () => {
    const m = extractMigration("await client.query(big ? 'VACUUM t' : `ANALYZE ${t}`)", 'scripts/migrations/012-x.ts')!;
    assert.deepEqual(m.sql.map((p) => p.text.split(' ')[0]), ['VACUUM', 'ANALYZE']);
  });

  test('control flow that runs no SQL, and the error path, leave a migration static', () => {
    const text = [
      "if (!process.env.DATABASE_URL) console.warn('no url')",
      'for (const x of list) { if (!x) break }',
      'try {',
      "  await client.query('ALTER TABLE t ADD COLUMN c int')",
      '} catch (error) {',
      "  await client.query('ROLLBACK')",
      "  if (verbose) await client.query('SELECT 1')",
      '}',
      "main().catch(() => client.query('ROLLBACK'))",
    ].join('\n');
    const m = extractMigration(text, 'scripts/migrations/011-x.ts')!;
    assert.equal(m.dynamic, undefined);
    assert.deepEqual(m.sql.filter((p) => !p.onError).map((p) => p.text), ['ALTER TABLE t ADD COLUMN c int']);
  });
});

describe('files that would hang or crash a reader', () => {
  test('nesting too deep for the parser: not read, no crash', () => {
    const deep = `export async function up(knex) { await knex.raw(${'('.repeat(20000)}'SELECT 1'${')'.repeat(20000)}) }`;
    assert.equal(extractMigration(deep, 'migrations/1_x.js'), undefined);
  });

  test('functions that call each other exponentially often are read once each; running SQL again is not static', () => {
    const lines = ["async function f0(knex) { await knex.raw('SELECT 1') }"];
    for (let i = 1; i <= 40; i++) lines.push(`async function f${i}(knex) { await f${i - 1}(knex); await f${i - 1}(knex) }`);
    lines.push('export async function up(knex) { await f40(knex) }');
    const m = extractMigration(lines.join('\n'), 'migrations/1_x.js')!;
    assert.deepEqual(m.sql.map((p) => p.text), ['SELECT 1']);
    assert.match(m.dynamic!.description, /runs the SQL of `f0` once more/);
  });

  test('a file too large to walk is said to be so', () => {
    const body = Array.from({ length: 40000 }, (_, i) => `x${i} = y${i} + z${i};`).join('\n');
    const m = extractMigration(`export async function up(knex) { ${body}\n await knex.raw('SELECT 1') }`, 'migrations/1_x.js')!;
    assert.deepEqual(m.sql, []);
    assert.match(m.dynamic!.description, /too deeply nested or too large/);
  });

  test('a function that calls itself is walked once', () => {
    const m = extractMigration("async function again(knex) { await knex.raw('SELECT 1'); await again(knex) }\nexport async function up(knex) { await again(knex) }", 'migrations/1_x.js')!;
    assert.deepEqual(m.sql.map((p) => p.text), ['SELECT 1']);
  });
});
