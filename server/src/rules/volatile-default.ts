import { nodeOf, tableKey } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import type { Rule } from './rule';
import { rewritingColumn } from '../analysis/volatility';

/**
 * Since PostgreSQL 11, ADD COLUMN with a constant or stable default (`now()`) only writes the
 * catalog. A volatile default, a serial or identity column or a stored generated column is
 * computed for every row: the table and its indexes are rewritten under ACCESS EXCLUSIVE.
 */
export const volatileDefault: Rule = {
  id: 'volatile-default',
  defaultSeverity: 'warning',
  description: 'ADD COLUMN with a volatile default (gen_random_uuid(), random(), clock_timestamp(), nextval, serial, identity, GENERATED … STORED) on an existing table rewrites it under ACCESS EXCLUSIVE.',
  messages: {
    rewritingDefault: 'Adding column {{column}} rewrites all of {{table}} and its indexes under an ACCESS EXCLUSIVE lock, because {{reason}}: every query on the table waits for the rewrite.',
  },
  help: {
    rewritingDefault: 'Add the column without that default (or with a constant one), backfill existing rows in batches, then SET DEFAULT for new rows.',
  },
  check(context) {
    for (const action of upAlterActions(context)) {
      if (action.cmd.subtype !== 'AT_AddColumn') continue;
      const def = nodeOf(action.cmd.def, 'ColumnDef');
      const why = rewritingColumn(def, context.config.pgVersion, context.facts.lockOptions.functions);
      if (!why) continue;
      const table = tableKey(action.alter.relation);
      context.report({
        statement: action.statement,
        start: action.start,
        end: action.end,
        messageId: 'rewritingDefault',
        data: { column: def?.colname ?? '', table, reason: why },
      });
    }
  },
};
