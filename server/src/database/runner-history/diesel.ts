/** diesel: `__diesel_schema_migrations (version varchar(50) PRIMARY KEY, run_on timestamp)`; the version without its dashes. */
import { dateOf, recordOfVersion } from './by-version';
import type { RunnerTableFormat } from './types';

export const diesel: RunnerTableFormat = {
  runner: 'diesel',
  table: '__diesel_schema_migrations',
  async read(target, table, signal) {
    const rows = await target.query<{ version: string; run_on: unknown }>(`SELECT version, run_on FROM ${table} ORDER BY version`, [], signal);
    return rows.map((r) => ({ key: r.version, appliedAt: dateOf(r.run_on), state: 'applied' as const }));
  },
  recordOf: recordOfVersion,
};
