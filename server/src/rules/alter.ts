/** Walking `ALTER TABLE` actions of the UP part, shared by the rules that judge them. */
import type { AlterTableCmd, AlterTableStmt } from 'libpg-query';
import type { Statement } from '../migration/migration';
import { AlterAction, alterActions, nodeOf } from '../sql/ast';
import type { RuleContext } from './rule';

export interface UpAlterAction extends AlterAction<AlterTableCmd> {
  statement: Statement;
  alter: AlterTableStmt;
}

/** Every ALTER TABLE action in the UP part, with its clause span, in order. */
export function upAlterActions(context: RuleContext, existingOnly = true): UpAlterAction[] {
  const out: UpAlterAction[] = [];
  for (const statement of context.migration.up) {
    const alter = nodeOf(statement.node, 'AlterTableStmt');
    if (!alter || alter.objtype !== 'OBJECT_TABLE') continue;
    if (existingOnly && !context.facts.isExisting(alter.relation)) continue;
    const cmds = (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd') ?? {});
    for (const action of alterActions(statement, cmds, alter.relation?.location)) out.push({ ...action, statement, alter });
  }
  return out;
}
