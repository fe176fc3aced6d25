/**
 * Lints many files on all cores. The file list is cut into small contiguous batches; this thread
 * and worker threads (each loading the parser once) take the next batch from a shared counter
 * until none is left, so a core that drew heavy files does not hold the others up. Each thread
 * formats the batches it lints, and this thread writes them in the order of the list as they
 * come in, while the rest is still being linted. Workers start while the files are still being
 * found, so their start-up overlaps the search; small runs stay in this thread, where starting
 * workers would cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/config';
import { initParser } from '../sql/pg';
import { ConfigResolver } from '../workspace/settings';
import { DiskFileSystem, Listing } from '../workspace/node-fs';
import { checkFile } from './check-file';
import { addTotals, countReport, FileReport, Format, FORMATS, noTotals, Totals } from './formats';
import { CacheData, CacheDelta, CheckCache, emptyCache, loadCache, RecordingFileSystem, saveCache } from './check-cache';
import type { ShadowResults } from '../shadow/findings';

export interface CheckJob {
  path: string;
  shown: string;
}

/** What a worker is sent once the file list is complete. */
interface WorkerTask {
  jobs: CheckJob[];
  /** Folders the search already listed. */
  listings: Listing[];
  /** One Int32: the index of the next batch to take. */
  nextBatch: SharedArrayBuffer;
  /** The output format, a key of FORMATS. */
  format: string;
  fixedConfig?: string;
  overrides: Partial<Config>;
  /** The shadow schema's findings by path, when it ran. */
  shadow?: ShadowResults;
  /** `--cache`: the cache file. */
  cache?: { file: string };
  /** `--cache`: each job's report from the cache, or null where the job is linted. */
  cached?: (FileReport | null)[];
}

/** A batch linted and formatted: its items joined by the format's separator, its findings counted. */
interface BatchOutput {
  batch: number;
  text: string;
  items: number;
  totals: Totals;
}

/** What a worker posts on its port: each batch when it is done, then the end or why it failed. */
type WorkerMessage = { output: BatchOutput } | { done: true; cache?: CacheDelta } | { error: string };

/** A thread is worth starting for each this many files. */
const MIN_FILES_PER_THREAD = 150;
const MAX_THREADS = 8;
/** Small enough to even out the cores; large enough that a folder's files mostly stay on one. */
const BATCH_SIZE = 16;

export class CheckPool {
  private readonly workers: CheckWorker[] = [];
  private readonly cores = availableParallelism();

  constructor(
    private readonly fixedConfig: string | undefined,
    private readonly overrides: Partial<Config> = {},
    private readonly cache?: WorkerTask['cache'],
  ) {}

  /**
   * `found` files are known so far: start the worker threads that many files are worth. With
   * `--cache`, they wait for the run, which knows how many files the cache does not hold.
   */
  found(found: number): void {
    if (!this.cache) this.startWorkers(found);
  }

  private startWorkers(files: number): void {
    const threads = Math.min(this.cores, MAX_THREADS, Math.floor(files / MIN_FILES_PER_THREAD));
    // A batch run on one core gains as much from the tuning (the corpus on one core: 8.2 s → 5.8 s).
    if (files >= MIN_FILES_PER_THREAD) tuneForBatch();
    while (this.workers.length < threads - 1) this.workers.push(new CheckWorker());
  }

  /**
   * Lints every job, in this thread and the started workers, and writes the report in `format`
   * (a key of FORMATS) through `write`, in the order of `jobs`. When `write` returns false (no
   * one reads any more), no further batch is started. Returns the findings counted (so far).
   */
  async run(jobs: CheckJob[], format: string, write: (text: string) => boolean, listings: Listing[] = [], shadow?: ShadowResults): Promise<Totals> {
    // The shadow's findings depend on the folder's other files and the baseline: a run with it does not use the cache.
    const cache = shadow ? undefined : this.cache;
    // This thread reads the cache once, here, and looks every file up; the workers only lint what it does not hold.
    const data = cache && loadCache(cache.file);
    const task: WorkerTask = { jobs, listings, nextBatch: new SharedArrayBuffer(4), format, fixedConfig: this.fixedConfig, overrides: this.overrides, cache, shadow };
    const state = threadState(task, data);
    task.cached = state.cache && jobs.map((job) => lookup(job, state) ?? null);
    const toLint = task.cached ? task.cached.filter((report) => report === null).length : jobs.length;
    // Compiling the parser's WASM is a good part of a warm run: only when a file is linted.
    if (toLint > 0) await initParser();
    this.startWorkers(toLint);
    const batches = Math.ceil(jobs.length / BATCH_SIZE);
    const nextBatch = new Int32Array(task.nextBatch);
    // Every thread's next claim is then past the end.
    const stop = () => Atomics.store(nextBatch, 0, batches);
    const writer = new OrderedWriter(FORMATS[format], write, stop);
    const add = (output: BatchOutput) => writer.add(output);
    const finished = this.workers.map((worker) => worker.run(task, add));
    // This thread takes batches too (from the first, while the workers may still be starting),
    // and writes what the workers finished meanwhile after each of its own.
    const learnt = checkBatches(task, nextBatch, state, (output) => {
      writer.add(output);
      for (const worker of this.workers) worker.collect();
    });
    const deltas = await Promise.all(finished);
    const totals = writer.finish(batches);
    const fresh = [learnt.delta, ...deltas].filter((d): d is CacheDelta => d !== undefined && Object.keys(d.entries).length > 0);
    // Written only when something was linted afresh: a warm run leaves the cache as it is.
    if (this.cache && data && fresh.length > 0) saveCache(this.cache.file, data, fresh);
    return totals;
  }
}

