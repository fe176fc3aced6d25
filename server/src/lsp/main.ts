/** The safemig language server: diagnostics and quick fixes for migration files, over LSP. */
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  Hover,
  Position,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Config, ConfigError } from '../config/config';
import { initParser } from '../sql/pg';
import { InitializationOptions, settingIn, SETTINGS_SECTION, settingsToOverrides, SHADOW_STATUS_NOTIFICATION } from '../protocol';
import { findingOf, toCodeActions, toDiagnostics } from './convert';
import { codeLensesOf } from './codelens';
import { DocumentState, TextShift, Workspace } from './documents';
import { LintScheduler } from './scheduler';
import { hoverAt } from './hover';
import { documentSymbols, foldingRanges } from './symbols';
import { EditorShadows } from './shadows';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let roots: string[] = [];
const workspace = new Workspace((uri) => documents.get(uri), () => roots);

let pullsConfiguration = false;
const settingsCache = new Map<string, Promise<FolderSettings>>();
const reportedConfigErrors = new Set<string>();

/** The shadow schema runs in a trusted workspace only (the client says; another editor is taken as trusted). */
let shadows: EditorShadows | undefined;

connection.onInitialize(async (params) => {
  await initParser();
  const init = (params.initializationOptions ?? {}) as InitializationOptions;
  if (init.trusted !== false) {
    shadows = new EditorShadows({
      workspace,
      documents: () => documents.all(),
      stateOf: stateFor,
      publish: (document, state) => connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: toDiagnostics(state.result?.findings ?? [], document.version, document.uri) }),
      status: (status) => void connection.sendNotification(SHADOW_STATUS_NOTIFICATION, status).catch(() => undefined),
      log: (message) => connection.console.error(message),
      storage: init.storage,
    });
  }
  pullsConfiguration = params.capabilities.workspace?.configuration === true;
  roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  if (roots.length === 0 && params.rootUri) roots = [fileURLToPath(params.rootUri)];
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      hoverProvider: true,
    },
    serverInfo: { name: 'safemig' },
  };
});

connection.onInitialized(() => {
  if (pullsConfiguration) connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
});

interface FolderSettings {
  enabled: boolean;
  overrides: Partial<Config>;
}

/**
 * The editor's `safemig.*` settings for a document, pulled once per workspace folder (settings
 * are per folder in practice) and cached until they change, so opening a file costs no round trip.
 */
function settingsFor(uri: string): Promise<FolderSettings> {
  if (!pullsConfiguration) return Promise.resolve({ enabled: true, overrides: {} });
  const folder = roots.map((root) => pathToFileURL(root).toString()).find((root) => uri.startsWith(`${root}/`)) ?? uri;
  let pending = settingsCache.get(folder);
  if (!pending) {
    pending = connection.workspace.getConfiguration({ scopeUri: folder, section: SETTINGS_SECTION }).then(
      (settings: unknown) => {
        const enabled = settingIn(settings, 'enable') !== false;
        try {
          return { enabled, overrides: settingsToOverrides((key) => settingIn(settings, key)) };
        } catch (error) {
          if (error instanceof ConfigError) reportConfigError(error);
          return { enabled, overrides: {} };
        }
      },
      () => ({ enabled: true, overrides: {} }),
    );
    settingsCache.set(folder, pending);
  }
  return pending;
}

/** A document's lint state for editor features (hover, outline, lenses): parsed once per version. */
async function stateFor(document: TextDocument): Promise<DocumentState | undefined> {
  const settings = await settingsFor(document.uri);
  return settings.enabled ? workspace.stateOf(document, settings.overrides) : undefined;
}

function reportConfigError(error: ConfigError): void {
  if (reportedConfigErrors.has(error.message)) return;
  reportedConfigErrors.add(error.message);
  connection.window.showErrorMessage(`safemig: invalid configuration: ${error.message}`);
  connection.console.error(`safemig: invalid configuration: ${error.message}`);
}

const scheduler = new LintScheduler(validate);

