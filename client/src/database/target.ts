/**
 * Where the database commands run: the target the settings choose, the workspace's embedded
 * database (opened once, kept open until the extension stops), and a server's password in VS
 * Code's secret storage, asked again once when the stored one stops working.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  chooseTarget,
  CONFIG_FILE_NAME,
  ConfigResolver,
  connectionLabel,
  ConnectionError,
  DatabaseConfig,
  DiskFileSystem,
  GuardRefusal,
  guardSettings,
  initParser,
  openTarget,
  readBaseline,
  openThrowawayEmbedded,
  Progress,
  ResolvedConfig,
  ServerConnection,
  Target,
  TargetChoice,
} from '../../../server/src/api';
import type { BaselineFile } from '../../../server/src/api';
import { editorOverrides } from '../settings';
import { confirm } from './ui';

const SECRET_PREFIX = 'safemig.databasePassword:';

export interface FileSettings {
  config: ResolvedConfig['config'];
  /** Where `database.url` came from, for messages. */
  urlSource: string;
  /** The workspace file's keys that would have relaxed the production guard, ignored: said when a server is opened. */
  guardIgnored: string[];
  /** The configured baseline, read: what a new embedded or throwaway database starts from. */
  baseline: BaselineFile[];
}

/** `.safemig.json` of the file (the first workspace folder's without one) under the editor's `safemig.*` settings. */
export async function settingsFor(uri: vscode.Uri | undefined): Promise<FileSettings> {
  await initParser();
  const overrides = editorOverrides(uri);
  const resolver = new ConfigResolver(new DiskFileSystem(), overrides);
  const path = uri?.scheme === 'file' ? uri.fsPath : join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(), 'any.sql');
  const resolved = resolver.resolve(path);
  if (resolved.error) throw resolved.error;
  const urlSource = overrides.database?.url ? 'the safemig.database.url setting' : resolved.file ? `${resolved.file} database.url` : 'database.url';
  // The guard takes nothing that relaxes it from the repository's .safemig.json (a cloned one must
  // not aim safemig at production); the editor has no user-level guard setting, so nothing relaxes it here.
  const guard = guardSettings(resolved.file ? resolver.loadStrict(resolved.file).database : undefined, {}, resolved.file ?? CONFIG_FILE_NAME);
  const config = { ...resolved.config, database: { ...resolved.config.database, allowHosts: guard.allowHosts, productionPattern: guard.productionPattern } };
  return { config, urlSource, guardIgnored: guard.ignored, baseline: readBaseline(resolved, new DiskFileSystem()) };
}

/** The target a file's settings choose: a server (the settings', the config's or DATABASE_URL) or the embedded database. */
export function targetChoice(settings: FileSettings): TargetChoice {
  return chooseTarget({ configuredUrl: settings.config.database.url, configuredSource: settings.urlSource });
}

/**
 * How a target is opened: `ask` (a command the user ran) asks for the guard's consent and a
 * missing password; `quiet` (the Migrations view reading status on its own) asks nothing: it
 * throws the GuardRefusal or the ConnectionError instead, and uses only a stored password and the
 * consent given to `ask` this session.
 */
export type OpenMode = 'ask' | 'quiet';

export class Targets implements vscode.Disposable {
  /** The workspace's embedded database, opened on first use. */
  private embedded: { dir: string; target: Promise<Target> } | undefined;
  /** Servers the user confirmed (guard consent) this session: the view may read their status without asking again. */
  private readonly consented = new Set<string>();

  constructor(private readonly extension: vscode.ExtensionContext) {}

  /** Opens the target after the guard; undefined when the user declined. Says which target it is. */
  async open(choice: TargetChoice, settings: FileSettings, log: Progress, mode: OpenMode = 'ask'): Promise<Target | undefined> {
    const config: DatabaseConfig = settings.config.database;
    if (choice.kind === 'embedded') {
      const base = this.extension.storageUri ?? this.extension.globalStorageUri;
      const dir = join(base.fsPath, 'pglite');
      log.log(`embedded database in ${dir} (${choice.source}; for a PostgreSQL server set safemig.database.url, .safemig.json database.url or DATABASE_URL)`);
      if (!this.embedded || this.embedded.dir !== dir) {
        const opening = openTarget(choice, { config, embeddedDir: dir, cacheDir: this.cacheDir(), baseline: settings.baseline, log: log.log });
        this.embedded = { dir, target: opening };
        opening.catch(() => {
          if (this.embedded?.target === opening) this.embedded = undefined;
        });
      }
      return this.embedded.target;
    }
    const quiet = mode === 'quiet';
    for (const ignored of settings.guardIgnored) {
      log.log(`warning: ${ignored}`);
      if (!quiet) void vscode.window.showWarningMessage(`safemig: ${ignored}`);
    }
    const name = connectionLabel(choice);
    let declined = false;
    const consent = async (message: string) => {
      if (quiet) return this.consented.has(name);
      const ok = await confirm(message, 'safemig runs migrations on dev databases. Run on this one anyway?', 'Run on This Database');
      declined = !ok;
      if (ok) this.consented.add(name);
      return ok;
    };
    const secrets = this.extension.secrets;
    const key = secretKey(choice);
    let stored = await secrets.get(key);
    let typed: string | undefined;
    const password = async () => {
      if (stored !== undefined || quiet) return stored;
      typed = await askPassword(choice, `${choice.host}:${choice.port} asks for it; it is kept in VS Code's secret storage.`);
      return typed;
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const target = await openTarget(choice, { config, embeddedDir: '', cacheDir: this.cacheDir(), consent, password });
        if (typed !== undefined) await secrets.store(key, typed);
        return target;
      } catch (error) {
        if (error instanceof GuardRefusal && declined) {
          log.log(`not run: ${name} was not confirmed as a dev database`);
          return undefined;
        }
        // A stored password that no longer works: forget it and ask once.
        if (error instanceof ConnectionError && error.reason === 'auth' && stored !== undefined && attempt === 0 && !quiet) {
          await secrets.delete(key);
          stored = undefined;
          continue;
        }
        throw error;
      }
    }
    return undefined;
  }

  /** A fresh embedded database for verify's round trip. */
  openThrowaway(): Promise<Target> {
    return openThrowawayEmbedded({ cacheDir: this.cacheDir() });
  }

  /** Asks for the server's password and keeps it; false when the user cancelled. */
  async askAndStorePassword(conn: ServerConnection): Promise<boolean> {
    const password = await askPassword(conn, 'Stored in VS Code\'s secret storage, never in settings.');
    if (password === undefined) return false;
    await this.extension.secrets.store(secretKey(conn), password);
    return true;
  }

  dispose(): void {
    const open = this.embedded;
    this.embedded = undefined;
    void open?.target.then((t) => t.close()).catch(() => undefined);
  }

  private cacheDir(): string {
    return this.extension.globalStorageUri.fsPath;
  }
}

function askPassword(conn: ServerConnection, prompt: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: `safemig: password for ${connectionLabel(conn)}`, prompt, password: true, ignoreFocusOut: true });
}

function secretKey(conn: ServerConnection): string {
  return SECRET_PREFIX + connectionLabel(conn);
}
