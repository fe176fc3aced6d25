/**
 * A cheap test of "DOWN gave back the schema before UP", so that the two full schema snapshots
 * (database/schema.ts) are taken only when it fails. Everything the round trip wrote carries a
 * transaction ID from it: the objects whose catalog rows did so are the only ones that may differ,
 * and a hash of just their rows is compared, before UP and after DOWN. An object UP dropped and
 * DOWN did not bring back left no row to see: the catalogs' row counts catch it. Counters that
 * change without a schema change (`relnatts` after a dropped column, `relhasindex`,
 * `relfilenode` after a rewrite) are left out of the hash.
 */
import type { Target } from '../database/target';

/** The catalogs the schema snapshot reads. */
const COUNTS = `SELECT concat_ws(' ', ${['pg_namespace', 'pg_extension', 'pg_class', 'pg_attribute', 'pg_attrdef', 'pg_index', 'pg_constraint', 'pg_trigger', 'pg_policy', 'pg_type', 'pg_enum', 'pg_proc', 'pg_rewrite']
  .map((catalog) => `(SELECT count(*) FROM pg_catalog.${catalog}${catalog === 'pg_attribute' ? ' WHERE NOT attisdropped' : ''})`)
  .join(', ')}) AS counts`;

/** `$1`: the first transaction ID of the round trip (32 bits, as xmin). */
const WRITTEN = (table: string, oid: string) => `SELECT ${oid} AS oid FROM pg_catalog.${table} WHERE xmin::text::bigint >= $1`;
const TOUCHED = `SELECT coalesce(array_agg(DISTINCT oid), '{}') AS oids FROM (
  ${WRITTEN('pg_namespace', 'oid')} UNION ALL ${WRITTEN('pg_extension', 'oid')} UNION ALL ${WRITTEN('pg_class', 'oid')}
  UNION ALL ${WRITTEN('pg_attribute', 'attrelid')} UNION ALL ${WRITTEN('pg_attrdef', 'adrelid')} UNION ALL ${WRITTEN('pg_index', 'indrelid')}
  UNION ALL ${WRITTEN('pg_constraint', 'conrelid')} UNION ALL ${WRITTEN('pg_constraint', 'contypid')} UNION ALL ${WRITTEN('pg_constraint', 'oid')}
  UNION ALL ${WRITTEN('pg_trigger', 'tgrelid')} UNION ALL ${WRITTEN('pg_policy', 'polrelid')} UNION ALL ${WRITTEN('pg_type', 'oid')}
  UNION ALL ${WRITTEN('pg_enum', 'enumtypid')} UNION ALL ${WRITTEN('pg_proc', 'oid')} UNION ALL ${WRITTEN('pg_rewrite', 'ev_class')}
) written`;

/** `$1`: the objects' OIDs. */
const HASH = `SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line), '')) AS hash FROM (
  SELECT 'n ' || n::text AS line FROM pg_catalog.pg_namespace n WHERE n.oid = ANY($1)
  UNION ALL SELECT 'e ' || e::text FROM pg_catalog.pg_extension e WHERE e.oid = ANY($1)
  UNION ALL SELECT 'c ' || concat_ws(' ', c.oid, c.relnamespace, c.relname, c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.reltype, c.relispartition, c.relpartbound) FROM pg_catalog.pg_class c WHERE c.oid = ANY($1)
  UNION ALL SELECT 'a ' || concat_ws(' ', a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated, a.atthasdef) FROM pg_catalog.pg_attribute a WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT 'd ' || d::text FROM pg_catalog.pg_attrdef d WHERE d.adrelid = ANY($1)
  UNION ALL SELECT 'i ' || i::text FROM pg_catalog.pg_index i WHERE i.indrelid = ANY($1) OR i.indexrelid = ANY($1)
  UNION ALL SELECT 'k ' || k::text FROM pg_catalog.pg_constraint k WHERE k.conrelid = ANY($1) OR k.contypid = ANY($1) OR k.oid = ANY($1)
  UNION ALL SELECT 't ' || t::text FROM pg_catalog.pg_trigger t WHERE t.tgrelid = ANY($1)
  UNION ALL SELECT 'p ' || p::text FROM pg_catalog.pg_policy p WHERE p.polrelid = ANY($1)
  UNION ALL SELECT 'y ' || concat_ws(' ', t.oid, t.typnamespace, t.typname, t.typtype, t.typbasetype, t.typtypmod, t.typnotnull, t.typdefault) FROM pg_catalog.pg_type t WHERE t.oid = ANY($1) OR t.typrelid = ANY($1)
  UNION ALL SELECT 'l ' || concat_ws(' ', e.enumtypid, e.enumsortorder, e.enumlabel) FROM pg_catalog.pg_enum e WHERE e.enumtypid = ANY($1)
  UNION ALL SELECT 'f ' || f::text FROM pg_catalog.pg_proc f WHERE f.oid = ANY($1)
  UNION ALL SELECT 'r ' || concat_ws(' ', r.ev_class, r.rulename, r.ev_action) FROM pg_catalog.pg_rewrite r WHERE r.ev_class = ANY($1)
) lines`;

/** The state before UP, taken at the start of the round trip's transaction. */
export interface RoundTripStart {
  xid: number;
  counts: string;
}

export async function roundTripStart(target: Target): Promise<RoundTripStart> {
  const [row] = await target.query<{ xid: string; counts: string }>(`SELECT (txid_current() % 4294967296)::text AS xid, (${COUNTS}) AS counts`);
  return { xid: Number(row.xid), counts: row.counts };
}

/** What the round trip wrote, read after DOWN: compare `sameAsAfterDown` with it before UP. */
export interface AfterDown {
  counts: string;
  oids: number[];
  hash: string;
}

export async function afterDown(target: Target, start: RoundTripStart): Promise<AfterDown> {
  const [row] = await target.query<{ oids: number[]; counts: string }>(`SELECT (${TOUCHED}) AS oids, (${COUNTS}) AS counts`, [start.xid]);
  return { counts: row.counts, oids: row.oids, hash: await hash(target, row.oids) };
}

/** Run before UP (rolled back to): the schema then equals the one after DOWN, as far as the catalog rows tell. */
export async function sameAsAfterDown(target: Target, start: RoundTripStart, after: AfterDown): Promise<boolean> {
  return start.counts === after.counts && (after.oids.length === 0 || (await hash(target, after.oids)) === after.hash);
}

async function hash(target: Target, oids: number[]): Promise<string> {
  const [row] = await target.query<{ hash: string }>(HASH, [oids]);
  return row.hash;
}
