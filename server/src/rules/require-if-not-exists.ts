import type { AlterTableCmd, RangeVar } from 'libpg-query';
import { alterActions, findWords, nameEnd, names, nodeOf, treeOf } from '../sql/ast';
import type { Part, Statement } from '../migration/migration';
import { dropFirstFix, indexName } from './helpers/drop-first';
import { insertFix } from './helpers/fix';
import type { Rule, RuleContext } from './rule';

/**
 * CREATE … without IF NOT EXISTS (or OR REPLACE) cannot be re-run after a half-applied migration.
 */
export const requireIfNotExists: Rule = {
  id: 'require-if-not-exists',
  defaultSeverity: 'warning',
  description: 'CREATE and ADD COLUMN without IF NOT EXISTS (or OR REPLACE) fail when the migration is re-run.',
  messages: {
    ifNotExists: '{{statement}} without IF NOT EXISTS fails if the migration is re-run.',
    orReplace: 'CREATE {{object}} without OR REPLACE fails if the migration is re-run.',
    addColumn: 'ADD COLUMN {{column}} without IF NOT EXISTS fails if the migration is re-run.',
    unnamedIndex: 'CREATE INDEX without a name and IF NOT EXISTS creates a second index when the migration is re-run: name the index and add IF NOT EXISTS.',
    concurrentIndex: 'CREATE INDEX CONCURRENTLY fails if the migration is re-run, and IF NOT EXISTS would keep the INVALID index a failed build leaves behind: drop it first with DROP INDEX CONCURRENTLY IF EXISTS {{name}}.',
    unnamedConcurrentIndex: 'CREATE INDEX CONCURRENTLY without a name creates a second index when the migration is re-run: name the index and drop it first with DROP INDEX CONCURRENTLY IF EXISTS.',
  },
  fixable: true,
  check(context) {
    const dropped = new Map<Part, DroppedObject[]>();
    for (const statement of context.migration.statements) {
      const earlier = dropped.get(statement.part) ?? [];
      checkStatement(context, statement, earlier);
      dropped.set(statement.part, [...earlier, ...droppedIfExists(statement)]);
    }
  },
};

/** The statement kinds checked below; most statements of a file (queries, data, settings) are none of them. */
const CREATING_KINDS = new Set([
  'CreateStmt', 'CreateTableAsStmt', 'IndexStmt', 'CreateSeqStmt', 'CreateSchemaStmt', 'CreateExtensionStmt',
  'ViewStmt', 'CreateFunctionStmt', 'CreateTrigStmt', 'AlterTableStmt',
]);

