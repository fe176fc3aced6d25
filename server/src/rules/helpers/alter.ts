/** Walking `ALTER TABLE` actions of the UP part, shared by the rules that judge them. */
import type { AlterTableCmd, AlterTableStmt } from 'libpg-query';
import type { Statement } from '../../migration/migration';
import { AlterAction, alterActions, nodeOf, treeOf } from '../../sql/ast';
import type { RuleContext } from '../rule';

export interface UpAlterAction extends AlterAction<AlterTableCmd> {
  statement: Statement;
  alter: AlterTableStmt;
}

const cache = new WeakMap<object, UpAlterAction[]>();

/** Every ALTER TABLE action in the UP part, with its clause span, in order (computed once per lint). */
export function upAlterActions(context: RuleContext, existingOnly = true): UpAlterAction[] {
  let all = cache.get(context.facts);
  if (!all) {
    all = allUpAlterActions(context);
    cache.set(context.facts, all);
  }
  return existingOnly ? all.filter((a) => context.facts.isExisting(a.alter.relation)) : all;
}

function allUpAlterActions(context: RuleContext): UpAlterAction[] {
  const out: UpAlterAction[] = [];
  for (const statement of context.migration.up) {
    const alter = treeOf(statement, 'AlterTableStmt');
    if (!alter || alter.objtype !== 'OBJECT_TABLE') continue;
    const cmds = (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd') ?? {});
    for (const action of alterActions(statement, cmds, alter.relation?.location)) out.push({ ...action, statement, alter });
  }
  return out;
}
