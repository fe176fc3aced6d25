/**
 * The database commands in the editor: apply, roll back, verify, status, set password. The work
 * is the engine's (server/src/database); this is the VS Code glue: Workspace Trust, progress
 * with cancel, the output channel, modal confirmations, the password in SecretStorage, and the
 * diagnostics of a failed run.
 */
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { ConfigError, DatabaseConfig } from '../../server/src/config/config';
import { chooseTarget, connectionLabel, ServerConnection, TargetChoice } from '../../server/src/database/connection';
import { openThrowawayEmbedded } from '../../server/src/database/embedded';
import { formatMs, Progress, RunFailure } from '../../server/src/database/execute';
import { locateInFolder } from '../../server/src/database/history';
import { AlreadyAppliedError, apply, label, MigrateReport, rollback } from '../../server/src/database/migrate';
import { GuardRefusal, openTarget } from '../../server/src/database/open';
import { PlanError } from '../../server/src/database/plan';
import { formatStatus, status, StatusReport } from '../../server/src/database/status';
import { ConnectionError, Target } from '../../server/src/database/target';
import { verify, VerifyReport } from '../../server/src/database/verify';
import type { ConventionName } from '../../server/src/migration/model';
import { initParser } from '../../server/src/sql/pg';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { ConfigResolver } from '../../server/src/workspace/settings';
import type { CommandContext } from './commands';

const SECRET_PREFIX = 'safemig.databasePassword:';

let diagnostics: vscode.DiagnosticCollection | undefined;
/** The workspace's embedded database, opened on first use and kept open until the extension stops. */
let embedded: { dir: string; target: Promise<Target> } | undefined;
/** One database command at a time: two would interleave statements on one session. */
let running: string | undefined;

export const applyMigration = (ctx: CommandContext, arg?: unknown) => runMigrate(ctx, 'apply', arg);
export const rollbackMigration = (ctx: CommandContext, arg?: unknown) => runMigrate(ctx, 'rollback', arg);

/** Shared setup of the database commands, once per activation. */
function setUp(ctx: CommandContext): vscode.DiagnosticCollection {
  if (!diagnostics) {
    const collection = vscode.languages.createDiagnosticCollection('safemig-db');
    diagnostics = collection;
    ctx.extension.subscriptions.push(
      collection,
      // A failed run's diagnostics describe the text that ran: editing it makes them stale.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) collection.delete(e.document.uri);
      }),
      {
        dispose: () => {
          const open = embedded;
          embedded = undefined;
          diagnostics = undefined;
          void open?.target.then((t) => t.close()).catch(() => undefined);
        },
      },
    );
  }
  return diagnostics;
}

/** Each command resolves to its report (undefined when nothing ran), for callers such as tests. */
async function runMigrate(ctx: CommandContext, command: 'apply' | 'rollback', arg: unknown): Promise<MigrateReport | undefined> {
  const file = await commandFile(arg, command);
  if (!file) return undefined;
  return exclusive(ctx, command, async () => {
    const collection = setUp(ctx);
    collection.clear();
    const settings = await settingsFor(file);
    const choice = chooseTarget({ configuredUrl: settings.config.database.url, configuredSource: settings.urlSource });
    const log = logTo(ctx);
    const title = command === 'apply' ? `applying ${basename(file.fsPath)}` : `rolling back ${basename(file.fsPath)}`;
    return withCancellableProgress(title, async (progress, signal) => {
      const target = await open(ctx, choice, settings.config.database, log);
      if (!target) return undefined;
      try {
        const run = command === 'apply' ? apply : rollback;
        const options = {
          target,
          fs: new DiskFileSystem(),
          config: settings.config,
          path: file.fsPath,
          signal,
          progress: { log: log.log, step: progress.step },
          confirmDestructive: (statements: { destructive?: string; line: number }[]) =>
            confirm(
              `${basename(file.fsPath)} destroys data when it runs on ${target.describe()}:`,
              statements.map((s) => `• ${s.destructive} (line ${s.line + 1})`).join('\n'),
              'Apply',
            ),
        };
        let report: MigrateReport;
        try {
          report = await run(options);
        } catch (error) {
          if (!(error instanceof AlreadyAppliedError)) throw error;
          if (!(await confirm(error.message.replace(/, or apply it again with --force$/, ''), 'Apply it again anyway?', 'Apply Again'))) return undefined;
          report = await run({ ...options, force: true });
        }
        showMigrateResult(report, collection, ctx);
        return report;
      } finally {
        if (target.kind === 'server') await target.close();
      }
    }, log);
  });
}

