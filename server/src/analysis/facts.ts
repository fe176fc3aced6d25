/**
 * Facts about a migration that several rules need, computed once per lint: which tables the
 * migration creates (and from where on they hold rows others can see), which indexes it creates,
 * and whether each statement runs inside a transaction. With the shadow schema, which tables
 * exist before the migration and their columns come from it (RULES.md, "Existing table").
 */
import type { RangeVar, TypeName } from 'libpg-query';
import type { Config } from '../config/config';
import type { Migration, Statement } from '../migration/migration';
import type { FileSystem } from '../migration/model';
import { constraintsIn, ConstraintsSaid, foreignKeyBefore, functionBefore } from '../rules/helpers/history';
import type { ShadowColumn, ShadowSchema } from '../shadow/findings';
import { nodeOf, tableKey, treeOf, walkTree } from '../sql/ast';
import { parseSql } from '../sql/parse';
import { readSession, TransactionKind } from './session';
import type { LockOptions } from './locks';
import { createdFunctionsOf, undeclaredDefaultCalls, Volatility } from './volatility';

export interface Facts {
  /** Tables created by this migration's UP part (keys from `tableKey`). */
  readonly createdTables: ReadonlySet<string>;
  /**
   * A table this migration did not create itself, or one it created and then filled (`INSERT`,
   * `COPY`) or attached as a partition of an existing table, for the statements after that point
   * (RULES.md, "Existing table"). Where in the migration: at `statement` when given, else at the
   * statement whose parse tree holds `relation`.
   */
  isExisting(relation: RangeVar | undefined, statement?: Statement): boolean;
  /**
   * The table was there before this migration (the migration did not create it): the tables
   * running application code may use. Breaking-change rules ask this; locking and data rules ask
   * `isExisting`, which also counts a created table once it holds rows.
   */
  predates(relation: RangeVar | undefined): boolean;
  /** The statement runs inside a transaction (explicit BEGIN, the runner's, or assumed). */
  inTransaction(statement: Statement): boolean;
  /** Which transaction the statement runs in, if any (see session.ts). */
  transactionOf(statement: Statement): TransactionKind | undefined;
  /** Which transaction of the file the statement runs in: statements with one number share it. */
  transactionNumberOf(statement: Statement): number | undefined;
  /** A non-zero `lock_timeout` is set (earlier in the same part) when the statement runs. */
  lockTimeoutSet(statement: Statement): boolean;
  /** Index names created by this migration's UP part (explicit `CREATE INDEX` names). */
  readonly createdIndexes: ReadonlySet<string>;
  /**
   * The index (its name without schema) exists when `statement` runs: this migration's UP part
   * does not create it earlier. An index dropped and created again under its name exists at the
   * drop, unless the table it is created on is new there.
   */
  isExistingIndex(name: string, statement: Statement): boolean;
  /**
   * What the lock table (analysis/locks.ts) needs to know of this migration's statements: the
   * declared volatility of the functions its column defaults call (created here, or by an earlier
   * migration of the folder), and the tables the foreign keys it drops reference.
   */
  readonly lockOptions: LockOptions;
  /**
   * The column as the schema before this migration has it (the shadow schema); undefined without
   * the shadow, or when that table or column is not there.
   */
  columnBefore(relation: RangeVar | undefined, column: string): ColumnBefore | undefined;
}

export interface ColumnBefore {
  /** Its type as the parser reads it; undefined for a type text the parser does not take back. */
  type: TypeName | undefined;
  notNull: boolean;
  /** A validated CHECK (column IS NOT NULL) proves it. */
  checkedNotNull: boolean;
}

/**
 * `schema`: the shadow's, for a file it checked (not for one it found incomplete). `fs`: the
 * migration's folder, for what earlier migrations declared; without it, only this file is read.
 */
