/**
 * The database commands in the editor: apply, roll back, verify, status, set password, connect,
 * switch target. The work is the engine's (server/src/api.ts); here are Workspace Trust, which
 * file, one command at a time, and what each says when done. Where they run is target.ts; what they show is ui.ts.
 */
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import {
  AlreadyAppliedError,
  apply,
  applyBlockers,
  chooseTarget,
  Config,
  ConfigError,
  ConnectionError,
  connectionLabel,
  DiskFileSystem,
  formatRollbackRisk,
  formatStatus,
  GuardRefusal,
  locateInFolder,
  MigrateReport,
  PlanError,
  Progress,
  rollback,
  rollbackRisk,
  status,
  StatusReport,
  Target,
  TargetChoice,
  verify,
  VerifyReport,
} from '../../../server/src/api';
import { SETTINGS_SECTION } from '../../../server/src/protocol';
import type { CommandContext } from '../commands';
import { requireTrust } from '../trust';
import { FileSettings, settingsFor, targetChoice, Targets } from './target';
import { confirm, logTo, ProgressStep, RunDiagnostics, showError, showInfo, showMigrateResult, withCancellableProgress } from './ui';

/** A database command that finished: its name and what it resolved to (its report, or undefined). */
export interface CommandRun {
  command: string;
  result: unknown;
}

/** What the database commands keep for the extension's lifetime. */
export class DatabaseSession implements vscode.Disposable {
  readonly targets: Targets;
  readonly diagnostics = new RunDiagnostics();
  /** One database command at a time: two would interleave statements on one session. */
  running: string | undefined;
  /** The Migrations view's status read in progress: a command waits for it (on the embedded database they share one session). */
  private reading: Promise<unknown> | undefined;
  private readonly finished = new vscode.EventEmitter<CommandRun>();
  /** Fired after every database command, whatever its outcome (the Migrations view reads status again). */
  readonly onDidRun = this.finished.event;

  constructor(extension: vscode.ExtensionContext) {
    this.targets = new Targets(extension);
  }

  /**
   * Runs a status read of the Migrations view unless a command is running (undefined then: the
   * command's end fires onDidRun, and the view reads again). Commands started meanwhile wait for it.
   */
  read<T>(body: () => Promise<T>): Promise<T> | undefined {
    if (this.running || this.reading) return undefined;
    const reading = body();
    this.reading = reading;
    const done = () => {
      if (this.reading === reading) this.reading = undefined;
    };
    reading.then(done, done);
    return reading;
  }

  /** Until the view's status read in progress (if any) is done. */
  async idle(): Promise<void> {
    while (this.reading) await this.reading.catch(() => undefined);
  }

  ran(run: CommandRun): void {
    this.finished.fire(run);
  }

  dispose(): void {
    this.targets.dispose();
    this.diagnostics.dispose();
    this.finished.dispose();
  }
}

export const applyMigration = (ctx: CommandContext, arg?: unknown) => runMigrate(ctx, 'apply', arg);
export const rollbackMigration = (ctx: CommandContext, arg?: unknown) => runMigrate(ctx, 'rollback', arg);

/** Each command resolves to its report (undefined when nothing ran), for callers such as tests. */
async function runMigrate(ctx: CommandContext, command: 'apply' | 'rollback', arg: unknown): Promise<MigrateReport | undefined> {
  const file = await commandFile(arg, command);
  if (!file) return undefined;
  return exclusive(ctx, command, async () => {
    const { diagnostics, targets } = ctx.database;
    diagnostics.clear();
    const settings = await settingsFor(file);
    const choice = targetChoice(settings);
    const log = logTo(ctx.output);
    const fs = new DiskFileSystem();
    const name = basename(file.fsPath);
    if (command === 'apply' && !(await passesGate(fs, settings.config, file.fsPath, log))) return undefined;
    const title = command === 'apply' ? `applying ${name}` : `rolling back ${name}`;
    return withCancellableProgress(title, async (progress, signal) => {
      const target = await targets.open(choice, settings, log);
      if (!target) return undefined;
      try {
        return await migrateOn(ctx, command, file.fsPath, { target, settings, fs, log, progress, signal });
      } finally {
        if (target.kind === 'server') await target.close();
      }
    }, log);
  });
}

