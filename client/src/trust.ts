/**
 * Workspace Trust: the commands that run the workspace's SQL or write files from its own
 * configuration and template (the database commands, New Migration) refuse in an untrusted
 * workspace, saying why; package.json also disables them there (`enablement`).
 */
import * as vscode from 'vscode';

export function requireTrust(what: string, why: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage(`safemig: cannot ${what} in an untrusted workspace (${why}). Trust it first: Workspaces: Manage Workspace Trust.`);
  return false;
}
