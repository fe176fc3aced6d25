/**
 * The shadow schema in the language server. Static diagnostics never wait for it: once a
 * migration's are published, its folder's shadow run is scheduled after a pause in typing; its
 * findings are merged into the document's diagnostics if the document is still at the version
 * they were computed for (an edit meanwhile supersedes them: the next run follows the running one,
 * whose result is dropped). One shadow per migration folder (a worker thread holding PGlite,
 * shadow/session.ts), made when a file of it is opened, kept while files of it are open: the
 * newest open migration is probed against the state before it, the earlier open ones checked on
 * the way. The status goes to the client (SHADOW_STATUS_NOTIFICATION).
 */
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigError } from '../config/config';
import { defaultCacheDir } from '../database/embedded';
import { locateInFolder } from '../database/history';
import { lint } from '../lint/lint';
import type { ShadowStatus } from '../protocol';
import { isBaselineFile, readBaseline } from '../shadow/baseline';
import type { ShadowResults } from '../shadow/findings';
import { FolderSession } from '../shadow/session';
import type { Step } from '../shadow/worker';
import type { DocumentState, Workspace } from './documents';

/** The pause in typing before the shadow runs. */
const PAUSE_MS = 300;
/** Progress is told at most this often. */
const PROGRESS_EVERY_MS = 250;
/**
 * Shadows holding a live database (a PGlite takes 250 to 300 MB): beyond this, the folder used
 * least recently lets its worker go; its state is on disk (the shadow cache), and its next run
 * starts from there.
 */
const LIVE_SHADOWS = 2;

interface Folder {
  session: FolderSession;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  /** An edit came in while a run was going: run again after it. */
  again: boolean;
  /** When it last ran (performance.now()). */
  used: number;
}

export interface ShadowHost {
  workspace: Workspace;
  documents: () => TextDocument[];
  /** The document's current lint state (undefined: not a migration, or linting is off). */
  stateOf(document: TextDocument): Promise<DocumentState | undefined>;
  /** Publishes a document's diagnostics from these findings (static and shadow). */
  publish(document: TextDocument, state: DocumentState): Promise<void>;
  status(status: ShadowStatus): void;
  log(message: string): void;
  /** Where the cache is kept (workspace storage); none: the per-user cache folder. */
  storage?: string;
}

export class EditorShadows {
  private readonly folders = new Map<string, Folder>();

  constructor(private readonly host: ShadowHost) {}

  /** A migration's static diagnostics were published: schedule its folder's shadow. */
  changed(state: DocumentState): void {
    if (!state.result || !state.resolved.config.shadow) return;
    const place = locateInFolder(state.path, this.host.workspace.fs);
    if (!place) return;
    const base = state.resolved.file ? dirname(state.resolved.file) : '';
    if (isBaselineFile(state.path, state.resolved.config, base)) return;
    let folder = this.folders.get(place.dir);
    if (!folder) {
      folder = { session: this.session(place.dir, state), again: false, used: 0 };
      this.folders.set(place.dir, folder);
    }
    this.schedule(place.dir, folder);
  }

  /** A document closed: a folder with no open file left lets its shadow go. */
  closed(): void {
    for (const [dir, folder] of this.folders) {
      if (this.openIn(dir).length > 0) continue;
      clearTimeout(folder.timer);
      this.folders.delete(dir);
      folder.session.terminate();
      this.host.status({ folder: dir, state: 'closed' });
    }
  }

  /** Settings or files changed: every shadow is made afresh (the cache keeps what still holds). */
  reset(): void {
    for (const [dir, folder] of this.folders) {
      clearTimeout(folder.timer);
      folder.session.terminate();
      this.host.status({ folder: dir, state: 'closed' });
    }
    this.folders.clear();
  }

  private session(dir: string, state: DocumentState): FolderSession {
    const { config } = state.resolved;
    const baseline = readBaseline(state.resolved, this.host.workspace.fs);
    let told = 0;
    return new FolderSession(
      {
        folder: dir,
        cacheDir: defaultCacheDir(),
        complete: baseline.length > 0,
        baseline,
        convention: config.convention,
        timeoutSeconds: config.shadowTimeout,
        storage: this.host.storage ?? defaultCacheDir(),
      },
      (done, total) => {
        const now = performance.now();
        if (done < total && now - told < PROGRESS_EVERY_MS) return;
        told = now;
        if (done < total) this.host.status({ folder: dir, state: 'replaying', done, total });
      },
    );
  }

