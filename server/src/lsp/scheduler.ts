/**
 * When the server lints which document. A lint is synchronous and a large migration takes
 * seconds, so: one lint at a time, one document per turn of the event loop (hover and code
 * actions are answered between documents), at most one pending lint per document (it lints the
 * newest version when its turn comes), a pause in typing awaited on documents slow to lint, and
 * the re-lint of neighbours debounced and skipped when the neighbour was linted since.
 */

/** A document whose last lint took longer than this is linted once typing pauses. */
const SLOW_LINT_MS = 200;
/** The pause in typing awaited before linting a slow document. */
const TYPING_PAUSE_MS = 150;
/** Neighbours wait this long after the last edit near them: a burst of edits re-lints them once. */
const NEIGHBOUR_DELAY_MS = 250;

interface Pending {
  /** When the lint may run (performance.now()). */
  at: number;
  /** The newest edit this lint must reflect: none needed if the document was linted after it. */
  after: number;
  /** A neighbour changed: the cached result of its version is stale. */
  neighbourChanged: boolean;
}

export class LintScheduler {
  private readonly pending = new Map<string, Pending>();
  private readonly lastStart = new Map<string, number>();
  private readonly lastDuration = new Map<string, number>();
  private readonly idleWaiters = new Map<string, (() => void)[]>();
  private running?: string;
  /** Counts edits, to tell whether one came in since a lint's turn was given. */
  private edits = 0;
  private timer?: NodeJS.Timeout;
  private turn?: NodeJS.Immediate;

  /** `lint(uri, neighbourChanged)` lints the document's current version and publishes it. */
  constructor(private readonly lint: (uri: string, neighbourChanged: boolean) => Promise<void>) {}

  /** The document was opened or edited (or its settings changed). */
  changed(uri: string): void {
    const slow = (this.lastDuration.get(uri) ?? 0) > SLOW_LINT_MS;
    const now = performance.now();
    const entry = this.entry(uri, now);
    entry.at = now + (slow ? TYPING_PAUSE_MS : 0);
    this.pump();
  }

  /** A migration near this open document changed (its text, or it closed). */
  neighbourChanged(uri: string): void {
    const now = performance.now();
    const entry = this.entry(uri, now);
    entry.neighbourChanged = true;
    entry.at = Math.max(entry.at, now + NEIGHBOUR_DELAY_MS);
    this.pump();
  }

  forget(uri: string): void {
    this.pending.delete(uri);
    this.lastStart.delete(uri);
    this.lastDuration.delete(uri);
    this.wake(uri);
  }

  isPending(uri: string): boolean {
    return this.pending.has(uri) || this.running === uri;
  }

  /** Resolves once the document has no lint pending or running. */
  idle(uri: string): Promise<void> {
    if (!this.isPending(uri)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.idleWaiters.get(uri) ?? [];
      waiters.push(resolve);
      this.idleWaiters.set(uri, waiters);
    });
  }

  private entry(uri: string, now: number): Pending {
    let entry = this.pending.get(uri);
    if (!entry) {
      entry = { at: now, after: now, neighbourChanged: false };
      this.pending.set(uri, entry);
    }
    entry.after = now;
    this.edits++;
    return entry;
  }

  /** Runs the earliest due lint on a turn of its own, or waits for the next one to fall due. */
  private pump(): void {
    if (this.running || this.turn) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let next: [string, Pending] | undefined;
    for (const item of this.pending) if (!next || item[1].at < next[1].at) next = item;
    if (!next) return;
    const wait = next[1].at - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => ((this.timer = undefined), this.pump()), wait);
      return;
    }
    // The JSON-RPC connection handles one message per turn: while edits keep coming in, the ones
    // already received are taken first, so a lint sees the newest text of every document.
    const edits = this.edits;
    this.turn = setImmediate(() => {
      this.turn = undefined;
      if (edits !== this.edits) return this.pump();
      void this.run(next[0]);
    });
  }

  private async run(uri: string): Promise<void> {
    const entry = this.pending.get(uri);
    if (!entry) return this.pump();
    this.pending.delete(uri);
    // Linted since the edit that asked for it (e.g. its own edit came after its neighbour's).
    if ((this.lastStart.get(uri) ?? -1) >= entry.after) {
      this.wake(uri);
      return this.pump();
    }
    this.running = uri;
    const start = performance.now();
    this.lastStart.set(uri, start);
    try {
      await this.lint(uri, entry.neighbourChanged);
    } finally {
      this.lastDuration.set(uri, performance.now() - start);
      this.running = undefined;
      this.wake(uri);
      this.pump();
    }
  }

  private wake(uri: string): void {
    if (this.isPending(uri)) return;
    const waiters = this.idleWaiters.get(uri);
    this.idleWaiters.delete(uri);
    for (const resolve of waiters ?? []) resolve();
  }
}
