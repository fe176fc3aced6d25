/**
 * The status bar item of the database commands: where they run (`embedded`, or the server as
 * `user@host:port/db`, never a password) and how many migrations are pending there, as the
 * Migrations view last read them. Clicking it switches the target.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../../server/src/protocol';
import { FolderState, MigrationsView, pendingCount } from './migrations-view';

export class TargetStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('safemig.target', vscode.StatusBarAlignment.Left, 0);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly view: MigrationsView) {
    this.item.name = 'safemig database target';
    this.item.command = COMMANDS.switchTarget.id;
    this.subscription = view.onDidRead(() => void this.update());
    void this.update();
  }

  private async update(): Promise<void> {
    const folders = await this.view.current();
    // Untrusted (the view reads nothing), or no migrations here: nothing to say.
    if (folders.length === 0) {
      this.item.hide();
      return;
    }
    const targets = [...new Set(folders.map((f) => f.target))];
    const read = folders.filter((f) => f.report);
    const pending = read.reduce((sum, f) => sum + pendingCount(f), 0);
    const parts = [targets.length === 1 ? targets[0] : `${targets.length} targets`];
    if (read.length > 0) parts.push(`${pending} pending`);
    if (read.length < folders.length) parts.push('not connected');
    this.item.text = `$(database) ${parts.join(' · ')}`;
    this.item.tooltip = [...folders.map(line), '', 'Click to switch the database target.'].join('\n');
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function line(f: FolderState): string {
  const what = f.report ? `${pendingCount(f)} pending` : f.problem?.connect ? 'not connected' : `cannot read status: ${f.problem?.message}`;
  return `${vscode.workspace.asRelativePath(f.folder.dir)}: ${f.target}, ${what}`;
}
