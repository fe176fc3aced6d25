/**
 * What the database commands show: the output channel, messages and confirmations, progress
 * with cancel, and the diagnostics of a failed run.
 */
import * as vscode from 'vscode';
import { formatMs, label, MigrateReport, Progress, RunFailure } from '../../../server/src/api';

/** The diagnostics of failed runs (`safemig-db`), apart from the linter's; an edit makes a file's stale. */
export class RunDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('safemig-db');
  private readonly subscription = vscode.workspace.onDidChangeTextDocument((e) => {
    // They describe the text that ran: editing it makes them stale.
    if (e.contentChanges.length > 0) this.collection.delete(e.document.uri);
  });

  clear(): void {
    this.collection.clear();
  }

  add(f: RunFailure, command: string): void {
    const range = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
    const message = [f.message, f.detail && `Detail: ${f.detail}`, f.hint && `Hint: ${f.hint}`, f.where && `Where: ${f.where}`].filter(Boolean).join('\n');
    const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = `safemig ${command}`;
    if (f.code) diagnostic.code = f.code;
    const uri = vscode.Uri.file(f.path);
    this.collection.set(uri, [...(this.collection.get(uri) ?? []), diagnostic]);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}

/** The output channel, shown, as the engine's progress log. */
export function logTo(output: vscode.OutputChannel): Progress {
  output.show(true);
  return { log: (line) => output.appendLine(line) };
}

export function showError(output: vscode.OutputChannel, message: string): void {
  void vscode.window.showErrorMessage(message, 'Show Output').then((pick) => pick && output.show(true));
}

export function showInfo(output: vscode.OutputChannel, message: string): void {
  void vscode.window.showInformationMessage(message, 'Show Output').then((pick) => pick && output.show(true));
}

export function confirm(message: string, detail: string, action: string): Promise<boolean> {
  return Promise.resolve(vscode.window.showWarningMessage(message, { modal: true, detail }, action)).then((pick) => pick === action);
}

export type ProgressStep = (message: string, done: number, total: number) => void;

/** A cancellable notification; cancelling aborts the running statement (the transaction rolls back). */
export function withCancellableProgress<T>(title: string, body: (progress: { step: ProgressStep }, signal: AbortSignal) => Promise<T>, log: Progress): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `safemig: ${title}`, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => {
      log.log('cancelling: the running statement is stopped and its transaction rolled back');
      controller.abort();
    });
    let last = 0;
    const step: ProgressStep = (message, done, total) => {
      const percent = total > 0 ? Math.round((done / total) * 100) : 0;
      progress.report({ message, increment: Math.max(0, percent - last) });
      last = Math.max(last, percent);
    };
    try {
      return await body({ step }, controller.signal);
    } finally {
      subscription.dispose();
    }
  });
}

/** The outcome of an apply or rollback: a message, and the failure's diagnostic. */
export function showMigrateResult(report: MigrateReport, diagnostics: RunDiagnostics, output: vscode.OutputChannel): void {
  const name = label(report.id);
  const run = report.run;
  if (report.outcome === 'declined' || !run) return;
  if (run.failure) diagnostics.add(run.failure, report.command);
  if (report.outcome === 'applied' || report.outcome === 'rolled back') {
    const changes = report.changes.length === 0 ? 'no schema change' : `${report.changes.length} schema change${report.changes.length === 1 ? '' : 's'}`;
    showInfo(output, `safemig: ${report.outcome} ${name} on ${report.target} (${run.outcomes.length} statements, ${formatMs(run.ms)}; ${changes}).`);
  } else if (report.outcome === 'cancelled') {
    void vscode.window.showWarningMessage(`safemig: ${report.command} of ${name} cancelled: ${run.transaction ? 'rolled back, nothing applied' : 'see the output for what ran'}.`);
  } else {
    const f = run.failure;
    showError(output, `safemig: ${report.command} of ${name} failed at line ${(f?.range.start.line ?? 0) + 1}: ${f?.message} — ${run.transaction ? 'rolled back, nothing applied' : 'see the output for what ran'}.`);
  }
}