export async function verifyMigration(ctx: CommandContext, arg?: unknown): Promise<VerifyReport | undefined> {
  const file = await commandFile(arg, 'verify');
  if (!file) return undefined;
  return exclusive(ctx, 'verify', async () => {
    const collection = setUp(ctx);
    collection.clear();
    const settings = await settingsFor(file);
    const log = logTo(ctx);
    return withCancellableProgress(`verifying ${basename(file.fsPath)} (UP → DOWN → UP on a throwaway database)`, async (progress, signal) => {
      const report = await verify({
        fs: new DiskFileSystem(),
        config: settings.config,
        path: file.fsPath,
        openThrowaway: () => openThrowawayEmbedded({ cacheDir: cacheDir(ctx) }),
        signal,
        progress: { log: log.log, step: progress.step },
      });
      if (report.failure) setDiagnostic(collection, report.failure, 'verify');
      if (report.cancelled) void vscode.window.showWarningMessage('safemig: verify cancelled.');
      else if (report.ok) {
        void vscode.window.showInformationMessage(`safemig: ${basename(file.fsPath)} verified: DOWN undoes UP${report.idempotent === false ? ' (UP is not idempotent)' : ''}.`);
      } else {
        const what = report.differences.length > 0 ? report.differences[0] + (report.differences.length > 1 ? ` (and ${report.differences.length - 1} more)` : '') : report.steps.flatMap((s) => s.lines)[0];
        showError(ctx, `safemig: verify of ${basename(file.fsPath)} failed: ${what}`);
      }
      return report;
    }, log);
  });
}

