/**
 * The database commands on a whole migrations folder (the Migrations view's title and folder
 * buttons, the palette): "Apply All Pending Migrations" and "Roll Back Last Migration". Same
 * trust, target, guard and one-at-a-time as the commands on one file (commands.ts).
 */
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { DiskFileSystem, status, StatusReport } from '../../../server/src/api';
import type { CommandContext } from '../commands';
import { exclusive, folderOf, migrateOn, OnTarget, trusted } from './commands';
import { settingsFor, targetChoice } from './target';
import { logTo, withCancellableProgress } from './ui';

/**
 * Rolls back the folder's newest applied migration as its own Roll back does (the questions
 * about what its DOWN part drops). Resolves to its report; undefined when nothing ran.
 */
export async function rollbackLastMigration(ctx: CommandContext, arg?: unknown) {
  const dir = await commandFolder(ctx, arg, 'roll back the last migration');
  if (!dir) return undefined;
  return onFolder(ctx, 'rollback', dir, `rolling back the last migration of ${shown(dir)}`, async (on, report) => {
    const newest = [...report.entries].reverse().find((e) => e.state !== 'pending');
    if (!newest) {
      on.log.log(`nothing to roll back: no migration of ${dir} is recorded as applied on ${report.target}`);
      void vscode.window.showInformationMessage(`safemig: nothing to roll back in ${shown(dir)}: none of its migrations is applied on ${report.target}.`);
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
