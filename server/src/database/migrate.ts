/**
 * Apply (UP) and roll back (DOWN) one migration on a target: the statements as planned, the
 * history record with them, and a report of what changed in the schema, read from the catalog
 * before and after.
 */
import type { Config } from '../config/config';
import { readMigration } from '../migration/migration';
import { compareMigrations } from '../migration/folder';
import { checksumOf, FolderPlace, HistoryRecord, idOf, locateInFolder, migrationId, MigrationId, readHistory, recordApplied, removeRecord } from './history';
import { formatMs, Progress, runPlan, RunResult, silentProgress } from './execute';
import { readRunnable, refuseUnreadable, TextFileSystem } from './files';
import { lockMigrations } from './lock';
import { readRunnerHistory } from './runner-history';
import { Direction, Plan, planMigration, PlannedStatement, PlanError } from './plan';
import { diffSnapshots, formatChange, SchemaChange, snapshot } from './schema';
import { isCancel, Target } from './target';

export interface MigrateOptions {
  target: Target;
  fs: TextFileSystem;
  config: Config;
  /** The migration file (absolute). */
  path: string;
  /** Its text (the editor's, or read from `fs`). */
  text?: string;
  signal?: AbortSignal;
  progress?: Progress;
  /** Asked before UP statements that destroy data run (the editor's modal); false: nothing runs. */
  confirmDestructive?: (statements: PlannedStatement[]) => Promise<boolean>;
  /**
   * Apply even though the history says it is applied; roll back even though `rollbackRisk`
   * gives reasons (not applied here, later migrations applied).
   */
  force?: boolean;
}

export interface MigrateReport {
  command: 'apply' | 'rollback';
  direction: Direction;
  target: string;
  path: string;
  id: MigrationId;
  checksum: string;
  plan: Plan;
  /** 'declined': the destructive-statement confirmation said no, nothing ran. */
  outcome: 'applied' | 'rolled back' | 'failed' | 'cancelled' | 'declined';
  run?: RunResult;
  /** Schema changes the run left (read from the catalog before and after). */
  changes: SchemaChange[];
  /** Said before running (earlier migrations pending, no history record…). */
  warnings: string[];
  /** Stopped half way statement by statement: what the history records as run. */
  partial?: string;
}

/** The history says the migration is applied; `force` applies it again. */
export class AlreadyAppliedError extends PlanError {}

export function apply(options: MigrateOptions): Promise<MigrateReport> {
  return migrate('up', options);
}

export function rollback(options: MigrateOptions): Promise<MigrateReport> {
  return migrate('down', options);
}

async function migrate(direction: Direction, options: MigrateOptions): Promise<MigrateReport> {
  const { target, config, path } = options;
  const progress = options.progress ?? silentProgress;
  const { plan, id, place, checksum } = planFor(direction, options);
  const command = direction === 'up' ? 'apply' : 'rollback';
  const report: MigrateReport = { command, direction, target: target.describe(), path, id, checksum, plan, outcome: 'failed', changes: [], warnings: [] };

  progress.log(`safemig ${command} ${path}`);
  progress.log(`  target: ${report.target}`);
  progress.log(`  ${direction === 'up' ? 'UP' : 'DOWN'} part${plan.commentedOut ? ' (written as comments: run uncommented)' : ''}: ${plan.statements.length} statement${plan.statements.length === 1 ? '' : 's'}${plan.files[0].path !== path ? ` from ${plan.files[0].path}` : ''}, ${plan.mode}`);
  for (const note of plan.notes) progress.log(`  note: ${note}`);

  let unlock: () => Promise<void>;
  try {
    unlock = await lockMigrations(target, { wait: config.database.lockTimeout, progress, signal: options.signal });
  } catch (error) {
    if (!isCancel(error)) throw error;
    report.outcome = 'cancelled';
    progress.log('  cancelled while waiting: nothing ran');
    return report;
  }
  try {
    return await migrateLocked(direction, options, report, place);
  } catch (error) {
    // Ctrl-C while reading the history (another session holds its table): nothing ran.
    if (!isCancel(error)) throw error;
    report.outcome = 'cancelled';
    progress.log('  cancelled while waiting: nothing ran');
    return report;
  } finally {
    await unlock();
  }
}

