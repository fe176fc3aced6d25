/** What most runners record: one row per applied migration, keyed by the version in its name. */
import { sameVersion } from '../../migration/names';
import type { FolderMigration } from '../../migration/model';
import type { RunnerRecord } from './types';

/** The applied record of the migration's version (diesel writes `2019-02-26-002946` as `20190226002946`). */
export function recordOfVersion(records: readonly RunnerRecord[], migration: FolderMigration): RunnerRecord | undefined {
  if (migration.version === '') return undefined;
  const digits = migration.version.replace(/-/g, '');
  return records.find((r) => r.state === 'applied' && (sameVersion(r.key, migration.version) || r.key === digits));
}

export function dateOf(value: unknown): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(typeof value === 'number' || /^\d+$/.test(String(value)) ? Number(value) : String(value));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