export function computeFacts(migration: Migration, config: Config, schema?: ShadowSchema, fs?: FileSystem): Facts {
  const createdTables = new Set<string>();
  // Where a created table counts as existing: from the end of the statement that filled or
  // attached it until the table is created again (after a DROP, a new empty table of that name).
  const existingSpans = new Map<string, { from: number; until: number }[]>();
  const filledFrom = new Map<string, number>();
  const closeSpan = (key: string, until: number) => {
    const from = filledFrom.get(key);
    if (from === undefined) return;
    existingSpans.set(key, [...(existingSpans.get(key) ?? []), { from, until }]);
    filledFrom.delete(key);
  };
  for (const statement of migration.up) {
    const created = treeOf(statement, 'CreateStmt')?.relation ?? treeOf(statement, 'CreateTableAsStmt')?.into?.rel;
    if (created) {
      createdTables.add(tableKey(created));
      closeSpan(tableKey(created), statement.start);
    }
    // A table created here and then renamed is still this migration's own table.
    const rename = treeOf(statement, 'RenameStmt');
    if (rename?.renameType === 'OBJECT_TABLE' && rename.newname && createdTables.has(tableKey(rename.relation))) {
      const renamed = tableKey({ ...rename.relation, relname: rename.newname });
      createdTables.add(renamed);
      const from = filledFrom.get(tableKey(rename.relation));
      if (from !== undefined) filledFrom.set(renamed, from);
    }
    for (const filled of filledTables(statement, (r) => !createdTables.has(tableKey(r)) || filledFrom.has(tableKey(r)))) {
      if (createdTables.has(filled) && !filledFrom.has(filled)) filledFrom.set(filled, statement.end);
    }
  }
  for (const key of [...filledFrom.keys()]) closeSpan(key, Infinity);

  const session = readSession(migration, config);
  const createdIndexes = new Set<string>();
  // Where each index name is first created in the UP part, and on which table.
  const indexCreated = new Map<string, { at: number; table?: RangeVar }>();
  for (const statement of migration.up) {
    const index = treeOf(statement, 'IndexStmt');
    if (!index?.idxname) continue;
    createdIndexes.add(index.idxname);
    if (!indexCreated.has(index.idxname)) indexCreated.set(index.idxname, { at: statement.start, table: index.relation });
  }

  let owners: WeakMap<object, Statement> | undefined;
  const ownerOf = (relation: RangeVar): Statement | undefined => (owners ??= relationOwners(migration, existingSpans)).get(relation);

  const before = schema && schemaBefore(migration, schema);
  /** What the shadow says of a table the migration names, where it overrides the file's reading. */
  const shadowSays = (key: string): boolean | undefined => {
    if (!before) return undefined;
    // There before, and not created again here (a CREATE … IF NOT EXISTS of it does nothing).
    if (before.tables.has(key) && !before.recreated.has(key)) return true;
    // Not there, not created by a statement the file shows, not a new name: made some other way
    // (a DO block), or the statement fails (schema-error). Unless the shadow lacks tables the
    // target has (no baseline): then the file's reading stands.
    if (!before.tables.has(key) && schema.complete && !createdTables.has(key) && !before.renamedTo.has(key)) return false;
    return undefined;
  };

  const isExisting = (relation: RangeVar | undefined, statement?: Statement): boolean => {
    if (relation === undefined) return false;
    const key = tableKey(relation);
    const said = shadowSays(key);
    if (said !== undefined) return said;
    if (!createdTables.has(key)) return true;
    const spans = existingSpans.get(key);
    if (spans === undefined) return false;
    const at = statement ?? ownerOf(relation);
    return at !== undefined && spans.some((span) => at.start >= span.from && at.start < span.until);
  };

  return {
    createdTables,
    isExisting,
    predates: (relation) => relation !== undefined && (shadowSays(tableKey(relation)) ?? !createdTables.has(tableKey(relation))),
    inTransaction: (statement) => session.transactionOf(statement) !== undefined,
    transactionOf: session.transactionOf,
    transactionNumberOf: session.transactionNumberOf,
    lockTimeoutSet: session.lockTimeoutSet,
    createdIndexes,
    isExistingIndex: (name, statement) => {
      const created = indexCreated.get(name);
      if (created === undefined || statement.part.kind !== 'up') return true;
      // Created later, on a table that is still new here: whatever the drop finds is not in use.
      return created.at >= statement.start && isExisting(created.table, statement);
    },
    lockOptions: { pgVersion: config.pgVersion, functions: declaredFunctions(migration, config, fs), droppedForeignKeys: droppedForeignKeys(migration, config, fs) },
    columnBefore: (relation, column) => {
      const key = tableKey(relation);
      const found = before && shadowSays(key) === true ? before.columns.get(key)?.get(column) : undefined;
      return found && { type: typeNameOf(found.type), notNull: found.notNull, checkedNotNull: found.checkedNotNull };
    },
  };
}

/** The functions this migration creates, and those its column defaults call that an earlier migration of the folder created. */
function declaredFunctions(migration: Migration, config: Config, fs: FileSystem | undefined): Map<string, Volatility> {
  const functions = createdFunctionsOf(migration.up);
  if (!fs) return functions;
  for (const key of undeclaredDefaultCalls(migration.up, functions)) {
    const volatility = functionBefore(migration, fs, config, key);
    if (volatility) functions.set(key, volatility);
  }
  return functions;
}

