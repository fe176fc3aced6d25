/**
 * Fixes made inside the string the SQL came from: the edit, applied to the file, re-reads as the
 * fixed SQL, whatever the quoting; and ignore comments go on their own line before the call.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EmbeddedSql } from '../../server/src/typescript/embedded-sql';
import { escapeFor, SourceEdit, sourceEditOf } from '../../server/src/typescript/edit';
import { ignoreCommentEdit, ignoreComments } from '../../server/src/typescript/ignore-comments';
import { extractMigration } from '../../server/src/typescript/extract';
import { fixture, pieceWith } from './helpers';

const apply = (text: string, edit: SourceEdit) => text.slice(0, edit.start) + edit.newText + text.slice(edit.end);

/** Applies `text` at SQL offsets [start, end) of the piece containing `needle`, re-reads the file, and returns the SQL now in its place. */
function fixAndReread(path: string, text: string, piece: EmbeddedSql, start: number, end: number, newText: string): { sql: string[]; edited: string } {
  const edit = sourceEditOf(piece, start, end, newText);
  assert.ok(edit, 'an edit is offered');
  const edited = apply(text, edit);
  const again = extractMigration(edited, path);
  assert.ok(again, 'still a migration');
  return { sql: again.sql.map((p) => p.text), edited };
}

describe('an edit in SQL offsets becomes an edit of the string', () => {
  test("IF NOT EXISTS into a single-quoted knex.raw string", () => {
    const { path, text, migration } = fixture('knex/migrations/20240120080000_raw_sql.js');
    const piece = pieceWith(migration, 'CREATE INDEX orders_created_at_idx');
    const at = 'CREATE INDEX '.length;
    const { sql } = fixAndReread(path, text, piece, at, at, 'IF NOT EXISTS ');
    assert.equal(sql[0], 'CREATE INDEX IF NOT EXISTS orders_created_at_idx ON orders (created_at)');
    assert.deepEqual(sql.slice(1), migration.sql.slice(1).map((p) => p.text), 'nothing else changes');
  });

  test('CONCURRENTLY into a TypeORM template', () => {
    const { path, text, migration } = fixture('typeorm/src/migrations/1700000000000-CreatePost.ts');
    const piece = pieceWith(migration, 'CREATE INDEX');
    const at = 'CREATE INDEX '.length;
    const { sql } = fixAndReread(path, text, piece, at, at, 'CONCURRENTLY ');
    assert.equal(sql[1], 'CREATE INDEX CONCURRENTLY "IDX_post_title" ON "post" ("title") ');
  });

  test("quotes of the string's own kind are escaped: ' in '…', \" in \"…\", ` and ${ in templates", () => {
    const cases: Array<[string, string, string, string]> = [
      ['seed003/scripts/migrations/004-escapes.js', 'ADD COLUMN "tag" text', " DEFAULT 'it''s'", 'ALTER TABLE notes ADD COLUMN "tag" text DEFAULT \'it\'\'s\''],
      ['typeorm/src/migrations/1700001000000-AddPostStatus.ts', 'COMMENT ON COLUMN', ' -- "quoted" \\ back', 'COMMENT ON COLUMN "post"."status" IS \'état 📝\\t\' -- "quoted" \\ back'],
      ['typeorm/src/migrations/1700000500000-RenamePostTitle.ts', 'ADD "slug"', " DEFAULT '`${x}`'", 'ALTER TABLE "post" ADD "slug" character varying NOT NULL DEFAULT \'`${x}`\''],
      ['knex/migrations/20240120080000_raw_sql.js', 'DROP INDEX', '\n-- on two lines', 'DROP INDEX orders_created_at_idx\n-- on two lines'],
    ];
    for (const [relative, needle, insert, expected] of cases) {
      const { path, text, migration } = fixture(relative);
      const piece = pieceWith(migration, needle);
      const { sql } = fixAndReread(path, text, piece, piece.text.length, piece.text.length, insert);
      assert.ok(sql.includes(expected), `${relative}: ${JSON.stringify(sql)}`);
    }
  });

  test('a replacement after escapes and a CR LF lands on the right characters', () => {
    const { path, text, migration } = fixture('typeorm/src/migrations/1700001000000-AddPostStatus.ts');
    const piece = pieceWith(migration, "DEFAULT 'brouillon'");
    const start = piece.text.indexOf("'brouillon'");
    const { sql, edited } = fixAndReread(path, text, piece, start, start + "'brouillon'".length, "'draft'");
    assert.ok(sql.includes('ALTER TABLE "post"\n            ADD "status" varchar(20) NOT NULL DEFAULT \'draft\''));
    assert.ok(edited.includes("DEFAULT 'draft'`)\r\n"), 'CR LF kept');
  });

  test('next to a placeholder the edit goes in the literal; over it, or across two literals, there is none', () => {
    const text = "exports.up = (knex) => knex.raw(`ALTER TABLE ${t} ADD COLUMN c int`) && knex.raw('ALTER TABLE a ' + 'DROP COLUMN b')";
    const path = 'migrations/1_x.js';
    const [withPlaceholder, concatenated] = extractMigration(text, path)!.sql;
    const p = withPlaceholder.placeholders[0];
    const before = sourceEditOf(withPlaceholder, p.start, p.start, 'ONLY ')!;
    assert.equal(apply(text, before).includes('`ALTER TABLE ONLY ${t} ADD'), true);
    const after = sourceEditOf(withPlaceholder, p.end, p.end, ' *')!;
    assert.equal(apply(text, after).includes('${t} * ADD'), true);
    assert.equal(sourceEditOf(withPlaceholder, p.start, p.end, 'x'), undefined);
    const across = concatenated.text.indexOf('a DROP');
    assert.equal(sourceEditOf(concatenated, across, across + 6, 'x'), undefined);
    assert.ok(sourceEditOf(concatenated, across + 2, across + 6, 'DROP'));
  });

  test('builder statements offer no string edit', () => {
    const { migration } = fixture('pgm/migrations/1700000000000_create-accounts.js');
    const index = pieceWith(migration, 'CREATE INDEX');
    assert.equal(sourceEditOf(index, 'CREATE INDEX '.length, 'CREATE INDEX '.length, 'CONCURRENTLY '), undefined);
  });

  test('escapeFor round-trips through JavaScript for every quote', () => {
    const nasty = "a'b\"c`d${e}\\f\ng\r\nh$i";
    for (const quote of ["'", '"', '`'] as const) {
      const literal = `${quote}${escapeFor({ quote }, nasty)}${quote}`;
      assert.equal(new Function(`return ${literal}`)(), quote === '`' ? nasty.split('\r\n').join('\n').split('\r').join('\n') : nasty, literal);
    }
  });
});

