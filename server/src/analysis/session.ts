/**
 * The database session as each statement of a migration meets it: inside which transaction it
 * runs, and whether `lock_timeout` is in force. Read per part, in order, the way the runner sends
 * the part (CONVENTIONS.md).
 */
import type { Node, ReindexStmt } from 'libpg-query';
import type { Config } from '../config/config';
import { conventionNamed } from '../migration/conventions';
import type { Migration, Part, Statement } from '../migration/migration';
import type { RunnerWrapping } from '../migration/conventions/types';
import { names, nodeOf, treeOf } from '../sql/ast';

/**
 * Why a statement runs in a transaction:
 * - `explicit`: a `BEGIN` / `START TRANSACTION` of the file is open;
 * - `runner`: the runner wrapped the part in its own transaction (goose, dbmate, diesel, Flyway, Supabase);
 * - `implicit-block`: the runner sends the whole file as one multi-statement query, which
 *   PostgreSQL runs as one implicit transaction block (golang-migrate);
 * - `assumed`: `assumeInTransaction` is set.
 */
export type TransactionKind = 'explicit' | 'runner' | 'implicit-block' | 'assumed';

export interface SessionFacts {
  transactionOf(statement: Statement): TransactionKind | undefined;
  /** Which transaction of the file the statement runs in: statements with one number share it. */
  transactionNumberOf(statement: Statement): number | undefined;
  /** A non-zero `lock_timeout` is in force when the statement runs. */
  lockTimeoutSet(statement: Statement): boolean;
}

/**
 * How the runner wraps a part: `begin` when it sends BEGIN … COMMIT around it (goose, dbmate,
 * diesel, Flyway), `implicit` when it sends the file as one multi-statement query or batch, which
 * PostgreSQL runs as one implicit transaction (golang-migrate, the Supabase CLI), or undefined.
 * The convention's module says which.
 */
export function runnerWrapping(part: Part, convention: string): 'begin' | 'implicit' | undefined {
  const wrapping = runnerWrappingOf(part, convention);
  return wrapping === 'implicit-block' || wrapping === 'batch' ? 'implicit' : wrapping;
}

function runnerWrappingOf(part: Part, convention: string): RunnerWrapping {
  if (!part.runnerTransaction) return undefined;
  const wrap = conventionNamed(convention).runnerWrapping;
  return wrap ? wrap(part.statements.filter((s) => s.kind !== ''), (s) => cannotRunInTransaction(s as Statement)) : 'begin';
}

export function readSession(migration: Migration, config: Config): SessionFacts {
  const transactions = new Map<Statement, TransactionKind | undefined>();
  const numbers = new Map<Statement, number>();
  const lockTimeouts = new Map<Statement, boolean>();
  for (const part of migration.parts) readPart(part, migration.convention.name, config, transactions, lockTimeouts);
  // A transaction starts at a statement in one after a statement in none, or after one that ended it.
  let number = 0;
  let open = false;
  for (const statement of migration.statements) {
    if (transactions.get(statement) === undefined || statement === statement.part.statements[0]) open = false;
    if (transactions.get(statement) === undefined) continue;
    if (!open) number++;
    open = !endsTransaction(statement);
    numbers.set(statement, number);
  }
  return {
    transactionOf: (statement) => transactions.get(statement),
    transactionNumberOf: (statement) => numbers.get(statement),
    lockTimeoutSet: (statement) => lockTimeouts.get(statement) ?? false,
  };
}

function readPart(
  part: Part,
  convention: string,
  config: Config,
  transactions: Map<Statement, TransactionKind | undefined>,
  lockTimeouts: Map<Statement, boolean>,
): void {
  const wrapping = runnerWrappingOf(part, convention);
  const implicit: TransactionKind | undefined = wrapping === 'implicit-block' ? 'implicit-block' : wrapping === 'batch' ? 'runner' : undefined;
  let runner = wrapping === 'begin';

  let explicit = false;
  let sessionTimeout = false;
  let localTimeout = false;
  for (const statement of part.statements) {
    const kind = statement.kind === 'TransactionStmt' ? treeOf(statement, 'TransactionStmt') : undefined;
    const opens = kind?.kind === 'TRANS_STMT_BEGIN' || kind?.kind === 'TRANS_STMT_START';
    const closes = endsTransaction(statement);
    if (opens) explicit = true;
    const transaction: TransactionKind | undefined = explicit
      ? 'explicit'
      : implicit
        ? implicit
        : runner
          ? 'runner'
          : config.assumeInTransaction
            ? 'assumed'
            : undefined;
    transactions.set(statement, transaction);
    lockTimeouts.set(statement, sessionTimeout || localTimeout);

    const setting = lockTimeoutSetting(statement);
    if (setting) {
      // SET LOCAL outside a transaction block only warns and changes nothing.
      if (setting.local) localTimeout = transaction !== undefined && setting.on;
      else sessionTimeout = setting.on;
      // A plain SET also replaces the transaction's SET LOCAL value.
      if (!setting.local) localTimeout = false;
    }
    if (closes) {
      // SET LOCAL ends with its transaction. A BEGIN inside the runner's transaction was ignored,
      // so any COMMIT there ends the runner's transaction too.
      localTimeout = false;
      explicit = false;
      runner = false;
    }
  }
}

