/**
 * Every command of the extension in one table, name → handler, registered in one place. The
 * names, IDs and titles are declared in server/src/protocol.ts (and generated into package.json).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CommandName, COMMANDS } from '../../server/src/protocol';
import { newMigration } from './authoring';
import {
  applyMigration,
  connectDatabase,
  DatabaseSession,
  migrationStatus,
  rollbackMigration,
  setDatabasePassword,
  switchTarget,
  verifyMigration,
} from './database/commands';
import { applyPendingMigrations, rollbackLastMigration } from './database/folder-commands';
import { treatFolderAsMigrations } from './migration-folder';
import { MigrationsView } from './migrations-view';
import { dumpBaseline, ShadowStatusBar } from './shadow-status';
import { TargetStatusBar } from './status-bar';

export interface CommandContext {
  client: LanguageClient;
  output: vscode.OutputChannel;
  /** Storage folders and secrets (the database commands). */
  extension: vscode.ExtensionContext;
  /** What the database commands keep between runs (the embedded database, their diagnostics). */
  database: DatabaseSession;
  migrations: MigrationsView;
  shadowStatus: ShadowStatusBar;
}

type Handler = (ctx: CommandContext, ...args: unknown[]) => unknown;

const HANDLERS: Record<CommandName, Handler> = {
  restartServer: async (ctx) => {
    await ctx.client.restart();
    void vscode.window.showInformationMessage('safemig: language server restarted.');
  },
  showOutput: (ctx) => ctx.output.show(),
  newMigration,
  treatFolderAsMigrations,
  apply: applyMigration,
  rollback: rollbackMigration,
  verify: verifyMigration,
  applyPending: applyPendingMigrations,
  rollbackLast: rollbackLastMigration,
  status: migrationStatus,
  refreshMigrations: (ctx) => ctx.migrations.refresh(),
  connectDatabase,
  switchTarget,
  setDatabasePassword,
  dumpBaseline: (ctx) => dumpBaseline(ctx.extension, ctx.shadowStatus),
};

/** What the extension hands its tests (activate's result): the view and the status bar item as the user sees them. */
export interface ExtensionApi {
  migrations: MigrationsView;
  statusBar: vscode.StatusBarItem;
}

export function registerCommands(context: vscode.ExtensionContext, base: Pick<CommandContext, 'client' | 'output'>): ExtensionApi {
  const database = new DatabaseSession(context);
  const migrations = new MigrationsView(database);
  const statusBar = new TargetStatusBar(migrations);
  const shadowStatus = new ShadowStatusBar(base.client);
  context.subscriptions.push(database, migrations, statusBar, shadowStatus);
  const ctx: CommandContext = { ...base, extension: context, database, migrations, shadowStatus };
  for (const [name, handler] of Object.entries(HANDLERS) as [CommandName, Handler][]) {
    context.subscriptions.push(vscode.commands.registerCommand(COMMANDS[name].id, (...args: unknown[]) => handler(ctx, ...args)));
  }
  return { migrations, statusBar: statusBar.item };
}
