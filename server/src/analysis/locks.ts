/**
 * The lock table: which table-level lock each statement takes on which table, what that lock
 * blocks, and whether the statement rewrites or scans the table while holding it. One source of
 * truth for `require-lock-timeout` and the hover.
 *
 * Sources (PostgreSQL documentation, current version): "Explicit Locking" § Table-Level Locks
 * and its Table "Conflicting Lock Modes"; the reference page of each command (ALTER TABLE,
 * CREATE INDEX, DROP INDEX, REINDEX, CREATE TRIGGER, TRUNCATE, VACUUM, CLUSTER, REFRESH
 * MATERIALIZED VIEW, LOCK, CREATE TABLE). test/analysis/locks.test.ts checks every entry against a
 * real PostgreSQL (PGlite): the locks it holds after the statement, and whether the table's file
 * was replaced.
 */
import type { AlterTableCmd, AlterTableStmt, Node, RangeVar } from 'libpg-query';
import type { SqlStatement } from '../sql/parse';
import { alterActions, keyOfNames, names, nodeOf, tableKey } from '../sql/ast';
import { isConcurrentReindex, isFalse } from './session';
import { rewritingColumn, Volatility } from './volatility';

/** PostgreSQL's table-level lock modes, weakest first (their numbers in the server are 1…8). */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** The lock modes as `pg_locks.mode` names them. */
export const PG_LOCKS_MODE: Readonly<Record<string, LockMode>> = {
  AccessShareLock: 'ACCESS SHARE',
  RowShareLock: 'ROW SHARE',
  RowExclusiveLock: 'ROW EXCLUSIVE',
  ShareUpdateExclusiveLock: 'SHARE UPDATE EXCLUSIVE',
  ShareLock: 'SHARE',
  ShareRowExclusiveLock: 'SHARE ROW EXCLUSIVE',
  ExclusiveLock: 'EXCLUSIVE',
  AccessExclusiveLock: 'ACCESS EXCLUSIVE',
};

