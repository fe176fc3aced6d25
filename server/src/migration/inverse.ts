/**
 * The rollback of an UP statement: the SQL that undoes it, or a TODO when it cannot be undone
 * mechanically (dropped data, changed types). Used by the "add rollback" quick fix and by the
 * rollback-completeness rule.
 */
import type { AlterTableCmd, Node, RangeVar, TypeName } from 'libpg-query';
import { keyOfNames, names, nodeOf, qualifiedName, quoteIdent, treeOf } from '../sql/ast';
import type { SqlStatement } from '../sql/parse';

export interface Inverse {
  /** The SQL that undoes the statement (without a trailing newline). */
  sql?: string;
  /** What a person must write instead, when there is no mechanical inverse. */
  todo?: string;
  /** What the inverse removes or restores, for matching against a written DOWN part. */
  effect?: string;
}

const quoteQualified = (parts: string[]) => parts.map(quoteIdent).join('.');

/** Session settings, transaction control, queries and maintenance need no rollback. */
const NOTHING_TO_UNDO = new Set(['VariableSetStmt', 'TransactionStmt', 'SelectStmt', 'VacuumStmt', 'ExplainStmt', 'DoStmt', 'NotifyStmt', 'LockStmt', 'CheckPointStmt', 'ReindexStmt', 'RefreshMatViewStmt']);

const DATA_CHANGES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'TruncateStmt']);