  private schedule(dir: string, folder: Folder): void {
    clearTimeout(folder.timer);
    folder.timer = setTimeout(() => {
      folder.timer = undefined;
      if (folder.running) folder.again = true;
      else folder.running = this.run(dir, folder);
    }, PAUSE_MS);
  }

  private openIn(dir: string): TextDocument[] {
    return this.host.documents().filter((d) => {
      if (!d.uri.startsWith('file:')) return false;
      const folder = dirname(fileURLToPath(d.uri));
      return folder === dir || folder.startsWith(`${dir}/`);
    });
  }

  /** Lets the least recently used idle shadows go, so that at most LIVE_SHADOWS - 1 others stay live. */
  private makeRoom(dir: string): void {
    const others = [...this.folders].filter(([other, f]) => other !== dir && f.session.holdsDatabase && !f.running).sort((a, b) => a[1].used - b[1].used);
    const live = [...this.folders].filter(([other, f]) => other !== dir && f.session.holdsDatabase).length;
    for (const [, f] of others.slice(0, Math.max(0, live - (LIVE_SHADOWS - 1)))) f.session.terminate();
  }

  private async run(dir: string, folder: Folder): Promise<void> {
    try {
      folder.again = false;
      folder.used = performance.now();
      this.makeRoom(dir);
      const place = locateInFolder(this.openIn(dir).map((d) => fileURLToPath(d.uri))[0] ?? dir, this.host.workspace.fs);
      const open = new Map(this.openIn(dir).map((d) => [fileURLToPath(d.uri), d]));
      if (!place || open.size === 0) return;
      const versions = new Map([...open].map(([path, d]) => [path, d.version]));
      const overlay = Object.fromEntries([...open].map(([path, d]) => [path, d.getText()]));
      const filesOf = (entry: (typeof place.migrations)[number]) => [entry.files.single, entry.files.up, entry.files.down].filter((f): f is string => f !== undefined);
      const last = place.migrations.reduce((found, entry, i) => (filesOf(entry).some((f) => open.has(f)) ? i : found), -1);
      const steps: Step[] = [];
      for (const [i, entry] of place.migrations.slice(0, last + 1).entries()) {
        const path = entry.files.single ?? entry.files.up;
        if (!path) continue;
        steps.push({ path, mode: i === last ? 'probe' : filesOf(entry).some((f) => open.has(f)) ? 'check' : 'replay' });
      }
      let results: ShadowResults;
      try {
        results = await folder.session.run(steps, overlay);
      } catch (error) {
        if (this.folders.get(dir) !== folder) return;
        const message = error instanceof Error ? error.message : String(error);
        this.host.log(`safemig: the shadow schema of ${dir} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
        this.host.status({ folder: dir, state: 'failed', message });
        return;
      }
      if (this.folders.get(dir) !== folder) return;
      let incomplete = false;
      for (const [path, document] of open) {
        const file = results.get(path);
        if (!file) continue;
        if (file.incomplete && file.incomplete.ranTooLong === undefined) incomplete = true;
        // Superseded: the document changed since; its next run publishes.
        if (document.version !== versions.get(path) || this.host.documents().find((d) => d.uri === document.uri)?.version !== document.version) continue;
        const state = await this.host.stateOf(document);
        if (!state?.result || state.version !== document.version) continue;
        state.result = lint(path, document.getText(), this.host.workspace.fs, state.resolved.config, { shadow: file });
        await this.host.publish(document, state);
      }
      const first = [...open.values()][0];
      const resolved = first && (await this.host.stateOf(first))?.resolved;
      this.host.status(incomplete ? { folder: dir, state: 'incomplete', dump: resolved && dumpCommand(resolved) } : { folder: dir, state: 'ready' });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.host.status({ folder: dir, state: 'failed', message: error.message });
    } finally {
      folder.running = undefined;
      if (folder.again && this.folders.get(dir) === folder) folder.running = this.run(dir, folder);
    }
  }
}

/** `safemig schema dump` writing the baseline the config names (or db/baseline.sql beside it). */
function dumpCommand(resolved: DocumentState['resolved']): ShadowStatus['dump'] {
  if (!resolved.file) return undefined;
  const cwd = dirname(resolved.file);
  const out = resolved.config.baseline[0] ?? relative(cwd, `${cwd}/db/baseline.sql`);
  return { cwd, args: ['schema', 'dump', '--out', out] };
}
