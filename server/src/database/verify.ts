/**
 * The round trip, on a throwaway database: the folder's earlier migrations first (in run order),
 * then UP, DOWN (the schema must be as before UP), UP again (as after the first UP), and UP once
 * more to tell whether UP can run twice.
 */
import { basename } from 'node:path';
import type { Config } from '../config/config';
import { applyBaseline, BaselineFile } from '../shadow/baseline';
import { compareMigrations } from '../migration/folder';
import { readMigration } from '../migration/migration';
import { formatMs, Progress, RunFailure, runPlan, RunResult, silentProgress, Timeouts } from './execute';
import { readRunnable, refuseUnreadable, TextFileSystem } from './files';
import { idOf, locateInFolder } from './history';
import { label } from './migrate';
import { planMigration, PlanError } from './plan';
import { diffSnapshots, formatChange, SchemaChange, Snapshot, snapshot } from './schema';
import type { Target } from './target';

export interface VerifyOptions {
  fs: TextFileSystem;
  config: Config;
  path: string;
  text?: string;
  /** A fresh, empty database, closed (and discarded) at the end. */
  openThrowaway: () => Promise<Target>;
  /** The configured baseline (`readBaseline`): applied first, so a migration may alter tables the folder does not create. */
  baseline?: BaselineFile[];
  signal?: AbortSignal;
  progress?: Progress;
}

export interface VerifyStep {
  name: 'prepare' | 'up' | 'down' | 'up again' | 'up twice';
  ok: boolean;
  /** What the step found, one line each. */
  lines: string[];
  run?: RunResult;
  changes?: SchemaChange[];
}

