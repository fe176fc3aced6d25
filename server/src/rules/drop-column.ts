import { tableKey } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import type { Rule } from './rule';

export const dropColumn: Rule = {
  id: 'drop-column',
  defaultSeverity: 'warning',
  description: 'ALTER TABLE … DROP COLUMN on an existing table breaks running code that reads or writes it, and the data is gone.',
  messages: {
    dropColumn: 'Dropping column {{column}} of {{table}} breaks running code that still reads or writes it, and its data is lost.',
  },
  help: {
    dropColumn: 'Stop using the column in the application first, deploy, then drop it.',
  },
  check(context) {
    for (const action of upAlterActions(context, false)) {
      if (action.cmd.subtype !== 'AT_DropColumn' || !context.facts.predates(action.alter.relation)) continue;
      context.report({
        statement: action.statement,
        start: action.start,
        end: action.end,
        messageId: 'dropColumn',
        data: { column: action.cmd.name ?? '', table: tableKey(action.alter.relation) },
      });
    }
  },
};
