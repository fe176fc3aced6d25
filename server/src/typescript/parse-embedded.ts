/**
 * Parses SQL taken from a TS/JS file. A placeholder stands as a name, which PostgreSQL accepts
 * wherever a name or a value goes; where it wants a number (`varchar(${n})`) or a string, the
 * placeholder is read as one of the same length (so offsets keep). A syntax error that only a
 * placeholder causes (`CREATE ${unique} INDEX`) is dropped: the SQL is unknown there, not wrong.
 */
import type { Token } from '../sql/lexer';
import { parseSql, ParsedSql, SqlStatement, SqlSyntaxError } from '../sql/parse';
import type { EmbeddedSql, Placeholder } from './embedded-sql';

export interface ParsedEmbeddedSql extends ParsedSql {
  /** The text parsed: the piece's, with placeholders read as numbers or strings where names do not parse. */
  text: string;
}

export function parseEmbedded(piece: EmbeddedSql): ParsedEmbeddedSql {
  let text = piece.text;
  const forms = new Map<Placeholder, number>();
  for (;;) {
    const parsed = parseSql(text);
    const blamed = parsed.errors.map((e) => placeholderAt(piece, e.start, e.end)).find((p) => p && (forms.get(p) ?? 0) < FORMS.length);
    if (!blamed) {
      const errors = parsed.errors.filter((e) => !placeholderAt(piece, e.start, e.end));
      return { statements: parsed.statements, errors, text };
    }
    const form = forms.get(blamed) ?? 0;
    forms.set(blamed, form + 1);
    if (form < FORMS.length) text = text.slice(0, blamed.start) + FORMS[form](blamed.end - blamed.start) + text.slice(blamed.end);
  }
}

/** Other readings of a placeholder, tried in turn: a number, then a string. */
const FORMS = [(length: number) => '1'.padStart(length, '0'), (length: number) => `'${'x'.repeat(length - 2)}'`];

/** The placeholder an error is on, or the one just before it (`${keyword} INDEX` fails on INDEX). */
function placeholderAt(piece: EmbeddedSql, start: number, end: number): Placeholder | undefined {
  const on = piece.placeholderIn(start, end);
  if (on) return on;
  let before = start;
  while (before > 0 && (piece.text[before - 1] === ' ' || piece.text[before - 1] === '\n' || piece.text[before - 1] === '\t' || piece.text[before - 1] === '\r')) before--;
  return piece.placeholders.find((p) => p.end === before);
}

/**
 * The statements of a piece with file offsets, as SQL files have them: start and end, token
 * offsets and parse-tree locations map to the characters of the string (a builder statement:
 * all of it to the call). `text` and the tree are the SQL's; an offset into the SQL text goes
 * back with `piece.sqlOffsetOf` (for fixes, then `sourceEditOf`).
 */
export function fileStatements(piece: EmbeddedSql): { statements: SqlStatement[]; errors: SqlSyntaxError[] } {
  const parsed = parseEmbedded(piece);
  const toFile = (start: number, end: number) => piece.sourceRange(start, end);
  const statements = parsed.statements.map((s): SqlStatement => {
    const range = toFile(s.start, s.end);
    let tokens: Token[] | undefined;
    let sqlTokens: Token[] | undefined;
    return {
      start: range.start,
      end: range.end,
      get node() {
        return s.node;
      },
      kind: s.kind,
      text: s.text,
      get tokens() {
        tokens ??= s.tokens.map((t) => ({ ...t, ...toFile(t.start, t.end) }));
        return tokens;
      },
      set tokens(value: Token[]) {
        tokens = value;
      },
      get sqlTokens() {
        sqlTokens ??= this.tokens.filter((t) => t.kind !== 'comment' && t.kind !== 'meta');
        return sqlTokens;
      },
      offsetOf: (location) => toFile(s.offsetOf(location), s.offsetOf(location)).start,
    };
  });
  return { statements, errors: parsed.errors.map((e) => ({ ...e, ...toFile(e.start, e.end) })) };
}
