/**
 * Edits of a TS/JS migration: a fix expressed in SQL offsets (insert `IF NOT EXISTS`,
 * `CONCURRENTLY` …) made inside the string or template it came from, escaped for that quoting.
 */
import type { EmbeddedSql, Literal } from './embedded-sql';

export interface SourceEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * The source edit replacing SQL range [start, end) of `sql` with `text` (an insertion when
 * start = end). Undefined when the range is not inside one string of the file (a builder call,
 * a placeholder, or a range spanning two literals): such a fix cannot be made in the string.
 */
export function sourceEditOf(sql: EmbeddedSql, start: number, end: number, text: string): SourceEdit | undefined {
  if (sql.origin !== 'string') return undefined;
  if (end > start && sql.placeholderIn(start, end)) return undefined;
  const literal = sql.literalHolding(start, end);
  if (!literal) return undefined;
  if (end === start) {
    const point = sql.insertionPoint(start);
    if (!point) return undefined;
    return { start: point.offset, end: point.offset, newText: escapeFor(point.literal, text) };
  }
  const range = sql.sourceRange(start, end);
  return { start: range.start, end: range.end, newText: escapeFor(literal, text) };
}

/** `text` written inside a literal so that it reads back as `text`. */
export function escapeFor(literal: Pick<Literal, 'quote'>, text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') out += '\\\\';
    else if (c === literal.quote) out += `\\${c}`;
    else if (literal.quote === '`' && c === '$' && text[i + 1] === '{') out += '\\$';
    else if (literal.quote !== '`' && c === '\n') out += '\\n';
    else if (literal.quote !== '`' && c === '\r') out += '\\r';
    else out += c;
  }
  return out;
}
