/**
 * The parser binding and statement splitting. safemig talks to libpg-query's WASM exports itself
 * (server/src/sql/pg.ts): its trees and errors must be exactly the package's own. And a file's
 * statements must come out the same whether PostgreSQL accepts it whole (spans from its
 * locations, tokens read on demand) or the lexer splits it (psql meta-commands, syntax errors).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, parseSync, hasSqlDetails } from 'libpg-query';
import { initParser, pgParse, PgSyntaxError } from '../../server/src/sql/pg';
import { parseSql } from '../../server/src/sql/parse';
import { Utf8Offsets } from '../../server/src/sql/positions';
import { lex } from '../../server/src/sql/lexer';

const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'files');

before(async () => {
  await Promise.all([initParser(), loadModule()]);
});

function theirs(sql: string): unknown {
  try {
    const { stmts = [] } = parseSync(sql);
    return { stmts };
  } catch (error) {
    if (!hasSqlDetails(error)) throw error;
    return { message: error.message, characters: error.sqlDetails?.cursorPosition };
  }
}

function ours(sql: string): unknown {
  const result = pgParse(sql);
  // The JSON's shape: stmt_location and stmt_len are left out when 0.
  if (!(result instanceof PgSyntaxError)) return { stmts: result.map((s) => ({ stmt: s.node, ...(s.location && { stmt_location: s.location }), ...(s.length && { stmt_len: s.length }) })) };
  // The binding reports UTF-8 bytes; the package reports characters.
  return { message: result.message, characters: [...Buffer.from(sql).subarray(0, result.cursor).toString()].length };
}

const CASES = [
  'CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);',
  "ALTER TABLE café ADD COLUMN \"日本語\" text DEFAULT '😀';\nDROP INDEX IF EXISTS x;",
  'SELECT 1; SELECT 2',
  // The JSON is split into statements without parsing it: text that looks like its keys must not cut it.
  `SELECT '{"stmt":{"A":1}},"stmt_len":3', "{""stmt"":" FROM t; COMMENT ON TABLE t IS '},"stmt_location":9}'`,
  "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;",
  'ALTER TABLE t ADD COLUMN;',
  "SELECT '😀' FROM",
  'CREATE TABLE (',
  "SELECT 'unterminated",
];

test('the binding gives the trees and errors of libpg-query\'s own parseSync', () => {
  for (const sql of CASES) assert.deepEqual(ours(sql), theirs(sql), sql);
});

test('the binding agrees with parseSync on a sample of the corpus', { skip: !existsSync(CORPUS) && 'no ../shared/corpus here' }, () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.sql')) files.push(path);
    }
  };
  walk(CORPUS);
  const sample = files.filter((_, i) => i % 20 === 0);
  assert.ok(sample.length > 200);
  for (const path of sample) {
    const sql = readFileSync(path, 'utf8');
    if (sql.trim() === '') continue;
    assert.deepEqual(ours(sql), theirs(sql), path);
  }
});

const spans = (text: string) => parseSql(text).statements.map((s) => ({ kind: s.kind, text: text.slice(s.start, s.end), tokens: s.tokens.map((t) => t.value) }));

test('statement spans and tokens: the whole-file path matches the lexer path', () => {
  const body = "-- lead\r\nCREATE TABLE a (id int); /* c */ -- tail\n\n  ALTER TABLE a ADD COLUMN b text -- note\n;\nSELECT 'x;y', $$;$$ ;;\nCOMMENT ON TABLE a IS 'café 😀'";
  // A psql meta-command sends the file down the lexer path; the statements must not change.
  const viaLexer = spans(`\\set ON_ERROR_STOP on\n${body}`);
  const whole = spans(`${' '.repeat('\\set ON_ERROR_STOP on'.length)}\n${body}`);
  assert.deepEqual(whole, viaLexer);
  assert.deepEqual(whole.map((s) => s.text), [
    'CREATE TABLE a (id int)',
    'ALTER TABLE a ADD COLUMN b text',
    "SELECT 'x;y', $$;$$",
    "COMMENT ON TABLE a IS 'café 😀'",
  ]);
  assert.deepEqual(whole[1].tokens, ['ALTER', 'TABLE', 'A', 'ADD', 'COLUMN', 'B', 'TEXT']);
});