/** The inverses of one statement, in the order they should run; empty when nothing needs undoing. */
export function inversesOf(statement: SqlStatement, source: string): Inverse[] {
  if (statement.kind === '' || NOTHING_TO_UNDO.has(statement.kind)) return [];
  const summary = summaryOf(source, statement);

  // Temporary objects vanish with the session: nothing to undo.
  const created = treeOf(statement, 'CreateStmt')?.relation ?? treeOf(statement, 'CreateTableAsStmt')?.into?.rel ?? treeOf(statement, 'ViewStmt')?.view ?? treeOf(statement, 'CreateSeqStmt')?.sequence;
  if (created?.relpersistence === 't') return [];

  const table = treeOf(statement, 'CreateStmt');
  if (table) return [drop('TABLE', qualifiedName(table.relation), `table:${relKey(table.relation)}`)];
  const tableAs = treeOf(statement, 'CreateTableAsStmt');
  if (tableAs) {
    const kind = tableAs.objtype === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE';
    return [drop(kind, qualifiedName(tableAs.into?.rel), `${kind === 'TABLE' ? 'table' : 'matview'}:${relKey(tableAs.into?.rel)}`)];
  }
  const index = treeOf(statement, 'IndexStmt');
  if (index) {
    if (!index.idxname) return [{ todo: `drop the unnamed index created by: ${summary}` }];
    const name = index.relation?.schemaname ? `${quoteIdent(index.relation.schemaname)}.${quoteIdent(index.idxname)}` : quoteIdent(index.idxname);
    const concurrently = index.concurrent ? ' CONCURRENTLY' : '';
    return [{ sql: `DROP INDEX${concurrently} IF EXISTS ${name};`, effect: `index:${index.idxname}` }];
  }
  const sequence = treeOf(statement, 'CreateSeqStmt');
  if (sequence) return [drop('SEQUENCE', qualifiedName(sequence.sequence), `sequence:${relKey(sequence.sequence)}`)];
  const schema = treeOf(statement, 'CreateSchemaStmt');
  if (schema?.schemaname) return [drop('SCHEMA', quoteIdent(schema.schemaname), `schema:${schema.schemaname}`)];
  const extension = treeOf(statement, 'CreateExtensionStmt');
  if (extension?.extname) return [drop('EXTENSION', quoteIdent(extension.extname), `extension:${extension.extname}`)];
  const view = treeOf(statement, 'ViewStmt');
  if (view) return [drop('VIEW', qualifiedName(view.view), `view:${relKey(view.view)}`)];
  const fn = treeOf(statement, 'CreateFunctionStmt');
  if (fn) {
    const kind = fn.is_procedure ? 'PROCEDURE' : 'FUNCTION';
    const args = (fn.parameters ?? [])
      .map((p) => nodeOf(p, 'FunctionParameter'))
      .filter((p) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
      .map((p) => typeSql(p!.argType));
    const fname = names(fn.funcname);
    return [drop(kind, `${quoteQualified(fname)}(${args.join(', ')})`, `${kind.toLowerCase()}:${keyOfNames(fname)}`)];
  }
  const trigger = treeOf(statement, 'CreateTrigStmt');
  if (trigger?.trigname) {
    return [{ sql: `DROP TRIGGER IF EXISTS ${quoteIdent(trigger.trigname)} ON ${qualifiedName(trigger.relation)};`, effect: `trigger:${trigger.trigname}` }];
  }
  const enumType = treeOf(statement, 'CreateEnumStmt');
  const composite = treeOf(statement, 'CompositeTypeStmt');
  const domain = treeOf(statement, 'CreateDomainStmt');
  if (enumType || domain) {
    const parts = names(enumType?.typeName ?? domain?.domainname);
    return [drop(domain ? 'DOMAIN' : 'TYPE', quoteQualified(parts), `type:${keyOfNames(parts)}`)];
  }
  if (composite) return [drop('TYPE', qualifiedName(composite.typevar), `type:${relKey(composite.typevar)}`)];
  const range = treeOf(statement, 'CreateRangeStmt');
  if (range) return [drop('TYPE', quoteQualified(names(range.typeName)), `type:${keyOfNames(names(range.typeName))}`)];
  const policy = treeOf(statement, 'CreatePolicyStmt');
  if (policy?.policy_name) {
    return [{ sql: `DROP POLICY IF EXISTS ${quoteIdent(policy.policy_name)} ON ${qualifiedName(policy.table)};`, effect: `policy:${relKey(policy.table)}.${policy.policy_name}` }];
  }

  const rename = treeOf(statement, 'RenameStmt');
  if (rename) return renameBack(rename);
  const alter = treeOf(statement, 'AlterTableStmt');
  if (alter && alter.objtype === 'OBJECT_TABLE') {
    return [...(alter.cmds ?? [])].reverse().flatMap((c) => alterInverse(alter.relation, nodeOf(c, 'AlterTableCmd') ?? {}, summary));
  }
  const comment = treeOf(statement, 'CommentStmt');
  if (comment) {
    // Undo a comment by clearing it: the same statement with IS NULL.
    const tokens = statement.sqlTokens;
    const is = tokens.map((t) => t.value).lastIndexOf('IS');
    if (is > 0) return [{ sql: `${source.slice(statement.start, tokens[is].end)} NULL;` }];
    return [];
  }
  if (DATA_CHANGES.has(statement.kind)) {
    return [{ todo: `undo the data change of: ${summary}` }];
  }
  if (statement.kind === 'DropStmt') return [{ todo: `recreate what this drops: ${summary}` }];
  if (statement.kind === 'AlterEnumStmt') return [{ todo: `enum values cannot be removed; undo by hand if needed: ${summary}` }];
  if (statement.kind === 'GrantStmt') return [{ todo: `revoke what this grants: ${summary}` }];
  return [{ todo: `undo: ${summary}` }];
}

/** The statement's first 60 characters on one line, for TODO lines (never half an emoji). */
function summaryOf(source: string, statement: SqlStatement): string {
  let end = Math.min(statement.end, statement.start + 60);
  const code = source.charCodeAt(end - 1);
  if (end < statement.end && code >= 0xd800 && code <= 0xdbff) end--;
  return source.slice(statement.start, end).replace(/\s+/g, ' ') + (end < statement.end ? '…' : '');
}

function drop(kind: string, name: string, effect: string): Inverse {
  return { sql: `DROP ${kind} IF EXISTS ${name};`, effect };
}

function relKey(relation: RangeVar | undefined): string {
  return keyOfNames(relation?.schemaname ? [relation.schemaname, relation.relname ?? ''] : [relation?.relname ?? '']);
}

function renameBack(rename: NonNullable<ReturnType<typeof nodeOf<'RenameStmt'>>>): Inverse[] {
  const relation = rename.relation;
  const newname = rename.newname ?? '';
  switch (rename.renameType) {
    case 'OBJECT_TABLE': {
      const renamed = relation?.schemaname ? `${quoteIdent(relation.schemaname)}.${quoteIdent(newname)}` : quoteIdent(newname);
      return [{ sql: `ALTER TABLE ${renamed} RENAME TO ${quoteIdent(relation?.relname ?? '')};`, effect: `rename-table:${newname}->${relation?.relname}` }];
    }
    case 'OBJECT_COLUMN':
      return [{ sql: `ALTER TABLE ${qualifiedName(relation)} RENAME COLUMN ${quoteIdent(newname)} TO ${quoteIdent(rename.subname ?? '')};`, effect: `rename-column:${relKey(relation)}.${newname}->${rename.subname}` }];
    case 'OBJECT_INDEX': {
      const renamed = relation?.schemaname ? `${quoteIdent(relation.schemaname)}.${quoteIdent(newname)}` : quoteIdent(newname);
      return [{ sql: `ALTER INDEX ${renamed} RENAME TO ${quoteIdent(relation?.relname ?? '')};`, effect: `rename-index:${newname}->${relation?.relname}` }];
    }
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_SEQUENCE': {
      const kind = { OBJECT_VIEW: 'VIEW', OBJECT_MATVIEW: 'MATERIALIZED VIEW', OBJECT_SEQUENCE: 'SEQUENCE' }[rename.renameType];
      const renamed = relation?.schemaname ? `${quoteIdent(relation.schemaname)}.${quoteIdent(newname)}` : quoteIdent(newname);
      return [{ sql: `ALTER ${kind} ${renamed} RENAME TO ${quoteIdent(relation?.relname ?? '')};`, effect: `rename-${kind.toLowerCase().replace(' ', '-')}:${newname}->${relation?.relname}` }];
    }
    case 'OBJECT_SCHEMA':
      return [{ sql: `ALTER SCHEMA ${quoteIdent(newname)} RENAME TO ${quoteIdent(rename.subname ?? '')};`, effect: `rename-schema:${newname}->${rename.subname}` }];
    case 'OBJECT_TYPE': {
      const old = names(nodeOf(rename.object, 'List')?.items);
      const renamed = [...old.slice(0, -1), newname];
      return [{ sql: `ALTER TYPE ${quoteQualified(renamed)} RENAME TO ${quoteIdent(old[old.length - 1] ?? '')};`, effect: `rename-type:${newname}->${old[old.length - 1]}` }];
    }
    case 'OBJECT_TABCONSTRAINT':
      return [{ sql: `ALTER TABLE ${qualifiedName(relation)} RENAME CONSTRAINT ${quoteIdent(newname)} TO ${quoteIdent(rename.subname ?? '')};`, effect: `rename-constraint:${newname}->${rename.subname}` }];
    default:
      return [{ todo: `rename ${newname} back` }];
  }
}

