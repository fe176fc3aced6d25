/**
 * The status bar item of the shadow schema: what the server's shadow of the active migration's
 * folder is doing (SHADOW_STATUS_NOTIFICATION), and, when the folder is not fully described, the
 * command that writes a baseline from the dev database (`safemig schema dump`, in a terminal).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, ShadowStatus, SHADOW_STATUS_NOTIFICATION } from '../../server/src/protocol';

export class ShadowStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('safemig.shadow', vscode.StatusBarAlignment.Left, 10);
  private readonly statuses = new Map<string, ShadowStatus>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(client: LanguageClient) {
    this.item.name = 'safemig shadow schema';
    this.subscriptions.push(
      client.onNotification(SHADOW_STATUS_NOTIFICATION, (status: ShadowStatus) => {
        if (status.state === 'closed') this.statuses.delete(status.folder);
        else this.statuses.set(status.folder, status);
        this.show();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.show()),
    );
  }

  /** The status of the active file's folder (the longest folder holding it), else none. */
  current(): ShadowStatus | undefined {
    const path = vscode.window.activeTextEditor?.document.uri.fsPath;
    if (!path) return undefined;
    let best: ShadowStatus | undefined;
    for (const status of this.statuses.values()) if (path.startsWith(status.folder) && (!best || status.folder.length > best.folder.length)) best = status;
    return best;
  }

  private show(): void {
    const status = this.current();
    if (!status) return this.item.hide();
    this.item.command = undefined;
    this.item.tooltip = `safemig shadow schema of ${status.folder}`;
    switch (status.state) {
      case 'replaying':
        this.item.text = `$(sync~spin) shadow: replaying ${status.done ?? 0}/${status.total ?? '?'}`;
        break;
      case 'ready':
        this.item.text = '$(database) shadow ready';
        break;
      case 'incomplete':
        this.item.text = '$(warning) shadow incomplete: add a baseline';
        this.item.tooltip = 'Some tables are not created by this folder: write a baseline from the dev database (safemig schema dump)';
        if (status.dump) this.item.command = COMMANDS.dumpBaseline.id;
        break;
      default:
        this.item.text = '$(error) shadow failed';
        this.item.tooltip = status.message;
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Runs the dump of the active folder's status in a terminal, with the extension's own CLI. */
export function dumpBaseline(context: vscode.ExtensionContext, bar: ShadowStatusBar): void {
  const dump = bar.current()?.dump;
  if (!dump) {
    void vscode.window.showInformationMessage('safemig: open a migration whose shadow schema is incomplete first.');
    return;
  }
  const terminal = vscode.window.createTerminal({ name: 'safemig schema dump', cwd: dump.cwd, env: { ELECTRON_RUN_AS_NODE: '1' } });
  const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
  terminal.show();
  terminal.sendText([process.execPath, context.asAbsolutePath('dist/cli.js'), ...dump.args].map(quote).join(' '));
}