/** What a command has open while it runs on a target. */
export interface OnTarget {
  target: Target;
  settings: FileSettings;
  fs: DiskFileSystem;
  log: Progress;
  progress: { step: ProgressStep };
  signal: AbortSignal;
}

/** Applies or rolls back one migration on an open target, asking what the editor asks (destructive statements, risky rollbacks, applying again). */
export async function migrateOn(ctx: CommandContext, command: 'apply' | 'rollback', path: string, on: OnTarget): Promise<MigrateReport | undefined> {
  const { target, settings, fs, log, progress, signal } = on;
  const name = basename(path);
  const run = command === 'apply' ? apply : rollback;
  const options = {
    target,
    fs,
    config: settings.config,
    path,
    signal,
    progress: { log: log.log, step: progress.step },
    confirmDestructive: (statements: { destructive?: string; line: number }[]) =>
      confirmDestructive(name, target.describe(), statements.map((s) => `${s.destructive} (line ${s.line + 1})`), 'Apply'),
    force: false,
  };
  if (command === 'rollback') {
    // The engine refuses these rollbacks; the editor asks, naming what the DOWN part drops.
    const risk = await rollbackRisk(options);
    if (risk.reasons.length > 0) {
      if (!(await confirm(`Roll back ${name} on ${target.describe()}?`, formatRollbackRisk(risk), 'Roll back anyway'))) return notRun(log, 'the rollback was not confirmed');
      options.force = true;
    } else if (risk.drops.length > 0 && !(await confirmDestructive(name, target.describe(), risk.drops, 'Roll Back'))) {
      return notRun(log, 'the destructive statements of the DOWN part were not confirmed');
    }
  }
  let report: MigrateReport;
  try {
    report = await run(options);
  } catch (error) {
    if (!(error instanceof AlreadyAppliedError)) throw error;
    if (!(await confirm(error.message.replace(/, or apply it again with --force$/, ''), 'Apply it again anyway?', 'Apply Again'))) return undefined;
    report = await run({ ...options, force: true });
  }
  showMigrateResult(report, ctx.database.diagnostics, ctx.output);
  return report;
}

/** The statements that destroy data, listed in a modal (UP before apply, DOWN before rollback). */
export function confirmDestructive(name: string, target: string, statements: string[], action: string): Promise<boolean> {
  return confirm(`${name} destroys data when it runs on ${target}:`, statements.map((s) => `• ${s}`).join('\n'), action);
}

/** The apply gate: a migration with error-severity findings is applied only when the user insists. */
async function passesGate(fs: DiskFileSystem, config: Config, path: string, log: Progress): Promise<boolean> {
  const blockers = applyBlockers({ fs, config, path });
  if (blockers.length === 0) return true;
  const shown = blockers.slice(0, MAX_LISTED).map((f) => `• line ${f.range.start.line + 1} ${f.rule}: ${f.message}`);
  if (blockers.length > MAX_LISTED) shown.push(`… ${blockers.length - MAX_LISTED} more`);
  const count = `${blockers.length} error-severity finding${blockers.length === 1 ? '' : 's'}`;
  if (await confirm(`${basename(path)} has ${count} (as safemig check reports them):`, shown.join('\n'), 'Apply anyway')) {
    log.log(`warning: applying ${basename(path)} with ${count} (Apply anyway)`);
    return true;
  }
  notRun(log, `${count} (Apply anyway was not chosen)`);
  return false;
}

/** Lines of a modal listing findings, at most. */
const MAX_LISTED = 10;

export function notRun(log: Progress, why: string): undefined {
  log.log(`not run: ${why}`);
  return undefined;
}