/** Writes batches in batch order as they come in: the format's head, the items with separators, the tail. */
class OrderedWriter {
  private readonly totals = noTotals();
  private readonly waiting = new Map<number, BatchOutput>();
  private next = 0;
  private items = 0;
  private stopped = false;
  /** The report so far, for a format with a summary, which is written before it at the end. */
  private held = '';

  constructor(
    private readonly format: Format,
    /** False when the text will not be read: nothing more is written, and `stop` is called. */
    private readonly write: (text: string) => boolean,
    private readonly stop: () => void,
  ) {}

  add(output: BatchOutput): void {
    if (this.stopped) return;
    this.waiting.set(output.batch, output);
    let text = '';
    for (let ready = this.waiting.get(this.next); ready; ready = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      if (this.next++ === 0) text += this.format.head;
      if (ready.items > 0) text += (this.items > 0 ? this.format.separator : '') + ready.text;
      this.items += ready.items;
      addTotals(this.totals, ready.totals);
    }
    if (this.format.summary) this.held += text;
    else if (text && !this.write(text)) {
      this.stopped = true;
      this.stop();
    }
  }

  /** Writes the tail once all `batches` are written. */
  finish(batches: number): Totals {
    if (this.stopped) return this.totals;
    if (this.next !== batches) throw new Error(`safemig: ${batches - this.next} of ${batches} batches of files were not checked`);
    const head = batches === 0 ? this.format.head : '';
    if (this.format.summary) this.write(this.format.summary(this.totals) + head + this.held + this.format.tail(this.totals, this.items === 0));
    else this.write(head + this.format.tail(this.totals, this.items === 0));
    return this.totals;
  }
}

/**
 * A batch run is short, and every thread compiles the engine anew. By default V8 optimises hot
 * functions so early that it keeps throwing the code away as new kinds of statements show up,
 * and recompiling took about as much CPU as linting. Optimising a little later, with less
 * inlining, cut the corpus run by a quarter (bench/). Workers started afterwards share the flags.
 */
let tuned = false;
function tuneForBatch(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString('--interrupt-budget=1000000');
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
}

/** What a thread lints with: the disk (each file read once), the configs, and with `--cache` the recording and the cache. */
interface ThreadState {
  fs: DiskFileSystem;
  resolver: ConfigResolver;
  recording: RecordingFileSystem;
  cache?: CheckCache;
}

function threadState(task: WorkerTask, data: CacheData | undefined): ThreadState {
  const fs = new DiskFileSystem();
  fs.know(task.listings);
  const recording = new RecordingFileSystem(fs, data?.stamps);
  return { fs, resolver: new ConfigResolver(fs, task.overrides, task.fixedConfig), recording, cache: data && new CheckCache(data, recording) };
}

/**
 * Lints and formats batches until none is left, each time the one `next` (shared by the threads)
 * holds; a report the cache held is only formatted. With `--cache`, returns what this thread
 * added to the cache.
 */
function checkBatches(task: WorkerTask, next: Int32Array, state: ThreadState, done: (output: BatchOutput) => void): { delta?: CacheDelta } {
  const { jobs } = task;
  const format = FORMATS[task.format];
  for (let batch = Atomics.add(next, 0, 1); batch * BATCH_SIZE < jobs.length; batch = Atomics.add(next, 0, 1)) {
    const items: string[] = [];
    const totals = noTotals();
    for (let i = batch * BATCH_SIZE; i < Math.min(jobs.length, (batch + 1) * BATCH_SIZE); i++) {
      const job = jobs[i];
      const report = task.cached?.[i] ?? (state.cache ? checkFileCached(job, state, state.cache) : checkFile(job.path, job.shown, state.fs, state.resolver, state.fs, task.shadow?.get(job.path)));
      countReport(totals, report);
      for (const item of format.items(report)) items.push(item);
    }
    done({ batch, text: items.join(format.separator), items: items.length, totals });
  }
  return { delta: state.cache?.delta };
}

