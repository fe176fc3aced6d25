import type { Node, RangeVar } from 'libpg-query';
import { keyOfNames, names, nodeOf, normaliseTableName, tableKey, treeOf } from '../sql/ast';
import { mayWriteRows } from '../analysis/locks';
import type { Statement } from '../migration/migration';
import type { Rule } from './rule';
import { userRegex } from '../config/user-regex';

/** A table a statement changes, and how (for the message). */
interface Touch {
  table: string;
  verb: string;
}

/**
 * Tables listed in `protectedTables` belong to another team (the seeds' shared `systems`,
 * `documents`, `document_chunks`): any statement of either part that creates, alters, drops,
 * renames, truncates, writes to, indexes, comments on or grants on one is reported.
 */
export const protectedTable: Rule = {
  id: 'protected-table',
  defaultSeverity: 'error',
  description: 'A statement that creates, alters, drops, renames, truncates or writes to a table listed in protectedTables.',
  messages: {
    table: 'This statement {{verb}} protected table {{tables}}.',
    tables: 'This statement {{verb}} protected tables {{tables}}.',
  },
  help: {
    table: 'Protected tables belong to another team: their owners must make this change. Ask them for it instead of changing it here.',
    tables: 'Protected tables belong to another team: their owners must make this change. Ask them for it instead of changing them here.',
  },
  check({ migration, config, report }) {
    if (config.protectedTables.length === 0) return;
    const patterns = config.protectedTables.map((p) => ({ written: p, test: globTest(normaliseTableName(p)) }));
    for (const statement of migration.statements) {
      const hits = new Map<string, { verb: string; pattern: string }>();
      for (const touch of touchesOf(statement)) {
        const pattern = patterns.find((p) => p.test(touch.table));
        if (pattern && !hits.has(touch.table)) hits.set(touch.table, { verb: touch.verb, pattern: pattern.written });
      }
      if (hits.size === 0) continue;
      const [first] = hits.values();
      const tables = [...hits.keys()];
      const listed = normaliseTableName(first.pattern) === tables[0] ? '' : ` (protectedTables: "${first.pattern}")`;
      // The tables, and the configured pattern when it is not the table's own name.
      report({ statement, messageId: tables.length > 1 ? 'tables' : 'table', data: { verb: first.verb, tables: `${tables.join(', ')}${listed}` } });
    }
  },
};

/** `documents`, `shared.*`, `doc_*`: `*` and `?` match within one name part, `**` across parts. */
function globTest(pattern: string): (table: string) => boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*|\*|\?/g, (m) => (m === '**' ? '.*' : m === '*' ? '[^.]*' : '[^.]'));
  const re = userRegex(`^${source}$`);
  return (table) => re.test(table);
}

const rel = (relation: RangeVar | undefined, verb: string): Touch[] => (relation?.relname ? [{ table: tableKey(relation), verb }] : []);
const rangeVars = (list: Node[] | undefined, verb: string): Touch[] => (list ?? []).flatMap((n) => rel(nodeOf(n, 'RangeVar'), verb));

