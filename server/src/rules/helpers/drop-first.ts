/**
 * The re-runnable form of a concurrent index build: `DROP INDEX CONCURRENTLY IF EXISTS` of its
 * name first. A failed concurrent build leaves an INVALID index under that name; the drop clears
 * it, where `IF NOT EXISTS` would skip the build and keep it.
 */
import type { IndexStmt } from 'libpg-query';
import type { Statement } from '../../migration/migration';
import { names, nodeOf, qualifiedName, treeOf } from '../../sql/ast';
import type { FileEdit, Fix, RuleContext } from '../rule';

/** The index's name as a DROP INDEX must write it: in the schema of its table. */
export function indexName(index: IndexStmt): string {
  return qualifiedName({ schemaname: index.relation?.schemaname, relname: index.idxname });
}

/**
 * A `DROP INDEX [CONCURRENTLY] IF EXISTS` of the index comes earlier in the statement's part. A
 * schema only one side writes does not tell the names apart (the drop finds it through the path).
 */
export function droppedEarlier(statement: Statement, index: IndexStmt): boolean {
  const schema = index.relation?.schemaname;
  for (const earlier of statement.part.statements) {
    if (earlier.start >= statement.start) break;
    const drop = treeOf(earlier, 'DropStmt');
    if (drop?.removeType !== 'OBJECT_INDEX' || !drop.missing_ok) continue;
    for (const object of drop.objects ?? []) {
      const parts = names(nodeOf(object, 'List')?.items);
      if (parts[parts.length - 1] === index.idxname && (parts.length < 2 || !schema || parts[0] === schema)) return true;
    }
  }
  return false;
}

/**
 * Inserts `DROP INDEX CONCURRENTLY IF EXISTS name;` before the statement (on its own line when
 * the statement starts its line), with `edits` of the statement itself.
 */
export function dropFirstFix(context: RuleContext, statement: Statement, name: string, edits: FileEdit[]): Fix {
  const { text, lines, path } = context.migration;
  const lineStart = lines.lineStart(lines.positionAt(statement.start).line);
  const before = text.slice(lineStart, statement.start);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = /^[ \t]*$/.test(before) ? `${eol}${before}` : ' ';
  const at = lines.positionAt(statement.start);
  return {
    title: `Drop ${name} first (DROP INDEX CONCURRENTLY IF EXISTS), so a re-run rebuilds an index a failed build left INVALID`,
    preferred: true,
    edits: [{ path, range: { start: at, end: at }, newText: `DROP INDEX CONCURRENTLY IF EXISTS ${name};${separator}` }, ...edits],
  };
}
