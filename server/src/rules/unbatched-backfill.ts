import type { Node } from 'libpg-query';
import { names, nodeOf, tableKey, treeOf, walkTree } from '../sql/ast';
import type { Rule } from './rule';

/**
 * An UPDATE or DELETE whose WHERE is not limited to a batch locks and rewrites every row it
 * matches in one transaction, however many there are. A WHERE that names rows by key (`id = 5`,
 * `id IN (1, 2)`) is a point change, not a backfill.
 */
export const unbatchedBackfill: Rule = {
  id: 'unbatched-backfill',
  defaultSeverity: 'info',
  description: 'UPDATE / DELETE with a WHERE on an existing table that is not limited to a batch (key range, LIMIT through a subquery, ctid).',
  messages: {
    unbatched: '{{command}} on {{table}} changes every row its WHERE matches in one statement: each is locked until the transaction commits (concurrent writes to them wait) and rewritten at once, however many there are.',
  },
  help: {
    unbatched: 'Backfill large tables outside the migration, in batches: a key range per statement (WHERE id >= … AND id < …) or WHERE id IN (SELECT id … LIMIT 1000), each in its own short transaction.',
  },
  check(context) {
    for (const statement of context.migration.up) {
      const update = treeOf(statement, 'UpdateStmt');
      const del = treeOf(statement, 'DeleteStmt');
      const change = update ?? del;
      if (!change?.whereClause || !change.relation || !context.facts.isExisting(change.relation, statement)) continue;
      if (isBatched(change.whereClause)) continue;
      context.report({ statement, messageId: 'unbatched', data: { command: update ? 'UPDATE' : 'DELETE', table: tableKey(change.relation) } });
    }
  },
};

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);

/**
 * The WHERE limits the rows to a batch or names them: `ctid`, a subquery with LIMIT, BETWEEN, a
 * column bounded on both sides, `id` equal to (or in a list of) values, or a cursor's row.
 */
function isBatched(where: Node): boolean {
  const lower = new Set<string>();
  const upper = new Set<string>();
  let batched = false;
  walkTree(where, (node) => {
    // WHERE CURRENT OF a cursor: one row.
    if (nodeOf(node as Node, 'CurrentOfExpr')) return (batched = true);
    const column = nodeOf(node as Node, 'ColumnRef');
    if (column && names(column.fields).pop() === 'ctid') return (batched = true);
    const sublink = nodeOf(node as Node, 'SubLink');
    if (sublink && nodeOf(sublink.subselect, 'SelectStmt')?.limitCount) return (batched = true);
    const expr = nodeOf(node as Node, 'A_Expr');
    if (!expr) return false;
    if (expr.kind === 'AEXPR_BETWEEN') return (batched = true);
    const op = names(expr.name)[0] ?? '';
    const left = names(nodeOf(expr.lexpr, 'ColumnRef')?.fields).pop();
    const right = names(nodeOf(expr.rexpr, 'ColumnRef')?.fields).pop();
    if (left === 'id' && !right && (op === '=' || expr.kind === 'AEXPR_IN')) return (batched = true);
    // `col > x`, or `x < col` (the column on the right flips the bound).
    if (left && !right && LOWER.has(op)) lower.add(left);
    if (left && !right && UPPER.has(op)) upper.add(left);
    if (right && !left && UPPER.has(op)) lower.add(right);
    if (right && !left && LOWER.has(op)) upper.add(right);
    return false;
  });
  return batched || [...lower].some((c) => upper.has(c));
}
