import { locksOf, mayBlockWrites } from '../analysis/locks';
import type { Rule } from './rule';

/**
 * One transaction holding ACCESS EXCLUSIVE on several existing tables: each lock is held until the
 * commit, so every query on all of them waits for the whole transaction, and sessions taking the
 * same tables in another order deadlock with it.
 */
export const multiTableLock: Rule = {
  id: 'multi-table-lock',
  defaultSeverity: 'warning',
  description: 'One transaction takes ACCESS EXCLUSIVE locks on two or more existing tables.',
  messages: {
    secondTable: '{{action}} takes an ACCESS EXCLUSIVE lock on {{table}} in the transaction that already holds one on {{first}} ({{firstAction}}, line {{firstLine}}): every query on both waits until the transaction commits, and a session that locks them in the other order deadlocks with it.',
  },
  help: {
    secondTable: 'Change one table per transaction: split the migration (or its BEGIN … COMMIT blocks) so that each transaction takes ACCESS EXCLUSIVE on one table.',
  },
  check(context) {
    const { facts, migration } = context;
    const options = facts.lockOptions;
    const firsts = new Map<number, { table: string; action: string; line: number } | 'reported'>();
    for (const statement of migration.up) {
      const transaction = facts.transactionNumberOf(statement);
      if (transaction === undefined || firsts.get(transaction) === 'reported' || !mayBlockWrites(statement)) continue;
      for (const lock of locksOf(statement, options)) {
        if (lock.mode !== 'ACCESS EXCLUSIVE' || lock.targetKind !== 'table' || !facts.isExisting(lock.relation, statement)) continue;
        const first = firsts.get(transaction);
        if (first === undefined) {
          firsts.set(transaction, { table: lock.target, action: lock.action, line: migration.lines.positionAt(lock.start).line + 1 });
        } else if (first !== 'reported' && first.table !== lock.target) {
          context.report({ statement, start: lock.start, end: lock.end, messageId: 'secondTable', data: { action: lock.action, table: lock.target, first: first.table, firstAction: first.action, firstLine: first.line } });
          firsts.set(transaction, 'reported');
          break;
        }
      }
    }
  },
};