async function migrateLocked(direction: Direction, options: MigrateOptions, report: MigrateReport, place: FolderPlace | undefined): Promise<MigrateReport> {
  const { target, config } = options;
  const progress = options.progress ?? silentProgress;
  const { plan, id, checksum } = report;
  const history = await readHistory(target, options.signal);
  const record = history?.find((r) => r.version === id.version && r.name === id.name);
  if (direction === 'up') {
    if (record?.partial && !options.force) {
      throw new AlreadyAppliedError(`${label(id)} is partly applied on ${report.target} (${record.partial}, at ${record.appliedAt.toISOString()}): make its statements re-runnable (IF NOT EXISTS) and apply it again with --force, or roll it back with --force`);
    }
    // A repeatable migration (Flyway's R__x.sql) is run again once its file changed.
    const rerun = place?.entry.repeatable && record && record.checksum !== checksum;
    if (record && !options.force && !rerun) {
      const same = record.checksum === checksum ? 'unchanged since' : 'changed since';
      throw new AlreadyAppliedError(`${label(id)} is already applied on ${report.target} (at ${record.appliedAt.toISOString()}; the file is ${same}): roll it back first, or apply it again with --force`);
    }
    // The team's runner's own history (goose_db_version, …): what it applied is applied.
    const runner = place ? await readRunnerHistory(target, place.dir, place.migrations, options.fs, options.signal) : undefined;
    const byRunner = !record && place ? runner?.applied(place.entry) : undefined;
    if (byRunner && !options.force) {
      throw new AlreadyAppliedError(`${label(id)} is already applied on ${report.target}: ${byRunner} (${runner?.table}): apply it again with --force`);
    }
    if (place) {
      const applied = appliedSet(history);
      const pending = place.migrations.filter((m) => !m.repeatable && compareMigrations(m, place.entry) < 0 && !applied.has(`${m.version}\0${m.description}`) && !runner?.applied(m));
      if (pending.length > 0) {
        report.warnings.push(`${pending.length} earlier migration${pending.length === 1 ? ' is' : 's are'} not recorded as applied on this target: ${pending.slice(0, 5).map((m) => label(idOf(m))).join(', ')}${pending.length > 5 ? ', …' : ''} (see safemig status)`);
      }
    }
  } else {
    const risk = riskOf(plan, id, history, place, report.target);
    if (risk.reasons.length > 0) {
      if (!options.force) throw new RollbackRefused(`refusing to roll back ${label(id)}: ${formatRollbackRisk(risk)}; pass --force to run it anyway`);
      report.warnings.push(...risk.reasons.map((r) => `${r} (--force: running its DOWN part anyway)`));
    }
  }
  for (const warning of report.warnings) progress.log(`  warning: ${warning}`);

  const destructive = plan.statements.filter((s) => s.destructive);
  if (direction === 'up' && destructive.length > 0 && options.confirmDestructive && !(await options.confirmDestructive(destructive))) {
    report.outcome = 'declined';
    progress.log('  not run: the destructive statements were not confirmed');
    return report;
  }

  if (direction === 'up') await dropInvalidIndexes(target, plan, progress);
  const before = await snapshot(target);
  const started = performance.now();
  const finish = direction === 'up'
    ? () => recordApplied(target, id, checksum, performance.now() - started)
    : async () => void (await removeRecord(target, id));
  // Statement by statement, what ran is in the history as it goes: a process killed half way leaves "partly applied", not "pending".
  const tracked = direction === 'up' && !plan.transaction;
  const total = plan.statements.length;
  if (tracked) await recordApplied(target, id, checksum, 0, `started; no statement had completed`);
  const run = await runPlan(target, plan, {
    signal: options.signal,
    timeouts: { lockTimeout: config.database.lockTimeout, statementTimeout: config.database.statementTimeout },
    progress,
    finish,
    committed: tracked
      ? (outcome, i) => recordApplied(target, id, checksum, performance.now() - started, `${i + 1} of ${total} statement${total === 1 ? '' : 's'} ran (the last: line ${outcome.line + 1})`)
      : undefined,
  });
  if (tracked && !run.ok) {
    if (run.outcomes.some((o) => o.status === 'ok')) report.partial = (await readHistory(target))?.find((r) => r.version === id.version && r.name === id.name)?.partial;
    else await removeRecord(target, id);
  }
  report.run = run;
  report.outcome = run.ok ? (direction === 'up' ? 'applied' : 'rolled back') : run.cancelled ? 'cancelled' : 'failed';
  report.changes = diffSnapshots(before, await snapshot(target));
  for (const line of summaryLines(report)) progress.log(line);
  return report;
}

