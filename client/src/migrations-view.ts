/**
 * The Migrations view (explorer): each migrations folder of the workspace and its migrations with
 * their state on the folder's target. Status is read quietly: no prompt and no guard consent of
 * its own (a server that needs either shows "not connected — click to connect", which runs the
 * connect command), and never while a database command runs. Read again after every database
 * command and when migration files, `.safemig.json` or the settings change.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  ConfigResolver,
  ConnectionError,
  connectionLabel,
  DiskFileSystem,
  findMigrationFolders,
  GuardRefusal,
  label,
  MigrateReport,
  MigrationFolder,
  RunnerReport,
  runsOnUp,
  status,
  StatusReport,
  TargetChoice,
} from '../../server/src/api';
import { COMMANDS, MigrationItemState, MIGRATIONS_VIEW, VIEW_ITEMS } from '../../server/src/protocol';
import { migrationFileFilter } from './authoring';
import { CommandRun, DatabaseSession } from './database/commands';
import { settingsFor, targetChoice } from './database/target';
import { editorOverrides } from './settings';

/** A migrations folder as last read. */
export interface FolderState {
  folder: MigrationFolder;
  /** Where its status was read: `embedded`, or the server as `user@host:port/db` (never a password). */
  target: string;
  report?: StatusReport;
  /** Why there is no report: `connect` when the connect command (a prompt, the guard's question) would get one. */
  problem?: { connect: boolean; message: string };
}

/** Files whose change can change what the view shows. */
const WATCHED = ['**/*.sql', '**/.safemig.json', '**/sqitch.plan', '**/metadata.toml'];
/** File events come in bursts (a git checkout): one read after them. */
const DEBOUNCE_MS = 300;

type Node = FolderNode | MigrationNode | ProblemNode;

export class MigrationsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private folders: FolderState[] = [];
  private stale = true;
  private loading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Files whose last apply or rollback in this editor failed (nothing recorded): shown as failed until they change or run. */
  private readonly failures = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Fired after each read (the status bar item). */
  readonly onDidRead = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly session: DatabaseSession) {
    this.disposables.push(
      vscode.window.createTreeView(MIGRATIONS_VIEW.id, { treeDataProvider: this, showCollapseAll: true }),
      session.onDidRun((run) => {
        this.noteFailures(run);
        this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('safemig')) return;
        this.failures.clear();
        this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
    for (const glob of WATCHED) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      const changedFile = (uri: vscode.Uri) => {
        this.failures.delete(uri.fsPath);
        this.refresh();
      };
      this.disposables.push(watcher, watcher.onDidCreate(changedFile), watcher.onDidChange(changedFile), watcher.onDidDelete(changedFile));
    }
    void this.current();
  }

  /** Reads again soon (debounced). */
  refresh(): void {
    this.stale = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.current(), DEBOUNCE_MS);
  }

  /** The folders as last read; read first when stale (unless a database command runs: its end reads again). */
  async current(): Promise<FolderState[]> {
    if (this.stale && !this.loading) this.loading = this.load().finally(() => (this.loading = undefined));
    await this.loading;
    return this.folders;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return (await this.current()).map((f) => new FolderNode(f));
    if (!(node instanceof FolderNode)) return [];
    const { state } = node;
    if (!state.report) return [new ProblemNode(state)];
    const dir = state.report.dir;
    const migrations = state.report.entries.map((e) => {
      const path = join(dir, e.file);
      const failure = e.state === 'pending' ? this.failures.get(path) : undefined;
      const shown: MigrationItemState = failure !== undefined ? 'failed' : e.repeatable && e.state === 'changed' ? 'rerun' : e.state;
      // Recorded by the team's runner, not by safemig: its own words ("applied by goose at …").
      const description = e.runner ? (e.state === 'partial' ? `partly applied: ${e.runner}` : shown === 'rerun' ? `${e.runner}: Apply runs it again` : e.runner) : describe(shown, e.appliedAt, failure ?? e.partial);
      const item: MigrationItemState = shown === 'rerun' ? 'rerun' : e.runner ? 'runner' : e.repeatable && shown === 'applied' ? 'repeatable' : shown;
      return new MigrationNode(`${dir}\0${e.file}`, e.file, item, description, vscode.Uri.file(path), e.note);
    });
    const missing = state.report.unknown.map((r) => new MigrationNode(`${dir}\0${label(r)}`, label(r), 'missing', `applied ${when(r.appliedAt)}, file missing`, undefined));
    return [...migrations, ...missing];
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private async load(): Promise<void> {
    this.stale = false;
    const read = this.session.read(() => readFolders(this.session));
    if (!read) {
      this.stale = true;
      return;
    }
    try {
      this.folders = await read;
    } catch (error) {
      // A bug, not a database's answer (those are each folder's problem): say it in the view.
      this.folders = this.folders.map((f) => ({ ...f, report: undefined, problem: { connect: false, message: error instanceof Error ? error.message : String(error) } }));
    }
    this.changed.fire(undefined);
    if (this.stale) this.refresh();
  }

  /** Remembers which migration's last apply or rollback failed (one file's, or Apply All Pending's); a later success clears it. */
  private noteFailures(run: CommandRun): void {
    if (!run.result || typeof run.result !== 'object') return;
    const runner = run.result as Partial<RunnerReport>;
    const reports = Array.isArray(runner.done) ? [...runner.done, ...(runner.stopped ? [runner.stopped] : [])] : [run.result as MigrateReport];
    for (const report of reports) {
      if (typeof report.path !== 'string') continue;
      if (report.outcome === 'failed') this.failures.set(report.path, report.run?.failure?.message ?? 'failed');
      else if (report.outcome === 'applied' || report.outcome === 'rolled back') this.failures.delete(report.path);
    }
    // Refused before it ran (the gate, a partly applied one): no MigrateReport, only the reason.
    if (runner.failed && !runner.stopped) this.failures.set(runner.failed.file, runner.failed.message);
  }
}

