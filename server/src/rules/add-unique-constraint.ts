import { nodeOf, tableKey } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import type { Rule } from './rule';

const BUILDS_INDEX = 'Adding {{constraint}} builds its index by reading all of {{table}} while the ALTER TABLE holds an ACCESS EXCLUSIVE lock: every query on the table waits for the whole build.';

/**
 * A UNIQUE or PRIMARY KEY constraint added to an existing table builds its index while the
 * ALTER TABLE holds ACCESS EXCLUSIVE. Built first with CREATE UNIQUE INDEX CONCURRENTLY, the index
 * becomes the constraint with `USING INDEX`, which only updates the catalog.
 */
export const addUniqueConstraint: Rule = {
  id: 'add-unique-constraint',
  defaultSeverity: 'warning',
  description: 'ADD CONSTRAINT … UNIQUE / PRIMARY KEY on an existing table without USING INDEX: builds the index under an ACCESS EXCLUSIVE lock.',
  messages: {
    unique: BUILDS_INDEX,
    primaryKey: BUILDS_INDEX,
    column: 'Adding column {{column}} as {{kind}} builds a unique index by reading all of {{table}} while the ALTER TABLE holds an ACCESS EXCLUSIVE lock: every query on the table waits for the whole build.',
  },
  help: {
    unique: 'First CREATE UNIQUE INDEX CONCURRENTLY {{name}} ON {{table}} (…), then ADD CONSTRAINT {{name}} UNIQUE USING INDEX {{name}}.',
    primaryKey: 'First CREATE UNIQUE INDEX CONCURRENTLY {{name}} ON {{table}} (…), then ADD CONSTRAINT {{name}} PRIMARY KEY USING INDEX {{name}} (with the key columns already NOT NULL, or PostgreSQL scans for NULLs).',
    column: 'Add the column alone, CREATE UNIQUE INDEX CONCURRENTLY on it, then ADD CONSTRAINT … {{kind}} USING INDEX.',
  },
  check(context) {
    for (const action of upAlterActions(context)) {
      const { subtype } = action.cmd;
      const table = tableKey(action.alter.relation);
      if (subtype === 'AT_AddConstraint') {
        const constraint = nodeOf(action.cmd.def, 'Constraint');
        if (constraint?.contype !== 'CONSTR_UNIQUE' && constraint?.contype !== 'CONSTR_PRIMARY') continue;
        if (constraint.indexname) continue;
        const unique = constraint.contype === 'CONSTR_UNIQUE';
        const kind = unique ? 'UNIQUE' : 'PRIMARY KEY';
        context.report({
          statement: action.statement,
          start: action.start,
          end: action.end,
          messageId: unique ? 'unique' : 'primaryKey',
          data: { constraint: `${kind} constraint${constraint.conname ? ` ${constraint.conname}` : ''}`, table, name: constraint.conname ?? `${table}_…` },
        });
      } else if (subtype === 'AT_AddColumn') {
        // A new column declared UNIQUE / PRIMARY KEY gets the same index build.
        const def = nodeOf(action.cmd.def, 'ColumnDef');
        const constraint = (def?.constraints ?? []).map((c) => nodeOf(c, 'Constraint')).find((c) => c?.contype === 'CONSTR_UNIQUE' || c?.contype === 'CONSTR_PRIMARY');
        if (!constraint) continue;
        const kind = constraint.contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'PRIMARY KEY';
        context.report({
          statement: action.statement,
          start: action.start,
          end: action.end,
          messageId: 'column',
          data: { column: def?.colname ?? '', kind, table },
        });
      }
    }
  },
};
