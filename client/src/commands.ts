/** Every command of the extension, in one table: name → handler. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { applyMigration, migrationStatus, rollbackMigration, setDatabasePassword, verifyMigration } from './database';
import { newMigration } from './authoring';

export interface CommandContext {
  client: LanguageClient;
  output: vscode.OutputChannel;
  /** Storage folders and secrets (the database commands). */
  extension: vscode.ExtensionContext;
}

type Handler = (ctx: CommandContext, ...args: unknown[]) => unknown;

const COMMANDS: Record<string, Handler> = {
  'safemig.restartServer': async (ctx) => {
    await ctx.client.restart();
    void vscode.window.showInformationMessage('safemig: language server restarted.');
  },
  'safemig.showOutput': (ctx) => ctx.output.show(),
  'safemig.newMigration': newMigration,
  'safemig.apply': applyMigration,
  'safemig.rollback': rollbackMigration,
  'safemig.verify': verifyMigration,
  'safemig.status': migrationStatus,
  'safemig.setDatabasePassword': setDatabasePassword,
};

export function registerCommands(context: vscode.ExtensionContext, base: Omit<CommandContext, 'extension'>): void {
  const ctx: CommandContext = { ...base, extension: context };
  for (const [name, handler] of Object.entries(COMMANDS)) {
    context.subscriptions.push(vscode.commands.registerCommand(name, (...args: unknown[]) => handler(ctx, ...args)));
  }
}
