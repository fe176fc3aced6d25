/** The editor's `safemig.*` settings as a config layer over `.safemig.json`: protocol.ts maps and validates them. */
import * as vscode from 'vscode';
import type { Config } from '../../server/src/api';
import { SETTINGS_SECTION, settingsToOverrides } from '../../server/src/protocol';

/** The settings that apply to `scope` (a file or folder); throws the ConfigError of an invalid one. */
export function editorOverrides(scope: vscode.Uri | undefined): Partial<Config> {
  const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return settingsToOverrides((key) => settings.get(key));
}