function alterInverse(relation: RangeVar | undefined, cmd: AlterTableCmd, summary: string): Inverse[] {
  const table = `ALTER TABLE ${qualifiedName(relation)}`;
  const key = relKey(relation);
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const column = nodeOf(cmd.def, 'ColumnDef')?.colname ?? '';
      return [{ sql: `${table} DROP COLUMN IF EXISTS ${quoteIdent(column)};`, effect: `column:${key}.${column}` }];
    }
    case 'AT_AddConstraint': {
      const constraint = nodeOf(cmd.def, 'Constraint');
      if (!constraint?.conname) return [{ todo: `drop the unnamed constraint added by: ${summary}` }];
      return [{ sql: `${table} DROP CONSTRAINT IF EXISTS ${quoteIdent(constraint.conname)};`, effect: `constraint:${constraint.conname}` }];
    }
    case 'AT_SetNotNull':
      return [{ sql: `${table} ALTER COLUMN ${quoteIdent(cmd.name ?? '')} DROP NOT NULL;`, effect: `not-null:${key}.${cmd.name}` }];
    case 'AT_DropNotNull':
      return [{ sql: `${table} ALTER COLUMN ${quoteIdent(cmd.name ?? '')} SET NOT NULL;`, effect: `nullable:${key}.${cmd.name}` }];
    case 'AT_ColumnDefault':
      if (cmd.def) return [{ sql: `${table} ALTER COLUMN ${quoteIdent(cmd.name ?? '')} DROP DEFAULT;`, effect: `default:${key}.${cmd.name}` }];
      return [{ todo: `restore the default of ${key}.${cmd.name}` }];
    case 'AT_ValidateConstraint':
      return [];
    case 'AT_EnableRowSecurity':
      return [{ sql: `${table} DISABLE ROW LEVEL SECURITY;`, effect: `row-security:${key}` }];
    case 'AT_DisableRowSecurity':
      return [{ sql: `${table} ENABLE ROW LEVEL SECURITY;`, effect: `no-row-security:${key}` }];
    case 'AT_ForceRowSecurity':
      return [{ sql: `${table} NO FORCE ROW LEVEL SECURITY;`, effect: `force-row-security:${key}` }];
    case 'AT_DropColumn':
      return [{ todo: `recreate column ${key}.${cmd.name} (its data is gone)` }];
    case 'AT_DropConstraint':
      return [{ todo: `recreate constraint ${cmd.name} on ${key}` }];
    case 'AT_AlterColumnType':
      return [{ todo: `change ${key}.${cmd.name} back to its previous type` }];
    default:
      return [{ todo: `undo: ${summary}` }];
  }
}

