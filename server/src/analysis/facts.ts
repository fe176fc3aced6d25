/**
 * Facts about a migration that several rules need, computed once per lint: which tables the
 * migration creates, and whether each statement runs inside a transaction.
 */
import type { RangeVar } from 'libpg-query';
import type { Config } from '../config/config';
import type { Migration, Statement } from '../migration/migration';
import { tableKey, treeOf } from '../sql/ast';
import { readSession, TransactionKind } from './session';
import { createdFunctionsOf, Volatility } from './volatility';

export interface Facts {
  /** Tables created by this migration's UP part (keys from `tableKey`). */
  readonly createdTables: ReadonlySet<string>;
  /** A table this migration did not create itself. */
  isExisting(relation: RangeVar | undefined): boolean;
  /** The statement runs inside a transaction (explicit BEGIN, the runner's, or assumed). */
  inTransaction(statement: Statement): boolean;
  /** Which transaction the statement runs in, if any (see session.ts). */
  transactionOf(statement: Statement): TransactionKind | undefined;
  /** A non-zero `lock_timeout` is set (earlier in the same part) when the statement runs. */
  lockTimeoutSet(statement: Statement): boolean;
  /** Index names created by this migration's UP part (explicit `CREATE INDEX` names). */
  readonly createdIndexes: ReadonlySet<string>;
  /** Functions created by this migration's UP part (keys from `keyOfNames`), with their declared volatility. */
  readonly createdFunctions: ReadonlyMap<string, Volatility>;
}

export function computeFacts(migration: Migration, config: Config): Facts {
  const createdTables = new Set<string>();
  for (const statement of migration.up) {
    const created = treeOf(statement, 'CreateStmt')?.relation ?? treeOf(statement, 'CreateTableAsStmt')?.into?.rel;
    if (created) createdTables.add(tableKey(created));
    // A table created here and then renamed is still this migration's own table.
    const rename = treeOf(statement, 'RenameStmt');
    if (rename?.renameType === 'OBJECT_TABLE' && rename.newname && createdTables.has(tableKey(rename.relation))) {
      createdTables.add(tableKey({ ...rename.relation, relname: rename.newname }));
    }
  }

  const session = readSession(migration, config);
  const createdIndexes = new Set<string>();
  for (const statement of migration.up) {
    const name = treeOf(statement, 'IndexStmt')?.idxname;
    if (name) createdIndexes.add(name);
  }

  return {
    createdTables,
    isExisting: (relation) => relation !== undefined && !createdTables.has(tableKey(relation)),
    inTransaction: (statement) => session.transactionOf(statement) !== undefined,
    transactionOf: session.transactionOf,
    lockTimeoutSet: session.lockTimeoutSet,
    createdIndexes,
    createdFunctions: createdFunctionsOf(migration.up),
  };
}