describe('ignore comments', () => {
  test('on its own line before the call, indented like it, with the file\'s CR LF', () => {
    const { path, text, migration } = fixture('typeorm/src/migrations/1700001000000-AddPostStatus.ts');
    const piece = pieceWith(migration, 'DROP COLUMN "status"');
    const edited = apply(text, ignoreCommentEdit(text, piece, 'drop-column', 'the column was never read'));
    assert.ok(edited.includes('    public async down(queryRunner: QueryRunner): Promise<void> {\r\n        // safemig-ignore drop-column: the column was never read\r\n        await queryRunner.query(`ALTER TABLE "post" DROP COLUMN "status"`)\r\n'));
    const again = extractMigration(edited, path)!;
    assert.deepEqual(again.sql.map((p) => p.text), migration.sql.map((p) => p.text));
    const [comment, ...others] = ignoreComments(again);
    assert.deepEqual(others, []);
    assert.equal(comment.text, ' safemig-ignore drop-column: the column was never read');
    assert.deepEqual(comment.pieces.map((p) => p.text), ['ALTER TABLE "post" DROP COLUMN "status"'], 'it silences the call after it, and only that');
  });

  test('inside a knex table callback, before the builder call', () => {
    const { text, migration } = fixture('knex/migrations/20240112110000_alter_users.ts');
    const piece = pieceWith(migration, 'DROP COLUMN "display_name"');
    const edited = apply(text, ignoreCommentEdit(text, piece, 'drop-column', 'unused'));
    assert.ok(edited.includes("(table) => {\n    // safemig-ignore drop-column: unused\n    table.dropColumn('display_name');"));
    const [comment] = ignoreComments(extractMigration(edited, 'migrations/20240112110000_alter_users.ts')!);
    assert.deepEqual(comment.pieces.map((p) => p.text), ['ALTER TABLE "users" DROP COLUMN "display_name"']);
  });

  test('before a multi-line call, at the line of its statement', () => {
    const { text, migration } = fixture('typeorm/src/migrations/1700000500000-RenamePostTitle.ts');
    const piece = pieceWith(migration, 'RENAME COLUMN "title" TO "name"');
    const edited = apply(text, ignoreCommentEdit(text, piece, 'rename-column', 'no readers yet'));
    assert.ok(edited.includes('{\n        // safemig-ignore rename-column: no readers yet\n        await queryRunner.query(\n            `ALTER TABLE "post" RENAME COLUMN "title" TO "name"`,'));
  });

  test('a comment trailing a call silences that call; one before a builder call silences all it generates', () => {
    const text = [
      'export async function up(knex) {',
      "  await knex.raw('DROP TABLE a') // safemig-ignore drop-table: empty since 2023",
      "  await knex.raw('DROP TABLE b')",
      '  // safemig-ignore drop-column: the app stopped reading them in v12',
      "  await knex.schema.alterTable('c', (t) => {",
      "    t.dropColumn('x');",
      "    t.dropColumn('y');",
      '  });',
      "  await knex.raw('DROP TABLE d')",
      '}',
    ].join('\n');
    const m = extractMigration(text, 'migrations/20240101000000_x.js')!;
    assert.deepEqual(ignoreComments(m).map((c) => c.pieces.map((p) => p.text)), [
      ['DROP TABLE a'],
      ['ALTER TABLE "c" DROP COLUMN "x"', 'ALTER TABLE "c" DROP COLUMN "y"'],
    ]);
  });
});
