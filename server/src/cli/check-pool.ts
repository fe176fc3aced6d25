/**
 * Lints many files on all cores. The file list is cut into small contiguous batches; this thread
 * and worker threads (each loading the parser once) take the next batch from a shared counter
 * until none is left, so a core that drew heavy files does not hold the others up. Reports come
 * back in the order of the list. Workers start while the files are still being found, so their
 * start-up overlaps the search; small runs stay in this thread, where starting workers would
 * cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/config';
import { initParser } from '../sql/pg';
import { ConfigResolver } from '../workspace/settings';
import { DiskFileSystem, Listing } from '../workspace/node-fs';
import { checkFile } from './check-file';
import type { FileReport } from './output';

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
  fixedConfig?: string;
  overrides: Partial<Config>;
}

/** Reports of the batches one thread took, by batch index. */
type BatchReports = [number, FileReport[]][];

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
  ) {}

  /** `found` files are known so far: start the worker threads that many files are worth. */
  found(found: number): void {
    const threads = Math.min(this.cores, MAX_THREADS, Math.floor(found / MIN_FILES_PER_THREAD));
    if (threads >= 2 && this.workers.length === 0) tuneForBatch();
    while (this.workers.length < threads - 1) this.workers.push(new CheckWorker());
  }

  /** Lints every job, in this thread and the started workers; reports in the order of `jobs`. */
  async run(jobs: CheckJob[], listings: Listing[] = []): Promise<FileReport[]> {
    this.found(jobs.length);
    const task: WorkerTask = { jobs, listings, nextBatch: new SharedArrayBuffer(4), fixedConfig: this.fixedConfig, overrides: this.overrides };
    const theirs = this.workers.map((worker) => worker.run(task));
    // This thread takes batches too (from the first, while the workers may still be starting).
    const mine = checkBatches(task, this.workers.length > 0 ? new Int32Array(task.nextBatch) : undefined);
    const batches = [mine, ...(await Promise.all(theirs))].flat();
    return batches.sort((a, b) => a[0] - b[0]).flatMap(([, reports]) => reports);
  }
}

/**
 * A batch run is short, and every thread compiles the engine anew. By default V8 optimises hot
 * functions so early that it keeps throwing the code away as new kinds of statements show up,
 * and recompiling took about as much CPU as linting. Optimising a little later, with less
 * inlining, cut the corpus run by a quarter (bench/). Workers started afterwards share the flags.
 */
function tuneForBatch(): void {
  setFlagsFromString('--interrupt-budget=1000000');
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
}

/** Lints batches until none is left: the next one from `next` when shared, else all in order. */
function checkBatches(task: WorkerTask, next?: Int32Array): BatchReports {
  const { jobs } = task;
  const fs = new DiskFileSystem();
  fs.know(task.listings);
  const resolver = new ConfigResolver(fs, task.overrides, task.fixedConfig);
  const done: BatchReports = [];
  for (let batch = next ? Atomics.add(next, 0, 1) : 0; batch * BATCH_SIZE < jobs.length; batch = next ? Atomics.add(next, 0, 1) : batch + 1) {
    const slice = jobs.slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE);
    done.push([batch, slice.map((job) => checkFile(job.path, job.shown, fs, resolver))]);
  }
  return done;
}

/** A worker thread that loads the parser at once and lints when it is sent its task. */
class CheckWorker {
  // A larger young generation than the default: each file's parse tree is garbage once the next
  // file is read, and fewer scavenges copy it around before that.
  private readonly worker = new Worker(__filename, { workerData: { safemigCheckWorker: true }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  private readonly result: Promise<BatchReports>;

  constructor() {
    this.result = new Promise((resolve, reject) => {
      this.worker.once('message', (message: { batches?: BatchReports; error?: string }) => {
        if (message.error) reject(new Error(message.error));
        else resolve(message.batches ?? []);
      });
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => {
        if (code !== 0) reject(new Error(`a check worker stopped with exit code ${code}`));
      });
    });
    // Until it is sent its task, the worker must not keep the process alive (the search may
    // fail). After the listeners: adding a message listener holds the process again.
    this.worker.unref();
  }

  run(task: WorkerTask): Promise<BatchReports> {
    this.worker.ref();
    this.worker.postMessage(task);
    return this.result;
  }
}

/** In a worker thread started by a CheckPool (the bundle starts itself), lint the task's batches. */
export function runCheckWorkerIfAny(): boolean {
  if (isMainThread || !(workerData as { safemigCheckWorker?: boolean } | undefined)?.safemigCheckWorker) return false;
  const parser = initParser();
  parentPort!.once('message', (task: WorkerTask) => {
    parser
      .then(() => parentPort!.postMessage({ batches: checkBatches(task, new Int32Array(task.nextBatch)) }))
      .catch((error: Error) => parentPort!.postMessage({ error: error.stack ?? error.message }));
  });
  return true;
}
