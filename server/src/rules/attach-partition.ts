import type { Statement } from '../migration/migration';
import { nodeOf, tableKey, treeOf } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import type { Rule, RuleContext } from './rule';

/**
 * ATTACH PARTITION of a table that holds rows scans it to check every row fits the bound, under
 * a lock that blocks writes to it, unless a validated CHECK constraint already proves it.
 * Whether a CHECK implies the bound is PostgreSQL's to decide: any validated CHECK added to the
 * partition earlier in the migration is taken as the one written for it.
 */
export const attachPartition: Rule = {
  id: 'attach-partition',
  defaultSeverity: 'warning',
  description: 'ATTACH PARTITION of a table that holds rows, with no CHECK constraint implying the bound.',
  messages: {
    scan: 'ATTACH PARTITION {{partition}} reads every row of {{partition}} to check it fits the partition bound, while it holds an ACCESS EXCLUSIVE lock on it (and a default partition of {{table}} is scanned too).',
  },
  help: {
    scan: 'First add a CHECK constraint that matches the bound, NOT VALID, then VALIDATE CONSTRAINT (reads and writes go on); ATTACH PARTITION then skips the scan. Drop the CHECK afterwards.',
  },
  check(context) {
    for (const action of upAlterActions(context, false)) {
      if (action.cmd.subtype !== 'AT_AttachPartition') continue;
      const partition = nodeOf(action.cmd.def, 'PartitionCmd')?.name;
      // A table this migration created and has not filled is empty: nothing to scan.
      if (!partition || !context.facts.isExisting(partition, action.statement)) continue;
      if (hasCheckBefore(context, action.statement, tableKey(partition))) continue;
      context.report({ statement: action.statement, start: action.start, end: action.end, messageId: 'scan', data: { partition: tableKey(partition), table: tableKey(action.alter.relation) } });
    }
  },
};

/** A validated CHECK constraint on the table, from a statement of the UP part before `statement`. */
function hasCheckBefore(context: RuleContext, statement: Statement, table: string): boolean {
  const unvalidated = new Set<string>();
  let validated = false;
  for (const earlier of context.migration.up) {
    if (earlier.start >= statement.start) break;
    const create = treeOf(earlier, 'CreateStmt');
    if (create && tableKey(create.relation) === table && (create.tableElts ?? []).some((e) => nodeOf(e, 'Constraint')?.contype === 'CONSTR_CHECK')) validated = true;
    const alter = treeOf(earlier, 'AlterTableStmt');
    if (!alter || tableKey(alter.relation) !== table) continue;
    for (const c of alter.cmds ?? []) {
      const cmd = nodeOf(c, 'AlterTableCmd');
      const constraint = nodeOf(cmd?.def, 'Constraint');
      if (cmd?.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_CHECK') {
        if (!constraint.skip_validation) validated = true;
        else if (constraint.conname) unvalidated.add(constraint.conname);
      }
      if (cmd?.subtype === 'AT_ValidateConstraint' && cmd.name && unvalidated.has(cmd.name)) validated = true;
    }
  }
  return validated;
}
