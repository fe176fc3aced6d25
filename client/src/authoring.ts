/**
 * "safemig: New Migration": picks the migrations folder (the one clicked in the explorer, the
 * active file's, or the workspace's; asks when there are several), the convention of an empty
 * folder, and the description; the engine plans the files; this writes them through
 * workspace.fs and opens the new migration with the cursor in its UP part.
 */
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import {
  codeMigrationsIn,
  configBase,
  ConfigResolver,
  describeFolder,
  descriptionProblem,
  DiskFileSystem,
  findMigrationFolders,
  gitAuthor,
  impliedConvention,
  isMigrationFile,
  MigrationFolder,
  migrationFolderOf,
  namePatternWarnings,
  NEW_FOLDER_CHOICES,
  NewMigrationError,
  NewMigrationPlan,
  planNewMigration,
  projectTemplate,
  ResolvedConfig,
  resolveTargetFolder,
} from '../../server/src/api';
import type { CommandContext } from './commands';
import { editorOverrides } from './settings';
import { requireTrust } from './trust';

/** What a caller (a test, another command) may decide instead of the prompts. */
export interface NewMigrationArgs {
  description?: string;
  /** A NEW_FOLDER_CHOICES id or convention name, for an empty folder. */
  convention?: string;
}

/**
 * The command. `target` is the folder clicked in the explorer (a Uri), if any; `options` may hold
 * NewMigrationArgs (the explorer passes the selected Uris there instead). Resolves with the new
 * migration's file, or undefined when the user cancelled or it could not be created.
 */
export async function newMigration(ctx: CommandContext, target?: unknown, options?: unknown): Promise<vscode.Uri | undefined> {
  if (!requireTrust('create a migration', "New Migration writes files from the workspace's own template and configuration")) return undefined;
  try {
    return await run(target instanceof vscode.Uri ? target : undefined, argsOf(options));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.output.appendLine(`New Migration: ${error instanceof Error && !(error instanceof NewMigrationError) ? error.stack : message}`);
    void vscode.window.showErrorMessage(`safemig: ${message}`);
    return undefined;
  }
}

async function run(target: vscode.Uri | undefined, args: NewMigrationArgs): Promise<vscode.Uri | undefined> {
  // Unsaved editors win over the disk (a sqitch.plan being edited).
  const fs = new DiskFileSystem((path) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path)?.getText());
  const resolver = new ConfigResolver(fs, editorOverrides(target ?? vscode.window.activeTextEditor?.document.uri));
  const accept = migrationFileFilter(fs, resolver);

  const dir = await chooseFolder(target, fs, accept);
  if (!dir) return undefined;
  const resolved = resolver.resolve(`${dir}/new-migration.sql`);
  if (resolved.error) throw resolved.error;
  const convention = args.convention ?? configuredConvention(resolved) ?? (impliedConvention(dir, fs) ? undefined : await chooseConvention(dir, fs));
  if (convention === null) return undefined;

  const template = projectTemplate(resolved, workspaceRootOf(dir) ?? dir, fs);
  const author = gitAuthor(existingAncestor(dir, fs));
  const plan = (description: string): NewMigrationPlan => planNewMigration({ dir, description, fs, now: new Date(), author, template: template?.text, convention });

  const description = args.description ?? (await askDescription(dir, plan));
  if (description === undefined) return undefined;
  const problem = descriptionProblem(description);
  if (problem) throw new Error(problem);
  const planned = plan(description);
  await write(planned);
  for (const warning of namePatternWarnings(planned, resolved.config.fileNamePattern)) void vscode.window.showWarningMessage(`safemig: ${warning}`);

  const uri = vscode.Uri.file(planned.cursor.path);
  const document = await vscode.workspace.openTextDocument(uri);
  const position = document.positionAt(planned.cursor.offset);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
  vscode.window.setStatusBarMessage(`safemig: created ${planned.name}`, 5000);
  return uri;
}

/** Whether a file is a migration as the linter sees it (the config's globs): what makes a folder a migrations folder. */
export function migrationFileFilter(fs: DiskFileSystem, resolver: ConfigResolver): (path: string) => boolean {
  return (path) => {
    const resolved = resolver.resolve(path);
    return isMigrationFile(path, fs.readFile(path), resolved.config, configBase(resolved, workspaceRootOf(path) ?? dirname(path)));
  };
}

function argsOf(options: unknown): NewMigrationArgs {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return {};
  const { description, convention } = options as Record<string, unknown>;
  return { description: typeof description === 'string' ? description : undefined, convention: typeof convention === 'string' ? convention : undefined };
}