/** Every table a statement changes, in every form a migration can write it. */
function touchesOf(statement: Statement): Touch[] {
  const alter = treeOf(statement, 'AlterTableStmt');
  if (alter) {
    // ATTACH / DETACH PARTITION changes the partition too.
    const partitions = (alter.cmds ?? []).map((c) => nodeOf(nodeOf(c, 'AlterTableCmd')?.def, 'PartitionCmd')?.name);
    return [...rel(alter.relation, 'alters'), ...partitions.flatMap((p) => rel(p, 'attaches or detaches'))];
  }
  const rename = treeOf(statement, 'RenameStmt');
  if (rename?.relation) return rel(rename.relation, rename.renameType === 'OBJECT_TABLE' ? 'renames' : 'alters');
  const drop = treeOf(statement, 'DropStmt');
  if (drop) {
    const objects = (drop.objects ?? []).map((o) => names(nodeOf(o, 'List')?.items));
    if (drop.removeType === 'OBJECT_TABLE') return objects.map((parts) => ({ table: keyOfNames(parts), verb: 'drops' }));
    // DROP TRIGGER / POLICY / RULE name ON table.
    if (drop.removeType === 'OBJECT_TRIGGER' || drop.removeType === 'OBJECT_POLICY' || drop.removeType === 'OBJECT_RULE') {
      return objects.filter((p) => p.length > 1).map((parts) => ({ table: keyOfNames(parts.slice(0, -1)), verb: 'alters' }));
    }
    return [];
  }
  const truncate = treeOf(statement, 'TruncateStmt');
  if (truncate) return rangeVars(truncate.relations, 'truncates');
  const index = treeOf(statement, 'IndexStmt');
  if (index) return rel(index.relation, 'creates an index on');
  const trigger = treeOf(statement, 'CreateTrigStmt');
  if (trigger) return rel(trigger.relation, 'creates a trigger on');
  const policy = treeOf(statement, 'CreatePolicyStmt') ?? treeOf(statement, 'AlterPolicyStmt');
  if (policy) return rel(policy.table, 'changes a policy of');
  const rule = treeOf(statement, 'RuleStmt');
  if (rule) return rel(rule.relation, 'creates a rule on');
  const move = treeOf(statement, 'AlterObjectSchemaStmt');
  if (move?.relation && move.objectType === 'OBJECT_TABLE') return rel(move.relation, 'moves');
  const comment = treeOf(statement, 'CommentStmt');
  if (comment) {
    const parts = names(nodeOf(comment.object, 'List')?.items);
    if (comment.objtype === 'OBJECT_TABLE') return [{ table: keyOfNames(parts), verb: 'comments on' }];
    if ((comment.objtype === 'OBJECT_COLUMN' || comment.objtype === 'OBJECT_TABCONSTRAINT' || comment.objtype === 'OBJECT_TRIGGER') && parts.length > 1) {
      return [{ table: keyOfNames(parts.slice(0, -1)), verb: 'comments on' }];
    }
    return [];
  }
  const grant = treeOf(statement, 'GrantStmt');
  if (grant?.targtype === 'ACL_TARGET_OBJECT' && grant.objtype === 'OBJECT_TABLE') return rangeVars(grant.objects, grant.is_grant ? 'grants on' : 'revokes on');
  const copy = treeOf(statement, 'CopyStmt');
  if (copy?.is_from) return rel(copy.relation, 'writes to');
  const create = treeOf(statement, 'CreateStmt');
  if (create) return [...rel(create.relation, 'creates'), ...rangeVars(create.inhRelations, 'alters')];
  const createAs = treeOf(statement, 'CreateTableAsStmt');
  if (createAs) return rel(createAs.into?.rel, 'creates');
  return mayWriteRows(statement) ? writesOf(statement.node) : [];
}

/** INSERT / UPDATE / DELETE / MERGE targets, also inside WITH queries; SELECT … INTO creates. */
function writesOf(node: Node | undefined): Touch[] {
  if (!node) return [];
  const body = Object.values(node)[0] as { relation?: RangeVar; withClause?: { ctes?: Node[] }; intoClause?: { rel?: RangeVar } } | undefined;
  const out: Touch[] = [];
  if (nodeOf(node, 'InsertStmt') || nodeOf(node, 'UpdateStmt') || nodeOf(node, 'DeleteStmt') || nodeOf(node, 'MergeStmt')) out.push(...rel(body?.relation, 'writes to'));
  if (nodeOf(node, 'SelectStmt')) out.push(...rel(body?.intoClause?.rel, 'creates'));
  for (const cte of body?.withClause?.ctes ?? []) out.push(...writesOf(nodeOf(cte, 'CommonTableExpr')?.ctequery));
  return out;
}