function typeSql(type: TypeName | undefined): string {
  if (!type) return '';
  const parts = names(type.names);
  const base = parts[0] === 'pg_catalog' ? parts.slice(1) : parts;
  const array = (type.arrayBounds ?? []).map(() => '[]').join('');
  return `${quoteQualified(base)}${array}`;
}

/** The rollback text for a list of UP statements: inverses in reverse order, TODO lines for the rest. */
export function rollbackFor(statements: SqlStatement[], source: string): string[] {
  const lines: string[] = [];
  for (const statement of [...statements].reverse()) {
    for (const inverse of inversesOf(statement, source)) {
      if (inverse.sql) lines.push(inverse.sql);
      else if (inverse.todo) lines.push(`-- TODO: ${inverse.todo}`);
    }
  }
  return lines;
}


/**
 * What a statement of a DOWN part undoes, as `inversesOf` effect keys (`DROP TABLE x` →
 * `table:x`, `ALTER TABLE t RENAME COLUMN b TO a` → `rename-column:t.b->a`), to match a written
 * rollback against the UP part. A `CREATE OR REPLACE` there restores an earlier definition:
 * `replaced:function:f`. `DROP SCHEMA … CASCADE` also yields `dropped-schema:s`.
 */
export function undoneEffects(statement: SqlStatement): string[] {
  const drop = treeOf(statement, 'DropStmt');
  if (drop) return (drop.objects ?? []).flatMap((object) => droppedEffects(drop.removeType ?? '', object, drop.behavior === 'DROP_CASCADE'));
  const alter = treeOf(statement, 'AlterTableStmt');
  if (alter && alter.objtype === 'OBJECT_TABLE') {
    const key = relKey(alter.relation);
    return (alter.cmds ?? []).flatMap((c) => {
      const cmd = nodeOf(c, 'AlterTableCmd');
      switch (cmd?.subtype) {
        case 'AT_DropColumn':
          return [`column:${key}.${cmd.name}`];
        case 'AT_DropConstraint':
          return [`constraint:${cmd.name}`];
        case 'AT_DropNotNull':
          return [`not-null:${key}.${cmd.name}`];
        case 'AT_SetNotNull':
          return [`nullable:${key}.${cmd.name}`];
        case 'AT_ColumnDefault':
          return cmd.def ? [] : [`default:${key}.${cmd.name}`];
        case 'AT_DisableRowSecurity':
          return [`row-security:${key}`];
        case 'AT_EnableRowSecurity':
          return [`no-row-security:${key}`];
        case 'AT_NoForceRowSecurity':
          return [`force-row-security:${key}`];
        default:
          return [];
      }
    });
  }
  const rename = treeOf(statement, 'RenameStmt');
  if (rename) {
    const from = rename.relation?.relname;
    const to = rename.newname;
    switch (rename.renameType) {
      case 'OBJECT_TABLE':
        return [`rename-table:${from}->${to}`];
      case 'OBJECT_COLUMN':
        return [`rename-column:${relKey(rename.relation)}.${rename.subname}->${to}`];
      case 'OBJECT_INDEX':
        return [`rename-index:${from}->${to}`];
      case 'OBJECT_VIEW':
        return [`rename-view:${from}->${to}`];
      case 'OBJECT_MATVIEW':
        return [`rename-materialized-view:${from}->${to}`];
      case 'OBJECT_SEQUENCE':
        return [`rename-sequence:${from}->${to}`];
      case 'OBJECT_SCHEMA':
        return [`rename-schema:${rename.subname}->${to}`];
      case 'OBJECT_TYPE':
        return [`rename-type:${names(nodeOf(rename.object, 'List')?.items).pop()}->${to}`];
      case 'OBJECT_TABCONSTRAINT':
        return [`rename-constraint:${rename.subname}->${to}`];
      default:
        return [];
    }
  }
  const fn = treeOf(statement, 'CreateFunctionStmt');
  if (fn?.replace) return [`replaced:${fn.is_procedure ? 'procedure' : 'function'}:${keyOfNames(names(fn.funcname))}`];
  const view = treeOf(statement, 'ViewStmt');
  if (view?.replace) return [`replaced:view:${relKey(view.view)}`];
  const trigger = treeOf(statement, 'CreateTrigStmt');
  if (trigger?.replace && trigger.trigname) return [`replaced:trigger:${trigger.trigname}`];
  return [];
}

