/**
 * golang-migrate: `schema_migrations (version bigint PRIMARY KEY, dirty boolean)` holds one row,
 * the current version: every migration up to it is applied, except the current one when dirty
 * (it failed half way; golang-migrate refuses to go on until `force`).
 */
import { compareVersions } from '../../migration/names';
import type { RunnerTableFormat } from './types';

export const golangMigrate: RunnerTableFormat = {
  runner: 'golang-migrate',
  table: 'schema_migrations',
  hasColumns: (columns) => columns.has('version') && columns.has('dirty'),
  async read(target, table, signal) {
    const rows = await target.query<{ version: string; dirty: boolean }>(`SELECT version::text AS version, dirty FROM ${table}`, [], signal);
    return rows.map((r) => ({ key: r.version, state: r.dirty ? ('dirty' as const) : ('applied' as const) }));
  },
  recordOf(records, migration) {
    const current = records[0];
    if (!current || migration.version === '' || !/^\d+$/.test(migration.version)) return undefined;
    const order = compareVersions(migration.version, current.key);
    return order < 0 || (order === 0 && current.state === 'applied') ? current : undefined;
  },
};