async function validate(uri: string, neighbourChanged: boolean): Promise<void> {
  if (neighbourChanged) workspace.forget(uri);
  const document = documents.get(uri);
  if (!document) return;
  const settings = await settingsFor(uri);
  const current = documents.get(uri);
  if (!current) return;
  try {
    const state = settings.enabled ? workspace.stateOf(current, settings.overrides) : undefined;
    if (state?.resolved.error) reportConfigError(state.resolved.error);
    if (state?.failed) connection.console.error(`safemig: could not lint ${uri}: ${describe(state.failed.error)}`);
    const findings = state?.result?.findings ?? state?.failed?.findings ?? [];
    await connection.sendDiagnostics({ uri, version: current.version, diagnostics: toDiagnostics(findings, current.version, uri) });
    // After the static diagnostics, never before: the shadow's come when they come.
    if (state?.result) shadows?.changed(state);
  } catch (error) {
    // A bug on one document must not take the server down: say so and keep serving.
    connection.console.error(`safemig: could not lint ${uri}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function revalidateAll(): void {
  for (const document of documents.all()) scheduler.changed(document.uri);
}

/**
 * Other migrations read this one: its twin checks it as a rollback, later migrations read the
 * types it gives. Its unsaved text counts for them, so the open migrations near it (its folder's
 * folder: a migration may be a folder of its own) are linted again after it, except those of an
 * earlier version, which do not read it.
 */
function revalidateNeighbours(uri: string): void {
  const near = grandparentOf(uri);
  const version = versionOf(uri);
  for (const document of documents.all()) {
    if (document.uri === uri || grandparentOf(document.uri) !== near) continue;
    const other = versionOf(document.uri);
    if (version !== undefined && other !== undefined && other < version) continue;
    scheduler.neighbourChanged(document.uri);
  }
}

function grandparentOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/', uri.lastIndexOf('/') - 1));
}

/**
 * The version a migration's name begins with (`0042_x.sql`, `20240101120000_x/up.sql`,
 * `V3__x.sql`); undefined when it has none (`rollback_001_x.sql`), so it stays a neighbour.
 */
function versionOf(uri: string): bigint | undefined {
  const [file, folder] = uri.split('/').reverse();
  const digits = (/^V?(\d+)[_.-]/.exec(file) ?? /^(\d+)[_.-]/.exec(folder ?? ''))?.[1];
  return digits === undefined ? undefined : BigInt(digits);
}

// The documents' change event also comes for an opening, which changes no text: not an edit.
const opening = new Set<string>();
documents.onDidOpen((e) => opening.add(e.document.uri));
documents.onDidChangeContent((e) => {
  scheduler.changed(e.document.uri);
  if (!opening.delete(e.document.uri)) revalidateNeighbours(e.document.uri);
});
documents.onDidClose((e) => {
  workspace.forget(e.document.uri);
  scheduler.forget(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(() => undefined);
  shadows?.closed();
  // Its unsaved text, if any, is gone: the disk's counts again.
  revalidateNeighbours(e.document.uri);
});

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  reportedConfigErrors.clear();
  workspace.invalidate();
  shadows?.reset();
  revalidateAll();
});

connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) {
    if (change.uri.startsWith('file:')) workspace.invalidate(fileURLToPath(change.uri));
  }
  if (params.changes.some((c) => c.uri.endsWith('.safemig.json'))) {
    reportedConfigErrors.clear();
    shadows?.reset();
  }
  revalidateAll();
});

connection.onCodeAction(async (params) => {
  if (params.context.only && !params.context.only.some((kind) => kind === CodeActionKind.QuickFix || kind.startsWith(`${CodeActionKind.QuickFix}.`))) return [];
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  // No lint for this: while one is due, only the current version's result serves (else the diagnostics are stale).
  const state = scheduler.isPending(document.uri) ? workspace.cached(document.uri) : await stateFor(document);
  const findings = state?.version === document.version ? state.result?.findings : undefined;
  if (!findings) return [];
  // Diagnostics of an older version get no actions: the editor asks again once they are replaced.
  return params.context.diagnostics.flatMap((diagnostic) => {
    const finding = findingOf(diagnostic, document.version, findings);
    return finding ? toCodeActions(diagnostic, finding) : [];
  });
});

// Lenses, outline and folding wait for a lint due rather than run one out of turn.
connection.onCodeLens(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  await scheduler.idle(document.uri);
  const state = await stateFor(document);
  return state ? codeLensesOf(state) : [];
});

// Outline and folding of migration files, from the same per-version lint result.
connection.onDocumentSymbol(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (document) await scheduler.idle(document.uri);
  const migration = document && (await stateFor(document))?.result?.migration;
  return migration ? documentSymbols(migration) : null;
});

connection.onFoldingRanges(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (document) await scheduler.idle(document.uri);
  const migration = document && (await stateFor(document))?.result?.migration;
  return migration ? foldingRanges(migration) : null;
});

// What a statement does to production: its lock, what that blocks, rewrite or scan.
connection.onHover(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const cached = workspace.cached(document.uri);
  // While the current version waits for its lint, answer from the last result where the text is unchanged.
  if (cached?.result && cached.version !== document.version && scheduler.isPending(document.uri)) return hoverSince(cached, document, params.position);
  const state = await stateFor(document);
  const hover = state?.result && hoverAt(state.result, state.resolved.config, params.position, workspace.fs);
  return hover ? { contents: { kind: 'markdown', value: hover.markdown }, range: hover.range } : null;
});

function hoverSince(state: DocumentState, document: TextDocument, position: Position): Hover | null {
  const { migration } = state.result!;
  const shift = new TextShift(migration.text, document.getText());
  const offset = shift.toOlder(document.offsetAt(position));
  const hover = offset !== undefined ? hoverAt(state.result!, state.resolved.config, migration.lines.positionAt(offset), workspace.fs) : undefined;
  if (!hover) return null;
  const start = shift.toNewer(migration.lines.offsetAt(hover.range.start));
  const end = shift.toNewer(migration.lines.offsetAt(hover.range.end));
  // A statement the edit went through is not the statement it was: no answer until it is linted.
  if (start === undefined || end === undefined) return null;
  return { contents: { kind: 'markdown', value: hover.markdown }, range: { start: document.positionAt(start), end: document.positionAt(end) } };
}

documents.listen(connection);
connection.listen();
