/**
 * What a team's migration runner does, over safemig's own apply and rollback: `up` applies every
 * pending migration of a folder in the folder's order (each as `apply` runs it: its own
 * transaction, or as its convention says), `down` rolls back the newest applied ones, newest
 * first. Both stop at the first migration that fails, is refused or is cancelled; what ran before
 * it stays applied (or rolled back) and recorded. As Flyway does, `up` then runs each repeatable
 * migration (`R__x.sql`) that is new or changed since it was applied; `down` never undoes one.
 */
import { relative } from 'node:path';
import type { Config } from '../config/config';
import { FolderMigration, readMigrationFolder } from '../migration/folder';
import { sameVersion } from '../migration/names';
import { Progress, silentProgress } from './execute';
import type { TextFileSystem } from './files';
import { applyBlockers, formatBlockers } from './gate';
import { HistoryRecord, idOf, readHistory } from './history';
import { lockMigrations } from './lock';
import { apply, label, MigrateReport, rollback } from './migrate';
import { PlanError } from './plan';
import { readRunnerHistory, RunnerHistory } from './runner-history';
import { fileChecksum } from './status';
import { isCancel, Target } from './target';

export interface RunnerOptions {
  target: Target;
  fs: TextFileSystem;
  config: Config;
  /** The migrations folder (absolute). */
  dir: string;
  /** Aborted: the running statement is cancelled and no further statement or migration runs. */
  signal?: AbortSignal;
  progress?: Progress;
  /** up: apply despite error-severity findings (the gate); down: roll back what `rollback` would refuse. */
  force?: boolean;
}

export interface RunnerReport {
  command: 'up' | 'down';
  dir: string;
  target: string;
  /** What the command meant to run, in order (absolute paths): the pending migrations for up, the ones to roll back for down. */
  planned: string[];
  /** The migrations applied (up) or rolled back (down), in the order they ran. */
  done: MigrateReport[];
  /** The migration that stopped the command and why (nothing of it stays applied unless `stopped.partial` says so). */
  failed?: { file: string; message: string };
  /** The run of the migration that failed or was cancelled, when it started. */
  stopped?: MigrateReport;
  /** Ctrl-C: the command stopped before the next statement; the migration under way was rolled back. */
  cancelled?: boolean;
  /** up: its error-severity findings, when the gate stopped it (`path:line:column rule: message`). */
  blockers?: string[];
  /** What was planned and did not run (after a failure, a refusal or Ctrl-C). */
  notRun: string[];
  /** up: not in safemig's history but recorded as applied by the team's runner: not applied again. */
  skipped: { file: string; reason: string }[];
  /** The team's runner's history table that was read, when the target has one (`goose_db_version`). */
  runnerTable?: string;
}

export function up(options: RunnerOptions & { to?: string }): Promise<RunnerReport> {
  return runLocked('up', options, async (report, all, history, runner) => {
    const migrations = all.filter((m) => !m.repeatable);
    const last = options.to === undefined ? migrations.length - 1 : indexOf(migrations, options.to, options.dir);
    // Repeatables run after every versioned migration: not when up stops at a version.
    const repeatables = options.to === undefined ? all.filter((m) => m.repeatable && !upToDate(m, recordOf(history, m), options)) : [];
    const todo: { m: FolderMigration; partial?: HistoryRecord; unfinished?: string }[] = [];
    for (const m of [...migrations.slice(0, last + 1), ...repeatables]) {
      const record = recordOf(history, m);
      if (record && !record.partial && !m.repeatable) continue;
      const byRunner = record ? undefined : runner?.applied(m);
      if (byRunner) {
        report.skipped.push({ file: fileOf(m), reason: byRunner });
        continue;
      }
      const unfinished = record ? undefined : runner?.unfinished(m);
      todo.push({ m, partial: record?.partial ? record : undefined, unfinished });
    }
    report.planned = todo.map(({ m }) => fileOf(m));
    return todo.map(({ m, partial, unfinished }) => async () => {
      const file = m.files.up ?? m.files.single;
      if (!file) return { file: fileOf(m), message: `${label(idOf(m))} has no UP file` };
      if (unfinished) return { file, message: `${label(idOf(m))}: ${unfinished}; finish or undo it with that runner first` };
      if (partial) {
        return { file, message: `${label(idOf(m))} is partly applied (${partial.partial}, at ${partial.appliedAt.toISOString()}): make its statements re-runnable (IF NOT EXISTS) and apply it again with safemig apply --force, or roll it back` };
      }
      if (!options.force) {
        const blockers = applyBlockers({ fs: options.fs, config: options.config, path: file });
        if (blockers.length > 0) {
          report.blockers = formatBlockers(relative(options.dir, file), blockers);
          return { file, message: `refusing to apply it: ${blockers.length} error-severity finding${blockers.length === 1 ? '' : 's'} (as safemig check reports them); fix ${blockers.length === 1 ? 'it' : 'them'}, or pass --force to apply anyway` };
        }
      }
      return apply({ target: options.target, fs: options.fs, config: options.config, path: file, signal: options.signal, progress: options.progress });
    });
  });
}