/**
 * An INVALID index of a name this migration builds CONCURRENTLY was left by a failed build: it
 * is dropped first, so the build runs again (instead of failing on "already exists", or being
 * skipped by IF NOT EXISTS and staying INVALID for ever).
 */
async function dropInvalidIndexes(target: Target, plan: Plan, progress: Progress): Promise<void> {
  for (const statement of plan.statements) {
    if (!statement.concurrentIndex) continue;
    const [schema, name] = statement.concurrentIndex.includes('.') ? statement.concurrentIndex.split('.') : [null, statement.concurrentIndex];
    const invalid = await target.query<{ qualified: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS qualified
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE NOT i.indisvalid AND c.relname = $1 AND (CASE WHEN $2::text IS NULL THEN pg_table_is_visible(c.oid) ELSE n.nspname = $2 END)`,
      [name, schema],
    );
    for (const { qualified } of invalid) {
      progress.log(`  index ${qualified} is INVALID (a failed CREATE INDEX CONCURRENTLY left it): dropping it so that line ${statement.line + 1} builds it again`);
      await target.run(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified}`);
    }
  }
}

/** The file read as check reads it, its plan, its identity in the history and its checksum. */
function planFor(direction: Direction, options: Pick<MigrateOptions, 'fs' | 'config' | 'path' | 'text'>) {
  const { fs, config, path } = options;
  const text = options.text ?? readRunnable(fs, path);
  const migration = readMigration(path, text, fs, { convention: config.convention });
  const plan = planMigration(migration, direction);
  // A twin (the DOWN file of an UP file, …) was read by the migration: refused as check would.
  refuseUnreadable(fs, plan, path);
  const place = locateInFolder(path, fs);
  const id = migrationId(migration, place);
  // The checksum is always of the UP statements: what `status` compares.
  const checksum = checksumOf(direction === 'up' ? plan.statements : safeUpStatements(migration));
  return { plan, id, place, checksum };
}

function appliedSet(history: HistoryRecord[] | undefined): Set<string> {
  return new Set((history ?? []).map((r) => `${r.version}\0${r.name}`));
}

/** A rollback that may destroy what it should not: it needs `--force` (CLI) or the user's consent (editor). */
export class RollbackRefused extends PlanError {}

export interface RollbackRisk {
  /** Why the DOWN part must not run unasked; empty when it may (the newest applied migration). */
  reasons: string[];
  /** What the DOWN part destroys ("DROP TABLE public.users", "DROP COLUMN users.nick"): for the question. */
  drops: string[];
}

/**
 * Whether rolling back this migration needs consent, and why: it is not recorded as applied on
 * the target (its DOWN part would drop what exists for other reasons), or later migrations of its
 * folder are applied (they may depend on what it drops). The editor asks with this before
 * calling `rollback({ …, force: true })`; the CLI refuses without `--force`.
 */
export async function rollbackRisk(options: Pick<MigrateOptions, 'target' | 'fs' | 'config' | 'path' | 'text'>): Promise<RollbackRisk> {
  const { plan, id, place } = planFor('down', options);
  return riskOf(plan, id, await readHistory(options.target), place, options.target.describe());
}

