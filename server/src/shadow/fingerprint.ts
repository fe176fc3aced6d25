/**
 * A cheap test of "the schema is as it was": one hash over the catalog rows the schema snapshot
 * (database/schema.ts) reads. Equal hashes mean equal snapshots, so the round trip takes the two
 * full snapshots only when the hashes differ (a real difference, or an object dropped and made
 * again under a new OID). Counters that change without a schema change (`relnatts` after a
 * dropped column, `relfilenode` after a rewrite) are left out.
 */
import type { Target } from '../database/target';

const USER = `nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'`;
const USER_NS = (column: string) => `${column} IN (SELECT oid FROM pg_namespace WHERE ${USER})`;
const USER_REL = (column: string) => `${column} IN (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER})`;

const FINGERPRINT = `SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line), '')) AS hash FROM (
  SELECT 'n ' || oid || ' ' || nspname AS line FROM pg_namespace WHERE ${USER}
  UNION ALL SELECT 'e ' || e::text FROM pg_extension e
  UNION ALL SELECT 'c ' || concat_ws(' ', c.oid, c.relnamespace, c.relname, c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.reltype, c.relispartition, c.relpartbound) FROM pg_class c WHERE ${USER_NS('c.relnamespace')}
  UNION ALL SELECT 'a ' || concat_ws(' ', a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated, a.atthasdef) FROM pg_attribute a WHERE a.attnum > 0 AND NOT a.attisdropped AND ${USER_REL('a.attrelid')}
  UNION ALL SELECT 'd ' || d::text FROM pg_attrdef d WHERE ${USER_REL('d.adrelid')}
  UNION ALL SELECT 'i ' || i::text FROM pg_index i WHERE ${USER_REL('i.indrelid')}
  UNION ALL SELECT 'k ' || k::text FROM pg_constraint k WHERE ${USER_NS('k.connamespace')}
  UNION ALL SELECT 't ' || t::text FROM pg_trigger t WHERE NOT t.tgisinternal AND ${USER_REL('t.tgrelid')}
  UNION ALL SELECT 'p ' || p::text FROM pg_policy p WHERE ${USER_REL('p.polrelid')}
  UNION ALL SELECT 'y ' || concat_ws(' ', t.oid, t.typnamespace, t.typname, t.typtype, t.typbasetype, t.typtypmod, t.typnotnull, t.typdefault) FROM pg_type t WHERE ${USER_NS('t.typnamespace')}
  UNION ALL SELECT 'l ' || concat_ws(' ', e.enumtypid, e.enumsortorder, e.enumlabel) FROM pg_enum e
  UNION ALL SELECT 'f ' || f::text FROM pg_proc f WHERE ${USER_NS('f.pronamespace')}
  UNION ALL SELECT 'r ' || concat_ws(' ', r.ev_class, r.rulename, r.ev_action) FROM pg_rewrite r WHERE ${USER_REL('r.ev_class')}
) lines`;

export async function fingerprint(target: Target): Promise<string> {
  const rows = await target.query<{ hash: string }>(FINGERPRINT);
  return rows[0]?.hash ?? '';
}
