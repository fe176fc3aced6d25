/** Building quick-fix edits from file offsets. */
import type { Migration } from '../../migration/migration';
import type { Token } from '../../sql/lexer';
import type { Fix } from '../rule';

/** A fix that inserts `text` at `offset` of the linted file. */
export function insertFix(migration: Migration, title: string, offset: number, text: string, preferred = true): Fix {
  const at = migration.lines.positionAt(offset);
  return { title, preferred, edits: [{ path: migration.path, range: { start: at, end: at }, newText: text }] };
}

/** Offset just after the token at `index`, or undefined when there is no such token. */
export function after(tokens: Token[], index: number): number | undefined {
  return index >= 0 && index < tokens.length ? tokens[index].end : undefined;
}
