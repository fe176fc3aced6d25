import { findWords, treeOf } from '../sql/ast';
import { droppedEarlier, dropFirstFix, indexName } from './helpers/drop-first';
import type { Rule } from './rule';

/**
 * `CREATE INDEX CONCURRENTLY IF NOT EXISTS` looks re-runnable and is not: a failed concurrent
 * build leaves an INVALID index under its name, and the re-run skips the build because of it.
 * Judged in both parts, as the other idempotency rules.
 */
export const concurrentIndexIfNotExists: Rule = {
  id: 'concurrent-index-if-not-exists',
  defaultSeverity: 'warning',
  description: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS without a DROP INDEX CONCURRENTLY IF EXISTS first: a re-run keeps the INVALID index a failed build left.',
  fixable: true,
  messages: {
    ifNotExists: 'A failed CREATE INDEX CONCURRENTLY leaves the INVALID index {{index}} behind; when the migration is re-run, IF NOT EXISTS skips the build and the invalid index stays, never used by queries and slowing every write.',
  },
  help: {
    ifNotExists: 'Drop it first and build it without IF NOT EXISTS: DROP INDEX CONCURRENTLY IF EXISTS {{index}}; then CREATE INDEX CONCURRENTLY {{index}} ….',
  },
  check(context) {
    for (const statement of context.migration.statements) {
      const index = treeOf(statement, 'IndexStmt');
      if (!index?.concurrent || !index.if_not_exists || !index.idxname || droppedEarlier(statement, index)) continue;
      const tokens = statement.sqlTokens;
      const at = findWords(tokens, ['IF', 'NOT', 'EXISTS']);
      if (at < 1) continue;
      const name = indexName(index);
      context.report({
        statement,
        start: tokens[at].start,
        end: tokens[at + 2].end,
        messageId: 'ifNotExists',
        data: { index: name },
        fixes: () => {
          // ` IF NOT EXISTS` goes, with the blanks before it.
          const { lines, path } = context.migration;
          const range = lines.rangeOf(tokens[at - 1].end, tokens[at + 2].end);
          return [dropFirstFix(context, statement, name, [{ path, range, newText: '' }])];
        },
      });
    }
  },
};
