import { nodeOf, tableKey } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import { insertFix } from './helpers/fix';
import type { Rule } from './rule';

/** DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the partitioned table. */
export const detachPartition: Rule = {
  id: 'detach-partition',
  defaultSeverity: 'warning',
  description: 'ALTER TABLE … DETACH PARTITION without CONCURRENTLY: an ACCESS EXCLUSIVE lock on the partitioned table.',
  fixable: true,
  messages: {
    detach: 'DETACH PARTITION {{partition}} takes an ACCESS EXCLUSIVE lock on {{table}}: every query on the partitioned table, reads included, waits until it is done, and queues behind any long transaction already using it.',
    detachBefore14: 'DETACH PARTITION {{partition}} takes an ACCESS EXCLUSIVE lock on {{table}}: every query on the partitioned table, reads included, waits until it is done. PostgreSQL {{pgVersion}} has no concurrent form (it came in 14).',
  },
  help: {
    detach: 'Use DETACH PARTITION … CONCURRENTLY (SHARE UPDATE EXCLUSIVE on the partitioned table), outside a transaction.',
    detachBefore14: 'Set a short lock_timeout and retry, at a quiet time; from PostgreSQL 14, use DETACH PARTITION … CONCURRENTLY.',
  },
  check(context) {
    const modern = context.config.pgVersion >= 14;
    for (const action of upAlterActions(context)) {
      const partition = nodeOf(action.cmd.def, 'PartitionCmd');
      if (action.cmd.subtype !== 'AT_DetachPartition' || !partition?.name || partition.concurrent) continue;
      context.report({
        statement: action.statement,
        start: action.start,
        end: action.end,
        messageId: modern ? 'detach' : 'detachBefore14',
        data: { partition: tableKey(partition.name), table: tableKey(action.alter.relation), pgVersion: context.config.pgVersion },
        fixes: () => (modern ? [insertFix(context.migration, 'Add CONCURRENTLY (the statement must then run outside a transaction)', action.end, ' CONCURRENTLY')] : []),
      });
    }
  },
};
