import { tableKey } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import type { Rule } from './rule';

/**
 * `DISABLE TRIGGER` on an existing table in the UP part. `ALL` also turns off the internal
 * triggers that enforce foreign keys. A named or USER trigger enabled again later in the same
 * transaction is not reported: the ALTER TABLE's lock keeps other writers out meanwhile, so only
 * the migration's own writes skip it, which is the point.
 */
export const disableTrigger: Rule = {
  id: 'disable-trigger',
  defaultSeverity: 'warning',
  description: 'ALTER TABLE … DISABLE TRIGGER ALL / USER / a named trigger in the UP part.',
  messages: {
    all: 'DISABLE TRIGGER ALL on {{table}} also turns off the internal triggers that enforce its foreign keys: rows written while they are off are never checked.',
    user: 'DISABLE TRIGGER {{trigger}} on {{table}} stays in force after this statement: rows written meanwhile, by this migration or the application, skip what the trigger does.',
  },
  help: {
    all: 'Disable only the triggers that must not fire (DISABLE TRIGGER name, or USER), and enable them again in the same transaction.',
    user: 'Enable it again in the same transaction (ALTER TABLE … ENABLE TRIGGER), or make the trigger skip the migration\'s rows another way (a session setting it reads).',
  },
  check(context) {
    const actions = upAlterActions(context);
    actions.forEach((action, i) => {
      const { subtype } = action.cmd;
      if (subtype !== 'AT_DisableTrig' && subtype !== 'AT_DisableTrigAll' && subtype !== 'AT_DisableTrigUser') return;
      const table = tableKey(action.alter.relation);
      if (subtype === 'AT_DisableTrigAll') {
        context.report({ statement: action.statement, start: action.start, end: action.end, messageId: 'all', data: { table } });
        return;
      }
      const transaction = context.facts.transactionNumberOf(action.statement);
      const enabledAgain = transaction !== undefined && actions.slice(i + 1).some((a) =>
        context.facts.transactionNumberOf(a.statement) === transaction &&
        tableKey(a.alter.relation) === table &&
        (a.cmd.subtype === 'AT_EnableTrigAll' || (a.cmd.subtype === 'AT_EnableTrigUser') || (subtype === 'AT_DisableTrig' && a.cmd.subtype === 'AT_EnableTrig' && a.cmd.name === action.cmd.name)));
      if (enabledAgain) return;
      context.report({ statement: action.statement, start: action.start, end: action.end, messageId: 'user', data: { table, trigger: subtype === 'AT_DisableTrigUser' ? 'USER' : action.cmd.name ?? '' } });
    });
  },
};