export async function migrationStatus(ctx: CommandContext, arg?: unknown): Promise<StatusReport | undefined> {
  const file = await commandFile(arg, 'status');
  if (!file) return undefined;
  return exclusive(ctx, 'status', async () => {
    setUp(ctx);
    const settings = await settingsFor(file);
    const fs = new DiskFileSystem();
    const dir = locateInFolder(file.fsPath, fs)?.dir ?? dirname(file.fsPath);
    const choice = chooseTarget({ configuredUrl: settings.config.database.url, configuredSource: settings.urlSource });
    const log = logTo(ctx);
    return withCancellableProgress(`status of ${dir}`, async () => {
      const target = await open(ctx, choice, settings.config.database, log);
      if (!target) return undefined;
      try {
        const report = await status({ target, fs, config: settings.config, dir });
        for (const line of formatStatus(report).trimEnd().split('\n')) log.log(line);
        const count = (s: string) => report.entries.filter((e) => e.state === s).length;
        void vscode.window
          .showInformationMessage(`safemig: ${count('applied') + count('changed')} applied (${count('changed')} changed since), ${count('pending')} pending on ${report.target}.`, 'Show Output')
          .then((pick) => pick && ctx.output.show(true));
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
    const settings = await settingsFor(uri);
    choice = chooseTarget({ configuredUrl: settings.config.database.url, configuredSource: settings.urlSource });
  } catch (error) {
    showError(ctx, `safemig: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (choice.kind === 'embedded') {
    void vscode.window.showInformationMessage('safemig: no database server is configured (safemig.database.url, .safemig.json database.url, DATABASE_URL): the embedded database needs no password.');
    return;
  }
  const password = await askPassword(choice, 'Stored in VS Code\'s secret storage, never in settings.');
  if (password === undefined) return;
  await ctx.extension.secrets.store(secretKey(choice), password);
  void vscode.window.showInformationMessage(`safemig: password for ${connectionLabel(choice)} stored in VS Code's secret storage.`);
}

// ---------------------------------------------------------------------------------------------

/** Opens the target after the guard; undefined when the user declined. Says which target it is. */
async function open(ctx: CommandContext, choice: TargetChoice, config: DatabaseConfig, log: Progress): Promise<Target | undefined> {
  if (choice.kind === 'embedded') {
    const base = ctx.extension.storageUri ?? ctx.extension.globalStorageUri;
    const dir = join(base.fsPath, 'pglite');
    log.log(`embedded database in ${dir} (${choice.source}; for a PostgreSQL server set safemig.database.url, .safemig.json database.url or DATABASE_URL)`);
    if (!embedded || embedded.dir !== dir) {
      const opening = openTarget(choice, { config, embeddedDir: dir, cacheDir: cacheDir(ctx) });
      embedded = { dir, target: opening };
      opening.catch(() => {
        if (embedded?.target === opening) embedded = undefined;
      });
    }
    return embedded.target;
  }
  let declined = false;
  const consent = async (message: string) => {
    const ok = await confirm(message, 'safemig runs migrations on dev databases. Run on this one anyway?', 'Run on This Database');
    declined = !ok;
    return ok;
  };
  const secrets = ctx.extension.secrets;
  const key = secretKey(choice);
  let stored = await secrets.get(key);
  let typed: string | undefined;
  const password = async () => {
    if (stored !== undefined) return stored;
    typed = await askPassword(choice, `${choice.host}:${choice.port} asks for it; it is kept in VS Code's secret storage.`);
    return typed;
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const target = await openTarget(choice, { config, embeddedDir: '', cacheDir: cacheDir(ctx), consent, password });
      if (typed !== undefined) await secrets.store(key, typed);
      return target;
    } catch (error) {
      if (error instanceof GuardRefusal && declined) {
        log.log(`not run: ${connectionLabel(choice)} was not confirmed as a dev database`);
        return undefined;
      }
      // A stored password that no longer works: forget it and ask once.
      if (error instanceof ConnectionError && error.reason === 'auth' && stored !== undefined && attempt === 0) {
        await secrets.delete(key);
        stored = undefined;
        continue;
      }
      throw error;
    }
  }
  return undefined;
}

function askPassword(conn: ServerConnection, prompt: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: `safemig: password for ${connectionLabel(conn)}`, prompt, password: true, ignoreFocusOut: true });
}

function secretKey(conn: ServerConnection): string {
  return SECRET_PREFIX + connectionLabel(conn);
}

function cacheDir(ctx: CommandContext): string {
  return ctx.extension.globalStorageUri.fsPath;
}

function showMigrateResult(report: MigrateReport, collection: vscode.DiagnosticCollection, ctx: CommandContext): void {
  const name = label(report.id);
  const run = report.run;
  if (report.outcome === 'declined' || !run) return;
  if (run.failure) setDiagnostic(collection, run.failure, report.command);
  if (report.outcome === 'applied' || report.outcome === 'rolled back') {
    const changes = report.changes.length === 0 ? 'no schema change' : `${report.changes.length} schema change${report.changes.length === 1 ? '' : 's'}`;
    void vscode.window
      .showInformationMessage(`safemig: ${report.outcome} ${name} on ${report.target} (${run.outcomes.length} statements, ${formatMs(run.ms)}; ${changes}).`, 'Show Output')
      .then((pick) => pick && ctx.output.show(true));
  } else if (report.outcome === 'cancelled') {
    void vscode.window.showWarningMessage(`safemig: ${report.command} of ${name} cancelled: ${run.transaction ? 'rolled back, nothing applied' : 'see the output for what ran'}.`);
  } else {
    const f = run.failure;
    showError(ctx, `safemig: ${report.command} of ${name} failed at line ${(f?.range.start.line ?? 0) + 1}: ${f?.message} — ${run.transaction ? 'rolled back, nothing applied' : 'see the output for what ran'}.`);
  }
}

function setDiagnostic(collection: vscode.DiagnosticCollection, f: RunFailure, command: string): void {
  const range = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
  const message = [f.message, f.detail && `Detail: ${f.detail}`, f.hint && `Hint: ${f.hint}`, f.where && `Where: ${f.where}`].filter(Boolean).join('\n');
  const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = `safemig ${command}`;
  if (f.code) diagnostic.code = f.code;
  const uri = vscode.Uri.file(f.path);
  collection.set(uri, [...(collection.get(uri) ?? []), diagnostic]);
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
  if (typeof arg === 'string' && arg !== '') return arg.includes(':') && !/^[a-zA-Z]:[\\/]/.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  return undefined;
}

function trusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage(`safemig: cannot ${what} in an untrusted workspace: the database commands run the workspace's SQL and are disabled until you trust it (Workspaces: Manage Workspace Trust).`);
  return false;
}

interface FileSettings {
  config: ReturnType<ConfigResolver['resolve']>['config'];
  /** Where `database.url` came from, for messages. */
  urlSource: string;
}

/** `.safemig.json` of the file under the editor's `safemig.*` settings (database URL and timeouts, convention). */
async function settingsFor(uri: vscode.Uri | undefined): Promise<FileSettings> {
  await initParser();
  const settings = vscode.workspace.getConfiguration('safemig', uri);
  const database: Partial<DatabaseConfig> = {};
  const url = settings.get<string | null>('database.url');
  if (url) database.url = url;
  const lockTimeout = settings.get<string | null>('database.lockTimeout');
  if (lockTimeout) database.lockTimeout = lockTimeout;
  const statementTimeout = settings.get<string | null>('database.statementTimeout');
  if (statementTimeout) database.statementTimeout = statementTimeout;
  const convention = settings.get<string | null>('convention');
  const overrides = { database: database as DatabaseConfig, ...(convention && convention !== 'auto' ? { convention: convention as ConventionName } : {}) };
  const resolver = new ConfigResolver(new DiskFileSystem(), overrides);
  const path = uri?.scheme === 'file' ? uri.fsPath : join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(), 'any.sql');
  const resolved = resolver.resolve(path);
  if (resolved.error) throw resolved.error;
  return { config: resolved.config, urlSource: url ? 'the safemig.database.url setting' : resolved.file ? `${resolved.file} database.url` : 'database.url' };
}

function logTo(ctx: CommandContext): Progress {
  ctx.output.show(true);
  return { log: (line) => ctx.output.appendLine(line) };
}

async function exclusive<T>(ctx: CommandContext, name: string, body: () => Promise<T>): Promise<T | undefined> {
  if (running) {
    void vscode.window.showWarningMessage(`safemig: wait for ${running} to finish (one database command at a time).`);
    return undefined;
  }
  running = name;
  try {
    return await body();
  } catch (error) {
    reportError(ctx, name, error);
    return undefined;
  } finally {
    running = undefined;
  }
}

/** Errors that say what to do are shown as they are; anything else is a bug, shown with the log. */
function reportError(ctx: CommandContext, name: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  ctx.output.appendLine(`safemig ${name}: ${error instanceof Error && !(error instanceof PlanError || error instanceof ConnectionError || error instanceof GuardRefusal || error instanceof ConfigError) ? error.stack : message}`);
  showError(ctx, `safemig ${name}: ${message}`);
}

function showError(ctx: CommandContext, message: string): void {
  void vscode.window.showErrorMessage(message, 'Show Output').then((pick) => pick && ctx.output.show(true));
}

function confirm(message: string, detail: string, action: string): Promise<boolean> {
  return Promise.resolve(vscode.window.showWarningMessage(message, { modal: true, detail }, action)).then((pick) => pick === action);
}

type ProgressStep = (message: string, done: number, total: number) => void;

/** A cancellable notification; cancelling aborts the running statement (the transaction rolls back). */
function withCancellableProgress<T>(title: string, body: (progress: { step: ProgressStep }, signal: AbortSignal) => Promise<T>, log: Progress): Thenable<T> {
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
