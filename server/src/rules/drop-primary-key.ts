import { nodeOf, tableKey, treeOf } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import type { Rule } from './rule';

/**
 * Dropping a table's primary key. Known as one from its name: PostgreSQL's own `<table>_pkey`
 * (or any `…_pkey`), or a PRIMARY KEY constraint this migration adds under that name. Not
 * reported when the same migration gives the table a new primary key afterwards (a replaced key).
 */
export const dropPrimaryKey: Rule = {
  id: 'drop-primary-key',
  defaultSeverity: 'warning',
  description: 'ALTER TABLE … DROP CONSTRAINT of a primary key on an existing table.',
  messages: {
    dropPrimaryKey: 'Dropping {{constraint}}, the primary key of {{table}}: logical replication of its UPDATEs and DELETEs stops (no replica identity), foreign keys that reference it block the drop or go with CASCADE, and lookups by key lose their index.',
  },
  help: {
    dropPrimaryKey: 'Keep a primary key at all times: build the new key\'s unique index CONCURRENTLY first, then swap in one statement (DROP CONSTRAINT …, ADD CONSTRAINT … PRIMARY KEY USING INDEX …).',
  },
  check(context) {
    const actions = upAlterActions(context);
    const primaryKeys = new Set<string>();
    for (const statement of context.migration.up) {
      for (const cmd of treeOf(statement, 'AlterTableStmt')?.cmds ?? []) {
        const constraint = nodeOf(nodeOf(cmd, 'AlterTableCmd')?.def, 'Constraint');
        if (constraint?.contype === 'CONSTR_PRIMARY' && constraint.conname) primaryKeys.add(constraint.conname);
      }
    }
    actions.forEach((action, i) => {
      const name = action.cmd.name;
      if (action.cmd.subtype !== 'AT_DropConstraint' || !name) return;
      const relname = action.alter.relation?.relname ?? '';
      if (!name.endsWith('_pkey') && name !== defaultPrimaryKeyName(relname) && !primaryKeys.has(name)) return;
      const table = tableKey(action.alter.relation);
      const replaced = actions.slice(i + 1).some((a) => tableKey(a.alter.relation) === table && a.cmd.subtype === 'AT_AddConstraint' && nodeOf(a.cmd.def, 'Constraint')?.contype === 'CONSTR_PRIMARY');
      if (replaced) return;
      context.report({ statement: action.statement, start: action.start, end: action.end, messageId: 'dropPrimaryKey', data: { constraint: name, table } });
    });
  },
};

/** PostgreSQL's name for a table's primary key: `<table>_pkey`, the table's name cut to fit 63 bytes. */
function defaultPrimaryKeyName(table: string): string {
  let name = table;
  while (Buffer.byteLength(`${name}_pkey`) > 63) name = name.slice(0, -1);
  return `${name}_pkey`;
}