/** The foreign keys the UP part drops (`table\0constraint`) and the tables they reference, as this file or an earlier migration defines them. */
function droppedForeignKeys(migration: Migration, config: Config, fs: FileSystem | undefined): Map<string, RangeVar> {
  const out = new Map<string, RangeVar>();
  // What the statements so far said of each table's constraints, read once in one pass.
  const saidSoFar = new Map<string, ConstraintsSaid>();
  for (const statement of migration.up) {
    const alter = treeOf(statement, 'AlterTableStmt');
    const relation = alter?.relation ?? treeOf(statement, 'CreateStmt')?.relation;
    if (!relation) continue;
    const table = tableKey(relation);
    let said = saidSoFar.get(table);
    if (!said) saidSoFar.set(table, (said = new Map()));
    for (const cmd of alter?.cmds ?? []) {
      const drop = nodeOf(cmd, 'AlterTableCmd');
      const name = drop?.subtype === 'AT_DropConstraint' ? drop.name : undefined;
      if (!name) continue;
      const here = said.get(name);
      const referenced = here === undefined ? fs && foreignKeyBefore(migration, fs, config, table, name) : here === 'other' ? undefined : here;
      if (referenced) out.set(`${table}\0${name}`, referenced);
    }
    constraintsIn([statement], table, said);
  }
  return out;
}

interface SchemaBefore {
  tables: ReadonlySet<string>;
  columns: ReadonlyMap<string, ReadonlyMap<string, ShadowColumn>>;
  /** Tables the UP part creates with a plain CREATE TABLE (after dropping them, or failing). */
  recreated: ReadonlySet<string>;
  /** New names of tables the UP part renames (or moves to another schema). */
  renamedTo: ReadonlySet<string>;
}

function schemaBefore(migration: Migration, schema: ShadowSchema): SchemaBefore {
  const columns = new Map(schema.tables.map((table) => [table.key, new Map(table.columns.map((c) => [c.name, c]))]));
  const recreated = new Set<string>();
  const renamedTo = new Set<string>();
  for (const statement of migration.up) {
    const create = treeOf(statement, 'CreateStmt');
    if (create?.relation && !create.if_not_exists) recreated.add(tableKey(create.relation));
    const createAs = treeOf(statement, 'CreateTableAsStmt');
    if (createAs?.into?.rel && !createAs.if_not_exists) recreated.add(tableKey(createAs.into.rel));
    const rename = treeOf(statement, 'RenameStmt');
    if (rename?.renameType === 'OBJECT_TABLE' && rename.relation && rename.newname) renamedTo.add(tableKey({ ...rename.relation, relname: rename.newname }));
    const move = treeOf(statement, 'AlterObjectSchemaStmt');
    if (move?.relation && move.newschema) renamedTo.add(tableKey({ ...move.relation, schemaname: move.newschema }));
  }
  return { tables: new Set(columns.keys()), columns, recreated, renamedTo };
}

/** A type as `format_type` prints it (`character varying(50)`), read back by the parser. */
function typeNameOf(text: string): TypeName | undefined {
  const [statement] = parseSql(`SELECT NULL::${text}`).statements;
  const select = treeOf(statement, 'SelectStmt');
  return nodeOf(nodeOf(select?.targetList?.[0], 'ResTarget')?.val, 'TypeCast')?.typeName;
}

/**
 * The tables a statement puts rows in that others may then read (`INSERT`, `COPY … FROM`), or
 * makes part of a table others use (`ATTACH PARTITION` to a table `isExisting` says exists).
 */
function filledTables(statement: Statement, isExisting: (relation: RangeVar) => boolean): string[] {
  const insert = treeOf(statement, 'InsertStmt');
  if (insert?.relation) return [tableKey(insert.relation)];
  const copy = treeOf(statement, 'CopyStmt');
  if (copy?.relation && copy.is_from) return [tableKey(copy.relation)];
  const alter = treeOf(statement, 'AlterTableStmt');
  if (!alter?.relation || !isExisting(alter.relation)) return [];
  const out: string[] = [];
  for (const cmd of alter.cmds ?? []) {
    const c = nodeOf(cmd, 'AlterTableCmd');
    const partition = c?.subtype === 'AT_AttachPartition' ? nodeOf(c.def, 'PartitionCmd')?.name : undefined;
    if (partition) out.push(tableKey(partition));
  }
  return out;
}

/**
 * The statement of each table reference (a parse tree's `RangeVar`) to a table that becomes
 * existing, in the statements from that point on: for `isExisting` asked without a statement.
 * Only statements whose text names such a table are walked.
 */
function relationOwners(migration: Migration, existingSpans: ReadonlyMap<string, { from: number }[]>): WeakMap<object, Statement> {
  const owners = new WeakMap<object, Statement>();
  if (existingSpans.size === 0) return owners;
  const first = Math.min(...[...existingSpans.values()].flat().map((span) => span.from));
  const words = [...existingSpans.keys()].map((key) => key.slice(key.lastIndexOf('.') + 1).toLowerCase());
  for (const statement of migration.up) {
    if (statement.start < first || statement.kind === '') continue;
    const lower = statement.text.toLowerCase();
    if (!words.some((w) => lower.includes(w))) continue;
    walkTree(statement.node, (node) => {
      if (typeof node.relname === 'string') owners.set(node, statement);
    });
  }
  return owners;
}
