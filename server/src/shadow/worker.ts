/**
 * The shadow's worker thread: it holds one folder's FolderShadow (PGlite) and runs what the host
 * (host.ts) sends, so that a statement that never ends blocks this thread, not the CLI's or the
 * language server's, and the host can end it. Everything crossing the boundary is plain JSON.
 * Before each call to the database the worker bumps a shared counter: the host's watchdog sees
 * a call that does not return.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Target } from '../database/target';
import type { ConventionName } from '../migration/model';
import { readMigration } from '../migration/migration';
import { initParser } from '../sql/pg';
import { DiskFileSystem } from '../workspace/node-fs';
import type { BaselineFile } from './baseline';
import { ShadowFile, ShadowResults } from './findings';
import { FolderShadow, SavedShadow } from './shadow';
import { baselineStatements, shadowPart } from './statements';

/** What a step does with a migration: replay (add its UP part), check (and add), probe (check, add nothing), forget (it could not run). */
export type StepMode = 'replay' | 'check' | 'probe' | 'forget';

export interface Step {
  /** The migration's file (its UP part's). */
  path: string;
  mode: StepMode;
  /** For `forget`: why it could not run. */
  why?: string;
}

export type ShadowRequest =
  | { op: 'open'; cacheDir: string; complete: boolean; baseline: BaselineFile[]; from?: SavedShadow }
  /** Runs `steps` in order; texts of open documents in `overlay` win over the disk. */
  | { op: 'advance'; steps: Step[]; convention: ConventionName | 'auto'; overlay: Record<string, string> }
  /** The key of the state after each step: a hash of `base` and every step's files (UP, DOWN twin) so far. */
  | { op: 'chain'; steps: Step[]; convention: ConventionName | 'auto'; overlay: Record<string, string>; base: string }
  | { op: 'save'; dataDir: string }
  | { op: 'close' };

/** A span of a file, for where a statement was running. */
export interface Running {
  path: string;
  start: number;
  end: number;
}

export type ShadowEvent =
  /** Step `index` of the current `advance` is done; its findings by file. */
  | { step: number; files: [string, ShadowFile][] }
  /** A statement of a migration is sent to the database (the watchdog's "where"). */
  | { running: Running };

export type WorkerMessage = { id: number; result?: unknown; error?: string } | { event: ShadowEvent };

/** The shared heartbeat: [0] counts calls to the database, [1] is 1 while one runs. */
export const HEARTBEAT_CALLS = 0;
export const HEARTBEAT_BUSY = 1;

interface WorkerData {
  safemigShadowWorker: true;
  heartbeat: SharedArrayBuffer;
}

class ShadowService {
  private shadow?: FolderShadow;
  /** The statements of the migration being run, by the text sent (a part runs in one call first). */
  private spans = new Map<string, Running>();

  constructor(
    private readonly heartbeat: Int32Array,
    private readonly emit: (event: ShadowEvent) => void,
  ) {}

  async handle(request: ShadowRequest): Promise<unknown> {
    switch (request.op) {
      case 'open': {
        await this.shadow?.close();
        this.shadow = await FolderShadow.open({ cacheDir: request.cacheDir, complete: request.complete, from: request.from, wrap: (db) => this.watched(db) });
        if (!request.from) await this.shadow.applyBaseline(request.baseline.flatMap((file) => baselineStatements(file.path, file.text)));
        return null;
      }
      case 'advance':
        return this.advance(request.steps, request.convention, request.overlay);
      case 'chain':
        return chainOf(request.steps, request.convention, request.overlay, request.base);
      case 'save':
        return this.opened().save(request.dataDir);
      case 'close':
        await this.shadow?.close();
        this.shadow = undefined;
        return null;
    }
  }