test('a statement\'s tokens are the file\'s tokens in its span, at file offsets', () => {
  const text = "SET lock_timeout = '5s';\n-- x\nCREATE INDEX i ON t (a);\n";
  const all = lex(text);
  for (const statement of parseSql(text, 0).statements) {
    assert.deepEqual(statement.tokens, all.filter((t) => t.start >= statement.start && t.end <= statement.end));
  }
  // In a part that starts later in the file, offsets are the file's.
  const base = 100;
  const [shifted] = parseSql('DROP TABLE t;', base).statements;
  assert.deepEqual([shifted.start, shifted.end, shifted.tokens[0].start], [base, base + 12, base]);
});

test('psql meta-commands after a query: \\gexec and \\gset send it, as ; would', () => {
  const text = "SELECT 'CREATE DATABASE app' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'app')\\gexec\r\nSELECT 1 AS one \\gset\nCREATE TABLE IF NOT EXISTS t (id int);\n\\echo :one\nSELECT 2\n\\g out.txt\n";
  const parsed = parseSql(text);
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.statements.map((s) => [s.kind, s.text]), [
    ['SelectStmt', "SELECT 'CREATE DATABASE app' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'app')"],
    ['SelectStmt', 'SELECT 1 AS one'],
    ['CreateStmt', 'CREATE TABLE IF NOT EXISTS t (id int)'],
    ['SelectStmt', 'SELECT 2'],
  ]);
  // A backslash in a string is no meta-command; in a broken query, \gset still ends it.
  assert.deepEqual(spans("SELECT E'a\\\\gexec', '\\gset';").map((s) => s.text), ["SELECT E'a\\\\gexec', '\\gset'"]);
  const broken = parseSql('SELECT (1 \\gset\nDROP TABLE IF EXISTS t;');
  assert.deepEqual(broken.statements.map((s) => [s.kind, s.text]), [['', 'SELECT (1'], ['DropStmt', 'DROP TABLE IF EXISTS t']]);
  assert.equal(broken.errors.length, 1);
});

test('psql variables :\'name\' and :"name" are read as the literal and identifier they become', () => {
  const text = "\\set role 'app'\nGRANT SELECT ON t TO :\"role\";\nSELECT openreplay_version() = :'previous_version' AS valid;\n";
  const parsed = parseSql(text);
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.statements.map((s) => s.kind), ['GrantStmt', 'SelectStmt']);
  // Also without a meta-command (`psql -v role=app -f file.sql`).
  assert.deepEqual(parseSql('CREATE SCHEMA IF NOT EXISTS :"schema";').errors, []);
  // SQL that looks alike stays SQL: casts, slices, JSON in strings.
  for (const sql of ["SELECT x::\"char\", ('{\"a\": 1}'::jsonb)['a':'b'], '{\"k\":\"v\"}' FROM t;", "SELECT a[1:'2'] FROM t;"]) {
    assert.deepEqual(parseSql(sql).errors, [], sql);
  }
  // A colon that is SQL nowhere is still an error.
  assert.equal(parseSql("SELECT 1 :'x' :;").errors.length, 1);
});

test('UTF-8 and UTF-16 offsets map both ways, emoji and CRLF included', () => {
  const text = "a é\r\n日本 😀 b 😀😀 'ü'";
  const offsets = new Utf8Offsets(text);
  const bytes = Buffer.from(text);
  for (let i = 0; i <= text.length; i++) {
    if (i > 0 && text.charCodeAt(i) >= 0xdc00 && text.charCodeAt(i) <= 0xdfff) continue; // inside a surrogate pair
    const b = offsets.byte(i);
    assert.equal(b, Buffer.byteLength(text.slice(0, i)), `byte of ${i}`);
    assert.equal(offsets.utf16(b), i, `UTF-16 of byte ${b}`);
  }
  assert.equal(offsets.byte(text.length), bytes.length);
  assert.equal(new Utf8Offsets('plain').byte(3), 3);
});