export async function down(options: RunnerOptions & { steps?: number; to?: string }): Promise<RunnerReport> {
  if (options.steps !== undefined && options.to !== undefined) throw new PlanError('roll back either --steps N or --to VERSION, not both');
  if (options.steps !== undefined && !(Number.isInteger(options.steps) && options.steps >= 1)) throw new PlanError(`--steps ${options.steps}: a whole number of migrations, 1 or more`);
  return runLocked('down', options, async (report, all, history) => {
    const migrations = all.filter((m) => !m.repeatable);
    const first = options.to === undefined ? 0 : indexOf(migrations, options.to, options.dir) + 1;
    const applied = migrations.map((m, i) => ({ m, i })).filter(({ m, i }) => i >= first && recordOf(history, m) !== undefined).reverse();
    const chosen = options.to === undefined ? applied.slice(0, options.steps ?? 1) : applied;
    report.planned = chosen.map(({ m }) => fileOf(m));
    return chosen.map(({ m }) => () =>
      rollback({ target: options.target, fs: options.fs, config: options.config, path: fileOf(m), signal: options.signal, progress: options.progress, force: options.force }),
    );
  });
}

type Step = () => Promise<MigrateReport | { file: string; message: string }>;

/**
 * Holds the migration lock from reading the histories to the last step, so two `up`s never
 * pick the same pending migration (apply and rollback take the same lock again: PostgreSQL's
 * advisory locks count per session). Runs the steps until one does not complete.
 */
async function runLocked(
  command: 'up' | 'down',
  options: RunnerOptions,
  plan: (report: RunnerReport, migrations: FolderMigration[], history: HistoryRecord[], runner: RunnerHistory | undefined) => Promise<Step[]>,
): Promise<RunnerReport> {
  const { target, fs, config, dir } = options;
  const progress = options.progress ?? silentProgress;
  const report: RunnerReport = { command, dir, target: target.describe(), planned: [], done: [], notRun: [], skipped: [] };
  const migrations = readMigrationFolder(dir, fs);
  progress.log(`safemig ${command} ${dir}`);
  progress.log(`  target: ${report.target}`);
  let unlock: () => Promise<void>;
  try {
    unlock = await lockMigrations(target, { wait: config.database.lockTimeout, progress, signal: options.signal });
  } catch (error) {
    if (!isCancel(error)) throw error;
    report.cancelled = true;
    return report;
  }
  try {
    const history = (await readHistory(target, options.signal)) ?? [];
    const runner = command === 'up' ? await readRunnerHistory(target, dir, migrations, fs, options.signal) : undefined;
    if (runner) report.runnerTable = runner.table;
    const steps = await plan(report, migrations, history, runner);
    progress.log(`  ${steps.length === 0 ? 'nothing to' : `${steps.length} migration${steps.length === 1 ? '' : 's'} to`} ${command === 'up' ? 'apply' : 'roll back'}${report.skipped.length > 0 ? ` (${report.skipped.length} recorded as applied in ${report.runnerTable}, not applied again)` : ''}`);
    for (const [i, step] of steps.entries()) {
      if (options.signal?.aborted) {
        report.cancelled = true;
        report.notRun = report.planned.slice(i);
        break;
      }
      let result: MigrateReport | { file: string; message: string };
      try {
        result = await step();
      } catch (error) {
        if (!(error instanceof PlanError)) throw error;
        result = { file: report.planned[i], message: error.message };
      }
      if ('command' in result && (result.outcome === 'applied' || result.outcome === 'rolled back')) {
        report.done.push(result);
        continue;
      }
      report.notRun = report.planned.slice(i + 1);
      if (!('command' in result)) report.failed = result;
      else {
        report.stopped = result;
        if (result.outcome === 'cancelled') report.cancelled = true;
        else report.failed = { file: result.path, message: result.run?.failure?.message ?? result.outcome };
      }
      break;
    }
  } catch (error) {
    if (!isCancel(error)) throw error;
    report.cancelled = true;
  } finally {
    await unlock();
  }
  return report;
}

