/**
 * One migration folder's shadow, run in a worker (host.ts) and kept on disk between runs:
 *
 * - Each step's state has a key: a hash of the baseline, the settings, PGlite's version, safemig's
 *   code and every step's files so far (a prefix hash, worker.ts `chainOf`). A migration's
 *   findings depend only on the state before it and its own files: they are kept under the key
 *   after it, so an edit of an earlier migration invalidates only the findings that follow.
 * - The state before the last step is kept as a copy of the shadow's data folder (with what the
 *   shadow knows it lacks), so checking the newest migration again (a re-run, an edit in the
 *   editor) starts there instead of replaying the folder.
 * - A statement that runs longer than the bound ends the worker (RanTooLong): the migration gets
 *   a shadow-incomplete finding there, and the shadow is built again without it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { engineId } from '../cli/check-cache';
import type { ConventionName } from '../migration/model';
import type { BaselineFile } from './baseline';
import { emptyShadowFile, ShadowFile, ShadowResults } from './findings';
import { RanTooLong, ShadowWorker } from './host';
import type { SavedShadow } from './shadow';
import type { Step } from './worker';

export interface FolderSpec {
  /** The folder (its key in the cache). */
  folder: string;
  /** Where PGlite's template is kept. */
  cacheDir: string;
  complete: boolean;
  baseline: BaselineFile[];
  convention: ConventionName | 'auto';
  timeoutSeconds: number;
  /** Where the shadow cache is kept; none: nothing is kept. */
  storage?: string;
}

/** What the cache keeps of a folder. */
interface CacheData {
  /** Each checked step's findings, by the key of the state after it. */
  results: Record<string, [string, ShadowFile][]>;
  /** Saved states by key: the folder of the copy is `state-<key>` beside the file. */
  states: Record<string, SavedShadow['tainted']>;
}

/** Saved states kept per folder: the newest's and the one before (a new migration, an edit of the newest). */
const KEPT_STATES = 2;

export class FolderSession {
  private worker?: ShadowWorker;
  /** The key of the live worker's shadow's state. */
  private live?: { key: string };

  constructor(
    private readonly spec: FolderSpec,
    /** Progress of a run: steps done of the steps to run. */
    private readonly onProgress: (done: number, total: number) => void = () => undefined,
  ) {}

  /**
   * Runs `steps` (migrations in the folder's order: `check` for those to report, `replay` for
   * the others; the last may be `probe`, which leaves the shadow before it) and resolves with the
   * findings of the checked ones.
   */
  async run(steps: Step[], overlay: Record<string, string> = {}): Promise<ShadowResults> {
    const results: ShadowResults = new Map();
    if (steps.length === 0) return results;
    const base = createHash('sha1')
      .update(JSON.stringify([engineId(), this.spec.complete, this.spec.convention, this.spec.timeoutSeconds, this.spec.baseline]))
      .digest('hex');
    const chain = await this.ensureWorker().request<string[]>({ op: 'chain', steps, convention: this.spec.convention, overlay, base });
    const stateBefore = (i: number) => (i === 0 ? `base-${base}` : chain[i - 1]);
    const cache = this.load();
    const todo = steps.map((step, i) => {
      const kept = step.mode === 'check' || step.mode === 'probe' ? cache.results[chain[i]] : undefined;
      if (!kept) return { ...step };
      for (const [path, file] of kept) results.set(path, file);
      return { ...step, mode: step.mode === 'probe' ? ('probe-kept' as const) : ('replay' as const) };
    });
    const first = todo.findIndex((step) => step.mode === 'check' || step.mode === 'probe');
    if (first < 0) return results;
    const last = steps.length - 1;
    /** The findings of each step run now, by step. */
    const fresh = new Map<number, [string, ShadowFile][]>();

    for (;;) {
      // Where to start: the live shadow, a saved state, or the baseline.
      let start = 0;
      let from: SavedShadow | undefined;
      const liveAt = this.live ? stateIndex(this.live.key, chain, base) : undefined;
      const continuing = this.worker !== undefined && liveAt !== undefined && liveAt <= first;
      if (continuing) {
        start = liveAt;
      } else {
        for (let k = first; k > 0; k--) {
          const tainted = cache.states[stateBefore(k)];
          if (tainted && existsSync(this.stateDir(stateBefore(k)))) {
            start = k;
            from = { dataDir: this.stateDir(stateBefore(k)), tainted };
            break;
          }
        }
      }
      let batchStart = start;
      let next = start;
      const worker = this.ensureWorker((index, files) => {
        for (const [path, file] of files) results.set(path, file);
        if (todo[batchStart + index].mode !== 'forget') fresh.set(batchStart + index, files);
        next = batchStart + index + 1;
        this.onProgress(next, steps.length);
      });
      try {
        if (!continuing) {
          await worker.request({ op: 'open', cacheDir: this.spec.cacheDir, complete: this.spec.complete, baseline: this.spec.baseline, from });
          this.live = { key: from ? stateBefore(start) : `base-${base}` };
        }
        // Up to the state before the last step, which is kept; then the last step.
        const runFrom = async (begin: number, end: number) => {
          if (begin >= end) return;
          batchStart = next = begin;
          const batch = todo.slice(begin, end).map((step) => (step.mode === 'probe-kept' ? { ...step, mode: 'replay' as const } : step)) as Step[];
          await worker.request({ op: 'advance', steps: batch, convention: this.spec.convention, overlay });
        };
        this.onProgress(start, steps.length);
        await runFrom(start, last);
        this.live = { key: stateBefore(last) };
        if (this.spec.storage && !cache.states[stateBefore(last)] && last > 0) {
          const saved = await worker.request<SavedShadow>({ op: 'save', dataDir: this.stateDir(stateBefore(last)) });
          cache.states[stateBefore(last)] = saved.tainted;
        }
        if (todo[last].mode !== 'probe-kept') await runFrom(last, last + 1);
        // A probe leaves the shadow where it was.
        if (steps[last].mode !== 'probe') this.live = { key: chain[last] };
        // A probe that was forgotten (it ran too long) marked what it makes as missing: that must not outlive it.
        if (steps[last].mode === 'probe' && todo[last].mode === 'forget') this.terminate();
        this.onProgress(steps.length, steps.length);
        break;
      } catch (error) {
        this.terminate();
        if (!(error instanceof RanTooLong)) throw error;
        // The step that was running: the one after the last that reported.
        const at = next;
        const running = todo[at];
        if (!running) throw error;
        const where = error.running ?? { path: running.path, start: 0, end: 0 };
        const files: [string, ShadowFile][] = [[running.path, emptyShadowFile()], [where.path, { ...emptyShadowFile(), incomplete: { start: where.start, end: where.end, name: '', ranTooLong: error.seconds } }]];
        for (const [path, file] of files) results.set(path, file);
        fresh.set(at, files);
        for (const [i, step] of todo.entries()) if (i < at && step.mode !== 'forget' && step.mode !== 'probe-kept') step.mode = 'replay';
        todo[at] = { path: running.path, mode: 'forget', why: `${basename(where.path)}: a statement ran longer than ${error.seconds} s and was stopped` };
      }
    }
    // Kept: the findings of the steps run now (a probe's too: the next edit may come back to this text).
    for (const [i, files] of fresh) if (steps[i].mode === 'check' || steps[i].mode === 'probe') cache.results[chain[i]] = files;
    this.store(cache, chain, base);
    return results;
  }

