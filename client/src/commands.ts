/** Every command of the extension, in one table: name → handler. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export interface CommandContext {
  client: LanguageClient;
  output: vscode.OutputChannel;
}

type Handler = (ctx: CommandContext, ...args: unknown[]) => unknown;

const COMMANDS: Record<string, Handler> = {
  'safemig.restartServer': async (ctx) => {
    await ctx.client.restart();
    void vscode.window.showInformationMessage('safemig: language server restarted.');
  },
  'safemig.showOutput': (ctx) => ctx.output.show(),
};

export function registerCommands(context: vscode.ExtensionContext, ctx: CommandContext): void {
  for (const [name, handler] of Object.entries(COMMANDS)) {
    context.subscriptions.push(vscode.commands.registerCommand(name, (...args: unknown[]) => handler(ctx, ...args)));
  }
}
