/**
 * The host side of the shadow's worker (worker.ts): starts it, sends it requests one at a time,
 * and watches it. PGlite cannot interrupt a statement, and `statement_timeout` does not fire in
 * it (its timers never run while a statement holds the thread), so a statement that never ends
 * (`LOOP END LOOP`, `pg_sleep(1e6)`, a recursive CTE without end) would hang the CLI or the
 * editor for good; a migration in a cloned repository is enough. The watchdog ends the worker
 * when one call to the database has run longer than the bound, and the request fails with
 * RanTooLong, saying where.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HEARTBEAT_BUSY, HEARTBEAT_CALLS, Running, ShadowEvent, ShadowRequest, WorkerMessage } from './worker';

/** A statement ran longer than the bound; the worker was ended (its shadow is gone). */
export class RanTooLong extends Error {
  constructor(
    readonly seconds: number,
    /** The statement (or part) that was running, when the worker said. */
    readonly running: Running | undefined,
  ) {
    super(`a statement ran longer than ${seconds} s in the shadow`);
  }
}

/** The worker's bundle beside this one (dist/), or the source when run from the sources (tests). */
function workerEntry(): { code: string; eval?: boolean } {
  if (!__filename.endsWith('.ts')) return { code: join(__dirname, 'shadow-worker.js') };
  // From the sources (tests) the worker needs the TypeScript loader first: a worker does not take `--import`.
  return { code: `require('tsx/cjs'); require(${JSON.stringify(join(__dirname, 'worker.ts'))});`, eval: true };
}

const WATCH_EVERY_MS = 250;

export class ShadowWorker {
  private readonly worker: Worker;
  private readonly heartbeat = new Int32Array(new SharedArrayBuffer(8));
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;
  private running?: Running;
  private ended?: Error;
  private readonly watch: NodeJS.Timeout;

  /** `timeoutSeconds`: the bound on one call to the database; `onEvent`: the worker's progress. */
  constructor(
    private readonly timeoutSeconds: number,
    private readonly onEvent: (event: ShadowEvent) => void = () => undefined,
  ) {
    const entry = workerEntry();
    this.worker = new Worker(entry.code, { eval: entry.eval, workerData: { safemigShadowWorker: true, heartbeat: this.heartbeat.buffer } });
    this.worker.on('message', (message: WorkerMessage) => this.take(message));
    this.worker.on('error', (error) => this.end(error));
    this.worker.on('exit', (code) => this.end(new Error(`the shadow's worker stopped (exit code ${code})`)));
    // Idle, it must not keep the process alive; while a request is pending it does.
    this.worker.unref();
    let calls = -1;
    let since = performance.now();
    this.watch = setInterval(() => {
      const now = performance.now();
      const seen = Atomics.load(this.heartbeat, HEARTBEAT_CALLS);
      if (seen !== calls || Atomics.load(this.heartbeat, HEARTBEAT_BUSY) === 0) {
        calls = seen;
        since = now;
      } else if (now - since > this.timeoutSeconds * 1000) {
        this.end(new RanTooLong(this.timeoutSeconds, this.running));
      }
    }, WATCH_EVERY_MS);
    this.watch.unref();
  }

  request<T = unknown>(request: ShadowRequest): Promise<T> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, request });
    });
  }

  /** Closes the shadow and ends the worker. */
  async close(): Promise<void> {
    if (this.ended) return;
    await this.request({ op: 'close' }).catch(() => undefined);
    this.end(new Error('the shadow was closed'));
  }

  /** Ends the worker at once (a statement running in it does not stop otherwise). */
  terminate(): void {
    this.end(new Error('the shadow was closed'));
  }

  private take(message: WorkerMessage): void {
    if ('event' in message) {
      if ('running' in message.event) this.running = message.event.running;
      else this.running = undefined;
      this.onEvent(message.event);
      return;
    }
    const waiting = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.error !== undefined) waiting?.reject(new Error(message.error));
    else waiting?.resolve(message.result);
  }

  private end(error: Error): void {
    if (this.ended) return;
    this.ended = error;
    clearInterval(this.watch);
    void this.worker.terminate();
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

