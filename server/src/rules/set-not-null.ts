import { names, nodeOf, tableKey } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import type { Rule } from './rule';

export const setNotNull: Rule = {
  id: 'set-not-null',
  defaultSeverity: 'warning',
  description: 'ALTER COLUMN … SET NOT NULL on an existing table scans it under an ACCESS EXCLUSIVE lock and breaks code that writes NULL.',
  messages: {
    setNotNull: 'SET NOT NULL on {{table}}.{{column}} scans the whole table under an ACCESS EXCLUSIVE lock, and running code that writes NULL breaks.',
  },
  help: {
    setNotNull: 'On PostgreSQL 12+, add CHECK ({{column}} IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL.',
  },
  check(context) {
    // CHECK (col IS NOT NULL) constraints seen so far: name → column, and which are validated.
    const checks = new Map<string, { table: string; column: string; valid: boolean }>();
    // Columns whose NOT NULL this migration drops: what the schema before it says no longer holds.
    const dropped = new Set<string>();
    for (const action of upAlterActions(context, false)) {
      const table = tableKey(action.alter.relation);
      const { subtype } = action.cmd;
      if (subtype === 'AT_AddConstraint') {
        const constraint = nodeOf(action.cmd.def, 'Constraint');
        const test = nodeOf(constraint?.raw_expr, 'NullTest');
        const column = names(nodeOf(test?.arg, 'ColumnRef')?.fields).pop();
        if (constraint?.contype === 'CONSTR_CHECK' && test?.nulltesttype === 'IS_NOT_NULL' && column) {
          checks.set(constraint.conname ?? `${table}.${column}`, { table, column, valid: !constraint.skip_validation });
        }
      } else if (subtype === 'AT_DropNotNull') {
        dropped.add(`${table}.${action.cmd.name}`);
      } else if (subtype === 'AT_ValidateConstraint') {
        const check = checks.get(action.cmd.name ?? '');
        if (check && check.table === table) check.valid = true;
      } else if (subtype === 'AT_SetNotNull' && context.facts.isExisting(action.alter.relation)) {
        const proven = [...checks.values()].some((c) => c.valid && c.table === table && c.column === action.cmd.name);
        if (proven && context.config.pgVersion >= 12) continue;
        // The schema before the migration: already NOT NULL (nothing to do), or an earlier migration's validated CHECK proves it.
        const before = dropped.has(`${table}.${action.cmd.name}`) ? undefined : context.facts.columnBefore(action.alter.relation, action.cmd.name ?? '');
        if (before?.notNull || (before?.checkedNotNull && context.config.pgVersion >= 12)) continue;
        context.report({
          statement: action.statement,
          start: action.start,
          end: action.end,
          messageId: 'setNotNull',
          data: { table, column: action.cmd.name ?? '' },
        });
      }
    }
  },
};
