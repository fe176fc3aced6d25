/**
 * Flyway: `flyway_schema_history (installed_rank, version, description, type, script, checksum,
 * installed_by, installed_on, execution_time, success)`. A versioned migration is applied when
 * its latest row succeeded and is not an undo (`UNDO_SQL`) or a deletion (`DELETE`); a BASELINE
 * row stands for every version up to its own. A repeatable one (`R__x.sql`, no version) is
 * applied while its file still has the checksum of its latest successful row: Flyway runs it
 * again whenever that changes.
 */
import { compareVersions } from '../../migration/names';
import { dateOf, recordOfVersion } from './by-version';
import type { RunnerRecord, RunnerTableFormat } from './types';

export const flyway: RunnerTableFormat = {
  runner: 'Flyway',
  table: 'flyway_schema_history',
  async read(target, table, signal) {
    const rows = await target.query<{ version: string | null; description: string; type: string; checksum: number | null; success: boolean; installed_on: unknown }>(
      `SELECT version, description, type, checksum, success, installed_on FROM ${table} ORDER BY installed_rank`,
      [],
      signal,
    );
    const latest = new Map<string, RunnerRecord>();
    for (const r of rows) {
      if (r.version === null) {
        // A repeatable: its failed run leaves its previous successful one standing; `repair`
        // marks a missing one deleted.
        const key = repeatableKey(r.description);
        if (r.type === 'DELETE') latest.delete(key);
        else if (r.success) latest.set(key, { key, appliedAt: dateOf(r.installed_on), state: 'applied', checksum: String(r.checksum) });
        continue;
      }
      latest.delete(r.version);
      if (/^UNDO|^DELETE$/.test(r.type)) continue;
      const key = r.type === 'BASELINE' ? `<=${r.version}` : r.version;
      latest.set(key, { key, appliedAt: dateOf(r.installed_on), state: r.success ? 'applied' : 'failed' });
    }
    return [...latest.values()];
  },
  recordOf(records, migration) {
    if (migration.repeatable) return records.find((r) => r.key === repeatableKey(migration.description));
    const own = recordOfVersion(records, migration);
    if (own || migration.version === '') return own;
    return records.find((r) => r.key.startsWith('<=') && compareVersions(migration.version.replace(/_/g, '.'), r.key.slice(2).replace(/_/g, '.')) <= 0);
  },
  checksumOf: flywayChecksum,
};

/** Flyway writes `R__refresh_views.sql` as the description "refresh views". */
function repeatableKey(description: string): string {
  return `R__${description.replace(/_/g, ' ')}`;
}

/**
 * Flyway's checksum of a SQL file: CRC-32 of its lines' UTF-8 bytes without their line breaks
 * (a first-line BOM dropped), as a signed 32-bit integer: line endings do not change it.
 */
export function flywayChecksum(text: string): string {
  const bytes = Buffer.from(text.replace(/^\uFEFF/, '').replace(/\r\n?|\n/g, ''), 'utf8');
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ byte) & 0xff];
  return String((crc ^ 0xffffffff) | 0);
}

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
