/**
 * `schema_migrations (version varchar(128) PRIMARY KEY)`: dbmate's (and Rails'), a row per
 * applied migration. golang-migrate's table of the same name has a `dirty` column: see
 * golang-migrate.ts.
 */
import { recordOfVersion } from './by-version';
import type { RunnerTableFormat } from './types';

export const schemaMigrations: RunnerTableFormat = {
  runner: 'dbmate',
  table: 'schema_migrations',
  hasColumns: (columns) => columns.has('version') && !columns.has('dirty'),
  async read(target, table, signal) {
    const rows = await target.query<{ version: string }>(`SELECT version::text AS version FROM ${table} ORDER BY version`, [], signal);
    return rows.map((r) => ({ key: r.version, state: 'applied' as const }));
  },
  recordOf: recordOfVersion,
};