function droppedEffects(removeType: string, object: Node, cascade: boolean): string[] {
  const parts = names(nodeOf(object, 'List')?.items);
  switch (removeType) {
    case 'OBJECT_TABLE':
      return [`table:${keyOfNames(parts)}`];
    case 'OBJECT_VIEW':
      return [`view:${keyOfNames(parts)}`];
    case 'OBJECT_MATVIEW':
      return [`matview:${keyOfNames(parts)}`];
    case 'OBJECT_SEQUENCE':
      return [`sequence:${keyOfNames(parts)}`];
    case 'OBJECT_INDEX':
      return [`index:${parts[parts.length - 1]}`];
    case 'OBJECT_TRIGGER':
      return [`trigger:${parts[parts.length - 1]}`];
    case 'OBJECT_POLICY':
      return [`policy:${keyOfNames(parts.slice(0, -1))}.${parts[parts.length - 1]}`];
    case 'OBJECT_SCHEMA':
    case 'OBJECT_EXTENSION': {
      const name = nodeOf(object, 'String')?.sval ?? '';
      if (removeType === 'OBJECT_EXTENSION') return [`extension:${name}`];
      return cascade ? [`schema:${name}`, `dropped-schema:${name}`] : [`schema:${name}`];
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE': {
      const key = keyOfNames(names(nodeOf(object, 'ObjectWithArgs')?.objname));
      if (removeType === 'OBJECT_ROUTINE') return [`function:${key}`, `procedure:${key}`];
      return [`${removeType === 'OBJECT_FUNCTION' ? 'function' : 'procedure'}:${key}`];
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      return [`type:${keyOfNames(names(nodeOf(object, 'TypeName')?.names))}`];
    default:
      return [];
  }
}