test('a rejected file with multi-byte text: every error and statement at its place', () => {
  const lines = ["SELECT '😀';", 'SELEC 1;', "COMMENT ON TABLE t IS 'é';", 'DROP TABLE;', "SELECT '日本';", 'ALTER TABLE t ADD COLUMN;', 'SELECT 2;'];
  const text = lines.join('\n');
  const parsed = parseSql(text);
  assert.deepEqual(parsed.statements.map((s) => [s.kind, s.text]), lines.map((l) => [/^(SELEC 1|DROP TABLE|ALTER TABLE t ADD COLUMN);$/.test(l) ? '' : l.startsWith('COMMENT') ? 'CommentStmt' : 'SelectStmt', l.slice(0, -1)]));
  assert.deepEqual(parsed.errors.map((e) => [text.slice(e.start, e.end), e.message]), [
    ['SELEC', 'syntax error at or near "SELEC"'],
    ['TABLE', 'syntax error at end of input'],
    ['COLUMN', 'syntax error at end of input'],
  ]);
  // Each error lies on its statement's line.
  for (const [i, line] of [1, 3, 5].entries()) {
    const lineStart = lines.slice(0, line).join('\n').length + 1;
    assert.ok(parsed.errors[i].start >= lineStart && parsed.errors[i].end <= lineStart + lines[line].length, `error ${i}`);
  }
});

test('errors near and far apart: every statement around them is parsed, once and in order', () => {
  // After an error the rest is parsed in windows that double while they parse: errors inside,
  // at the edges of and far beyond a window must each be found, with nothing between them lost.
  const bad = new Set([0, 1, 15, 16, 17, 18, 33, 34, 49, 100, 101, 102, 240, 241, 499]);
  const lines = Array.from({ length: 500 }, (_, i) => (bad.has(i) ? `SELEC ${i};` : i % 7 === 0 ? `COMMENT ON TABLE t${i} IS 'é ${i}';` : `SELECT ${i};`));
  const text = lines.join('\n');
  const parsed = parseSql(text);
  assert.deepEqual(parsed.statements.map((s) => [s.kind, s.text]), lines.map((l) => [l.startsWith('SELEC ') ? '' : l.startsWith('COMMENT') ? 'CommentStmt' : 'SelectStmt', l.slice(0, -1)]));
  assert.deepEqual(parsed.errors.map((e) => [text.slice(0, e.start).split('\n').length - 1, text.slice(e.start, e.end)]), [...bad].map((i) => [i, 'SELEC']));
});

test('a statement nested deeper than the parser\'s stack: PostgreSQL\'s own error on it, the rest parsed, the parser sound after', () => {
  // PostgreSQL refuses such a statement too ("stack depth limit exceeded", from about 5,000 levels
  // with its default max_stack_depth). The parser's WASM runs out of stack and is replaced.
  const deep = `SELECT ${'1+'.repeat(30_000)}1`;
  const text = `SELECT 1;\n${deep};\nCOMMENT ON TABLE t IS 'é';`;
  const parsed = parseSql(text);
  assert.deepEqual(parsed.statements.map((s) => s.kind), ['SelectStmt', '', 'CommentStmt']);
  assert.deepEqual(parsed.errors.map((e) => [e.message, text.slice(0, e.start).split('\n').length - 1]), [['stack depth limit exceeded', 1]]);
  for (let i = 0; i < 20; i++) assert.ok(pgParse(deep) instanceof PgSyntaxError);
  for (const sql of CASES) assert.deepEqual(ours(sql), theirs(sql), sql);
});
