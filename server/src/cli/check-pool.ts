/**
 * Lints many files on all cores: the file list is cut into contiguous slices, one per core (this
 * thread and worker threads, each loading the parser once), and the reports come back in order.
 * Small runs stay in this thread, where starting workers would cost more than it saves.
 */
import { availableParallelism } from 'node:os';
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
  fixedConfig?: string;
  overrides: Partial<Config>;
}

const MIN_FILES_PER_WORKER = 150;

export async function checkAll(jobs: CheckJob[], fixedConfig: string | undefined, overrides: Partial<Config> = {}): Promise<FileReport[]> {
  const workers = Math.min(availableParallelism(), 8, Math.floor(jobs.length / MIN_FILES_PER_WORKER));
  if (workers < 2) return checkSlice(jobs, fixedConfig, overrides);
  const size = Math.ceil(jobs.length / workers);
  const slices = Array.from({ length: workers }, (_, i) => jobs.slice(i * size, (i + 1) * size));
  // Worker threads take every slice but the first; this thread, otherwise idle, takes that one.
  const others = slices.slice(1).map((slice) => runWorker({ safemigCheckWorker: true, jobs: slice, fixedConfig, overrides }));
  const first = checkSlice(slices[0], fixedConfig, overrides);
  return [first, ...(await Promise.all(others))].flat();
}

function checkSlice(jobs: CheckJob[], fixedConfig: string | undefined, overrides: Partial<Config>): FileReport[] {
  const fs = new DiskFileSystem();
  const resolver = new ConfigResolver(fs, overrides, fixedConfig);
  return jobs.map((job) => checkFile(job.path, job.shown, fs, resolver));
}

function runWorker(input: WorkerInput): Promise<FileReport[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: input });
    worker.once('message', (message: { reports?: FileReport[]; error?: string }) => {
      if (message.error) reject(new Error(message.error));
      else resolve(message.reports ?? []);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`a check worker stopped with exit code ${code}`));
    });
  });
}

/** In a worker thread started by `checkAll` (the bundle starts itself), lint the slice. */
export function runCheckWorkerIfAny(): boolean {
  if (isMainThread || !(workerData as WorkerInput | undefined)?.safemigCheckWorker) return false;
  const input = workerData as WorkerInput;
  initParser()
    .then(() => parentPort!.postMessage({ reports: checkSlice(input.jobs, input.fixedConfig, input.overrides) }))
    .catch((error: Error) => parentPort!.postMessage({ error: error.stack ?? error.message }));
  return true;
}