  /** A worker (and its database) is running for this folder. */
  get holdsDatabase(): boolean {
    return this.worker !== undefined;
  }

  close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.live = undefined;
    return worker ? worker.close() : Promise.resolve();
  }

  /** Ends the worker at once (a statement of a superseded run may be holding it). */
  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.live = undefined;
  }

  private stepListener?: (index: number, files: [string, ShadowFile][]) => void;

  private ensureWorker(onStep?: (index: number, files: [string, ShadowFile][]) => void): ShadowWorker {
    if (onStep) this.stepListener = onStep;
    this.worker ??= new ShadowWorker(this.spec.timeoutSeconds, (event) => {
      if ('step' in event) this.stepListener?.(event.step, event.files);
    });
    return this.worker;
  }

  private file(): string | undefined {
    return this.spec.storage && join(this.spec.storage, 'shadow', createHash('sha1').update(this.spec.folder).digest('hex').slice(0, 16), 'cache.json');
  }

  private stateDir(key: string): string {
    return join(this.file()!, '..', `state-${key.slice(0, 24)}`);
  }

  private load(): CacheData {
    const file = this.file();
    try {
      if (file) {
        const data = JSON.parse(readFileSync(file, 'utf8')) as CacheData;
        if (data && typeof data.results === 'object' && typeof data.states === 'object') return data;
      }
    } catch {
      // None yet, or unreadable: start afresh.
    }
    return { results: {}, states: {} };
  }

  /** Keeps the findings of the current chain, and the newest saved states (the rest is deleted). */
  private store(cache: CacheData, chain: string[], base: string): void {
    const file = this.file();
    if (!file) return;
    const current = new Set([`base-${base}`, ...chain]);
    const results = Object.fromEntries(Object.entries(cache.results).filter(([key]) => current.has(key)));
    const keep = Object.keys(cache.states)
      .sort((a, b) => stateRank(b, chain) - stateRank(a, chain))
      .slice(0, KEPT_STATES);
    for (const key of Object.keys(cache.states)) if (!keep.includes(key)) rmSync(this.stateDir(key), { recursive: true, force: true });
    const states = Object.fromEntries(keep.map((key) => [key, cache.states[key]]));
    mkdirSync(join(file, '..'), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ results, states }));
    renameSync(temporary, file);
  }
}

/** The index of the step a state is before (0: the baseline), in this chain; undefined when it is not on it. */
function stateIndex(key: string, chain: string[], base: string): number | undefined {
  if (key === `base-${base}`) return 0;
  const i = chain.indexOf(key);
  return i < 0 ? undefined : i + 1;
}

/** States on the current chain first, the later the better; others after. */
function stateRank(key: string, chain: string[]): number {
  return chain.indexOf(key);
}

