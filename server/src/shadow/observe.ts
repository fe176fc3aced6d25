/**
 * Observed locks and rewrites: while the UP part runs in the shadow, after each statement, which
 * relations the shadow's transaction holds locks on and in which mode (pg_locks of its own
 * backend, names resolved), and which tables the statement rewrote (their relfilenode changed).
 * What PostgreSQL itself did, shown beside the lock table's explanation (analysis/locks.ts).
 */
import { LOCK_MODES, LockMode, LockOptions, locksOf, PG_LOCKS_MODE, strongest } from '../analysis/locks';
import type { Target } from '../database/target';
import { keyOfNames, nodeOf, tableKey, treeOf } from '../sql/ast';
import type { SqlStatement } from '../sql/parse';
import type { ObservedLock, ObservedStatement } from './findings';
import type { ShadowStatement } from './statements';

const KINDS: Record<string, ObservedLock['kind']> = {
  r: 'table', p: 'table', f: 'table', i: 'index', I: 'index', v: 'view', m: 'materialized view', S: 'sequence',
};

/** The schemas of the database's own catalogs: what the shadow's queries lock there is not the migration's. */
const USER_RELATIONS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;

interface Relation {
  name: string;
  kind: ObservedLock['kind'];
  file: number;
}

export class LockObserver {
  /** Locks held so far in the transaction (`oid:mode`). */
  private readonly held = new Set<string>();

  private constructor(
    private readonly db: Target,
    /** Every user relation by oid, as last seen: the name of one a statement drops, the file before a rewrite. */
    private readonly relations: Map<number, Relation>,
  ) {}

  /** Reads the relations before the first statement; call inside the transaction the statements run in. */
  static async start(db: Target): Promise<LockObserver> {
    const rows = await db.query<{ oid: number; schema: string; name: string; relkind: string; file: number }>(
      `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind, c.relfilenode::int AS file
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p', 'f', 'i', 'I', 'v', 'm', 'S') AND ${USER_RELATIONS}`,
    );
    return new LockObserver(db, new Map(rows.map((r) => [r.oid, { name: keyOfNames([r.schema, r.name]), kind: KINDS[r.relkind], file: r.file }])));
  }

  /** What the transaction holds after `statement` ran, and what the statement rewrote. */
  async after(statement: ShadowStatement): Promise<ObservedStatement> {
    const rows = await this.db.query<{ oid: number; mode: string; schema: string | null; name: string | null; relkind: string | null; file: number | null }>(
      `SELECT l.relation::int AS oid, l.mode, n.nspname AS schema, c.relname AS name, c.relkind, c.relfilenode::int AS file
       FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE l.locktype = 'relation' AND l.pid = pg_backend_pid() AND l.granted
         AND (c.oid IS NULL OR (c.relkind IN ('r', 'p', 'f', 'i', 'I', 'v', 'm', 'S') AND ${USER_RELATIONS}))`,
    );
    const locks: ObservedLock[] = [];
    const rewritten = new Set<string>();
    const seen = new Map<number, Relation | undefined>();
    for (const row of rows) {
      const mode = PG_LOCKS_MODE[row.mode];
      const known = this.relations.get(row.oid);
      // A relation gone by now (dropped) is named as it was; one never seen is not a user relation.
      const now = row.name !== null && row.relkind !== null && row.schema !== null ? { name: keyOfNames([row.schema, row.name]), kind: KINDS[row.relkind], file: row.file ?? 0 } : undefined;
      const relation = now ?? known;
      if (!mode || !relation) continue;
      if (now && known && now.file !== known.file && now.kind === 'table') rewritten.add(now.name);
      seen.set(row.oid, now);
      const key = `${row.oid}:${mode}`;
      locks.push({ relation: relation.name, kind: relation.kind, mode, taken: !this.held.has(key), ...(known ? {} : { created: true }), ...(now ? {} : { dropped: true }) });
    }
    for (const [oid, now] of seen) {
      if (now) this.relations.set(oid, now);
      else this.relations.delete(oid);
    }
    for (const row of rows) this.held.add(`${row.oid}:${PG_LOCKS_MODE[row.mode]}`);
    locks.sort((a, b) => (a.relation < b.relation ? -1 : a.relation > b.relation ? 1 : LOCK_MODES.indexOf(b.mode) - LOCK_MODES.indexOf(a.mode)));
    return { start: statement.start, end: statement.end, locks, rewritten: [...rewritten].sort(), ...(statement.plainForm ? { plainForm: true } : {}) };
  }
}

/** Where the lock table and the observation of one statement disagree. */
export interface LockDisagreement {
  /** The statement kind: `IndexStmt`, `AlterTableStmt AT_AddColumn`. */
  kind: string;
  relation: string;
  /** The lock table's strongest mode on it, or `none`. */
  table: LockMode | 'none';
  /** The strongest mode the statement took on it, or `none`. */
  observed: LockMode | 'none';
  /** The lock table says it rewrites / the table's file was replaced (only where these differ). */
  rewrite?: { table: boolean; observed: boolean };
}

/**
 * Compares the lock table's locks of a statement with what the shadow observed it take, on the
 * tables the statement names that its transaction had not locked before (a lock held already
 * hides whether the statement would take it). A CONCURRENTLY statement ran as its plain form: not compared.
 */
export function lockDisagreements(statement: SqlStatement, observed: ObservedStatement, options: LockOptions): LockDisagreement[] {
  if (observed.plainForm) return [];
  const locks = locksOf(statement, options).filter((l) => l.targetKind !== 'index' && !l.ofIndex);
  const alter = treeOf(statement, 'AlterTableStmt');
  const kind = [statement.kind, ...(alter?.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd')?.subtype ?? '')].join(' ');
  // A renamed relation is locked under its new name by the time the locks are read.
  const rename = treeOf(statement, 'RenameStmt');
  const renamed = rename?.renameType === 'OBJECT_TABLE' && rename.relation && rename.newname ? { from: tableKey(rename.relation), to: tableKey({ ...rename.relation, relname: rename.newname }) } : undefined;
  // IF EXISTS of a relation that is not there: nothing runs, nothing is locked.
  const missingOk = !!(treeOf(statement, 'DropStmt')?.missing_ok || alter?.missing_ok || rename?.missing_ok);
  const out: LockDisagreement[] = [];
  for (const target of new Set(locks.map((l) => l.target))) {
    // The observation leaves the catalogs out (USER_RELATIONS): a migration's UPDATE pg_index is not compared.
    if (/^(pg_|information_schema\.)/.test(target)) continue;
    const name = target === renamed?.from ? renamed.to : target;
    const on = observed.locks.filter((l) => l.relation === name);
    if (on.some((l) => !l.taken || l.created) || (missingOk && on.length === 0)) continue;
    const table = strongest(locks.filter((l) => l.target === target).map((l) => l.mode)) ?? 'none';
    const seen = strongest(on.map((l) => l.mode)) ?? 'none';
    const rewrite = { table: locks.some((l) => l.target === target && l.rewrite !== undefined), observed: observed.rewritten.includes(name) };
    if (table !== seen || rewrite.table !== rewrite.observed) out.push({ kind, relation: target, table, observed: seen, ...(rewrite.table !== rewrite.observed ? { rewrite } : {}) });
  }
  return out;
}