/** COMMIT / ROLLBACK / PREPARE TRANSACTION (not … AND CHAIN, which goes on in a new one). */
export function endsTransaction(statement: Statement): boolean {
  const kind = statement.kind === 'TransactionStmt' ? treeOf(statement, 'TransactionStmt') : undefined;
  return !kind?.chain && (kind?.kind === 'TRANS_STMT_COMMIT' || kind?.kind === 'TRANS_STMT_ROLLBACK' || kind?.kind === 'TRANS_STMT_PREPARE');
}

/** Statements PostgreSQL refuses inside a transaction block. */
export function cannotRunInTransaction(statement: Statement): boolean {
  if (concurrentlyClause(statement)) return true;
  if (treeOf(statement, 'VacuumStmt')?.is_vacuumcmd) return true;
  return !!(treeOf(statement, 'CreatedbStmt') || treeOf(statement, 'DropdbStmt') || treeOf(statement, 'AlterSystemStmt') || treeOf(statement, 'CreateTableSpaceStmt') || treeOf(statement, 'DropTableSpaceStmt'));
}

/**
 * The statement is one of the `CONCURRENTLY` forms PostgreSQL refuses in a transaction block:
 * CREATE INDEX, DROP INDEX, REINDEX, ALTER TABLE … DETACH PARTITION. (REFRESH MATERIALIZED
 * VIEW CONCURRENTLY may run in a transaction.) Returns what it is, for messages.
 */
export function concurrentlyClause(statement: Statement): string | undefined {
  if (treeOf(statement, 'IndexStmt')?.concurrent) return 'CREATE INDEX CONCURRENTLY';
  const drop = treeOf(statement, 'DropStmt');
  if (drop?.concurrent && drop.removeType === 'OBJECT_INDEX') return 'DROP INDEX CONCURRENTLY';
  if (isConcurrentReindex(treeOf(statement, 'ReindexStmt'))) return 'REINDEX CONCURRENTLY';
  const alter = treeOf(statement, 'AlterTableStmt');
  for (const cmd of alter?.cmds ?? []) {
    const c = nodeOf(cmd, 'AlterTableCmd');
    if (c?.subtype === 'AT_DetachPartition' && nodeOf(c.def, 'PartitionCmd')?.concurrent) return 'DETACH PARTITION CONCURRENTLY';
  }
  return undefined;
}

export function isConcurrentReindex(reindex: ReindexStmt | undefined): boolean {
  return !!reindex?.params?.some((p) => {
    const option = nodeOf(p, 'DefElem');
    return option?.defname === 'concurrently' && !isFalse(option.arg);
  });
}

/** An option's value that turns it off (`FULL false`, `CONCURRENTLY 0`). */
export function isFalse(arg: Node | undefined): boolean {
  const c = nodeOf(arg, 'A_Const');
  const s = nodeOf(arg, 'String')?.sval ?? c?.sval?.sval;
  if (s !== undefined) return /^(false|off|0)$/i.test(s);
  if (c?.boolval) return !c.boolval.boolval;
  if (c?.ival) return !c.ival.ival;
  return false;
}

/** A statement that sets `lock_timeout`: `SET [LOCAL]`, `RESET`, `SET … TO DEFAULT`, `set_config(…)`. */
function lockTimeoutSetting(statement: Statement): { local: boolean; on: boolean } | undefined {
  const set = treeOf(statement, 'VariableSetStmt');
  if (set) {
    if (set.kind === 'VAR_RESET_ALL') return { local: false, on: false };
    if (set.name?.toLowerCase() !== 'lock_timeout') return undefined;
    // RESET and DEFAULT go back to the server's setting, which is 0 (off) unless configured.
    if (set.kind !== 'VAR_SET_VALUE') return { local: !!set.is_local, on: false };
    return { local: !!set.is_local, on: !isZeroDuration(set.args?.[0]) };
  }
  // SELECT set_config('lock_timeout', '5s', is_local)
  // Most SELECTs are not this: their trees are decoded only when set_config is in the text.
  const select = statement.kind === 'SelectStmt' && /set_config/i.test(statement.text) ? treeOf(statement, 'SelectStmt') : undefined;
  const target = select?.targetList?.length === 1 && !select.fromClause ? nodeOf(nodeOf(select.targetList[0], 'ResTarget')?.val, 'FuncCall') : undefined;
  if (!target || names(target.funcname).pop() !== 'set_config' || target.args?.length !== 3) return undefined;
  const [name, value, local] = target.args;
  if (nodeOf(name, 'A_Const')?.sval?.sval?.toLowerCase() !== 'lock_timeout') return undefined;
  const isLocal = nodeOf(local, 'A_Const')?.boolval?.boolval === true;
  return { local: isLocal, on: !isZeroDuration(value) };
}

/** `0`, `'0'`, `'0s'`, `'0ms'`: a timeout of zero turns it off. */
function isZeroDuration(arg: Node | undefined): boolean {
  const c = nodeOf(arg, 'A_Const');
  if (!c) return false;
  if (c.ival) return !c.ival.ival;
  if (c.sval) return /^\s*0+(\.0*)?\s*(us|ms|s|min|h|d)?\s*$/i.test(c.sval.sval ?? '');
  if (c.fval) return Number(c.fval.fval) === 0;
  return false;
}
