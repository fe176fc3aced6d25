/**
 * goose: `goose_db_version (id, version_id bigint, is_applied boolean, tstamp)`, a row per apply;
 * goose v2 recorded a rollback as a row with is_applied false, v3 deletes the row. The latest row
 * of a version says whether it is applied. Version 0 is goose's own first row.
 */
import { recordOfVersion, dateOf } from './by-version';
import type { RunnerRecord, RunnerTableFormat } from './types';

export const goose: RunnerTableFormat = {
  runner: 'goose',
  table: 'goose_db_version',
  async read(target, table, signal) {
    const rows = await target.query<{ version_id: string; is_applied: boolean; tstamp: unknown }>(`SELECT version_id::text AS version_id, is_applied, tstamp FROM ${table} ORDER BY id`, [], signal);
    const latest = new Map<string, RunnerRecord>();
    for (const r of rows) {
      if (r.version_id === '0') continue;
      latest.delete(r.version_id);
      if (r.is_applied) latest.set(r.version_id, { key: r.version_id, appliedAt: dateOf(r.tstamp), state: 'applied' });
    }
    return [...latest.values()];
  },
  recordOf: recordOfVersion,
};
