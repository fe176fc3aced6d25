import { names, nodeOf, tableKey } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import type { Rule } from './rule';

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

export const addRequiredColumn: Rule = {
  id: 'add-required-column',
  defaultSeverity: 'error',
  description: 'ADD COLUMN … NOT NULL without a DEFAULT on an existing table fails on a table with rows and breaks old INSERTs.',
  messages: {
    requiredColumn: 'Adding NOT NULL column {{column}} to {{table}} without a DEFAULT fails on a table with rows, and every INSERT of the running code breaks.',
  },
  help: {
    requiredColumn: 'Add it nullable (or with a DEFAULT), backfill, then set NOT NULL.',
  },
  check(context) {
    for (const action of upAlterActions(context)) {
      if (action.cmd.subtype !== 'AT_AddColumn') continue;
      const def = nodeOf(action.cmd.def, 'ColumnDef');
      const constraints = (def?.constraints ?? []).map((c) => nodeOf(c, 'Constraint'));
      const kinds = constraints.map((c) => c?.contype);
      const notNull = kinds.includes('CONSTR_NOTNULL') || kinds.includes('CONSTR_PRIMARY');
      // A default, an identity or a generated column, or a serial type fills existing rows;
      // `DEFAULT NULL` fills nothing.
      const filled = constraints.some((c) =>
        (c?.contype === 'CONSTR_DEFAULT' && !nodeOf(c.raw_expr, 'A_Const')?.isnull) || c?.contype === 'CONSTR_IDENTITY' || c?.contype === 'CONSTR_GENERATED');
      const serial = SERIAL_TYPES.has(names(def?.typeName?.names).pop() ?? '');
      if (!notNull || filled || serial) continue;
      // The schema before the migration has the column already: IF NOT EXISTS skips the clause,
      // and without it PostgreSQL rejects it (schema-error says so).
      if (context.facts.columnBefore(action.alter.relation, def?.colname ?? '')) continue;
      context.report({
        statement: action.statement,
        start: action.start,
        end: action.end,
        messageId: 'requiredColumn',
        data: { column: def?.colname ?? '', table: tableKey(action.alter.relation) },
      });
    }
  },
};