function configuredConvention(resolved: ResolvedConfig): string | undefined {
  return resolved.config.convention !== 'auto' ? resolved.config.convention : undefined;
}

/** The explorer's folder, else the active migration's folder, else the workspace's migrations folder(s). */
async function chooseFolder(target: vscode.Uri | undefined, fs: DiskFileSystem, accept: (path: string) => boolean): Promise<string | undefined> {
  if (target?.scheme === 'file') {
    const found = resolveTargetFolder(target.fsPath, fs, { accept });
    return found.dir ?? pickFolder(found.candidates);
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') {
    const dir = migrationFolderOf(active.fsPath, fs);
    if (describeFolder(dir, fs)) return dir;
  }
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const found = roots.flatMap((root) => findMigrationFolders(root.uri.fsPath, fs, { accept }));
  if (found.length === 1) return found[0].dir;
  if (found.length > 1) return pickFolder(found);
  const chosen = await vscode.window.showOpenDialog({
    title: 'safemig: no migrations folder found — choose the folder for the new migration',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: roots[0]?.uri,
    openLabel: 'Create the migration here',
  });
  if (!chosen?.[0]) return undefined;
  const again = resolveTargetFolder(chosen[0].fsPath, fs, { accept });
  return again.dir ?? pickFolder(again.candidates);
}

async function pickFolder(folders: MigrationFolder[]): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({
      label: vscode.workspace.asRelativePath(f.dir, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
      description: f.convention,
      detail: `${f.count} migration${f.count === 1 ? '' : 's'}, latest ${f.latest}`,
      dir: f.dir,
    })),
    { title: 'safemig: New Migration', placeHolder: 'Which migrations folder?', matchOnDescription: true },
  );
  return picked?.dir;
}

/** The convention for a folder without (SQL) migrations; null when the user cancelled. */
async function chooseConvention(dir: string, fs: DiskFileSystem): Promise<string | null> {
  const code = codeMigrationsIn(dir, fs);
  if (code.length > 0) {
    const choice = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(dir)} holds migrations written as code (${code[code.length - 1]}). safemig writes SQL migrations: add one here anyway?`,
      { modal: true },
      'Choose a Convention',
    );
    if (choice !== 'Choose a Convention') return null;
  }
  const picked = await vscode.window.showQuickPick(
    NEW_FOLDER_CHOICES.map((c) => ({ label: c.label, description: c.example, id: c.id })),
    { title: `safemig: ${vscode.workspace.asRelativePath(dir)} has no migrations yet`, placeHolder: 'Which convention should its migrations follow?', matchOnDescription: true },
  );
  return picked?.id ?? null;
}

async function askDescription(dir: string, plan: (description: string) => NewMigrationPlan): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `safemig: New Migration in ${vscode.workspace.asRelativePath(dir)}`,
    prompt: 'What does the migration do?',
    placeHolder: 'add retry columns',
    validateInput: (value) => {
      const problem = descriptionProblem(value);
      if (problem) return value === '' ? undefined : problem;
      try {
        // Say which file it will be, without blocking Enter.
        return { message: `Creates ${plan(value).name}`, severity: vscode.InputBoxValidationSeverity.Info };
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
  });
}

/** Creates the planned files (none may exist) and appends the plan's lines; undoes what it did on failure. */
async function write(plan: NewMigrationPlan): Promise<void> {
  for (const file of plan.files) {
    if (await exists(vscode.Uri.file(file.path))) throw new Error(`${file.path} already exists: safemig never overwrites a file.`);
  }
  const created: vscode.Uri[] = [];
  try {
    for (const file of plan.files) {
      const uri = vscode.Uri.file(file.path);
      await vscode.workspace.fs.createDirectory(vscode.Uri.file(dirname(file.path)));
      await vscode.workspace.fs.writeFile(uri, Buffer.from(file.content, 'utf8'));
      created.push(uri);
    }
    for (const append of plan.appends) await appendTo(vscode.Uri.file(append.path), append.text);
  } catch (error) {
    for (const uri of created.reverse()) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    throw error;
  }
}

/** Appends through the editor when the file is open (its unsaved text kept), else on disk. */
async function appendTo(uri: vscode.Uri, text: string): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, open.positionAt(open.getText().length), text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not add the change to ${uri.fsPath}`);
    await open.save();
    return;
  }
  const before = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  await vscode.workspace.fs.writeFile(uri, Buffer.from(before + text, 'utf8'));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function workspaceRootOf(path: string): string | undefined {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path))?.uri.fsPath;
}

function existingAncestor(dir: string, fs: DiskFileSystem): string {
  let cur = dir;
  while (!fs.isDirectory(cur) && dirname(cur) !== cur) cur = dirname(cur);
  return cur;
}
