/** Runners of JavaScript projects record a migration by its file name (with or without the extension). */
import type { FolderMigration } from '../../migration/model';
import { splitPath } from '../../migration/names';
import type { RunnerRecord } from './types';

export function recordOfFileName(records: readonly RunnerRecord[], migration: FolderMigration, withExtension: boolean): RunnerRecord | undefined {
  const path = migration.files.single ?? migration.files.up;
  if (!path) return undefined;
  const base = splitPath(path).base;
  const name = withExtension ? base : base.replace(/\.[^.]+$/, '');
  return records.find((r) => r.state === 'applied' && r.key === name);
}
