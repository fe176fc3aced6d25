/**
 * The rollback of an UP statement: the SQL that undoes it, or a TODO when it cannot be undone
 * mechanically (dropped data, changed types). Used by the "add rollback" quick fix and by the
 * rollback-completeness rule.
 */
import type { AlterTableCmd, RangeVar, TypeName } from 'libpg-query';
import { keyOfNames, names, nodeOf, qualifiedName, quoteIdent, sqlTokens } from '../sql/ast';
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

/** The inverses of one statement, in the order they should run; empty when nothing needs undoing. */
export function inversesOf(statement: SqlStatement, source: string): Inverse[] {
  const node = statement.node;
  if (!node) return [];
  const summary = source.slice(statement.start, Math.min(statement.end, statement.start + 60)).replace(/\s+/g, ' ');

  const table = nodeOf(node, 'CreateStmt');
  if (table) return [drop('TABLE', qualifiedName(table.relation), `table:${relKey(table.relation)}`)];
  const tableAs = nodeOf(node, 'CreateTableAsStmt');
  if (tableAs) {
    const kind = tableAs.objtype === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE';
    return [drop(kind, qualifiedName(tableAs.into?.rel), `${kind === 'TABLE' ? 'table' : 'matview'}:${relKey(tableAs.into?.rel)}`)];
  }
  const index = nodeOf(node, 'IndexStmt');
  if (index) {
    if (!index.idxname) return [{ todo: `drop the unnamed index created by: ${summary}` }];
    const name = index.relation?.schemaname ? `${quoteIdent(index.relation.schemaname)}.${quoteIdent(index.idxname)}` : quoteIdent(index.idxname);
    const concurrently = index.concurrent ? ' CONCURRENTLY' : '';
    return [{ sql: `DROP INDEX${concurrently} IF EXISTS ${name};`, effect: `index:${index.idxname}` }];
  }
  const sequence = nodeOf(node, 'CreateSeqStmt');
  if (sequence) return [drop('SEQUENCE', qualifiedName(sequence.sequence), `sequence:${relKey(sequence.sequence)}`)];
  const schema = nodeOf(node, 'CreateSchemaStmt');
  if (schema?.schemaname) return [drop('SCHEMA', quoteIdent(schema.schemaname), `schema:${schema.schemaname}`)];
  const extension = nodeOf(node, 'CreateExtensionStmt');
  if (extension?.extname) return [drop('EXTENSION', quoteIdent(extension.extname), `extension:${extension.extname}`)];
  const view = nodeOf(node, 'ViewStmt');
  if (view) return [drop('VIEW', qualifiedName(view.view), `view:${relKey(view.view)}`)];
  const fn = nodeOf(node, 'CreateFunctionStmt');
  if (fn) {
    const kind = fn.is_procedure ? 'PROCEDURE' : 'FUNCTION';
    const args = (fn.parameters ?? [])
      .map((p) => nodeOf(p, 'FunctionParameter'))
      .filter((p) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
      .map((p) => typeSql(p!.argType));
    const fname = names(fn.funcname);
    return [drop(kind, `${quoteQualified(fname)}(${args.join(', ')})`, `${kind.toLowerCase()}:${keyOfNames(fname)}`)];
  }
  const trigger = nodeOf(node, 'CreateTrigStmt');
  if (trigger?.trigname) {
    return [{ sql: `DROP TRIGGER IF EXISTS ${quoteIdent(trigger.trigname)} ON ${qualifiedName(trigger.relation)};`, effect: `trigger:${trigger.trigname}` }];
  }
  const enumType = nodeOf(node, 'CreateEnumStmt');
  const composite = nodeOf(node, 'CompositeTypeStmt');
  const domain = nodeOf(node, 'CreateDomainStmt');
  if (enumType || domain) {
    const parts = names(enumType?.typeName ?? domain?.domainname);
    return [drop(domain ? 'DOMAIN' : 'TYPE', quoteQualified(parts), `type:${keyOfNames(parts)}`)];
  }
  if (composite) return [drop('TYPE', qualifiedName(composite.typevar), `type:${relKey(composite.typevar)}`)];

  const rename = nodeOf(node, 'RenameStmt');
  if (rename) return renameBack(rename);
  const alter = nodeOf(node, 'AlterTableStmt');
  if (alter && alter.objtype === 'OBJECT_TABLE') {
    return [...(alter.cmds ?? [])].reverse().flatMap((c) => alterInverse(alter.relation, nodeOf(c, 'AlterTableCmd') ?? {}, summary));
  }
  const comment = nodeOf(node, 'CommentStmt');
  if (comment) {
    // Undo a comment by clearing it: the same statement with IS NULL.
    const tokens = sqlTokens(statement);
    const is = tokens.map((t) => t.value).lastIndexOf('IS');
    if (is > 0) return [{ sql: `${source.slice(statement.start, tokens[is].end)} NULL;` }];
    return [];
  }
  if (nodeOf(node, 'InsertStmt') || nodeOf(node, 'UpdateStmt') || nodeOf(node, 'DeleteStmt') || nodeOf(node, 'TruncateStmt')) {
    return [{ todo: `undo the data change of: ${summary}` }];
  }
  if (nodeOf(node, 'DropStmt')) return [{ todo: `recreate what this drops: ${summary}` }];
  if (nodeOf(node, 'AlterEnumStmt')) return [{ todo: `enum values cannot be removed; undo by hand if needed: ${summary}` }];
  if (nodeOf(node, 'GrantStmt')) return [{ todo: `revoke what this grants: ${summary}` }];
  // Session settings, transaction control, queries and maintenance need no rollback.
  if (['VariableSetStmt', 'TransactionStmt', 'SelectStmt', 'VacuumStmt', 'ExplainStmt', 'DoStmt', 'NotifyStmt', 'LockStmt', 'CheckPointStmt', 'ReindexStmt', 'RefreshMatViewStmt'].includes(statement.kind)) return [];
  return [{ todo: `undo: ${summary}` }];
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