/** The summary at the end of `safemig up` / `down`. */
export function formatRunnerReport(report: RunnerReport): string {
  const rel = (file: string) => relative(report.dir, file) || file;
  const verb = report.command === 'up' ? 'applied' : 'rolled back';
  const lines = [`safemig ${report.command} ${report.dir}: ${report.done.length} of ${report.planned.length} migration${report.planned.length === 1 ? '' : 's'} ${verb}${report.cancelled ? ', then cancelled (Ctrl-C)' : report.failed ? ', then stopped' : ''}`];
  lines.push(`  target: ${report.target}`);
  for (const r of report.done) lines.push(`  ${verb}: ${rel(r.path)}`);
  if (report.failed) {
    lines.push(`  FAILED: ${rel(report.failed.file)}: ${report.failed.message}`);
    for (const b of report.blockers ?? []) lines.push(`    ${b}`);
    lines.push(report.stopped?.partial ? `    it ran statement by statement and stopped half way: ${report.stopped.partial}` : `    nothing of it was ${verb}; the ones before it stay ${verb}`);
  } else if (report.cancelled && report.stopped) {
    lines.push(`  cancelled: ${rel(report.stopped.path)}${report.stopped.partial ? ` stopped half way (${report.stopped.partial})` : ', rolled back'}`);
  }
  if (report.notRun.length > 0) lines.push(`  not run: ${report.notRun.map(rel).join(', ')}`);
  if (report.skipped.length > 0) lines.push(`  not applied again (${report.runnerTable}): ${report.skipped.map((s) => `${rel(s.file)} (${s.reason})`).join(', ')}`);
  if (report.planned.length === 0) lines.push(report.command === 'up' ? '  nothing pending: every migration is applied' : '  nothing to roll back: no migration of this folder is recorded as applied by safemig');
  return lines.join('\n') + '\n';
}

/** A repeatable migration applied since its file last changed (a file that cannot be planned is run, and refused there). */
function upToDate(m: FolderMigration, record: HistoryRecord | undefined, options: RunnerOptions): boolean {
  if (!record || record.partial || !m.files.single) return false;
  try {
    return fileChecksum(options.fs, options.config, m.files.single) === record.checksum;
  } catch (error) {
    if (error instanceof PlanError) return false;
    throw error;
  }
}

function recordOf(history: HistoryRecord[], m: FolderMigration): HistoryRecord | undefined {
  return history.find((r) => r.version === m.version && r.name === m.description);
}

function fileOf(m: FolderMigration): string {
  return m.files.single ?? m.files.up ?? m.files.down ?? '';
}

/** The position of the migration `--to` names (its version, or its full name); PlanError when the folder has none. */
function indexOf(migrations: FolderMigration[], to: string, dir: string): number {
  const i = migrations.findIndex((m) => (m.version !== '' && sameVersion(m.version, to)) || label(idOf(m)) === to || (m.version === '' && m.description === to));
  if (i < 0) throw new PlanError(`--to ${to}: no migration of that version in ${dir}`);
  return i;
}