function checkStatement(context: RuleContext, statement: Statement, dropped: DroppedObject[]): void {
  if (!CREATING_KINDS.has(statement.kind)) return;
  const node = statement.node;
  // DROP … IF EXISTS of the object (or of its table) earlier in the part makes the CREATE re-runnable.
  const created = createdObject(statement);
  if (created && dropped.some((d) => sameObject(d, created) || (created.table && d.kind === 'OBJECT_TABLE' && sameNames(d.names, created.table)))) return;
  // Tokens are read (and the statement lexed) only for a statement that is reported: most
  // already say IF NOT EXISTS or OR REPLACE.
  const ifNotExists = (objectWords: string[], object: string, nameLocation?: number, fixable = true) => {
    const tokens = statement.sqlTokens;
    const at = findWords(tokens, objectWords);
    if (at < 0) return;
    const after = tokens[at + objectWords.length - 1].end;
    const end = nameLocation !== undefined ? nameEnd(statement, nameLocation) : tokens[at + objectWords.length]?.end ?? after;
    context.report({
      statement,
      start: statement.start,
      end,
      messageId: 'ifNotExists',
      data: { statement: object },
      fixes: () => fixable ? [insertFix(context.migration, 'Add IF NOT EXISTS', after, ' IF NOT EXISTS')] : [],
    });
  };
  // The head `CREATE … VIEW s.name`: the object's word, then its (qualified) name.
  const orReplace = (object: string) => {
    const tokens = statement.sqlTokens;
    const createAt = findWords(tokens, ['CREATE']);
    let name = findWords(tokens, [object], createAt) + 1;
    if (name <= 0 || name >= tokens.length) name = tokens.length - 1;
    while (name + 2 < tokens.length && tokens[name + 1].value === '.' && tokens[name + 1].kind === 'punct') name += 2;
    context.report({
      statement,
      start: statement.start,
      end: tokens[name].end,
      messageId: 'orReplace',
      data: { object },
      fixes: () => [insertFix(context.migration, 'Add OR REPLACE', tokens[createAt].end, ' OR REPLACE')],
    });
  };

  // Temporary objects live for one session, and a re-run is a new session.
  const table = nodeOf(node, 'CreateStmt');
  if (table && !table.if_not_exists && !isTemp(table.relation)) return ifNotExists(['TABLE'], 'CREATE TABLE', table.relation?.location);
  const tableAs = nodeOf(node, 'CreateTableAsStmt');
  if (tableAs && !tableAs.if_not_exists && !tableAs.is_select_into && !isTemp(tableAs.into?.rel)) {
    const matview = tableAs.objtype === 'OBJECT_MATVIEW';
    return ifNotExists(matview ? ['MATERIALIZED', 'VIEW'] : ['TABLE'], matview ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS', tableAs.into?.rel?.location);
  }
  const index = nodeOf(node, 'IndexStmt');
  if (index && !index.if_not_exists) {
    const words = index.concurrent ? ['INDEX', 'CONCURRENTLY'] : ['INDEX'];
    if (index.idxname && !index.concurrent) return ifNotExists(words, 'CREATE INDEX');
    const tokens = statement.sqlTokens;
    const at = findWords(tokens, words);
    // A failed concurrent build leaves an INVALID index under its name, which IF NOT EXISTS would
    // then skip for good: the re-runnable form drops it first (see concurrent-index-if-not-exists).
    if (index.idxname) {
      const name = indexName(index);
      context.report({
        statement,
        start: statement.start,
        end: tokens[at + words.length]?.end ?? statement.end,
        messageId: 'concurrentIndex',
        data: { name },
        fixes: () => [dropFirstFix(context, statement, name, [])],
      });
      return;
    }
    // IF NOT EXISTS needs an index name, so there is nothing to insert.
    context.report({
      statement,
      start: statement.start,
      end: tokens[at + words.length - 1]?.end ?? statement.end,
      messageId: index.concurrent ? 'unnamedConcurrentIndex' : 'unnamedIndex',
    });
    return;
  }
  const sequence = nodeOf(node, 'CreateSeqStmt');
  if (sequence && !sequence.if_not_exists && !isTemp(sequence.sequence)) return ifNotExists(['SEQUENCE'], 'CREATE SEQUENCE', sequence.sequence?.location);
  const schema = nodeOf(node, 'CreateSchemaStmt');
  // PostgreSQL refuses IF NOT EXISTS on a CREATE SCHEMA that also creates objects in it.
  if (schema && !schema.if_not_exists) return ifNotExists(['SCHEMA'], 'CREATE SCHEMA', undefined, !schema.schemaElts?.length);
  const extension = nodeOf(node, 'CreateExtensionStmt');
  if (extension && !extension.if_not_exists) return ifNotExists(['EXTENSION'], 'CREATE EXTENSION');

  const view = nodeOf(node, 'ViewStmt');
  if (view && !view.replace && !isTemp(view.view)) return orReplace('VIEW');
  const fn = nodeOf(node, 'CreateFunctionStmt');
  if (fn && !fn.replace) return orReplace(fn.is_procedure ? 'PROCEDURE' : 'FUNCTION');
  const trigger = nodeOf(node, 'CreateTrigStmt');
  if (trigger && !trigger.replace && !trigger.isconstraint && context.config.pgVersion >= 14) return orReplace('TRIGGER');

  const alter = nodeOf(node, 'AlterTableStmt');
  if (alter && alter.objtype === 'OBJECT_TABLE') {
    const cmds = (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd')!);
    const addsColumn = (cmd: AlterTableCmd | undefined) => cmd?.subtype === 'AT_AddColumn' && !cmd.missing_ok;
    if (!cmds.some(addsColumn)) return;
    for (const action of alterActions(statement, cmds, alter.relation?.location)) {
      if (!addsColumn(action.cmd)) continue;
      const clause = statement.sqlTokens.filter((t) => t.start >= action.start && t.end <= action.end);
      const words = clause[1]?.value === 'COLUMN' ? 2 : 1;
      const column = nodeOf(action.cmd.def, 'ColumnDef')?.colname ?? '';
      context.report({
        statement,
        start: action.start,
        end: clause[words]?.end ?? action.end,
        messageId: 'addColumn',
        data: { column },
        fixes: () => [insertFix(context.migration, 'Add IF NOT EXISTS', clause[words - 1].end, ' IF NOT EXISTS')],
      });
    }
  }
}

function isTemp(relation: RangeVar | undefined): boolean {
  return relation?.relpersistence === 't';
}

/** An object a statement creates or drops: its kind as DROP names it, and its (qualified) name parts. */
interface DroppedObject {
  kind: string;
  names: string[];
}

interface CreatedObject extends DroppedObject {
  /** The table an index, trigger or column belongs to: dropping the table drops it too. */
  table?: string[];
}

function relationNames(relation: { schemaname?: string; relname?: string } | undefined): string[] {
  return [relation?.schemaname, relation?.relname].filter((n): n is string => !!n);
}

/** The objects `DROP … IF EXISTS` (or `DROP COLUMN IF EXISTS`) removes when they are there. */
function droppedIfExists(statement: Statement): DroppedObject[] {
  const drop = treeOf(statement, 'DropStmt');
  if (drop?.missing_ok && drop.removeType) {
    return (drop.objects ?? []).map((o) => ({
      kind: drop.removeType!,
      names: nodeOf(o, 'List') ? names(nodeOf(o, 'List')?.items) : nodeOf(o, 'ObjectWithArgs') ? names(nodeOf(o, 'ObjectWithArgs')?.objname) : names([o]),
    }));
  }
  const alter = treeOf(statement, 'AlterTableStmt');
  if (alter?.objtype !== 'OBJECT_TABLE') return [];
  const table = relationNames(alter.relation);
  return (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd')).filter((c) => c?.subtype === 'AT_DropColumn' && c.missing_ok && c.name).map((c) => ({ kind: 'COLUMN', names: [...table, c!.name!] }));
}

/** What a statement this rule checks creates, for matching an earlier drop. */
function createdObject(statement: Statement): CreatedObject | undefined {
  const table = treeOf(statement, 'CreateStmt');
  if (table) return { kind: 'OBJECT_TABLE', names: relationNames(table.relation) };
  const tableAs = treeOf(statement, 'CreateTableAsStmt');
  if (tableAs) return { kind: tableAs.objtype === 'OBJECT_MATVIEW' ? 'OBJECT_MATVIEW' : 'OBJECT_TABLE', names: relationNames(tableAs.into?.rel) };
  const index = treeOf(statement, 'IndexStmt');
  if (index?.idxname) return { kind: 'OBJECT_INDEX', names: [...relationNames(index.relation).slice(0, -1), index.idxname], table: relationNames(index.relation) };
  const sequence = treeOf(statement, 'CreateSeqStmt');
  if (sequence) return { kind: 'OBJECT_SEQUENCE', names: relationNames(sequence.sequence) };
  const schema = treeOf(statement, 'CreateSchemaStmt');
  if (schema?.schemaname) return { kind: 'OBJECT_SCHEMA', names: [schema.schemaname] };
  const extension = treeOf(statement, 'CreateExtensionStmt');
  if (extension?.extname) return { kind: 'OBJECT_EXTENSION', names: [extension.extname] };
  const view = treeOf(statement, 'ViewStmt');
  if (view) return { kind: 'OBJECT_VIEW', names: relationNames(view.view) };
  const fn = treeOf(statement, 'CreateFunctionStmt');
  if (fn) return { kind: fn.is_procedure ? 'OBJECT_PROCEDURE' : 'OBJECT_FUNCTION', names: names(fn.funcname) };
  const trigger = treeOf(statement, 'CreateTrigStmt');
  if (trigger?.trigname) return { kind: 'OBJECT_TRIGGER', names: [...relationNames(trigger.relation), trigger.trigname], table: relationNames(trigger.relation) };
  const alter = treeOf(statement, 'AlterTableStmt');
  const added = (alter?.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd')).filter((c) => c?.subtype === 'AT_AddColumn');
  // One ALTER TABLE adding one column: the common re-runnable pair is one DROP COLUMN IF EXISTS and one ADD COLUMN.
  const column = added.length === 1 ? nodeOf(added[0]?.def, 'ColumnDef')?.colname : undefined;
  if (alter && column) return { kind: 'COLUMN', names: [...relationNames(alter.relation), column], table: relationNames(alter.relation) };
  return undefined;
}

function sameObject(a: DroppedObject, b: DroppedObject): boolean {
  // A function and a procedure share one namespace; DROP ROUTINE names either.
  const routine = (k: string) => k === 'OBJECT_FUNCTION' || k === 'OBJECT_PROCEDURE' || k === 'OBJECT_ROUTINE';
  return (a.kind === b.kind || (routine(a.kind) && routine(b.kind))) && sameNames(a.names, b.names);
}

/**
 * Name parts of one object, compared from the last: a part only one side writes (the schema,
 * found through the search path) does not tell them apart.
 */
function sameNames(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  for (let i = 1; i <= Math.min(a.length, b.length); i++) if (a[a.length - i] !== b[b.length - i]) return false;
  return true;
}