function riskOf(plan: Plan, id: MigrationId, history: HistoryRecord[] | undefined, place: FolderPlace | undefined, target: string): RollbackRisk {
  const reasons: string[] = [];
  const applied = appliedSet(history);
  if (!applied.has(`${id.version}\0${id.name}`)) reasons.push(`${label(id)} is not recorded as applied on ${target} (never applied with safemig here)`);
  if (place) {
    const later = place.migrations.filter((m) => !m.repeatable && compareMigrations(m, place.entry) > 0 && applied.has(`${m.version}\0${m.description}`));
    if (later.length > 0) reasons.push(`later migration${later.length === 1 ? ' is' : 's are'} applied after it: ${later.map((m) => label(idOf(m))).join(', ')} (roll ${later.length === 1 ? 'it' : 'them'} back first, newest first)`);
  }
  const drops = plan.statements.flatMap((s) => (s.destructive ? [s.destructive] : []));
  return { reasons, drops };
}

/** The reasons and what would be dropped, in one sentence. */
export function formatRollbackRisk(risk: RollbackRisk): string {
  const drops = risk.drops.length > 0 ? `its DOWN part would run ${risk.drops.join(', ')}` : 'its DOWN part drops no table, column or schema';
  return `${risk.reasons.join('; ')}; ${drops}`;
}

/** The UP statements of a migration for its checksum, when rolling back (none when its UP cannot be read). */
function safeUpStatements(migration: Parameters<typeof planMigration>[0]): PlannedStatement[] {
  try {
    return planMigration(migration, 'up').statements;
  } catch {
    return [];
  }
}

export function label(id: MigrationId): string {
  return id.version && id.name ? `${id.version}_${id.name}` : id.version || id.name;
}

/** The end of the log: what ran and what did not, the error, the schema report, the history. */
export function summaryLines(report: MigrateReport): string[] {
  const lines: string[] = [];
  const run = report.run;
  if (!run) return lines;
  const part = report.direction === 'up' ? 'UP' : 'DOWN';
  const count = (status: string) => run.outcomes.filter((o) => o.status === status);
  const numbers = (list: { number: number; line: number }[]) => list.map((o) => `${o.number} (line ${o.line + 1})`).join(', ');
  if (run.failure) {
    const f = run.failure;
    lines.push(`  error${f.code ? ` ${f.code}` : ''}: ${f.message}`);
    if (f.detail) lines.push(`    detail: ${f.detail}`);
    if (f.hint) lines.push(`    hint: ${f.hint}`);
    if (f.where) lines.push(`    where: ${f.where}`);
    lines.push(`    at ${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`);
  }
  if (run.ok) {
    lines.push(`  ${report.outcome}: ${run.outcomes.length} statement${run.outcomes.length === 1 ? '' : 's'} of the ${part} part in ${formatMs(run.ms)}${run.transaction ? ', committed in one transaction' : ''}`);
    lines.push(report.direction === 'up' ? `  history: recorded ${label(report.id)} in safemig_migrations` : `  history: removed ${label(report.id)} from safemig_migrations`);
  } else {
    const what = run.cancelled ? 'cancelled' : 'failed';
    const kept = count('ok');
    const undone = count('rolled back');
    const failed = count('failed');
    const notRun = count('not run');
    const outcome = run.transaction
      ? 'the transaction was rolled back, nothing of it was applied'
      : kept.length > 0
        ? `ran statement by statement: ${kept.length === 1 ? 'the statement committed before it stopped stays' : `the ${kept.length} statements committed before it stopped stay`} applied`
        : report.changes.length > 0
          ? 'no statement completed, but the failed one left behind what is listed below'
          : 'nothing was applied';
    lines.push(`  ${what}: ${outcome}`);
    if (kept.length > 0) lines.push(`    ran and committed: ${numbers(kept)}`);
    if (undone.length > 0) lines.push(`    ran, then rolled back: ${numbers(undone)}`);
    if (failed.length > 0) lines.push(`    failed: ${numbers(failed)}`);
    if (notRun.length > 0) lines.push(`    not run: ${numbers(notRun)}`);
    lines.push(report.partial ? `  history: ${label(report.id)} recorded as partly applied (${report.partial})` : '  history: unchanged');
  }
  if (report.changes.length === 0) lines.push(run.ok ? '  schema: no change to tables, columns, indexes, constraints or other objects' : '  schema: unchanged (nothing left behind)');
  else {
    lines.push(`  schema changes${run.ok ? '' : ' left behind'}:`);
    for (const change of report.changes) lines.push(`    ${formatChange(change)}`);
  }
  return lines;
}
