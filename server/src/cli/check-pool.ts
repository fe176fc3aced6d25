/**
 * Lints many files on all cores. The file list is cut into small contiguous batches; this thread
 * and worker threads (each loading the parser once) take the next batch from a shared counter
 * until none is left, so a core that drew heavy files does not hold the others up. Reports come
 * back in the order of the list. Small runs stay in this thread, where starting workers would
 * cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/config';
import { initParser } from '../sql/pg';
import { ConfigResolver } from '../workspace/settings';
import { DiskFileSystem } from '../workspace/node-fs';
import { checkFile } from './check-file';
import type { FileReport } from './output';

export interface CheckJob {
  path: string;
  shown: string;
}

interface WorkerInput {
  safemigCheckWorker: true;
  jobs: CheckJob[];
  /** One Int32: the index of the next batch to take. */
  nextBatch: SharedArrayBuffer;
  fixedConfig?: string;
  overrides: Partial<Config>;
}

/** Reports of the batches one thread took, by batch index. */
type BatchReports = [number, FileReport[]][];

const MIN_FILES_PER_WORKER = 150;
/** Small enough to even out the cores; large enough that a folder's files mostly stay on one. */
const BATCH_SIZE = 16;

export async function checkAll(jobs: CheckJob[], fixedConfig: string | undefined, overrides: Partial<Config> = {}): Promise<FileReport[]> {
  if (jobs.length >= MIN_FILES_PER_WORKER) tuneForBatch();
  const threads = Math.min(availableParallelism(), 8, Math.floor(jobs.length / MIN_FILES_PER_WORKER));
  if (threads < 2) return checkBatches(jobs, fixedConfig, overrides).flatMap(([, reports]) => reports);
  const input: WorkerInput = { safemigCheckWorker: true, jobs, nextBatch: new SharedArrayBuffer(4), fixedConfig, overrides };
  const workers = Array.from({ length: threads - 1 }, () => runWorker(input));
  // This thread, otherwise idle while the workers start, takes batches too.
  const mine = checkBatches(jobs, fixedConfig, overrides, new Int32Array(input.nextBatch));
  const batches = [mine, ...(await Promise.all(workers))].flat();
  return batches.sort((a, b) => a[0] - b[0]).flatMap(([, reports]) => reports);
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

/** Lints batches of `jobs` until none is left: the next one from `next` when shared, else all in order. */
function checkBatches(jobs: CheckJob[], fixedConfig: string | undefined, overrides: Partial<Config>, next?: Int32Array): BatchReports {
  const fs = new DiskFileSystem();
  const resolver = new ConfigResolver(fs, overrides, fixedConfig);
  const done: BatchReports = [];
  for (let batch = next ? Atomics.add(next, 0, 1) : 0; batch * BATCH_SIZE < jobs.length; batch = next ? Atomics.add(next, 0, 1) : batch + 1) {
    const slice = jobs.slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE);
    done.push([batch, slice.map((job) => checkFile(job.path, job.shown, fs, resolver))]);
  }
  return done;
}

function runWorker(input: WorkerInput): Promise<BatchReports> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: input });
    worker.once('message', (message: { batches?: BatchReports; error?: string }) => {
      if (message.error) reject(new Error(message.error));
      else resolve(message.batches ?? []);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`a check worker stopped with exit code ${code}`));
    });
  });
}

/** In a worker thread started by `checkAll` (the bundle starts itself), take batches until none is left. */
export function runCheckWorkerIfAny(): boolean {
  if (isMainThread || !(workerData as WorkerInput | undefined)?.safemigCheckWorker) return false;
  const input = workerData as WorkerInput;
  initParser()
    .then(() => parentPort!.postMessage({ batches: checkBatches(input.jobs, input.fixedConfig, input.overrides, new Int32Array(input.nextBatch)) }))
    .catch((error: Error) => parentPort!.postMessage({ error: error.stack ?? error.message }));
  return true;
}