/** The key of a file the cache can hold (its text and config), or undefined (unreadable, or its config invalid). */
function keyOf(job: CheckJob, state: ThreadState, cache: CheckCache): string | undefined {
  const read = state.fs.readText(job.path);
  const { config, error } = state.resolver.resolve(job.path);
  return 'text' in read && !error ? cache.keyOf(job.path, config) : undefined;
}

/**
 * A file's report from the cache, when the cache holds it and what it depends on is unchanged.
 * The file is not read when its stamp is unchanged: its report was kept only if it was readable.
 */
function lookup(job: CheckJob, state: ThreadState): FileReport | undefined {
  const { config, error } = state.resolver.resolve(job.path);
  if (!state.cache || error) return undefined;
  return state.cache.lookup(job.path, job.shown, state.cache.keyOf(job.path, config));
}

/** A file linted with what it reads recorded, and then kept. */
function checkFileCached(job: CheckJob, state: ThreadState, cache: CheckCache): FileReport {
  const key = keyOf(job, state, cache);
  if (key === undefined) return checkFile(job.path, job.shown, state.fs, state.resolver);
  state.recording.begin();
  const report = checkFile(job.path, job.shown, state.fs, state.resolver, state.recording);
  const deps = state.recording.end();
  // A file the engine failed on is not kept: the failure is a bug, and the next run may not meet it.
  if (report.convention !== 'unknown') cache.store(job.path, key, report, deps);
  return report;
}

/** A worker thread that loads the parser at once and lints when it is sent its task. */
class CheckWorker {
  // A larger young generation than the default: each file's parse tree is garbage once the next
  // file is read, and fewer scavenges copy it around before that.
  private readonly worker = new Worker(__filename, { workerData: { safemigCheckWorker: true }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  private readonly channel = new MessageChannel();
  private add: (output: BatchOutput) => void = () => undefined;
  private settle: { resolve(delta: CacheDelta | undefined): void; reject(error: Error): void } | undefined;
  private readonly ended: Promise<CacheDelta | undefined>;

  constructor() {
    this.ended = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => {
        // Its last messages may not have been delivered yet: the end it posted wins.
        this.collect();
        reject(new Error(`a check worker stopped (exit code ${code}) before it was done`));
      });
    });
    // A worker that fails before it is sent its task is reported when its task is awaited.
    this.ended.catch(() => undefined);
    // Until it is sent its task, the worker must not keep the process alive (the search may fail).
    this.worker.unref();
  }

  /** Sends the task; batch outputs go to `add` as they come. Settles when the worker is done. */
  run(task: WorkerTask, add: (output: BatchOutput) => void): Promise<CacheDelta | undefined> {
    this.add = add;
    this.worker.ref();
    this.channel.port1.on('message', (message: WorkerMessage) => this.take(message));
    this.worker.postMessage({ task, port: this.channel.port2 }, [this.channel.port2]);
    return this.ended.finally(() => this.channel.port1.close());
  }

  /** Takes what the worker posted so far, while this thread is busy and its messages wait. */
  collect(): void {
    for (let m = receiveMessageOnPort(this.channel.port1); m; m = receiveMessageOnPort(this.channel.port1)) this.take(m.message as WorkerMessage);
  }

  private take(message: WorkerMessage): void {
    if ('output' in message) this.add(message.output);
    else if ('done' in message) this.settle?.resolve(message.cache);
    else this.settle?.reject(new Error(message.error));
  }
}

/** In a worker thread started by a CheckPool (the bundle starts itself), lint the task's batches. */
export function runCheckWorkerIfAny(): boolean {
  if (isMainThread || !(workerData as { safemigCheckWorker?: boolean } | undefined)?.safemigCheckWorker) return false;
  const parser = initParser();
  parentPort!.once('message', ({ task, port }: { task: WorkerTask; port: MessagePort }) => {
    const post = (message: WorkerMessage) => port.postMessage(message);
    parser
      .then(() => {
        // A worker lints what the cache did not hold (or no longer holds): it starts from an empty one.
        const learnt = checkBatches(task, new Int32Array(task.nextBatch), threadState(task, task.cache && emptyCache()), (output) => post({ output }));
        post({ done: true, cache: learnt.delta });
      })
      .catch((error: Error) => post({ error: error.stack ?? error.message }));
  });
  return true;
}
