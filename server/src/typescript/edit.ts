/**
 * Edits of a TS/JS migration: a fix expressed in SQL offsets (insert `IF NOT EXISTS`,
 * `CONCURRENTLY` …) made inside the string or template it came from, escaped for that quoting;
 * and the line where a `// safemig-ignore rule: reason` comment goes.
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

/**
 * The insertion of `// safemig-ignore <rule>: <reason>` on its own line before the statement
 * that runs `sql`, indented as that line, with the file's line ending.
 */
export function ignoreCommentEdit(source: string, sql: EmbeddedSql, rule: string, reason: string): SourceEdit {
  const statementStart = sql.statement.end > sql.statement.start ? sql.statement.start : sql.call.start;
  let lineStart = statementStart;
  while (lineStart > 0 && source[lineStart - 1] !== '\n' && source[lineStart - 1] !== '\r') lineStart--;
  let indentEnd = lineStart;
  while (indentEnd < statementStart && (source[indentEnd] === ' ' || source[indentEnd] === '\t')) indentEnd++;
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const indent = source.slice(lineStart, indentEnd);
  // A statement that does not start its line (`a(); b();`) gets the comment on a line of its own.
  const before = indentEnd < statementStart ? eol + indent : '';
  const at = indentEnd < statementStart ? statementStart : lineStart;
  return { start: at, end: at, newText: `${before}${at === lineStart ? indent : ''}// safemig-ignore ${rule}: ${reason}${eol}${at === lineStart ? '' : indent}` };
}
