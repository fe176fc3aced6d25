/**
 * The server's view of the workspace: open documents over the disk, configuration per file, and
 * one lint result per document version (parsed once, shared by every feature).
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname } from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Config } from '../config/config';
import { Finding, internalError, lint, LintResult } from '../lint/lint';
import { ConfigResolver, configBase, isBeforeStart, isMigrationFile, ResolvedConfig } from '../workspace/settings';
import { DiskFileSystem } from '../workspace/node-fs';

export interface DocumentState {
  uri: string;
  path: string;
  version: number;
  resolved: ResolvedConfig;
  /** Undefined when the document is not a migration (it is left alone), or when linting it failed. */
  result?: LintResult;
  /** Linting it failed (a bug in safemig): the error, and the `internal-error` finding that says so. */
  failed?: { error: unknown; findings: Finding[] };
}

export class Workspace {
  readonly fs: DiskFileSystem;
  private resolvers = new Map<string, ConfigResolver>();
  private readonly states = new Map<string, DocumentState>();

  constructor(
    private readonly openText: (uri: string) => TextDocument | undefined,
    private readonly roots: () => string[],
  ) {
    this.fs = new DiskFileSystem((path) => this.openText(pathToFileURL(path).toString())?.getText());
  }

  /** The lint result of a document's current version, computed at most once per version. */
  stateOf(document: TextDocument, overrides: Partial<Config>): DocumentState | undefined {
    if (!document.uri.startsWith('file:')) return undefined;
    const cached = this.states.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const path = fileURLToPath(document.uri);
    const resolved = this.resolver(overrides).resolve(path);
    const text = document.getText();
    const base = configBase(resolved, this.rootOf(path));
    const state: DocumentState = { uri: document.uri, path, version: document.version, resolved };
    // Before `startAfter`: context for the later ones (read from the disk or the editor), never reported.
    if (isMigrationFile(path, text, resolved.config, base, this.fs) && !isBeforeStart(path, resolved.config)) {
      try {
        state.result = lint(path, text, this.fs, resolved.config);
      } catch (error) {
        // Cached like a result: the same text fails the same way, and the editor asks again and again.
        state.failed = { error, findings: internalError(resolved.config, error) };
      }
    }
    this.states.set(document.uri, state);
    return state;
  }

  cached(uri: string): DocumentState | undefined {
    return this.states.get(uri);
  }

  forget(uri: string): void {
    this.states.delete(uri);
  }

  /** Files or settings changed: drop every cache so the next lint reads afresh. */
  invalidate(path?: string): void {
    this.fs.invalidate(path);
    this.resolvers.clear();
    this.states.clear();
  }

  private resolver(overrides: Partial<Config>): ConfigResolver {
    const key = JSON.stringify(overrides);
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      resolver = new ConfigResolver(this.fs, overrides);
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }

  private rootOf(path: string): string {
    return this.roots().find((root) => path.startsWith(root + '/')) ?? dirname(path);
  }
}

/**
 * Offsets between an older text of a document and its current one, outside the span edited in
 * between (the texts' common prefix and suffix); inside it there is no answer. Lets hover answer
 * from the last lint result while the current version waits for its own.
 */
export class TextShift {
  private readonly prefix: number;
  private readonly suffix: number;

  constructor(
    private readonly older: string,
    private readonly newer: string,
  ) {
    const shortest = Math.min(older.length, newer.length);
    let prefix = 0;
    while (prefix < shortest && older.charCodeAt(prefix) === newer.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < shortest - prefix && older.charCodeAt(older.length - 1 - suffix) === newer.charCodeAt(newer.length - 1 - suffix)) suffix++;
    this.prefix = prefix;
    this.suffix = suffix;
  }

  toOlder(offset: number): number | undefined {
    return this.map(offset, this.newer.length, this.older.length);
  }

  toNewer(offset: number): number | undefined {
    return this.map(offset, this.older.length, this.newer.length);
  }

  private map(offset: number, fromLength: number, toLength: number): number | undefined {
    if (offset <= this.prefix) return offset;
    if (offset >= fromLength - this.suffix) return offset - fromLength + toLength;
    return undefined;
  }
}