export async function verifyMigration(ctx: CommandContext, arg?: unknown): Promise<VerifyReport | undefined> {
  const file = await commandFile(arg, 'verify');
  if (!file) return undefined;
  return exclusive(ctx, 'verify', async () => {
    const { diagnostics, targets } = ctx.database;
    diagnostics.clear();
    const settings = await settingsFor(file);
    const log = logTo(ctx.output);
    return withCancellableProgress(`verifying ${basename(file.fsPath)} (UP → DOWN → UP on a throwaway database)`, async (progress, signal) => {
      const report = await verify({
        fs: new DiskFileSystem(),
        config: settings.config,
        path: file.fsPath,
        baseline: settings.baseline,
        openThrowaway: () => targets.openThrowaway(),
        signal,
        progress: { log: log.log, step: progress.step },
      });
      if (report.failure) diagnostics.add(report.failure, 'verify');
      if (report.cancelled) void vscode.window.showWarningMessage('safemig: verify cancelled.');
      else if (report.ok) {
        void vscode.window.showInformationMessage(`safemig: ${basename(file.fsPath)} verified: DOWN undoes UP${report.idempotent === false ? ' (UP is not idempotent)' : ''}.`);
      } else {
        const what = report.differences.length > 0 ? report.differences[0] + (report.differences.length > 1 ? ` (and ${report.differences.length - 1} more)` : '') : report.steps.flatMap((s) => s.lines)[0];
        showError(ctx.output, `safemig: verify of ${basename(file.fsPath)} failed: ${what}`);
      }
      return report;
    }, log);
  });
}

export async function migrationStatus(ctx: CommandContext, arg?: unknown): Promise<StatusReport | undefined> {
  const file = await commandFile(arg, 'status');
  if (!file) return undefined;
  return exclusive(ctx, 'status', async () => {
    const settings = await settingsFor(file);
    const fs = new DiskFileSystem();
    const dir = locateInFolder(file.fsPath, fs)?.dir ?? dirname(file.fsPath);
    const choice = targetChoice(settings);
    const log = logTo(ctx.output);
    return withCancellableProgress(`status of ${dir}`, async () => {
      const target = await ctx.database.targets.open(choice, settings, log);
      if (!target) return undefined;
      try {
        const report = await status({ target, fs, config: settings.config, dir });
        for (const line of formatStatus(report).trimEnd().split('\n')) log.log(line);
        const count = (s: string) => report.entries.filter((e) => e.state === s).length;
        const partial = count('partial') > 0 ? `, ${count('partial')} PARTLY APPLIED (see the output)` : '';
        showInfo(ctx.output, `safemig: ${count('applied') + count('changed')} applied (${count('changed')} changed since)${partial}, ${count('pending')} pending on ${report.target}.`);
        return report;
      } finally {
        if (target.kind === 'server') await target.close();
      }
    }, log);
  });
}

export async function setDatabasePassword(ctx: CommandContext, arg?: unknown): Promise<void> {
  if (!trusted('set the database password')) return;
  const uri = toUri(arg) ?? vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  let choice: TargetChoice;
  try {
    choice = targetChoice(await settingsFor(uri));
  } catch (error) {
    showError(ctx.output, `safemig: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (choice.kind === 'embedded') {
    void vscode.window.showInformationMessage('safemig: no database server is configured (safemig.database.url, .safemig.json database.url, DATABASE_URL): the embedded database needs no password.');
    return;
  }
  if (!(await ctx.database.targets.askAndStorePassword(choice))) return;
  void vscode.window.showInformationMessage(`safemig: password for ${connectionLabel(choice)} stored in VS Code's secret storage.`);
}

/**
 * The Migrations view's "not connected — click to connect": opens the folder's target as a
 * command does (the guard's question, the password prompt), then closes it; the view reads again
 * when it ends (and may then read without asking: see Targets.open's `quiet`).
 */
export async function connectDatabase(ctx: CommandContext, arg?: unknown): Promise<boolean | undefined> {
  if (!trusted('connect to the database')) return undefined;
  const dir = folderOf(arg) ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!dir) return undefined;
  return exclusive(ctx, 'connect', async () => {
    const settings = await settingsFor(vscode.Uri.file(join(dir, 'any.sql')));
    const target = await ctx.database.targets.open(targetChoice(settings), settings, logTo(ctx.output));
    if (!target) return false;
    if (target.kind === 'server') await target.close();
    return true;
  });
}

/** "Switch Database Target" (the status bar item): the embedded database, a server's URL, or what the configuration says; a workspace setting. */
export async function switchTarget(_ctx: CommandContext): Promise<string | null | undefined> {
  if (!trusted('switch the database target')) return undefined;
  const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const current = settings.inspect<string | null>(URL_SETTING)?.workspaceValue ?? null;
  const choices: (vscode.QuickPickItem & { value: string | null })[] = [
    { label: '$(database) Embedded database', description: 'PGlite in the workspace storage, nothing to install', value: 'embedded' },
    { label: '$(plug) PostgreSQL server…', description: 'enter its URL (without the password: it is asked once and kept in the secret storage)', value: 'server' },
    { label: '$(settings) As configured', description: '.safemig.json database.url, else DATABASE_URL, else the embedded database', value: null },
  ];
  const currentChoice = current === null ? null : current === 'embedded' ? 'embedded' : 'server';
  for (const c of choices) if (c.value === currentChoice) c.detail = current === null || current === 'embedded' ? 'current' : `current: ${current}`;
  const picked = await vscode.window.showQuickPick(choices, { title: 'safemig: where the database commands and the Migrations view run' });
  if (!picked) return undefined;
  let value = picked.value;
  if (value === 'server') {
    const url = (await vscode.window.showInputBox({
      title: 'safemig: PostgreSQL server of the dev database',
      prompt: 'A connection URL without a password',
      placeHolder: 'postgres://me@localhost:5432/app_dev',
      value: currentChoice === 'server' ? current ?? '' : '',
      ignoreFocusOut: true,
      validateInput: (url) => {
        if (url.trim() === '') return undefined;
        try {
          chooseTarget({ configuredUrl: url.trim(), configuredSource: 'the URL' });
          return undefined;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      },
    }))?.trim();
    if (!url) return undefined;
    value = url;
  }
  await settings.update(URL_SETTING, value ?? undefined, vscode.ConfigurationTarget.Workspace);
  return value;
}

/** The setting Switch Database Target writes. */
const URL_SETTING = 'database.url';

/** The folder an argument names: a Migrations view folder item, or a path. */
export function folderOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { dir?: unknown }).dir === 'string') return (arg as { dir: string }).dir;
  return undefined;
}

