/**
 * The database commands on a whole migrations folder (the Migrations view's title and folder
 * buttons, the palette): "Apply All Pending Migrations" and "Roll Back Last Migration". Same
 * trust, target, guard and one-at-a-time as the commands on one file (commands.ts).
 */
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { applyBlockers, destructiveUp, DiskFileSystem, formatBlockers, formatRunnerReport, RunnerReport, runsOnUp, status, StatusReport, up } from '../../../server/src/api';
import type { CommandContext } from '../commands';
import { exclusive, folderOf, migrateOn, notRun, OnTarget, trusted } from './commands';
import { settingsFor, targetChoice } from './target';
import { confirm, logTo, showError, showInfo, withCancellableProgress } from './ui';

/**
 * Applies the folder's pending migrations in order with the engine's `up` (each in its own
 * transaction or as its convention says; it stops at the first that fails, and the ones before
 * stay applied). What `apply` asks one migration at a time is asked once first, for all of them:
 * their error-severity findings ("Apply anyway") and their UP statements that destroy data.
 * Resolves to up's report; undefined when nothing ran.
 */
export async function applyPendingMigrations(ctx: CommandContext, arg?: unknown): Promise<RunnerReport | undefined> {
  const dir = await commandFolder(ctx, arg, 'apply the pending migrations');
  if (!dir) return undefined;
  return onFolder(ctx, 'apply pending', dir, `applying the pending migrations of ${shown(dir)}`, async (on, report) => {
    const { target, settings, fs, log, progress, signal } = on;
    const config = settings.config;
    const pending = report.entries.filter(runsOnUp).map((e) => join(report.dir, e.file));
    const findings = pending.flatMap((path) => formatBlockers(basename(path), applyBlockers({ fs, config, path })));
    if (findings.length > 0) {
      const count = `${findings.length} error-severity finding${findings.length === 1 ? '' : 's'}`;
      if (!(await confirm(`The pending migrations of ${shown(dir)} have ${count} (as safemig check reports them):`, listed(findings), 'Apply anyway'))) return notRun(log, `${count} (Apply anyway was not chosen)`);
      log.log(`warning: applying with ${count} (Apply anyway)`);
    }
    const destructive = pending.flatMap((path) => destructiveUp({ fs, config, path }).map((d) => `${basename(path)}: ${d}`));
    if (destructive.length > 0 && !(await confirm(`The pending migrations of ${shown(dir)} destroy data when they run on ${target.describe()}:`, listed(destructive), 'Apply All'))) {
      return notRun(log, 'the destructive statements were not confirmed');
    }
    // force: only the gate's findings, which were just shown for every pending migration.
    const result = await up({ target, fs, config, dir: report.dir, signal, progress: { log: log.log, step: progress.step }, force: findings.length > 0 });
    for (const line of formatRunnerReport(result).trimEnd().split('\n')) log.log(line);
    showRunnerResult(ctx, result);
    return result;
  });
}

function showRunnerResult(ctx: CommandContext, result: RunnerReport): void {
  const failure = result.stopped?.run?.failure;
  if (failure) ctx.database.diagnostics.add(failure, 'apply');
  const applied = `${result.done.length} of ${result.planned.length} migration${result.planned.length === 1 ? '' : 's'} of ${shown(result.dir)} applied on ${result.target}`;
  if (result.cancelled) void vscode.window.showWarningMessage(`safemig: cancelled: ${applied}; the one under way was rolled back (see the output).`);
  else if (result.failed) showError(ctx.output, `safemig: ${applied}; ${basename(result.failed.file)} failed: ${result.failed.message}`);
  else if (result.planned.length === 0) showInfo(ctx.output, `safemig: nothing pending in ${shown(result.dir)} on ${result.target}.`);
  else showInfo(ctx.output, `safemig: ${applied}.`);
}

/** Lines of a modal, at most MAX_LISTED. */
function listed(lines: string[]): string {
  const shownLines = lines.slice(0, MAX_LISTED).map((l) => `• ${l}`);
  if (lines.length > MAX_LISTED) shownLines.push(`… ${lines.length - MAX_LISTED} more`);
  return shownLines.join('\n');
}

const MAX_LISTED = 10;

/**
 * Rolls back the folder's newest applied migration as its own Roll back does (the questions
 * about what its DOWN part drops), not with the engine's `down --steps 1`: `down` has no such
 * question, and the migration it picks under its lock could differ from the one asked about (one
 * applied meanwhile); `rollback` of the one asked about refuses when it is no longer the newest.
 * Resolves to its report; undefined when nothing ran.
 */
export async function rollbackLastMigration(ctx: CommandContext, arg?: unknown) {
  const dir = await commandFolder(ctx, arg, 'roll back the last migration');
  if (!dir) return undefined;
  return onFolder(ctx, 'rollback', dir, `rolling back the last migration of ${shown(dir)}`, async (on, report) => {
    // As `down` picks: safemig's own records only (the team's runner rolls back what it recorded).
    // Never a repeatable migration: it has no rollback (as with Flyway, it is run again instead).
    const newest = [...report.entries].reverse().find((e) => e.state !== 'pending' && !e.runner && !e.repeatable);
    if (!newest) {
      on.log.log(`nothing to roll back: no migration of ${dir} is recorded as applied by safemig on ${report.target}`);
      void vscode.window.showInformationMessage(`safemig: nothing to roll back in ${shown(dir)}: none of its migrations is recorded as applied by safemig on ${report.target}.`);
      return undefined;
    }
    // The engine refuses it if another migration was applied after it meanwhile (the editor then asks, naming it).
    return migrateOn(ctx, 'rollback', join(report.dir, newest.file), on);
  });
}

/** The folder's status on its target, read in a command: the target opened as commands open it (asking what they ask). */
async function onFolder<T>(ctx: CommandContext, command: string, dir: string, title: string, body: (on: OnTarget, report: StatusReport) => Promise<T | undefined>): Promise<T | undefined> {
  return exclusive(ctx, command, async () => {
    ctx.database.diagnostics.clear();
    const settings = await settingsFor(vscode.Uri.file(join(dir, 'any.sql')));
    const log = logTo(ctx.output);
    const fs = new DiskFileSystem();
    return withCancellableProgress(title, async (progress, signal) => {
      const target = await ctx.database.targets.open(targetChoice(settings), settings, log);
      if (!target) return undefined;
      try {
        const report = await status({ target, fs, config: settings.config, dir });
        return await body({ target, settings, fs, log, progress, signal }, report);
      } finally {
        if (target.kind === 'server') await target.close();
      }
    }, log);
  });
}

/** The folder a folder command is for: the view's folder item, else the workspace's only one, else the one picked. */
async function commandFolder(ctx: CommandContext, arg: unknown, what: string): Promise<string | undefined> {
  if (!trusted(what)) return undefined;
  const given = folderOf(arg);
  if (given) return given;
  const folders = await ctx.migrations.current();
  if (folders.length === 1) return folders[0].folder.dir;
  if (folders.length === 0) {
    void vscode.window.showErrorMessage(`safemig: no migrations folder in this workspace to ${what} in.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: shown(f.folder.dir), description: f.target, dir: f.folder.dir })),
    { title: `safemig: ${what}`, placeHolder: 'Which migrations folder?' },
  );
  return picked?.dir;
}

function shown(dir: string): string {
  return vscode.workspace.asRelativePath(dir) || basename(dir);
}
