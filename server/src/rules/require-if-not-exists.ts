import type { AlterTableCmd, RangeVar } from 'libpg-query';
import { alterActions, findWords, nameEnd, nodeOf } from '../sql/ast';
import type { Statement } from '../migration/migration';
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
  },
  fixable: true,
  check(context) {
    for (const statement of context.migration.statements) checkStatement(context, statement);
  },
};

/** The statement kinds checked below; most statements of a file (queries, data, settings) are none of them. */
const CREATING_KINDS = new Set([
  'CreateStmt', 'CreateTableAsStmt', 'IndexStmt', 'CreateSeqStmt', 'CreateSchemaStmt', 'CreateExtensionStmt',
  'ViewStmt', 'CreateFunctionStmt', 'CreateTrigStmt', 'AlterTableStmt',
]);

function checkStatement(context: RuleContext, statement: Statement): void {
  if (!CREATING_KINDS.has(statement.kind)) return;
  const node = statement.node;
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
    if (index.idxname) return ifNotExists(words, 'CREATE INDEX');
    // IF NOT EXISTS needs an index name, so there is nothing to insert.
    const tokens = statement.sqlTokens;
    const at = findWords(tokens, words);
    context.report({
      statement,
      start: statement.start,
      end: tokens[at + words.length - 1]?.end ?? statement.end,
      messageId: 'unnamedIndex',
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
