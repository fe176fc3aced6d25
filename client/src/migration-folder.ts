/**
 * A SQL file outside every migration folder is not checked, which a team whose migrations live in
 * an unusual place (`docs/schema_updates/`) would not notice. Opening one offers, once per folder
 * (remembered in the workspace's state), to treat its folder as migrations: the command adds the
 * folder's glob to the `.safemig.json` that applies (created at the workspace folder's root when
 * none does); the server re-lints when that file changes.
 */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { addMigrationFolder, configBase, ConfigResolver, DiskFileSystem, isMigrationFile } from '../../server/src/api';
import { COMMANDS } from '../../server/src/protocol';
import type { CommandContext } from './commands';
import { editorOverrides } from './settings';

export const TREAT_AS_MIGRATIONS = 'Treat this folder as migrations';
/** workspaceState key: the folders already offered (accepted or not). */
const OFFERED_KEY = 'safemig.migrationFolderOffered';

export function offerMigrationFolders(context: vscode.ExtensionContext): void {
  const consider = (document: vscode.TextDocument) => void offer(context, document).catch(() => undefined);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(consider));
  vscode.workspace.textDocuments.forEach(consider);
}

async function offer(context: vscode.ExtensionContext, document: vscode.TextDocument): Promise<void> {
  if (document.uri.scheme !== 'file' || document.languageId !== 'sql') return;
  const path = document.uri.fsPath;
  const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
  if (!root) return;
  const dir = dirname(path);
  const offered = context.workspaceState.get<string[]>(OFFERED_KEY, []);
  if (offered.includes(dir)) return;
  const fs = new DiskFileSystem();
  let resolver: ConfigResolver;
  try {
    resolver = new ConfigResolver(fs, editorOverrides(document.uri));
  } catch {
    return; // Invalid settings: the server reports them.
  }
  const resolved = resolver.resolve(path);
  // With a config that cannot be used, the server says why; adding to it would not help.
  if (resolved.error || isMigrationFile(path, document.getText(), resolved.config, configBase(resolved, root), fs)) return;
  await context.workspaceState.update(OFFERED_KEY, [...offered, dir]);
  const answer = await vscode.window.showInformationMessage(
    `safemig: ${basename(path)} is not in a migration folder, so it is not checked. Treat ${vscode.workspace.asRelativePath(dir)} as a folder of migrations (its glob added to .safemig.json)?`,
    TREAT_AS_MIGRATIONS,
  );
  if (answer === TREAT_AS_MIGRATIONS) await vscode.commands.executeCommand(COMMANDS.treatFolderAsMigrations.id, vscode.Uri.file(dir));
}

/**
 * The command: `arg` is the folder (a Uri or path; a file stands for its folder), else the active
 * editor's folder. Resolves with the config file written, or undefined when nothing was.
 */
export async function treatFolderAsMigrations(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  const given = arg instanceof vscode.Uri ? arg : typeof arg === 'string' && arg !== '' ? vscode.Uri.file(arg) : vscode.window.activeTextEditor?.document.uri;
  if (!given || given.scheme !== 'file') {
    void vscode.window.showErrorMessage('safemig: open a SQL file (or pick a folder) to treat its folder as migrations.');
    return undefined;
  }
  const fs = new DiskFileSystem();
  const dir = fs.isDirectory(given.fsPath) ? given.fsPath : dirname(given.fsPath);
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir))?.uri.fsPath ?? dir;
  try {
    const edit = addMigrationFolder(dir, root, fs);
    await vscode.workspace.fs.writeFile(vscode.Uri.file(edit.file), Buffer.from(edit.text, 'utf8'));
    ctx.output.appendLine(`Treat as migrations: added "${edit.glob}" to "migrations" in ${edit.file}`);
    void vscode.window.showInformationMessage(`safemig: added "${edit.glob}" to "migrations" in ${vscode.workspace.asRelativePath(edit.file)}.`);
    return vscode.Uri.file(edit.file);
  } catch (error) {
    void vscode.window.showErrorMessage(`safemig: could not treat ${vscode.workspace.asRelativePath(dir)} as migrations: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
