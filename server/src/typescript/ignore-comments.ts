/**
 * `// safemig-ignore rule: reason` in TS/JS migrations: where the comment goes (its own line
 * before the statement that runs the SQL), and which SQL a comment in the file silences.
 */
import type { EmbeddedSql } from './embedded-sql';
import type { SourceEdit } from './edit';
import type { TsMigration } from './extract';
import type { SourceRange } from './source';

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

export interface IgnoreComment extends SourceRange {
  /** The comment's text after `//`. */
  text: string;
  /** The SQL it silences: what the statement it is about runs (the one after it, or the one it trails). */
  pieces: EmbeddedSql[];
}

/** Each `// safemig-ignore…` comment of the file with the SQL it silences. */
export function ignoreComments(migration: TsMigration): IgnoreComment[] {
  return migration.comments.filter((c) => c.text.trimStart().startsWith('safemig-ignore')).map(({ start, end, text, about }) => ({
    start,
    end,
    text,
    pieces: about ? migration.sql.filter((p) => about.start <= p.call.start && p.call.end <= about.end) : [],
  }));
}