  private async advance(steps: Step[], convention: ConventionName | 'auto', overlay: Record<string, string>): Promise<null> {
    const shadow = this.opened();
    const fs = new DiskFileSystem((path) => overlay[path]);
    for (const [index, step] of steps.entries()) {
      const text = fs.readFile(step.path);
      const results: ShadowResults = new Map();
      if (text !== undefined) {
        const migration = readMigration(step.path, text, fs, { convention });
        if (step.mode === 'forget') shadow.forget(migration, step.why ?? '');
        else {
          const { spans, whole } = spansOf(migration);
          this.spans = spans;
          // Until a statement of it is sent: its UP part as a whole.
          if (whole) this.emit({ running: whole });
          if (step.mode === 'replay') await shadow.replay(migration);
          else if (step.mode === 'check') await shadow.check(migration, results);
          else await shadow.probe(migration, results);
          this.spans.clear();
        }
      }
      this.emit({ step: index, files: [...results] });
    }
    return null;
  }

  private opened(): FolderShadow {
    if (!this.shadow) throw new Error('the shadow is not open');
    return this.shadow;
  }

  /** The database, with each call counted on the heartbeat and its statement's span told. */
  private watched(db: Target): Target {
    const around = async <T>(sql: string, call: () => Promise<T>): Promise<T> => {
      const running = this.spans.get(sql);
      if (running) this.emit({ running });
      Atomics.add(this.heartbeat, HEARTBEAT_CALLS, 1);
      Atomics.store(this.heartbeat, HEARTBEAT_BUSY, 1);
      try {
        return await call();
      } finally {
        Atomics.store(this.heartbeat, HEARTBEAT_BUSY, 0);
      }
    };
    return {
      kind: db.kind,
      serverVersion: db.serverVersion,
      describe: () => db.describe(),
      run: (sql, signal) => around(sql, () => db.run(sql, signal)),
      query: (sql, params) => around(sql, () => db.query(sql, params)),
      onNotice: (listener) => db.onNotice(listener),
      close: () => db.close(),
    };
  }
}

/** Each step's key: the previous key, its file's name and text, its twin's text (what the step runs). */
function chainOf(steps: Step[], convention: ConventionName | 'auto', overlay: Record<string, string>, base: string): string[] {
  const fs = new DiskFileSystem((path) => overlay[path]);
  let key = createHash('sha1').update(base).update(pgliteVersion()).digest('hex');
  return steps.map((step) => {
    const text = fs.readFile(step.path);
    const twin = text === undefined ? undefined : readMigration(step.path, text, fs, { convention }).twinText();
    key = createHash('sha1').update(`${key}\0${step.path}\0${text ?? '\u0001'}\0${twin ?? '\u0001'}`).digest('hex');
    return key;
  });
}

/** The PGlite package's version (another PostgreSQL build: another catalog). */
function pgliteVersion(): string {
  try {
    let dir = dirname(require.resolve('@electric-sql/pglite'));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

/** Each statement of a migration's parts by its text, and each part as one call (the statements joined as FolderShadow runs them). */
function spansOf(migration: Parameters<typeof shadowPart>[0]): { spans: Map<string, Running>; whole?: Running } {
  const spans = new Map<string, Running>();
  let whole: Running | undefined;
  for (const direction of ['up', 'down'] as const) {
    const part = shadowPart(migration, direction);
    if (!part || part.statements.length === 0) continue;
    for (const s of part.statements) if (!spans.has(s.sql)) spans.set(s.sql, { path: s.path, start: s.start, end: s.end });
    const first = part.statements[0];
    const last = part.statements[part.statements.length - 1];
    const joined = part.statements.map((s) => s.sql).join(';\n');
    const span = { path: first.path, start: first.start, end: last.path === first.path ? last.end : first.end };
    if (!spans.has(joined)) spans.set(joined, span);
    whole ??= span;
  }
  return { spans, whole };
}

/** In a worker thread started by host.ts: serve requests until told to close. */
function serve(): void {
  const data = workerData as WorkerData;
  const port = parentPort!;
  const post = (message: WorkerMessage) => port.postMessage(message);
  const service = new ShadowService(new Int32Array(data.heartbeat), (event) => post({ event }));
  const parser = initParser();
  // One request at a time, in order: the host waits for each.
  let queue: Promise<unknown> = parser;
  port.on('message', ({ id, request }: { id: number; request: ShadowRequest }) => {
    queue = queue.then(() =>
      service.handle(request).then(
        (result) => post({ id, result }),
        (error: unknown) => post({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      ),
    );
  });
}

if (!isMainThread && (workerData as Partial<WorkerData> | undefined)?.safemigShadowWorker) serve();
