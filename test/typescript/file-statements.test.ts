/**
 * Statements of embedded SQL with file offsets, as rules read statements of SQL files: ranges,
 * tokens, tree locations and syntax errors land on the characters of the string; a file offset
 * inside a string goes back to its SQL offset for fixes.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../server/src/sql/pg';
import { sourceEditOf } from '../../server/src/typescript/edit';
import { extractMigration } from '../../server/src/typescript/extract';
import { fileStatements } from '../../server/src/typescript/parse-embedded';
import { fixture, pieceWith } from './helpers';

before(async () => {
  await initParser();
});

test('ranges and tokens of a statement after CR LF, multi-byte text and escapes', () => {
  const { text, migration } = fixture('typeorm/src/migrations/1700001000000-AddPostStatus.ts');
  const [add] = fileStatements(pieceWith(migration, 'ADD "status"')).statements;
  assert.equal(text.slice(add.start, add.end), 'ALTER TABLE "post"\r\n            ADD "status" varchar(20) NOT NULL DEFAULT \'brouillon\'');
  assert.equal(add.kind, 'AlterTableStmt');
  const status = add.sqlTokens.find((t) => t.value === '"status"')!;
  assert.equal(text.slice(status.start, status.end), '"status"');
  const [comment] = fileStatements(pieceWith(migration, 'COMMENT ON')).statements;
  assert.deepEqual(comment.sqlTokens.filter((t) => t.kind === 'quoted-ident').map((t) => text.slice(t.start, t.end)), ['\\"post\\"', '\\"status\\"']);
  const literal = comment.sqlTokens.find((t) => t.kind === 'string')!;
  assert.equal(text.slice(literal.start, literal.end), "'état 📝\\\\t'");
});

test('parse-tree locations map to the file', () => {
  const { text, migration } = fixture('knex/migrations/20240120080000_raw_sql.js');
  const [index] = fileStatements(pieceWith(migration, 'CREATE INDEX')).statements;
  const relation = (index.node as { IndexStmt: { relation: { location: number } } }).IndexStmt.relation;
  const at = index.offsetOf(relation.location);
  assert.equal(text.slice(at, at + 'orders'.length), 'orders');
  assert.equal(text[at - 1], ' ');
});

test('a builder statement is the call', () => {
  const { text, migration } = fixture('pgm/migrations/1700000100000_add-columns.ts');
  const [rename] = fileStatements(pieceWith(migration, 'RENAME "name"')).statements;
  assert.equal(text.slice(rename.start, rename.end), "pgm.renameColumn('accounts', 'name', 'display_name')");
  assert.ok(rename.sqlTokens.every((t) => t.start === rename.start && t.end === rename.end));
});

test('syntax errors map into the string; those only a placeholder causes are dropped', () => {
  const text = 'export async function up(knex) {\n  await knex.raw(`CREATE ${unique} INDEX i ON t (c)`)\n  await knex.raw("ALTER TABLE t ADD COLUMN c int NOT NUL")\n}';
  const m = extractMigration(text, 'migrations/1_x.js')!;
  assert.deepEqual(fileStatements(m.sql[0]).errors, []);
  const [error] = fileStatements(m.sql[1]).errors;
  assert.equal(text.slice(error.start, error.end), 'NUL');
});

test('a file offset inside a string goes back to its SQL offset, and a fix made there keeps the quoting', () => {
  const { text, migration } = fixture('seed003/scripts/migrations/004-escapes.js');
  const piece = pieceWith(migration, 'INSERT INTO notes');
  for (let i = 0; i < piece.text.length; i++) {
    const range = piece.sourceRange(i, i + 1);
    assert.equal(piece.sqlOffsetOf(range.start), i, `SQL offset ${i}`);
  }
  assert.equal(piece.sqlOffsetOf(piece.call.start), undefined, 'outside the string');
  const [statement] = fileStatements(piece).statements;
  const values = statement.sqlTokens.find((t) => t.value === 'VALUES')!;
  const at = piece.sqlOffsetOf(values.start)!;
  const edit = sourceEditOf(piece, at, at, "OVERRIDING SYSTEM VALUE ")!;
  const edited = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  assert.ok(extractMigration(edited, 'scripts/migrations/004-escapes.js')!.sql.some((p) => p.text.includes("(body) OVERRIDING SYSTEM VALUE VALUES ('line one")));
});