/** The workspace's migrations folders (as New Migration finds them) and each one's status on its target. */
async function readFolders(session: DatabaseSession): Promise<FolderState[]> {
  if (!vscode.workspace.isTrusted) return [];
  const fs = new DiskFileSystem();
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const found = roots.flatMap((root) => findMigrationFolders(root.uri.fsPath, fs, { accept: migrationFileFilter(fs, new ConfigResolver(fs, editorOverrides(root.uri))) }));
  const out: FolderState[] = [];
  for (const folder of found) out.push(await readFolder(session, folder, fs));
  return withoutOthersRecords(out);
}

/**
 * A target's history holds the records of all its folders: a folder's "applied, file missing"
 * are only those that no folder on the same target has a migration for.
 */
function withoutOthersRecords(folders: FolderState[]): FolderState[] {
  const key = (target: string, id: { version: string; name: string }) => `${target}\0${id.version}\0${id.name}`;
  const known = new Set(folders.flatMap((f) => f.report?.entries.map((e) => key(f.target, e.id)) ?? []));
  return folders.map((f) => (f.report ? { ...f, report: { ...f.report, unknown: f.report.unknown.filter((r) => !known.has(key(f.target, r))) } } : f));
}

async function readFolder(session: DatabaseSession, folder: MigrationFolder, fs: DiskFileSystem): Promise<FolderState> {
  let choice: TargetChoice | undefined;
  try {
    const settings = await settingsFor(vscode.Uri.file(join(folder.dir, 'any.sql')));
    choice = targetChoice(settings);
    const target = await session.targets.open(choice, settings, { log: () => undefined }, 'quiet');
    if (!target) return { folder, target: targetName(choice), problem: { connect: true, message: 'not connected' } };
    try {
      return { folder, target: targetName(choice), report: await status({ target, fs, config: settings.config, dir: folder.dir }) };
    } finally {
      if (target.kind === 'server') await target.close();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // What the connect command's prompts answer: the guard's question, a password.
    const connect = error instanceof GuardRefusal || (error instanceof ConnectionError && (error.reason === 'password-required' || error.reason === 'auth'));
    return { folder, target: choice ? targetName(choice) : 'no target', problem: { connect, message } };
  }
}

/** A target as the view and the status bar name it: never with a password. */
export function targetName(choice: TargetChoice): string {
  return choice.kind === 'embedded' ? 'embedded' : connectionLabel(choice);
}

/** Migrations of a folder that Apply All runs (a failed one is still pending; a changed repeatable one runs again). */
export function pendingCount(state: FolderState): number {
  return state.report?.entries.filter(runsOnUp).length ?? 0;
}

export class FolderNode extends vscode.TreeItem {
  /** The folder, for the commands its inline actions run. */
  readonly dir: string;

  constructor(readonly state: FolderState) {
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    super(vscode.workspace.asRelativePath(state.folder.dir, multiRoot), vscode.TreeItemCollapsibleState.Expanded);
    this.dir = state.folder.dir;
    this.id = `folder\0${state.folder.dir}`;
    this.contextValue = VIEW_ITEMS.folder;
    this.iconPath = new vscode.ThemeIcon('folder');
    const pending = pendingCount(state);
    this.description = `${state.target} · ${state.report ? `${pending} pending` : state.problem?.connect ? 'not connected' : 'cannot read status'}`;
    this.tooltip = `${state.folder.dir}\n${state.folder.convention}, ${state.folder.count} migration${state.folder.count === 1 ? '' : 's'}\nstatus on ${state.report?.target ?? state.target}`;
  }
}

export class MigrationNode extends vscode.TreeItem {
  constructor(
    id: string,
    name: string,
    readonly state: MigrationItemState,
    description: string,
    /** The migration's UP (or only) file: what the inline Apply, Roll back and Verify run. */
    readonly resourceUri: vscode.Uri | undefined,
    note?: string,
  ) {
    super(name, vscode.TreeItemCollapsibleState.None);
    this.id = id;
    this.contextValue = VIEW_ITEMS.migration(state);
    this.description = description;
    this.tooltip = [`${name}: ${description}`, note].filter(Boolean).join('\n');
    this.iconPath = ICONS[state];
    if (resourceUri) this.command = { command: 'vscode.open', title: 'Open', arguments: [resourceUri] };
  }
}

/** "Not connected — click to connect", or why the status could not be read. */
export class ProblemNode extends vscode.TreeItem {
  constructor(state: FolderState) {
    const connect = state.problem?.connect ?? false;
    super(connect ? 'Not connected — click to connect' : `Cannot read status: ${state.problem?.message}`, vscode.TreeItemCollapsibleState.None);
    this.id = `problem\0${state.folder.dir}`;
    this.description = connect ? state.target : undefined;
    this.tooltip = `${state.problem?.message}\nClick to connect (safemig asks what it needs: the password, or whether this database is a dev database).`;
    this.iconPath = new vscode.ThemeIcon(connect ? 'plug' : 'error', connect ? undefined : new vscode.ThemeColor('errorForeground'));
    this.command = { command: COMMANDS.connectDatabase.id, title: 'Connect', arguments: [state.folder.dir] };
  }
}

const ICONS: Record<MigrationItemState, vscode.ThemeIcon> = {
  applied: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  pending: new vscode.ThemeIcon('circle-large-outline'),
  changed: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  partial: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  missing: new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground')),
  runner: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  repeatable: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  rerun: new vscode.ThemeIcon('sync', new vscode.ThemeColor('list.warningForeground')),
};

function describe(state: MigrationItemState, appliedAt: Date | undefined, detail: string | undefined): string {
  switch (state) {
    case 'applied':
      return `applied ${when(appliedAt)}`;
    case 'changed':
      return `changed since applied ${when(appliedAt)}`;
    case 'rerun':
      return `changed since applied ${when(appliedAt)}: Apply runs it again`;
    case 'partial':
      return `partly applied: ${detail ?? 'it stopped half way'}`;
    case 'failed':
      return `failed: ${detail}`;
    default:
      return state;
  }
}

/** `2026-12-03 18:40` (UTC, as the CLI's status prints it). */
function when(date: Date | undefined): string {
  return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}
