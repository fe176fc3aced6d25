/**
 * Every command of the extension in one table, name → handler, registered in one place. The
 * names, IDs and titles are declared in server/src/protocol.ts (and generated into package.json).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CommandName, COMMANDS } from '../../server/src/protocol';
import { newMigration } from './authoring';
import { treatFolderAsMigrations } from './migration-folder';
import { applyMigration, DatabaseSession, migrationStatus, rollbackMigration, setDatabasePassword, verifyMigration } from './database/commands';

export interface CommandContext {
  client: LanguageClient;
  output: vscode.OutputChannel;
  /** Storage folders and secrets (the database commands). */
  extension: vscode.ExtensionContext;
  /** What the database commands keep between runs (the embedded database, their diagnostics). */
  database: DatabaseSession;
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
  status: migrationStatus,
  setDatabasePassword,
};

export function registerCommands(context: vscode.ExtensionContext, base: Pick<CommandContext, 'client' | 'output'>): void {
  const database = new DatabaseSession(context);
  context.subscriptions.push(database);
  const ctx: CommandContext = { ...base, extension: context, database };
  for (const [name, handler] of Object.entries(HANDLERS) as [CommandName, Handler][]) {
    context.subscriptions.push(vscode.commands.registerCommand(COMMANDS[name].id, (...args: unknown[]) => handler(ctx, ...args)));
  }
}
