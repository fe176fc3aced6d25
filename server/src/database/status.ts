/**
 * Which migrations of a folder are applied on a target, which are pending, and which changed
 * since they were applied (their UP statements' checksum differs from the recorded one).
 */
import { relative } from 'node:path';
import type { Config } from '../config/config';
import { readMigrationFolder } from '../migration/folder';
import { readMigration } from '../migration/migration';
import { literal } from './execute';
import { readRunnable, TextFileSystem } from './files';
import { checksumOf, HistoryRecord, idOf, MigrationId, readHistory } from './history';
import { label } from './migrate';
import { planMigration, PlanError } from './plan';
import type { Target } from './target';

export interface StatusEntry {
  id: MigrationId;
  /** The UP file (or the single file), relative to the folder. */
  file: string;
  /** 'partial': it ran statement by statement and stopped half way (failed, or the process was killed). */
  state: 'applied' | 'pending' | 'changed' | 'partial';
  /** For 'partial': what ran. */
  partial?: string;
  appliedAt?: Date;
  /** Why the checksum could not be computed (the file does not parse): reported, not guessed. */
  note?: string;
}

export interface StatusReport {
  target: string;
  dir: string;
  /** False when the target has no safemig_migrations table yet. */
  hasHistory: boolean;
  entries: StatusEntry[];
  /** Records of migrations that are not in the folder (renamed, deleted, another folder's). */
  unknown: HistoryRecord[];
}

export async function status(options: { target: Target; fs: TextFileSystem; config: Config; dir: string }): Promise<StatusReport> {
  const { target, fs, config, dir } = options;
  const migrations = readMigrationFolder(dir, fs).filter((m) => !m.repeatable);
  // A session holding the history table must not hang status.
  if (target.kind === 'server') await target.run(`SET lock_timeout = ${literal(config.database.lockTimeout)}`);
  const history = await readHistory(target);
  const records = history ?? [];
  const used = new Set<HistoryRecord>();
  const entries: StatusEntry[] = [];
  for (const m of migrations) {
    const id = idOf(m);
    const file = m.files.up ?? m.files.single ?? m.files.down ?? '';
    const entry: StatusEntry = { id, file: relative(dir, file), state: 'pending' };
    const record = records.find((r) => !used.has(r) && r.version === id.version && r.name === id.name);
    if (record) {
      used.add(record);
      entry.appliedAt = record.appliedAt;
      entry.state = record.partial ? 'partial' : 'applied';
      if (record.partial) entry.partial = record.partial;
      try {
        const checksum = checksumOf(planMigration(readMigration(file, readRunnable(fs, file), fs, { convention: config.convention }), 'up').statements);
        if (checksum !== record.checksum && entry.state === 'applied') entry.state = 'changed';
      } catch (error) {
        if (!(error instanceof PlanError)) throw error;
        entry.note = `checksum not compared: ${error.message}`;
      }
    }
    entries.push(entry);
  }
  return { target: target.describe(), dir, hasHistory: history !== undefined, entries, unknown: records.filter((r) => !used.has(r)) };
}

export function formatStatus(report: StatusReport): string {
  const lines = [`safemig status ${report.dir}`, `  target: ${report.target}`];
  if (!report.hasHistory) lines.push('  no safemig_migrations table on this target: nothing was applied with safemig yet');
  if (report.entries.length === 0) lines.push('  no migrations in this folder');
  const width = Math.max(0, ...report.entries.map((e) => e.file.length));
  for (const e of report.entries) {
    const state = e.state === 'applied'
      ? `applied ${e.appliedAt?.toISOString()}`
      : e.state === 'changed'
        ? `CHANGED since applied ${e.appliedAt?.toISOString()}`
        : e.state === 'partial'
          ? `PARTLY APPLIED ${e.appliedAt?.toISOString()}: ${e.partial}, then it stopped`
          : 'pending';
    lines.push(`  ${e.file.padEnd(width)}  ${state}${e.note ? ` (${e.note})` : ''}`);
  }
  for (const r of report.unknown) lines.push(`  ${label(r)} applied ${r.appliedAt.toISOString()}, but not in this folder`);
  const count = (s: StatusEntry['state']) => report.entries.filter((e) => e.state === s).length;
  lines.push(`  ${count('applied') + count('changed')} applied (${count('changed')} changed since), ${count('partial') ? `${count('partial')} partly applied, ` : ''}${count('pending')} pending${report.unknown.length ? `, ${report.unknown.length} recorded but not in the folder` : ''}`);
  return lines.join('\n') + '\n';
}
