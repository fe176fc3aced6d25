/**
 * Schema builder calls stand for the SQL they generate: knex's schema builder and
 * node-pg-migrate's MigrationBuilder become statements PostgreSQL parses, each with the range of
 * the call that asks for it, so every rule applies to them.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../server/src/sql/pg';
import { parseSql } from '../../server/src/sql/parse';
import { EmbeddedSql } from '../../server/src/typescript/embedded-sql';
import { extractMigration } from '../../server/src/typescript/extract';
import { fixture } from './helpers';

before(async () => {
  await initParser();
});

/** [part, SQL, kind of the statement PostgreSQL reads, file text of the call] for each builder piece. */
function builders(text: string, sql: EmbeddedSql[]): Array<[string, string, string, string]> {
  return sql.filter((p) => p.origin === 'builder').map((p) => {
    const parsed = parseSql(p.text);
    assert.deepEqual(parsed.errors, [], p.text);
    assert.equal(parsed.statements.length, 1, p.text);
    const whole = p.sourceRange(0, p.text.length);
    // Every offset of the statement maps to the whole call.
    const middle = p.sourceRange(p.text.length >> 1, (p.text.length >> 1) + 1);
    assert.deepEqual(middle, whole);
    return [p.part, p.text, parsed.statements[0].kind, text.slice(whole.start, whole.end)];
  });
}

