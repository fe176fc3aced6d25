/** The Supabase CLI: `supabase_migrations.schema_migrations (version text PRIMARY KEY, statements text[], name text)`. */
import { recordOfVersion } from './by-version';
import type { RunnerTableFormat } from './types';

export const supabase: RunnerTableFormat = {
  runner: 'the Supabase CLI',
  table: 'supabase_migrations.schema_migrations',
  async read(target, table, signal) {
    const rows = await target.query<{ version: string }>(`SELECT version FROM ${table} ORDER BY version`, [], signal);
    return rows.map((r) => ({ key: r.version, state: 'applied' as const }));
  },
  recordOf: recordOfVersion,
};
