import type { RangeVar } from 'libpg-query';
import { conflicts, locksOf, mayBlockWrites } from '../analysis/locks';
import type { Statement } from '../migration/migration';
import { nodeOf, tableKey, treeOf } from '../sql/ast';
import type { Rule } from './rule';

/**
 * A data change on an existing table in the transaction that took a lock blocking writes to it
 * (SHARE or stronger): the lock is held until the commit, so for the whole backfill.
 */
export const backfillWithDdl: Rule = {
  id: 'backfill-with-ddl',
  defaultSeverity: 'warning',
  description: 'A data change (UPDATE, DELETE, INSERT … SELECT) on an existing table in the same transaction as a lock that blocks writes to it.',
  messages: {
    backfill: '{{command}} on {{table}} runs in the transaction that took {{mode}} on it ({{action}}, line {{line}}): the lock is held until the commit, so {{blocked}} on {{table}} waits for the whole data change.',
  },
  help: {
    backfill: 'Commit the schema change first (its own migration or transaction), then change the data in a later one, in batches.',
  },
  check(context) {
    const { facts, migration } = context;
    const options = facts.lockOptions;
    // Per transaction: the first lock that blocks writes, by table.
    const held = new Map<number, Map<string, { mode: string; action: string; line: number }>>();
    for (const statement of migration.up) {
      const transaction = facts.transactionNumberOf(statement);
      if (transaction === undefined) continue;
      const change = dataChange(statement);
      const lock = change && facts.isExisting(change.relation, statement) ? held.get(transaction)?.get(tableKey(change.relation)) : undefined;
      if (change && lock) {
        const blocked = lock.mode === 'ACCESS EXCLUSIVE' ? 'every query' : 'every write';
        context.report({ statement, messageId: 'backfill', data: { command: change.command, table: tableKey(change.relation), mode: lock.mode, action: lock.action, line: lock.line, blocked } });
      }
      if (!mayBlockWrites(statement)) continue;
      for (const l of locksOf(statement, options)) {
        if (!conflicts(l.mode, 'ROW EXCLUSIVE') || l.targetKind !== 'table' || !facts.isExisting(l.relation, statement)) continue;
        const table = held.get(transaction) ?? new Map();
        held.set(transaction, table);
        if (!table.has(l.target)) table.set(l.target, { mode: l.mode, action: l.action, line: migration.lines.positionAt(l.start).line + 1 });
      }
    }
  },
};

/** UPDATE, DELETE, or INSERT … SELECT reading a table: statements that take as long as the data. */
function dataChange(statement: Statement): { command: string; relation: RangeVar } | undefined {
  const update = treeOf(statement, 'UpdateStmt');
  if (update?.relation) return { command: 'UPDATE', relation: update.relation };
  const del = treeOf(statement, 'DeleteStmt');
  if (del?.relation) return { command: 'DELETE', relation: del.relation };
  const insert = treeOf(statement, 'InsertStmt');
  const select = nodeOf(insert?.selectStmt, 'SelectStmt');
  if (insert?.relation && select && (select.fromClause?.length || select.larg)) return { command: 'INSERT … SELECT', relation: insert.relation };
  return undefined;
}
