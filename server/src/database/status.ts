/**
 * Which migrations of a folder are applied on a target, which are pending, and which changed
 * since they were applied (their UP statements' checksum differs from the recorded one). A
 * repeatable migration (Flyway's `R__x.sql`) that changed is one `up` runs again.
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
import { readRunnerHistory, RunnerRecord } from './runner-history';
import type { Target } from './target';

export interface StatusEntry {
  id: MigrationId;
  /** The UP file (or the single file), relative to the folder. */
  file: string;
  /** 'partial': it ran statement by statement and stopped half way (failed, or the process was killed). */
  state: 'applied' | 'pending' | 'changed' | 'partial';
  /** A repeatable migration: run again by `up` when it changed. */
  repeatable?: boolean;
  /** For 'partial': what ran. */
  partial?: string;
  appliedAt?: Date;
  /** Why the checksum could not be computed (the file does not parse): reported, not guessed. */
  note?: string;
  /**
   * Applied by the team's runner, by its own history table ("applied by goose at …"): state
   * 'applied' although safemig has no record of it, so `up` does not apply it again.
   */
  runner?: string;
}

export interface StatusReport {
  target: string;
  dir: string;
  /** False when the target has no safemig_migrations table yet. */
  hasHistory: boolean;
  entries: StatusEntry[];
  /** Records of migrations that are not in the folder (renamed, deleted, another folder's): applied, but the file is missing. */
  unknown: HistoryRecord[];
  /** The team's runner's history table on the target (read only), and what it recorded. */
  runner?: { runner: string; table: string; records: RunnerRecord[]; unmatched: RunnerRecord[] };
}

/** `signal`: Ctrl-C stops a wait for a session that holds the history table (CancelledError). */
export async function status(options: { target: Target; fs: TextFileSystem; config: Config; dir: string; signal?: AbortSignal }): Promise<StatusReport> {
  const { target, fs, config, dir, signal } = options;
  const migrations = readMigrationFolder(dir, fs);
  // A session holding the history table must not hang status.
  if (target.kind === 'server') await target.run(`SET lock_timeout = ${literal(config.database.lockTimeout)}`);
  const history = await readHistory(target, signal);
  const runner = await readRunnerHistory(target, dir, migrations, fs, signal);
  const records = history ?? [];
  const used = new Set<HistoryRecord>();
  const entries: StatusEntry[] = [];
  for (const m of migrations) {
    const id = idOf(m);
    const file = m.files.up ?? m.files.single ?? m.files.down ?? '';
    const entry: StatusEntry = { id, file: relative(dir, file), state: 'pending', ...(m.repeatable ? { repeatable: true } : {}) };
    const record = records.find((r) => !used.has(r) && r.version === id.version && r.name === id.name);
    if (record) {
      used.add(record);
      entry.appliedAt = record.appliedAt;
      entry.state = record.partial ? 'partial' : 'applied';
      if (record.partial) entry.partial = record.partial;
      try {
        if (fileChecksum(fs, config, file) !== record.checksum && entry.state === 'applied') entry.state = 'changed';
      } catch (error) {
        if (!(error instanceof PlanError)) throw error;
        entry.note = `checksum not compared: ${error.message}`;
      }
    } else {
      const byRunner = runner?.applied(m);
      const changed = runner?.changed(m);
      const unfinished = runner?.unfinished(m);
      if (byRunner) {
        entry.state = 'applied';
        entry.runner = byRunner;
      } else if (changed) {
        entry.state = 'changed';
        entry.runner = changed;
      } else if (unfinished) {
        entry.state = 'partial';
        entry.partial = unfinished;
        entry.runner = unfinished;
      }
    }
    entries.push(entry);
  }
  const report: StatusReport = { target: target.describe(), dir, hasHistory: history !== undefined, entries, unknown: records.filter((r) => !used.has(r)) };
  if (runner) report.runner = { runner: runner.runner, table: runner.table, records: runner.records, unmatched: runner.unmatched(migrations) };
  return report;
}

/** `up` runs it: pending, or a repeatable migration changed since it was applied. */
export function runsOnUp(entry: StatusEntry): boolean {
  return entry.state === 'pending' || (entry.state === 'changed' && !!entry.repeatable);
}

/** The checksum safemig records of a migration file: its UP statements' (PlanError when it cannot be planned). */
export function fileChecksum(fs: TextFileSystem, config: Config, file: string): string {
  return checksumOf(planMigration(readMigration(file, readRunnable(fs, file), fs, { convention: config.convention }), 'up').statements);
}

export function formatStatus(report: StatusReport): string {
  const lines = [`safemig status ${report.dir}`, `  target: ${report.target}`];
  if (!report.hasHistory) lines.push('  no safemig_migrations table on this target: nothing was applied with safemig yet');
  if (report.runner) lines.push(`  ${report.runner.runner}'s history table ${report.runner.table}: ${report.runner.records.length} record${report.runner.records.length === 1 ? '' : 's'} (read only: safemig never writes it)`);
  if (report.entries.length === 0) lines.push('  no migrations in this folder');
  const width = Math.max(0, ...report.entries.map((e) => e.file.length));
  for (const e of report.entries) {
    const state = e.runner
      ? e.state === 'partial' ? `PARTLY APPLIED: ${e.runner}` : e.state === 'changed' ? `CHANGED: ${e.runner}; up runs it again` : e.runner
      : e.state === 'applied'
      ? `applied ${e.appliedAt?.toISOString()}`
      : e.state === 'changed'
        ? `CHANGED since applied ${e.appliedAt?.toISOString()}${e.repeatable ? '; up runs it again' : ''}`
        : e.state === 'partial'
          ? `PARTLY APPLIED ${e.appliedAt?.toISOString()}: ${e.partial}, then it stopped`
          : 'pending';
    lines.push(`  ${e.file.padEnd(width)}  ${state}${e.note ? ` (${e.note})` : ''}`);
  }
  for (const r of report.runner?.unmatched ?? []) {
    lines.push(`  ${r.key} ${r.state === 'applied' ? 'applied' : r.state === 'dirty' ? 'DIRTY (stopped half way)' : 'FAILED'} by ${report.runner?.runner}${r.appliedAt ? ` at ${r.appliedAt.toISOString()}` : ''} (${report.runner?.table}), but its file is missing from this folder`);
  }
  for (const r of report.unknown) lines.push(`  ${label(r)} applied ${r.appliedAt.toISOString()}, but its file is missing from this folder`);
  const count = (s: StatusEntry['state']) => report.entries.filter((e) => e.state === s).length;
  lines.push(`  ${count('applied') + count('changed')} applied (${count('changed')} changed since), ${count('partial') ? `${count('partial')} partly applied, ` : ''}${count('pending')} pending${report.unknown.length ? `, ${report.unknown.length} recorded but not in the folder` : ''}`);
  return lines.join('\n') + '\n';
}