describe('knex schema builder', () => {
  test('createTable: the table, then its unique, foreign key and index as knex issues them', () => {
    const { text, migration } = fixture('knex/migrations/20240105093000_create_users.ts');
    const found = builders(text, migration.sql);
    assert.deepEqual(found.map(([part, sql, kind]) => [part, sql, kind]), [
      ['up', 'CREATE TABLE "users" ("id" serial primary key, "email" varchar(320) NOT NULL, "display_name" varchar(255), "team_id" integer, "created_at" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP, "updated_at" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP)', 'CreateStmt'],
      ['up', 'ALTER TABLE "users" ADD CONSTRAINT "users_email_unique" UNIQUE ("email")', 'AlterTableStmt'],
      ['up', 'ALTER TABLE "users" ADD CONSTRAINT "users_team_id_foreign" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON DELETE CASCADE', 'AlterTableStmt'],
      ['up', 'CREATE INDEX "users_team_id_index" ON "users" ("team_id")', 'IndexStmt'],
      ['down', 'DROP TABLE "users"', 'DropStmt'],
    ]);
    assert.ok(found[0][3].startsWith("knex.schema.createTable('users', (table) => {"));
    assert.equal(found[1][3], "table.string('email', 320).notNullable().unique()");
    assert.equal(found[3][3], "table.index(['team_id'])");
    assert.equal(found[4][3], "knex.schema.dropTable('users')");
  });

  test('alterTable: dropColumn, renameColumn, notNullable without defaultTo, index, unique, foreign', () => {
    const { text, migration } = fixture('knex/migrations/20240112110000_alter_users.ts');
    assert.deepEqual(builders(text, migration.sql).filter(([part]) => part === 'up').map(([, sql, kind, call]) => [sql, kind, call]), [
      ['ALTER TABLE "users" DROP COLUMN "display_name"', 'AlterTableStmt', "table.dropColumn('display_name')"],
      ['ALTER TABLE "users" RENAME COLUMN "email" TO "primary_email"', 'RenameStmt', "table.renameColumn('email', 'primary_email')"],
      ['ALTER TABLE "users" ADD COLUMN "is_admin" boolean NOT NULL', 'AlterTableStmt', "table.boolean('is_admin').notNullable()"],
      ['ALTER TABLE "users" ADD COLUMN "bio" text NOT NULL DEFAULT \'\'', 'AlterTableStmt', "table.text('bio').notNullable().defaultTo('')"],
      ['CREATE INDEX "users_primary_email_idx" ON "users" ("primary_email")', 'IndexStmt', "table.index(['primary_email'], 'users_primary_email_idx')"],
      ['ALTER TABLE "users" ADD CONSTRAINT "users_team_id_primary_email_unique" UNIQUE ("team_id", "primary_email")', 'AlterTableStmt', "table.unique(['team_id', 'primary_email'])"],
      ['ALTER TABLE "users" ADD CONSTRAINT "users_team_id_foreign" FOREIGN KEY ("team_id") REFERENCES "teams" ("id")', 'AlterTableStmt', "table.foreign('team_id').references('teams.id')"],
    ]);
  });

  test('dropTable, dropTableIfExists and renameTable, each link of a chain with its own range', () => {
    const { text, migration } = fixture('knex/migrations/20240301090000_drop_legacy.js');
    assert.deepEqual(builders(text, migration.sql).map(([part, sql, , call]) => [part, sql, call]), [
      ['up', 'DROP TABLE IF EXISTS "legacy_sessions"', "knex.schema\n    .dropTableIfExists('legacy_sessions')"],
      ['up', 'DROP TABLE "legacy_tokens"', "dropTable('legacy_tokens')"],
      ['down', 'CREATE TABLE "legacy_tokens" ("id" bigserial primary key, "token" uuid NOT NULL)', text.slice(text.indexOf('knex.schema.createTable'), text.lastIndexOf(')') + 1)],
    ]);
    const renamed = fixture('knex/migrations/20240210120000_rename_table.ts');
    assert.deepEqual(builders(renamed.text, renamed.migration.sql).map(([part, sql, , call]) => [part, sql, call]), [
      ['up', 'ALTER TABLE "audit" RENAME TO "audit_log"', "knex.schema.renameTable('audit', TABLE)"],
      ['down', 'ALTER TABLE "audit_log" RENAME TO "audit"', "knex.schema.renameTable(TABLE, 'audit')"],
    ]);
  });

  test('withSchema, .alter(), enum and timestamps without a zone', () => {
    const text = [
      'exports.up = async (knex) => {',
      "  await knex.schema.withSchema('billing').alterTable('invoices', (t) => {",
      "    t.bigInteger('amount').notNullable().alter();",
      "    t.enu('state', ['open', 'paid']).defaultTo('open');",
      "    t.timestamp('sent_at', { useTz: false });",
      '  });',
      '};',
    ].join('\n');
    const m = extractMigration(text, 'migrations/20240101000000_x.js')!;
    assert.deepEqual(builders(text, m.sql).map(([, sql]) => sql), [
      'ALTER TABLE "billing"."invoices" ALTER COLUMN "amount" DROP DEFAULT',
      'ALTER TABLE "billing"."invoices" ALTER COLUMN "amount" DROP NOT NULL',
      'ALTER TABLE "billing"."invoices" ALTER COLUMN "amount" TYPE bigint USING ("amount"::bigint)',
      'ALTER TABLE "billing"."invoices" ALTER COLUMN "amount" SET NOT NULL',
      'ALTER TABLE "billing"."invoices" ADD COLUMN "state" text check ("state" in (\'open\', \'paid\')) DEFAULT \'open\'',
      'ALTER TABLE "billing"."invoices" ADD COLUMN "sent_at" timestamp',
    ]);
    assert.equal(m.dynamic, undefined);
  });

  test('a table name known only at run time is a placeholder; code in the callback that is not a builder call is dynamic', () => {
    const text = [
      'exports.up = async (knex) => {',
      '  await knex.schema.alterTable(process.env.TABLE, (t) => {',
      "    t.dropColumn('legacy');",
      '  });',
      "  await knex.schema.alterTable('b', (t) => {",
      "    if (wide) t.text('notes');",
      '  });',
      '};',
    ].join('\n');
    const m = extractMigration(text, 'migrations/20240101000000_x.js')!;
    const [drop] = m.sql;
    assert.match(drop.text, /^ALTER TABLE safemig_placeholder_\d+ DROP COLUMN "legacy"$/);
    assert.equal(text.slice(drop.placeholders[0].source.start, drop.placeholders[0].source.end), 'process.env.TABLE');
    assert.equal(text.slice(m.dynamic!.start, m.dynamic!.end), 'process.env.TABLE');
    assert.equal(m.sql.length, 1, 'nothing is made up for the if');
    const second = extractMigration(text.replace('process.env.TABLE', "'a'"), 'migrations/20240101000000_x.js')!;
    assert.match(second.dynamic!.description, /what the table callback runs/);
  });
});

