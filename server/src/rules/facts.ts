/**
 * Facts about a migration that several rules need, computed once per lint: which tables the
 * migration creates, and whether each statement runs inside a transaction.
 */
import type { RangeVar } from 'libpg-query';
import type { Config } from '../config/config';
import type { Migration, Statement } from '../migration/migration';
import { nodeOf, tableKey } from '../sql/ast';

export interface Facts {
  /** Tables created by this migration's UP part (keys from `tableKey`). */
  readonly createdTables: ReadonlySet<string>;
  /** A table this migration did not create itself. */
  isExisting(relation: RangeVar | undefined): boolean;
  /** The statement runs inside a transaction (explicit BEGIN, the runner's, or assumed). */
  inTransaction(statement: Statement): boolean;
}

export function computeFacts(migration: Migration, config: Config): Facts {
  const createdTables = new Set<string>();
  for (const statement of migration.up) {
    const node = statement.node;
    const created = nodeOf(node, 'CreateStmt')?.relation ?? nodeOf(node, 'CreateTableAsStmt')?.into?.rel;
    if (created) createdTables.add(tableKey(created));
  }

  const transactional = new Map<Statement, boolean>();
  for (const part of migration.parts) {
    const implicit = part.runnerTransaction || config.assumeInTransaction;
    let explicit = false;
    for (const statement of part.statements) {
      const kind = nodeOf(statement.node, 'TransactionStmt')?.kind;
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') explicit = true;
      transactional.set(statement, implicit || explicit);
      if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') explicit = false;
    }
  }

  return {
    createdTables,
    isExisting: (relation) => relation !== undefined && !createdTables.has(tableKey(relation)),
    inTransaction: (statement) => transactional.get(statement) ?? false,
  };
}
