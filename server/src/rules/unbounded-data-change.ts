import type { Node, RangeVar } from 'libpg-query';
import { nodeOf, tableKey, treeOf } from '../sql/ast';
import { dmlTarget, mayWriteRows } from '../analysis/locks';
import type { Rule } from './rule';
import type { Statement } from '../migration/migration';

const TRUNCATE_HELP = 'If the rows must go while the application runs, DELETE them in batches; otherwise make sure this is intended.';

/**
 * An UPDATE or DELETE without WHERE, or a TRUNCATE, changes every row of a live table in one
 * transaction: row locks on all of it (or ACCESS EXCLUSIVE for TRUNCATE), a burst of WAL and
 * dead rows, and no way back but a restore.
 */
export const unboundedDataChange: Rule = {
  id: 'unbounded-data-change',
  defaultSeverity: 'warning',
  description: 'UPDATE or DELETE without WHERE, or TRUNCATE, on an existing table in the UP part.',
  messages: {
    truncate: 'TRUNCATE removes every row of {{tables}} under an ACCESS EXCLUSIVE lock; the data cannot be rolled back once committed.',
    truncateCascade: 'TRUNCATE removes every row of {{tables}} under an ACCESS EXCLUSIVE lock, and CASCADE empties every table that references it too; the data cannot be rolled back once committed.',
    update: 'UPDATE without WHERE updates every row of {{table}} in one transaction: it holds a row lock on each until it commits (concurrent writes to those rows wait), writes WAL and dead rows for the whole table, and the old values are gone.',
    delete: 'DELETE without WHERE deletes every row of {{table}} in one transaction: it holds a row lock on each until it commits (concurrent writes to those rows wait), writes WAL and dead rows for the whole table, and the data is gone.',
  },
  help: {
    truncate: TRUNCATE_HELP,
    truncateCascade: TRUNCATE_HELP,
    update: 'Add a WHERE clause, or process the rows in batches.',
    delete: 'Add a WHERE clause, or process the rows in batches.',
  },
  check({ migration, facts, report }) {
    for (const statement of migration.up) {
      const truncate = treeOf(statement, 'TruncateStmt');
      if (truncate) {
        const tables = (truncate.relations ?? []).map((r) => nodeOf(r, 'RangeVar')).filter((r): r is RangeVar => !!r && facts.isExisting(r));
        if (tables.length === 0) continue;
        report({ statement, messageId: truncate.behavior === 'DROP_CASCADE' ? 'truncateCascade' : 'truncate', data: { tables: tables.map(tableKey).join(', ') } });
        continue;
      }
      for (const change of mayUpdateOrDelete(statement) ? dataChanges(statement.node) : []) {
        if (!change.whereless || (change.command !== 'UPDATE' && change.command !== 'DELETE') || !facts.isExisting(change.relation)) continue;
        report({ statement, messageId: change.command === 'UPDATE' ? 'update' : 'delete', data: { table: tableKey(change.relation) } });
      }
    }
  },
};

/** Only UPDATE and DELETE are judged: other statements are read only when their text holds one. */
function mayUpdateOrDelete(statement: Statement): boolean {
  return statement.kind === 'UpdateStmt' || statement.kind === 'DeleteStmt' || (mayWriteRows(statement) && /\b(?:update|delete)\b/i.test(statement.text));
}

/** The UPDATE / DELETE / INSERT / MERGE of a statement and of the data-changing WITH queries it holds. */
function dataChanges(node: Node | undefined): NonNullable<ReturnType<typeof dmlTarget>>[] {
  const out: NonNullable<ReturnType<typeof dmlTarget>>[] = [];
  const own = dmlTarget(node);
  if (own) out.push(own);
  const body = node ? (Object.values(node)[0] as { withClause?: { ctes?: Node[] } } | undefined) : undefined;
  for (const cte of body?.withClause?.ctes ?? []) out.push(...dataChanges(nodeOf(cte, 'CommonTableExpr')?.ctequery));
  return out;
}