/** The migration a command is for: the CodeLens' or explorer's argument, else the active editor's; saved first. */
async function commandFile(arg: unknown, command: string): Promise<vscode.Uri | undefined> {
  if (!trusted(command)) return undefined;
  const uri = toUri(arg) ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file' || !/\.sql$/i.test(uri.fsPath)) {
    void vscode.window.showErrorMessage(`safemig: open a migration file (.sql) to ${command} it.`);
    return undefined;
  }
  // What runs is what is on disk (the history's checksum, the CLI): save the editor's changes first.
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document?.isDirty && !(await document.save())) {
    void vscode.window.showErrorMessage(`safemig: could not save ${basename(uri.fsPath)}; nothing ran.`);
    return undefined;
  }
  return uri;
}

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  // A Migrations view item (its inline Apply, Roll back, Verify): its file.
  if (typeof arg === 'object' && arg !== null && (arg as { resourceUri?: unknown }).resourceUri instanceof vscode.Uri) return (arg as { resourceUri: vscode.Uri }).resourceUri;
  if (typeof arg === 'string' && arg !== '') return arg.includes(':') && !/^[a-zA-Z]:[\\/]/.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  return undefined;
}

export const trusted = (what: string) => requireTrust(what, "the database commands run the workspace's SQL");

export async function exclusive<T>(ctx: CommandContext, name: string, body: () => Promise<T>): Promise<T | undefined> {
  const session = ctx.database;
  if (session.running) {
    void vscode.window.showWarningMessage(`safemig: wait for ${session.running} to finish (one database command at a time).`);
    return undefined;
  }
  session.running = name;
  let result: T | undefined;
  try {
    await session.idle();
    result = await body();
    return result;
  } catch (error) {
    reportError(ctx, name, error);
    return undefined;
  } finally {
    session.running = undefined;
    session.ran({ command: name, result });
  }
}

/** Errors that say what to do are shown as they are; anything else is a bug, shown with the log. */
function reportError(ctx: CommandContext, name: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const explained = error instanceof PlanError || error instanceof ConnectionError || error instanceof GuardRefusal || error instanceof ConfigError;
  ctx.output.appendLine(`safemig ${name}: ${error instanceof Error && !explained ? error.stack : message}`);
  showError(ctx.output, `safemig ${name}: ${message}`);
}