describe('node-pg-migrate MigrationBuilder', () => {
  test('createTable with the id shorthand, references and pgm.func defaults; createIndex with its default name', () => {
    const { text, migration } = fixture('pgm/migrations/1700000000000_create-accounts.js');
    const found = builders(text, migration.sql);
    assert.deepEqual(found.map(([part, sql, kind]) => [part, sql, kind]), [
      ['up', 'CREATE TABLE "accounts" ("id" serial PRIMARY KEY, "name" varchar(1000) NOT NULL, "owner_id" integer NOT NULL REFERENCES "users" ON DELETE CASCADE, "createdAt" timestamp NOT NULL DEFAULT current_timestamp)', 'CreateStmt'],
      ['up', 'CREATE INDEX "accounts_owner_id_index" ON "accounts" ("owner_id")', 'IndexStmt'],
      ['down', 'DROP TABLE "accounts"', 'DropStmt'],
    ]);
    assert.ok(found[0][3].startsWith("pgm.createTable('accounts', {") && found[0][3].endsWith('})'));
    assert.equal(found[1][3], "pgm.createIndex('accounts', 'owner_id')");
  });

  test('addColumns, dropColumns, renameColumn', () => {
    const { text, migration } = fixture('pgm/migrations/1700000100000_add-columns.ts');
    assert.deepEqual(builders(text, migration.sql).filter(([part]) => part === 'up').map(([, sql, kind, call]) => [sql, kind, call]), [
      ['ALTER TABLE "accounts" ADD "plan" text NOT NULL, ADD "trial_ends_at" timestamptz, ADD "seats" integer NOT NULL DEFAULT 1', 'AlterTableStmt', text.slice(text.indexOf("pgm.addColumns('accounts'"), text.indexOf('});') + 2)],
      ['ALTER TABLE "accounts" DROP "legacy_plan", DROP "legacy_flags"', 'AlterTableStmt', "pgm.dropColumns('accounts', ['legacy_plan', 'legacy_flags'])"],
      ['ALTER TABLE "accounts" RENAME "name" TO "display_name"', 'RenameStmt', "pgm.renameColumn('accounts', 'name', 'display_name')"],
    ]);
  });

  test('createIndex concurrently / ifNotExists / where, and dropIndex', () => {
    const { text, migration } = fixture('pgm/migrations/1700000200000_index-concurrently.js');
    const found = builders(text, migration.sql);
    assert.deepEqual(found.map(([, sql]) => sql), [
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS "accounts_owner_created_idx" ON "accounts" ("owner_id", "created_at")',
      'CREATE INDEX CONCURRENTLY "accounts_plan_index" ON "accounts" ("plan") WHERE plan <> \'free\'',
      'DROP INDEX CONCURRENTLY "accounts_owner_created_idx"',
    ]);
    const index = parseSql(migration.sql[0].text).statements[0].node as { IndexStmt: { concurrent?: boolean; if_not_exists?: boolean } };
    assert.equal(index.IndexStmt.concurrent, true);
    assert.equal(index.IndexStmt.if_not_exists, true);
  });

  test('alterColumn, addConstraint (object and text), addTypeValue, renameTable', () => {
    const { text, migration } = fixture('pgm/migrations/1700000300000_alter-and-constraints.js');
    assert.deepEqual(builders(text, migration.sql).map(([, sql, kind]) => [sql, kind]), [
      ['ALTER TABLE "accounts" ALTER "seats" SET DATA TYPE bigint, ALTER "seats" SET NOT NULL', 'AlterTableStmt'],
      ['ALTER TABLE "accounts" ADD CONSTRAINT "accounts_owner_fk" FOREIGN KEY ("owner_id") REFERENCES users(id) ON DELETE CASCADE', 'AlterTableStmt'],
      ['ALTER TABLE "accounts" ADD CONSTRAINT "accounts_seats_positive" CHECK (seats > 0)', 'AlterTableStmt'],
      ['ALTER TYPE "plan_kind" ADD VALUE IF NOT EXISTS \'enterprise\' AFTER \'pro\'', 'AlterEnumStmt'],
      ['ALTER TABLE "accounts" RENAME TO "customer_accounts"', 'RenameStmt'],
    ]);
  });

  test('dropTable with options, schema-qualified names, and options that cannot be read', () => {
    const text = [
      'exports.up = (pgm) => {',
      "  pgm.dropTable({ schema: 'audit', name: 'events' }, { ifExists: true, cascade: true });",
      "  pgm.createIndex('events', 'actor', indexOptions);",
      '};',
    ].join('\n');
    const m = extractMigration(text, 'migrations/1_x.js')!;
    assert.deepEqual(builders(text, m.sql).map(([, sql]) => sql), ['DROP TABLE IF EXISTS "audit"."events" CASCADE']);
    assert.equal(text.slice(m.dynamic!.start, m.dynamic!.end), 'indexOptions', 'an index whose options are unknown is not reported as anything; the migration is dynamic');
  });

  test('the builder is whatever up names its parameter', () => {
    const m = extractMigration("exports.up = (mb) => { mb.dropColumns('t', 'c') };", 'migrations/1_x.js')!;
    assert.deepEqual(m.sql.map((p) => p.text), ['ALTER TABLE "t" DROP "c"']);
  });
});