export interface VerifyReport {
  target: string;
  path: string;
  steps: VerifyStep[];
  /** What DOWN does not undo, what UP does differently after DOWN. */
  differences: string[];
  /** UP ran a second time without error; undefined when not tried. */
  idempotent?: boolean;
  /** Every step ran and no difference was found. */
  ok: boolean;
  cancelled: boolean;
  /** The failure of the first failing step (for the editor's diagnostic). */
  failure?: RunFailure;
}

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const { fs, config, path } = options;
  const progress = options.progress ?? silentProgress;
  const text = options.text ?? readRunnable(fs, path);
  const migration = readMigration(path, text, fs, { convention: config.convention });
  const up = planMigration(migration, 'up');
  refuseUnreadable(fs, up, path);
  let down: ReturnType<typeof planMigration> | undefined;
  let noDown: string | undefined;
  try {
    down = planMigration(migration, 'down');
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    noDown = error.message;
  }
  if (down) refuseUnreadable(fs, down, path);
  const timeouts: Timeouts = { lockTimeout: config.database.lockTimeout, statementTimeout: config.database.statementTimeout };
  const place = locateInFolder(path, fs);
  const baseline = options.baseline ?? [];
  const isBaseline = (file: string | undefined) => baseline.some((b) => b.path === file);
  const earlier = place ? place.migrations.filter((m) => !m.repeatable && compareMigrations(m, place.entry) < 0 && !isBaseline(m.files.up ?? m.files.single)) : [];

  progress.log(`safemig verify ${path}`);
  const target = await options.openThrowaway();
  const report: VerifyReport = { target: target.describe(), path, steps: [], differences: [], ok: false, cancelled: false };
  progress.log(`  target: ${report.target}`);
  const stepRun = async (name: VerifyStep['name'], title: string, plan: typeof up, quiet = false): Promise<VerifyStep> => {
    progress.log(`  ${title}`);
    progress.step?.(title, report.steps.length, 5);
    const run = await runPlan(target, plan, { signal: options.signal, timeouts, progress: quiet ? silentProgress : indent(progress) });
    const step: VerifyStep = { name, ok: run.ok, lines: [], run };
    if (run.cancelled) report.cancelled = true;
    if (run.failure) {
      const f = run.failure;
      step.lines.push(`fails at ${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.message}${f.detail ? ` (${f.detail})` : ''}${f.hint ? ` hint: ${f.hint}` : ''}`);
    }
    report.steps.push(step);
    return step;
  };
  const finishStep = (step: VerifyStep) => {
    for (const line of step.lines) progress.log(`    ${line}`);
  };

  try {
    // 1. The baseline, then the earlier migrations of the folder.
    const prepare: VerifyStep = { name: 'prepare', ok: true, lines: [] };
    report.steps.push(prepare);
    const earlierText = `the ${earlier.length} earlier migration${earlier.length === 1 ? '' : 's'} of ${place?.dir}`;
    const steps = [...(baseline.length > 0 ? ['the baseline'] : []), ...(earlier.length > 0 ? [earlierText] : [])];
    progress.log(`  1. prepare: ${steps.length === 0 ? 'no earlier migration in the folder' : `apply ${steps.join(', then ')}`}`);
    if (baseline.length > 0) {
      const skipped = await applyBaseline(target, baseline, options.signal);
      prepare.lines.push(`applied the baseline (${baseline.map((b) => basename(b.path)).join(', ')})${skipped.length > 0 ? `, skipping ${skipped.length} statement${skipped.length === 1 ? '' : 's'} it rejects:` : ''}`, ...skipped.map((line) => `  ${line}`));
    }
    for (const entry of earlier) {
      const file = entry.files.up ?? entry.files.single;
      if (!file) {
        prepare.lines.push(`skipped ${label(idOf(entry))}: no UP file`);
        continue;
      }
      let plan;
      try {
        plan = planMigration(readMigration(file, readRunnable(fs, file), fs, { convention: config.convention }), 'up');
      } catch (error) {
        if (!(error instanceof PlanError)) throw error;
        prepare.lines.push(`skipped ${label(idOf(entry))}: ${error.message}`);
        continue;
      }
      const run = await runPlan(target, plan, { signal: options.signal, timeouts });
      if (!run.ok) {
        prepare.ok = false;
        report.cancelled = run.cancelled;
        prepare.lines.push(run.cancelled ? 'cancelled' : `earlier migration ${label(idOf(entry))} fails here, so the round trip cannot start: ${run.failure?.message} (${run.failure?.path}:${(run.failure?.range.start.line ?? 0) + 1})`);
        finishStep(prepare);
        return done(report, progress);
      }
      prepare.lines.push(`applied ${label(idOf(entry))} (${plan.statements.length} statement${plan.statements.length === 1 ? '' : 's'}, ${formatMs(run.ms)})`);
    }
    finishStep(prepare);
    const beforeUp = await snapshot(target);

    // 2. UP.
    const first = await stepRun('up', `2. UP (${up.statements.length} statement${up.statements.length === 1 ? '' : 's'}, ${up.mode})`, up);
    if (!first.ok) return failed(report, first, progress);
    const afterUp = await snapshot(target);
    first.changes = diffSnapshots(beforeUp, afterUp);
    first.lines.push(first.changes.length === 0 ? 'UP changes nothing in the schema' : `UP changes: ${first.changes.length}`, ...first.changes.map((c) => `  ${formatChange(c)}`));
    finishStep(first);

    // 3. DOWN, compared with the schema before UP.
    if (!down) {
      const skipped: VerifyStep = { name: 'down', ok: true, lines: [`skipped: ${noDown}`] };
      report.steps.push(skipped);
      progress.log('  3. DOWN');
      finishStep(skipped);
    } else {
      const back = await stepRun('down', `3. DOWN (${down.statements.length} statement${down.statements.length === 1 ? '' : 's'}${down.commentedOut ? ', uncommented' : ''}, ${down.mode})`, down);
      if (!back.ok) return failed(report, back, progress);
      const afterDown = await snapshot(target);
      back.changes = diffSnapshots(afterUp, afterDown);
      const left = differencesAfterDown(beforeUp, afterDown);
      report.differences.push(...left);
      back.ok = left.length === 0;
      back.lines.push(left.length === 0 ? 'the schema is as before UP' : `the schema is not as before UP:`, ...left.map((d) => `  ${d}`));
      finishStep(back);

      // 4. UP again: DOWN must leave a database UP runs on, giving the same schema.
      const again = await stepRun('up again', '4. UP again after DOWN', up, true);
      if (!again.ok) {
        again.lines[0] = `UP fails after DOWN: ${again.lines[0]}`;
        report.differences.push(again.lines[0]);
        return failed(report, again, progress);
      }
      const afterAgain = await snapshot(target);
      const drift = diffSnapshots(afterUp, afterAgain).map((c) => `UP after DOWN differs from the first UP: ${formatChange(c)}`);
      report.differences.push(...drift);
      again.ok = drift.length === 0;
      again.lines.push(drift.length === 0 ? 'same schema as after the first UP' : 'the schema differs from after the first UP:', ...drift.map((d) => `  ${d}`));
      finishStep(again);
    }

    // 5. UP once more on top: can it run twice?
    const twice = await stepRun('up twice', `${down ? '5' : '4'}. UP once more on top (idempotency)`, up, true);
    if (report.cancelled) return done(report, progress);
    report.idempotent = twice.ok;
    twice.lines = twice.ok
      ? ['UP can run twice (idempotent)']
      : [`UP is not idempotent: a second run ${twice.lines[0] ?? 'fails'} — fine for runners that record what they applied; use IF NOT EXISTS / IF EXISTS if it must re-run`];
    // Not idempotent is information, not a failed round trip.
    twice.ok = true;
    finishStep(twice);
    report.ok = report.steps.every((s) => s.ok);
    return done(report, progress);
  } finally {
    await target.close();
  }
}

/**
 * What DOWN left different from before UP, said from DOWN's side: `DOWN leaves index idx_x
 * behind`, `DOWN does not restore column users.legacy`.
 */
export function differencesAfterDown(beforeUp: Snapshot, afterDown: Snapshot): string[] {
  return diffSnapshots(beforeUp, afterDown).map((c) => {
    if (c.change === 'added') return `DOWN leaves ${c.kind} ${c.name} behind`;
    if (c.change === 'removed') return `DOWN does not restore ${c.kind} ${c.name} (it existed before UP)`;
    return `DOWN leaves ${c.kind} ${c.name} changed: ${c.details.join('; ')}`;
  });
}

function failed(report: VerifyReport, step: VerifyStep, progress: Progress): VerifyReport {
  report.failure = step.run?.failure;
  for (const line of step.lines) progress.log(`    ${line}`);
  return done(report, progress);
}

function done(report: VerifyReport, progress: Progress): VerifyReport {
  report.ok = !report.cancelled && report.steps.every((s) => s.ok);
  if (report.cancelled) progress.log('  cancelled: the throwaway database is discarded');
  else if (report.ok) progress.log(`  verified: the round trip leaves the schema as it was${report.idempotent === false ? ' (UP is not idempotent)' : ''}`);
  else progress.log(`  verify failed${report.differences.length > 0 ? `: ${report.differences.length} difference${report.differences.length === 1 ? '' : 's'}` : ''}`);
  return report;
}

function indent(progress: Progress): Progress {
  return { log: (line) => progress.log(`  ${line}`), step: progress.step };
}