/** "Explicit Locking", Table "Conflicting Lock Modes": the modes each mode conflicts with. */
const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  'ACCESS SHARE': ['ACCESS EXCLUSIVE'],
  'ROW SHARE': ['EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'ROW EXCLUSIVE': ['SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE UPDATE EXCLUSIVE': ['SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  SHARE: ['ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE ROW EXCLUSIVE': ['ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  EXCLUSIVE: ['ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'ACCESS EXCLUSIVE': [...LOCK_MODES],
};

export function conflicts(a: LockMode, b: LockMode): boolean {
  return CONFLICTS[a].includes(b);
}

/** What a held (or queued) lock stops other sessions from doing on that table. */
export interface Blocked {
  /** SELECT (ACCESS SHARE). */
  reads: boolean;
  /** INSERT / UPDATE / DELETE / MERGE (ROW EXCLUSIVE). */
  writes: boolean;
  /** Other schema changes and maintenance: VACUUM, ANALYZE, CREATE INDEX, ALTER TABLE (SHARE UPDATE EXCLUSIVE and up). */
  ddl: boolean;
}

export function blockedBy(mode: LockMode): Blocked {
  return { reads: conflicts(mode, 'ACCESS SHARE'), writes: conflicts(mode, 'ROW EXCLUSIVE'), ddl: conflicts(mode, 'SHARE UPDATE EXCLUSIVE') };
}

export function strongest(modes: LockMode[]): LockMode | undefined {
  return modes.reduce<LockMode | undefined>((a, b) => (a === undefined || LOCK_MODES.indexOf(b) > LOCK_MODES.indexOf(a) ? b : a), undefined);
}

export interface DocPage {
  title: string;
  url: string;
}

const DOCS = 'https://www.postgresql.org/docs/current/';
const page = (title: string, file: string): DocPage => ({ title, url: `${DOCS}${file}.html` });
export const DOC_PAGES = {
  locking: page('Explicit Locking', 'explicit-locking'),
  alterTable: page('ALTER TABLE', 'sql-altertable'),
  alterIndex: page('ALTER INDEX', 'sql-alterindex'),
  createIndex: page('CREATE INDEX', 'sql-createindex'),
  dropIndex: page('DROP INDEX', 'sql-dropindex'),
  reindex: page('REINDEX', 'sql-reindex'),
  createTrigger: page('CREATE TRIGGER', 'sql-createtrigger'),
  truncate: page('TRUNCATE', 'sql-truncate'),
  vacuum: page('VACUUM', 'sql-vacuum'),
  cluster: page('CLUSTER', 'sql-cluster'),
  refresh: page('REFRESH MATERIALIZED VIEW', 'sql-refreshmaterializedview'),
  lock: page('LOCK', 'sql-lock'),
  createTable: page('CREATE TABLE', 'sql-createtable'),
};

/** One lock a statement (or one action of an ALTER TABLE) takes on one relation. */
export interface TableLock {
  /** The locked relation's key (`tableKey`), or the index name for DROP INDEX / REINDEX INDEX. */
  target: string;
  targetKind: 'table' | 'index' | 'view' | 'materialized view';
  /** The lock is on the table of the index `target` (DROP INDEX names only the index). */
  ofIndex?: boolean;
  /** The relation as written, to ask whether this migration created it. */
  relation?: RangeVar;
  mode: LockMode;
  /** What takes the lock, in SQL words: `ADD COLUMN … DEFAULT gen_random_uuid()`. */
  action: string;
  /** File offsets of the clause (the ALTER TABLE action) or the statement. */
  start: number;
  end: number;
  /** Why every row is rewritten into a new file while the lock is held, when it is. */
  rewrite?: string;
  /** Why the whole table is read while the lock is held, when it is (and no rewrite). */
  scan?: string;
  /** The way to the same result with a weaker lock or a shorter hold, when there is one. */
  alternative?: string;
  /** The documentation pages that state this lock. */
  sources: DocPage[];
}

export interface LockOptions {
  pgVersion: number;
  /** Functions whose declaration was read (this migration's, its folder's), for the volatility of defaults. */
  functions: ReadonlyMap<string, Volatility>;
  /** Foreign keys the statements drop, by `table\0constraint`: the table each references (facts.ts). */
  droppedForeignKeys?: ReadonlyMap<string, RangeVar>;
}

type Draft = Omit<TableLock, 'start' | 'end' | 'sources'> & { sources?: DocPage[] };

/** The statement kinds `locksOf` knows a table lock for; every other kind takes none worth telling. */
const LOCKING_KINDS = new Set([
  'AlterTableStmt', 'IndexStmt', 'DropStmt', 'ReindexStmt', 'RenameStmt', 'TruncateStmt', 'CreateTrigStmt', 'VacuumStmt',
  'ClusterStmt', 'RefreshMatViewStmt', 'LockStmt', 'CommentStmt', 'CreateStatsStmt', 'CreatePolicyStmt', 'AlterPolicyStmt',
  'CreateStmt', 'UpdateStmt', 'DeleteStmt', 'InsertStmt', 'MergeStmt',
]);

/** Data changes take ROW EXCLUSIVE on their table (see `dmlTarget`), which blocks no reads or writes. */
const ROW_EXCLUSIVE_ONLY = new Set(['UpdateStmt', 'DeleteStmt', 'InsertStmt', 'MergeStmt']);

/**
 * The statement may write rows: a data change, or a SELECT with a data-modifying WITH query or an
 * INTO. Most SELECTs are neither; their text is checked first, so their trees are not decoded.
 */
export function mayWriteRows(statement: SqlStatement): boolean {
  return ROW_EXCLUSIVE_ONLY.has(statement.kind) || (statement.kind === 'SelectStmt' && /\b(?:into|insert|update|delete|merge)\b/i.test(statement.text));
}

/** The statement may take a lock that blocks writes (SHARE or stronger): worth asking `locksOf`. */
export function mayBlockWrites(statement: SqlStatement): boolean {
  return LOCKING_KINDS.has(statement.kind) && !ROW_EXCLUSIVE_ONLY.has(statement.kind);
}

/** The table-level locks a statement takes, in statement order; empty when it takes none worth telling. */
export function locksOf(statement: SqlStatement, options: LockOptions): TableLock[] {
  // Most statements of a migration file (queries, settings, functions) lock no table.
  if (!LOCKING_KINDS.has(statement.kind)) return [];
  const node = statement.node;
  const whole = (drafts: Draft[], sources: DocPage[]): TableLock[] =>
    drafts.map((d) => ({ ...d, start: statement.start, end: statement.end, sources: d.sources ?? sources }));

  const alter = nodeOf(node, 'AlterTableStmt');
  if (alter && alter.objtype === 'OBJECT_TABLE') return alterTableLocks(statement, alter, options);

  const index = nodeOf(node, 'IndexStmt');
  if (index?.relation) {
    const only = !index.relation.inh;
    return whole([{
      ...onTable(index.relation),
      mode: index.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE',
      action: `CREATE${index.unique ? ' UNIQUE' : ''} INDEX${index.concurrent ? ' CONCURRENTLY' : ''}`,
      // ON ONLY a partitioned table creates an invalid index on the parent alone: no rows read.
      scan: only ? undefined : index.concurrent ? 'builds the index in two passes over the table, waiting for running transactions between them' : 'reads the whole table to build the index',
      alternative: index.concurrent || only ? undefined : 'CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE (reads and writes go on) and must run outside a transaction',
    }], [DOC_PAGES.createIndex, DOC_PAGES.locking]);
  }

  const drop = nodeOf(node, 'DropStmt');
  if (drop) return whole(dropLocks(drop), [DOC_PAGES.locking]);

  const reindex = nodeOf(node, 'ReindexStmt');
  if (reindex?.relation && (reindex.kind === 'REINDEX_OBJECT_TABLE' || reindex.kind === 'REINDEX_OBJECT_INDEX')) {
    const concurrent = isConcurrentReindex(reindex);
    const isIndex = reindex.kind === 'REINDEX_OBJECT_INDEX';
    return whole([{
      target: tableKey(reindex.relation),
      targetKind: isIndex ? 'index' : 'table',
      relation: isIndex ? undefined : reindex.relation,
      // REINDEX holds SHARE on the table and ACCESS EXCLUSIVE on each index it rebuilds; the
      // planner locks every index of a table it plans for, so reads wait on the index lock too.
      mode: concurrent ? 'SHARE UPDATE EXCLUSIVE' : isIndex ? 'ACCESS EXCLUSIVE' : 'SHARE',
      action: `REINDEX ${isIndex ? 'INDEX' : 'TABLE'}${concurrent ? ' CONCURRENTLY' : ''}`,
      rewrite: isIndex && !concurrent ? 'writes the index anew from the whole table' : undefined,
      scan: isIndex && !concurrent ? undefined : 'reads the whole table to rebuild its indexes',
      alternative: concurrent
        ? undefined
        : options.pgVersion >= 12
          ? 'REINDEX … CONCURRENTLY (PostgreSQL 12+) takes SHARE UPDATE EXCLUSIVE and must run outside a transaction'
          : 'before PostgreSQL 12: CREATE INDEX CONCURRENTLY a new index, DROP INDEX CONCURRENTLY the old one, rename the new one',
    }], [DOC_PAGES.reindex, DOC_PAGES.locking]);
  }

  const rename = nodeOf(node, 'RenameStmt');
  if (rename?.relation) {
    const isIndex = rename.renameType === 'OBJECT_INDEX';
    const word: Record<string, string> = { OBJECT_TABLE: 'RENAME TO', OBJECT_COLUMN: 'RENAME COLUMN', OBJECT_TABCONSTRAINT: 'RENAME CONSTRAINT', OBJECT_INDEX: 'ALTER INDEX … RENAME', OBJECT_TRIGGER: 'ALTER TRIGGER … RENAME' };
    if (!word[rename.renameType ?? '']) return [];
    return whole([{
      target: tableKey(rename.relation),
      targetKind: isIndex ? 'index' : 'table',
      relation: isIndex ? undefined : rename.relation,
      // Renaming an index takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12.
      mode: isIndex && options.pgVersion >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE',
      action: word[rename.renameType ?? ''],
    }], [isIndex ? DOC_PAGES.alterIndex : DOC_PAGES.alterTable]);
  }

  const truncate = nodeOf(node, 'TruncateStmt');
  if (truncate) {
    return whole((truncate.relations ?? []).map((r) => nodeOf(r, 'RangeVar')).filter((r): r is RangeVar => !!r).map((r) => ({
      ...onTable(r),
      mode: 'ACCESS EXCLUSIVE' as const,
      action: 'TRUNCATE',
      rewrite: 'replaces the table (and its indexes) with new empty files; every row is gone',
      alternative: 'DELETE in batches keeps the table readable and writable, if the rows must go while the application runs',
    })), [DOC_PAGES.truncate, DOC_PAGES.locking]);
  }

  const trigger = nodeOf(node, 'CreateTrigStmt');
  if (trigger?.relation) {
    return whole([{ ...onTable(trigger.relation), mode: 'SHARE ROW EXCLUSIVE', action: trigger.replace ? 'CREATE OR REPLACE TRIGGER' : 'CREATE TRIGGER' }], [DOC_PAGES.createTrigger, DOC_PAGES.locking]);
  }

  const vacuum = nodeOf(node, 'VacuumStmt');
  if (vacuum) {
    const full = (vacuum.options ?? []).some((o) => nodeOf(o, 'DefElem')?.defname === 'full' && !isFalse(nodeOf(o, 'DefElem')?.arg));
    const command = vacuum.is_vacuumcmd ? (full ? 'VACUUM FULL' : 'VACUUM') : 'ANALYZE';
    return whole((vacuum.rels ?? []).map((r) => nodeOf(r, 'VacuumRelation')?.relation).filter((r): r is RangeVar => !!r).map((r) => ({
      ...onTable(r),
      mode: full ? ('ACCESS EXCLUSIVE' as const) : ('SHARE UPDATE EXCLUSIVE' as const),
      action: command,
      rewrite: full ? 'writes a new copy of the table and its indexes' : undefined,
      scan: full ? undefined : vacuum.is_vacuumcmd ? 'reads the table' : 'reads a sample of the table',
      alternative: full ? 'plain VACUUM (SHARE UPDATE EXCLUSIVE), or a tool such as pg_repack, reclaims space without blocking traffic' : undefined,
    })), [DOC_PAGES.vacuum, DOC_PAGES.locking]);
  }

  const cluster = nodeOf(node, 'ClusterStmt');
  if (cluster?.relation) {
    return whole([{ ...onTable(cluster.relation), mode: 'ACCESS EXCLUSIVE', action: 'CLUSTER', rewrite: 'writes a new copy of the table in index order, and rebuilds its indexes' }], [DOC_PAGES.cluster, DOC_PAGES.locking]);
  }

  const refresh = nodeOf(node, 'RefreshMatViewStmt');
  if (refresh?.relation) {
    return whole([{
      target: tableKey(refresh.relation),
      targetKind: 'materialized view',
      relation: refresh.relation,
      mode: refresh.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE',
      action: `REFRESH MATERIALIZED VIEW${refresh.concurrent ? ' CONCURRENTLY' : ''}`,
      rewrite: refresh.concurrent ? undefined : 'runs the query and replaces the view\'s contents',
      scan: refresh.concurrent ? 'runs the query and merges the differences into the view' : undefined,
      alternative: refresh.concurrent ? undefined : 'REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view) lets reads go on',
    }], [DOC_PAGES.refresh, DOC_PAGES.locking]);
  }

  const lock = nodeOf(node, 'LockStmt');
  if (lock) {
    const mode = LOCK_MODES[(lock.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE';
    return whole((lock.relations ?? []).map((r) => nodeOf(r, 'RangeVar')).filter((r): r is RangeVar => !!r).map((r) => ({ ...onTable(r), mode, action: `LOCK TABLE … IN ${mode} MODE` })), [DOC_PAGES.lock, DOC_PAGES.locking]);
  }

  const comment = nodeOf(node, 'CommentStmt');
  if (comment && (comment.objtype === 'OBJECT_TABLE' || comment.objtype === 'OBJECT_COLUMN')) {
    const parts = names(nodeOf(comment.object, 'List')?.items);
    const table = comment.objtype === 'OBJECT_COLUMN' ? parts.slice(0, -1) : parts;
    return whole([{ target: keyOfNames(table), targetKind: 'table', relation: rangeVarOf(table), mode: 'SHARE UPDATE EXCLUSIVE', action: 'COMMENT ON' }], [DOC_PAGES.locking]);
  }

  const stats = nodeOf(node, 'CreateStatsStmt');
  const statsTable = nodeOf(stats?.relations?.[0], 'RangeVar');
  if (statsTable) return whole([{ ...onTable(statsTable), mode: 'SHARE UPDATE EXCLUSIVE', action: 'CREATE STATISTICS' }], [DOC_PAGES.locking]);

  const policy = nodeOf(node, 'CreatePolicyStmt') ?? nodeOf(node, 'AlterPolicyStmt');
  if (policy?.table) return whole([{ ...onTable(policy.table), mode: 'ACCESS EXCLUSIVE', action: nodeOf(node, 'CreatePolicyStmt') ? 'CREATE POLICY' : 'ALTER POLICY' }], [DOC_PAGES.locking]);

  const create = nodeOf(node, 'CreateStmt');
  if (create) return whole(createTableLocks(create), [DOC_PAGES.createTable, DOC_PAGES.locking]);

  const write = dmlTarget(node);
  if (write) {
    const unbounded = write.whereless && write.command !== 'INSERT' && write.command !== 'MERGE';
    return whole([{
      ...onTable(write.relation),
      mode: 'ROW EXCLUSIVE',
      action: write.command,
      scan: unbounded ? `${write.command === 'UPDATE' ? 'updates' : 'deletes'} every row, and holds a row lock on each until the transaction ends (concurrent writes to those rows wait)` : undefined,
      alternative: unbounded ? 'change the rows in batches (a bounded WHERE per batch), each in its own short transaction' : undefined,
    }], [DOC_PAGES.locking]);
  }
  return [];
}

function onTable(relation: RangeVar): Pick<TableLock, 'target' | 'targetKind' | 'relation'> {
  return { target: tableKey(relation), targetKind: 'table', relation };
}

function rangeVarOf(parts: string[]): RangeVar {
  return parts.length > 1 ? { schemaname: parts[parts.length - 2], relname: parts[parts.length - 1] } : { relname: parts[0] };
}

function dropLocks(drop: NonNullable<ReturnType<typeof nodeOf<'DropStmt'>>>): Draft[] {
  const objects = (drop.objects ?? []).map((o) => names(nodeOf(o, 'List')?.items));
  switch (drop.removeType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW': {
      const kind = drop.removeType === 'OBJECT_TABLE' ? 'table' : drop.removeType === 'OBJECT_VIEW' ? 'view' : 'materialized view';
      return objects.map((parts) => ({ target: keyOfNames(parts), targetKind: kind, relation: rangeVarOf(parts), mode: 'ACCESS EXCLUSIVE', action: `DROP ${kind.toUpperCase()}` }));
    }
    case 'OBJECT_INDEX':
      // The index's table is not in the statement; DROP INDEX locks that table.
      return objects.map((parts) => ({
        target: keyOfNames(parts),
        targetKind: 'index',
        ofIndex: true,
        mode: drop.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE',
        action: `DROP INDEX${drop.concurrent ? ' CONCURRENTLY' : ''}`,
        alternative: drop.concurrent ? undefined : 'DROP INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE (reads and writes go on) and must run outside a transaction',
        sources: [DOC_PAGES.dropIndex, DOC_PAGES.locking],
      }));
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY':
    case 'OBJECT_RULE': {
      const what = drop.removeType.slice('OBJECT_'.length);
      return objects.filter((parts) => parts.length >= 2).map((parts) => {
        const table = parts.slice(0, -1);
        return { target: keyOfNames(table), targetKind: 'table', relation: rangeVarOf(table), mode: 'ACCESS EXCLUSIVE', action: `DROP ${what} … ON` };
      });
    }
    default:
      return [];
  }
}

function createTableLocks(create: NonNullable<ReturnType<typeof nodeOf<'CreateStmt'>>>): Draft[] {
  const out: Draft[] = [];
  for (const parent of (create.inhRelations ?? []).map((r) => nodeOf(r, 'RangeVar')).filter((r): r is RangeVar => !!r)) {
    // PARTITION OF locks the partitioned table out entirely; INHERITS only against other DDL.
    const partition = !!create.partbound;
    out.push({ ...onTable(parent), mode: partition ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE', action: partition ? 'CREATE TABLE … PARTITION OF' : 'CREATE TABLE … INHERITS', alternative: partition ? 'create the table on its own, then ALTER TABLE … ATTACH PARTITION (SHARE UPDATE EXCLUSIVE on the parent, PostgreSQL 12+)' : undefined });
  }
  for (const referenced of referencedTables(create.tableElts)) {
    out.push({ ...onTable(referenced), mode: 'SHARE ROW EXCLUSIVE', action: 'REFERENCES (foreign key of the new table)' });
  }
  return out;
}

/** Tables referenced by the foreign keys among column definitions and table constraints. */
function referencedTables(elements: Node[] | undefined): RangeVar[] {
  const out: RangeVar[] = [];
  for (const element of elements ?? []) {
    const constraints = nodeOf(element, 'ColumnDef')?.constraints ?? [element];
    for (const c of constraints) {
      const constraint = nodeOf(c, 'Constraint');
      if (constraint?.contype === 'CONSTR_FOREIGN' && constraint.pktable) out.push(constraint.pktable);
    }
  }
  return out;
}

/** The written table of INSERT / UPDATE / DELETE / MERGE (also as the statement's WITH). */
export function dmlTarget(node: Node | undefined): { command: 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE'; relation: RangeVar; whereless: boolean } | undefined {
  const update = nodeOf(node, 'UpdateStmt');
  if (update?.relation) return { command: 'UPDATE', relation: update.relation, whereless: !update.whereClause };
  const del = nodeOf(node, 'DeleteStmt');
  if (del?.relation) return { command: 'DELETE', relation: del.relation, whereless: !del.whereClause };
  const insert = nodeOf(node, 'InsertStmt');
  if (insert?.relation) return { command: 'INSERT', relation: insert.relation, whereless: false };
  const merge = nodeOf(node, 'MergeStmt');
  if (merge?.relation) return { command: 'MERGE', relation: merge.relation, whereless: false };
  return undefined;
}

function alterTableLocks(statement: SqlStatement, alter: AlterTableStmt, options: LockOptions): TableLock[] {
  const cmds = (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd') ?? {});
  const out: TableLock[] = [];
  for (const action of alterActions(statement, cmds, alter.relation?.location)) {
    for (const draft of alterActionLocks(alter, action.cmd, options)) {
      out.push({ ...draft, start: action.start, end: action.end, sources: draft.sources ?? [DOC_PAGES.alterTable, DOC_PAGES.locking] });
    }
  }
  return out;
}

/** ALTER TABLE takes ACCESS EXCLUSIVE "unless explicitly noted"; the noted forms are below. */
function alterActionLocks(alter: AlterTableStmt, cmd: AlterTableCmd, options: LockOptions): Draft[] {
  const relation = alter.relation;
  if (!relation) return [];
  const table = onTable(relation);
  const column = cmd.name ?? nodeOf(cmd.def, 'ColumnDef')?.colname ?? '';
  const exclusive = (action: string, extra: Partial<Draft> = {}): Draft[] => [{ ...table, mode: 'ACCESS EXCLUSIVE', action, ...extra }];
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = nodeOf(cmd.def, 'ColumnDef');
      const rewrite = rewritingColumn(def, options.pgVersion, options.functions);
      const kinds = (def?.constraints ?? []).map((c) => nodeOf(c, 'Constraint'));
      const indexed = kinds.some((c) => c?.contype === 'CONSTR_UNIQUE' || c?.contype === 'CONSTR_PRIMARY');
      const checked = kinds.some((c) => c?.contype === 'CONSTR_CHECK' || c?.contype === 'CONSTR_FOREIGN');
      const out = exclusive(`ADD COLUMN ${column}`, {
        rewrite,
        scan: rewrite ? undefined : indexed ? 'reads the whole table to build the index of the new column' : checked ? 'reads the whole table to check the new column\'s constraint' : undefined,
        alternative: rewrite
          ? 'add the column without that default (or with a constant one), backfill it in batches, then ALTER COLUMN … SET DEFAULT for new rows'
          : indexed
            ? 'add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX'
            : undefined,
      });
      for (const c of kinds) if (c?.contype === 'CONSTR_FOREIGN' && c.pktable) out.push({ ...onTable(c.pktable), mode: 'SHARE ROW EXCLUSIVE', action: `ADD COLUMN ${column} … REFERENCES (referenced table)` });
      return out;
    }
    case 'AT_AddConstraint':
      return addConstraintLocks(table, nodeOf(cmd.def, 'Constraint'));
    case 'AT_ValidateConstraint':
      return [{ ...table, mode: 'SHARE UPDATE EXCLUSIVE', action: `VALIDATE CONSTRAINT ${cmd.name}`, scan: 'reads the whole table to check existing rows (reads and writes go on)' }];
    case 'AT_DropColumn':
      return exclusive(`DROP COLUMN ${column}`);
    case 'AT_DropConstraint': {
      const out = exclusive(`DROP CONSTRAINT ${cmd.name}`);
      // Dropping a foreign key drops its triggers on the referenced table too, under ACCESS EXCLUSIVE.
      const referenced = options.droppedForeignKeys?.get(`${tableKey(relation)}\0${cmd.name}`);
      if (referenced && tableKey(referenced) !== tableKey(relation)) out.push({ ...onTable(referenced), mode: 'ACCESS EXCLUSIVE', action: `DROP CONSTRAINT ${cmd.name} (referenced table of the foreign key)` });
      return out;
    }
    case 'AT_AlterColumnType': {
      const def = nodeOf(cmd.def, 'ColumnDef');
      return exclusive(`ALTER COLUMN ${column} TYPE`, {
        rewrite: def?.raw_default
          ? 'USING recomputes the column for every row and rebuilds the table\'s indexes'
          : 'rewrites every row and rebuilds the table\'s indexes, unless the new type is binary-compatible (varchar(n) → varchar(m ≥ n) or text, numeric(p,s) → numeric(q ≥ p,s))',
        alternative: 'add a new column, backfill it in batches, move the application over, then drop the old column',
      });
    }
    case 'AT_SetNotNull':
      return exclusive(`ALTER COLUMN ${column} SET NOT NULL`, {
        scan: options.pgVersion >= 12 ? 'reads the whole table to check for NULLs, unless a validated CHECK (… IS NOT NULL) proves it' : 'reads the whole table to check for NULLs',
        alternative: options.pgVersion >= 12 ? 'ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL (no scan)' : undefined,
      });
    case 'AT_SetStatistics':
      return [{ ...table, mode: 'SHARE UPDATE EXCLUSIVE', action: `ALTER COLUMN ${column} SET STATISTICS` }];
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
      return [{ ...table, mode: 'SHARE UPDATE EXCLUSIVE', action: cmd.subtype === 'AT_ClusterOn' ? 'CLUSTER ON' : 'SET WITHOUT CLUSTER' }];
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions': {
      const keys = (nodeOf(cmd.def, 'List')?.items ?? []).map((d) => nodeOf(d, 'DefElem')).map((d) => (d?.defnamespace ? `${d.defnamespace}.` : '') + (d?.defname ?? ''));
      // Fillfactor, TOAST and autovacuum parameters and parallel_workers need only SHARE UPDATE EXCLUSIVE.
      const light = keys.every((k) => k === 'fillfactor' || k === 'parallel_workers' || k.startsWith('autovacuum_') || k.startsWith('toast.') || k === 'toast_tuple_target');
      return [{ ...table, mode: light ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', action: `${cmd.subtype === 'AT_SetRelOptions' ? 'SET' : 'RESET'} (${keys.join(', ')})` }];
    }
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_EnableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrig':
    case 'AT_DisableTrigAll':
    case 'AT_DisableTrigUser':
      return [{ ...table, mode: 'SHARE ROW EXCLUSIVE', action: cmd.subtype.startsWith('AT_Enable') ? 'ENABLE TRIGGER' : 'DISABLE TRIGGER' }];
    case 'AT_AttachPartition': {
      const partition = nodeOf(cmd.def, 'PartitionCmd')?.name;
      const out: Draft[] = [{ ...table, mode: options.pgVersion >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', action: 'ATTACH PARTITION (partitioned table)' }];
      if (partition) out.push({ ...onTable(partition), mode: 'ACCESS EXCLUSIVE', action: 'ATTACH PARTITION (the partition)', scan: 'reads the partition to check its rows fit the bounds, unless a CHECK constraint already proves it' });
      return out;
    }
    case 'AT_DetachPartition': {
      const partitionCmd = nodeOf(cmd.def, 'PartitionCmd');
      const concurrent = !!partitionCmd?.concurrent;
      const out: Draft[] = [{
        ...table,
        mode: concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE',
        action: `DETACH PARTITION${concurrent ? ' CONCURRENTLY' : ''} (partitioned table)`,
        alternative: concurrent || options.pgVersion < 14 ? undefined : 'DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+) takes SHARE UPDATE EXCLUSIVE on the partitioned table and must run outside a transaction',
      }];
      if (partitionCmd?.name && !concurrent) out.push({ ...onTable(partitionCmd.name), mode: 'ACCESS EXCLUSIVE', action: 'DETACH PARTITION (the partition)' });
      return out;
    }
    case 'AT_SetTableSpace':
      return exclusive('SET TABLESPACE', { rewrite: 'copies the table\'s files to the new tablespace' });
    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
      return exclusive(cmd.subtype === 'AT_SetLogged' ? 'SET LOGGED' : 'SET UNLOGGED', { rewrite: 'writes a new copy of the table and its indexes' });
    case 'AT_SetAccessMethod':
      return exclusive('SET ACCESS METHOD', { rewrite: 'writes a new copy of the table in the new access method' });
    case 'AT_DropNotNull':
      return exclusive(`ALTER COLUMN ${column} DROP NOT NULL`);
    case 'AT_ColumnDefault':
      return exclusive(`ALTER COLUMN ${column} ${cmd.def ? 'SET' : 'DROP'} DEFAULT`);
    default:
      return exclusive(alterWords(cmd));
  }
}

function addConstraintLocks(table: Pick<TableLock, 'target' | 'targetKind' | 'relation'>, constraint: ReturnType<typeof nodeOf<'Constraint'>>): Draft[] {
  if (!constraint) return [];
  const name = constraint.conname ? ` ${constraint.conname}` : '';
  const notValid = !!constraint.skip_validation;
  switch (constraint.contype) {
    case 'CONSTR_FOREIGN': {
      const scan = notValid ? undefined : 'reads the whole table (and looks up every key in the referenced table) to check existing rows';
      const out: Draft[] = [{
        ...table,
        mode: 'SHARE ROW EXCLUSIVE',
        action: `ADD CONSTRAINT${name} FOREIGN KEY${notValid ? ' … NOT VALID' : ''}`,
        scan,
        alternative: notValid ? undefined : 'ADD … NOT VALID (no scan), then VALIDATE CONSTRAINT in its own transaction (SHARE UPDATE EXCLUSIVE: writes go on)',
      }];
      if (constraint.pktable) out.push({ ...onTable(constraint.pktable), mode: 'SHARE ROW EXCLUSIVE', action: `ADD CONSTRAINT${name} FOREIGN KEY (referenced table)` });
      return out;
    }
    case 'CONSTR_CHECK':
      return [{
        ...table,
        mode: 'ACCESS EXCLUSIVE',
        action: `ADD CONSTRAINT${name} CHECK${notValid ? ' … NOT VALID' : ''}`,
        scan: notValid ? undefined : 'reads the whole table to check existing rows',
        alternative: notValid ? undefined : 'ADD … NOT VALID (no scan), then VALIDATE CONSTRAINT in its own transaction (SHARE UPDATE EXCLUSIVE: reads and writes go on)',
      }];
    case 'CONSTR_UNIQUE':
    case 'CONSTR_PRIMARY': {
      const kind = constraint.contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'PRIMARY KEY';
      if (constraint.indexname) {
        return [{
          ...table,
          mode: 'ACCESS EXCLUSIVE',
          action: `ADD CONSTRAINT${name} ${kind} USING INDEX ${constraint.indexname}`,
          // A primary key needs NOT NULL columns: PostgreSQL checks them with a scan unless they already are.
          scan: kind === 'PRIMARY KEY' ? 'reads the whole table if a key column is not yet NOT NULL' : undefined,
        }];
      }
      return [{
        ...table,
        mode: 'ACCESS EXCLUSIVE',
        action: `ADD CONSTRAINT${name} ${kind}`,
        scan: 'reads the whole table to build the unique index',
        alternative: `CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … ${kind} USING INDEX (a brief ACCESS EXCLUSIVE, no build)`,
      }];
    }
    case 'CONSTR_EXCLUSION':
      return [{ ...table, mode: 'ACCESS EXCLUSIVE', action: `ADD CONSTRAINT${name} EXCLUDE`, scan: 'reads the whole table to build the exclusion index' }];
    case 'CONSTR_NOTNULL':
      return [{ ...table, mode: 'ACCESS EXCLUSIVE', action: `ADD CONSTRAINT${name} NOT NULL`, scan: notValid ? undefined : 'reads the whole table to check for NULLs' }];
    default:
      return [{ ...table, mode: 'ACCESS EXCLUSIVE', action: `ADD CONSTRAINT${name}` }];
  }
}

/** `AT_EnableRowSecurity` → `ENABLE ROW SECURITY`: a readable name for the remaining ALTER TABLE forms. */
function alterWords(cmd: AlterTableCmd): string {
  const words = (cmd.subtype ?? 'AT_Unknown').slice(3).replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  return cmd.name ? `${words} ${cmd.name}` : words;
}
