/**
 * Parses SQL taken from a TS/JS file. A placeholder stands as a name, which PostgreSQL accepts
 * wherever a name or a value goes; where it wants a number (`varchar(${n})`) or a string, the
 * placeholder is read as one of the same length (so offsets keep). A syntax error that only a
 * placeholder causes (`CREATE ${unique} INDEX`) is dropped: the SQL is unknown there, not wrong.
 */
import { parseSql, ParsedSql } from '../sql/parse';
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
