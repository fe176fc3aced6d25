/**
 * Flyway: `flyway_schema_history (installed_rank, version, description, type, script, checksum,
 * installed_by, installed_on, execution_time, success)`. A versioned migration is applied when
 * its latest row succeeded and is not an undo (`UNDO_SQL`) or a deletion (`DELETE`); a BASELINE
 * row stands for every version up to its own.
 */
import { compareVersions } from '../../migration/names';
import { dateOf, recordOfVersion } from './by-version';
import type { RunnerRecord, RunnerTableFormat } from './types';

export const flyway: RunnerTableFormat = {
  runner: 'Flyway',
  table: 'flyway_schema_history',
  async read(target, table, signal) {
    const rows = await target.query<{ version: string; type: string; success: boolean; installed_on: unknown }>(
      `SELECT version, type, success, installed_on FROM ${table} WHERE version IS NOT NULL ORDER BY installed_rank`,
      [],
      signal,
    );
    const latest = new Map<string, RunnerRecord>();
    for (const r of rows) {
      latest.delete(r.version);
      if (/^UNDO|^DELETE$/.test(r.type)) continue;
      const key = r.type === 'BASELINE' ? `<=${r.version}` : r.version;
      latest.set(key, { key, appliedAt: dateOf(r.installed_on), state: r.success ? 'applied' : 'failed' });
    }
    return [...latest.values()];
  },
  recordOf(records, migration) {
    const own = recordOfVersion(records, migration);
    if (own || migration.version === '') return own;
    return records.find((r) => r.key.startsWith('<=') && compareVersions(migration.version.replace(/_/g, '.'), r.key.slice(2).replace(/_/g, '.')) <= 0);
  },
};
