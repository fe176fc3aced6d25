/**
 * drizzle-kit: `drizzle.__drizzle_migrations (id serial, hash text, created_at bigint)`. A row
 * holds no name: `created_at` is the `when` of the migration's entry in `meta/_journal.json`, and
 * drizzle's migrator runs the entries whose `when` is later than the last row's. So does this.
 */
import { joinPath, splitPath } from '../../migration/names';
import { dateOf } from './by-version';
import type { RunnerTableFormat } from './types';

export const drizzle: RunnerTableFormat = {
  runner: 'drizzle-kit',
  table: 'drizzle.__drizzle_migrations',
  async read(target, table, signal) {
    const rows = await target.query<{ created_at: string }>(`SELECT created_at::text AS created_at FROM ${table} WHERE created_at IS NOT NULL ORDER BY created_at`, [], signal);
    return rows.map((r) => ({ key: r.created_at, appliedAt: dateOf(r.created_at), state: 'applied' as const }));
  },
  recordOf(records, migration, { dir, fs }) {
    const last = records[records.length - 1];
    const path = migration.files.single ?? migration.files.up;
    if (!last || !path) return undefined;
    const when = journalWhen(fs.readFile(joinPath(dir, 'meta', '_journal.json')), splitPath(path).base.replace(/\.sql$/i, ''));
    return when !== undefined && when <= Number(last.key) ? last : undefined;
  },
};

function journalWhen(journal: string | undefined, tag: string): number | undefined {
  if (journal === undefined) return undefined;
  try {
    const entries = (JSON.parse(journal) as { entries?: { tag?: unknown; when?: unknown }[] }).entries ?? [];
    const entry = entries.find((e) => e.tag === tag);
    return typeof entry?.when === 'number' ? entry.when : undefined;
  } catch {
    return undefined;
  }
}
