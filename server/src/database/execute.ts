/**
 * Runs a plan's statements on a target: in one transaction or one by one, with the timeouts set,
 * cancellable, saying what ran; a failure is read back to the file position of its cause.
 */
import { lex } from '../sql/lexer';
import type { Range } from '../sql/positions';
import type { Plan, PlannedStatement } from './plan';
import { DatabaseError, isCancel, Notice, rollbackQuietly, Target, toDatabaseError } from './target';

export interface Progress {
  /** One line of the log (CLI output, the editor's output channel). */
  log(line: string): void;
  /** What runs now, for a progress bar: "statement 2 of 5". */
  step?(message: string, done: number, total: number): void;
}

export const silentProgress: Progress = { log: () => undefined };

export interface Timeouts {
  lockTimeout: string;
  statementTimeout: string;
}

export type StatementStatus = 'ok' | 'rolled back' | 'failed' | 'not run';

export interface StatementOutcome {
  number: number;
  line: number;
  path: string;
  status: StatementStatus;
  ms?: number;
  rowCount?: number;
  notices: string[];
}

/** Where and why a run failed, ready to become an editor diagnostic. */
export interface RunFailure {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  where?: string;
  /** The file and the span of the error (the error's position, else the failing statement). */
  path: string;
  start: number;
  end: number;
  range: Range;
  /** The failing statement's number; undefined when the failure was outside a statement (COMMIT, the timeouts). */
  statement?: number;
}

export interface RunResult {
  ok: boolean;
  cancelled: boolean;
  transaction: boolean;
  outcomes: StatementOutcome[];
  failure?: RunFailure;
  ms: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  timeouts?: Timeouts;
  progress?: Progress;
  /** Work that belongs with the statements (the history record): inside the transaction, or after the last statement. */
  finish?: () => Promise<void>;
  /** After each statement that ran and committed on its own (no transaction): the history's note of progress. */
  committed?: (outcome: StatementOutcome, index: number) => Promise<void>;
}

export async function runPlan(target: Target, plan: Plan, options: RunOptions = {}): Promise<RunResult> {
  const progress = options.progress ?? silentProgress;
  const started = performance.now();
  const outcomes: StatementOutcome[] = plan.statements.map((s) => ({ number: s.number, line: s.line, path: s.path, status: 'not run', notices: [] }));
  const result: RunResult = { ok: false, cancelled: false, transaction: plan.transaction, outcomes, ms: 0 };
  const total = plan.statements.length;
  let current: StatementOutcome | undefined;
  const listener = (notice: Notice) => {
    const line = `${notice.severity}: ${notice.message}`;
    current?.notices.push(line);
    progress.log(`      ${line}`);
  };
  target.onNotice(listener);
  /** Statements since the file's own BEGIN, undone by a failure before its COMMIT. */
  let openSince = -1;
  let inOurTransaction = false;
  let phase: Phase = 'setup';
  try {
    if (options.timeouts) {
      await target.run(`SET lock_timeout = ${literal(options.timeouts.lockTimeout)}`);
      await target.run(`SET statement_timeout = ${literal(options.timeouts.statementTimeout)}`);
    }
    if (plan.transaction) {
      await target.run('BEGIN');
      inOurTransaction = true;
    }
    phase = 'statements';
    for (const [i, statement] of plan.statements.entries()) {
      await stopIfCancelled(options.signal);
      current = outcomes[i];
      progress.step?.(`statement ${statement.number} of ${total} (line ${statement.line + 1})`, i, total);
      progress.log(`  [${statement.number}/${total}] line ${statement.line + 1}: ${summary(statement.sql)}`);
      const t0 = performance.now();
      try {
        const r = await target.run(statement.sql, options.signal);
        current.status = 'ok';
        current.ms = performance.now() - t0;
        if (r.rowCount !== undefined && r.rowCount !== null && r.rowCount > 0) current.rowCount = r.rowCount;
        progress.log(`      ok, ${formatMs(current.ms)}${current.rowCount ? `, ${current.rowCount} row${current.rowCount === 1 ? '' : 's'}` : ''}`);
      } catch (error) {
        current.status = 'failed';
        current.ms = performance.now() - t0;
        throw new StatementFailure(statement, error);
      }
      if (statement.kind === 'TransactionStmt') {
        if (/^(BEGIN|START)\b/i.test(statement.sql)) openSince = i;
        else if (/^(COMMIT|END|ROLLBACK|ABORT)\b/i.test(statement.sql)) openSince = -1;
      }
      if (!inOurTransaction && openSince < 0 && options.committed) {
        target.onNotice(undefined);
        await options.committed(current, i);
        target.onNotice(listener);
      }
    }
    current = undefined;
    await stopIfCancelled(options.signal);
    phase = 'finish';
    // The history bookkeeping's NOTICEs ("already exists, skipping") are not the user's.
    target.onNotice(undefined);
    await options.finish?.();
    phase = 'commit';
    if (inOurTransaction) {
      try {
        await target.run('COMMIT');
      } finally {
        inOurTransaction = false;
      }
    }
    result.ok = true;
  } catch (error) {
    const cancelled = error instanceof CancelledRun || isCancel(error instanceof StatementFailure ? error.cause : error);
    if (inOurTransaction || openSince >= 0) await rollbackQuietly(target);
    const undoneFrom = inOurTransaction ? 0 : openSince;
    if (undoneFrom >= 0) {
      for (let i = undoneFrom; i < outcomes.length; i++) if (outcomes[i].status === 'ok') outcomes[i].status = 'rolled back';
    }
    if (cancelled) {
      result.cancelled = true;
      const running = outcomes.find((o) => o.status === 'failed');
      if (running) running.status = 'not run';
    } else {
      result.failure = failureOf(plan, error, phase);
    }
  } finally {
    target.onNotice(undefined);
    result.ms = performance.now() - started;
  }
  return result;
}

class CancelledRun extends Error {}

/**
 * Throws when the run was cancelled. It first lets the event loop turn: the embedded database
 * runs statements on this thread and resolves without one, so a Ctrl-C (a signal the loop reads)
 * would otherwise be seen only after the last statement and the COMMIT.
 */
async function stopIfCancelled(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new CancelledRun();
}

type Phase = 'setup' | 'statements' | 'finish' | 'commit';

const PHASE_PREFIX: Record<Phase, string> = {
  setup: 'could not set lock_timeout / statement_timeout (database.lockTimeout, database.statementTimeout): ',
  statements: '',
  finish: 'could not write the history record: ',
  commit: 'COMMIT failed: ',
};

class StatementFailure extends Error {
  constructor(
    readonly statement: PlannedStatement,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

function failureOf(plan: Plan, error: unknown, phase: Phase): RunFailure {
  const statement = error instanceof StatementFailure ? error.statement : undefined;
  const cause = error instanceof StatementFailure ? error.cause : error;
  const db = toDatabaseError(cause);
  const message = db?.message ?? (cause instanceof Error ? cause.message : String(cause));
  // Outside a statement (the timeouts, COMMIT): the first statement before any ran, else the last.
  const blamed = statement ?? (phase === 'setup' ? plan.statements[0] : plan.statements[plan.statements.length - 1]);
  const file = plan.files.find((f) => f.path === blamed.path) ?? plan.files[0];
  let start = blamed.start;
  let end = blamed.end;
  if (statement && db?.position !== undefined) {
    const at = statement.start + utf16Offset(statement.sql, db.position - 1);
    start = at;
    end = statement.start + tokenEnd(statement.sql, at - statement.start);
  }
  const failure: RunFailure = { message: statement ? message : PHASE_PREFIX[phase] + message, path: file.path, start, end, range: file.lines.rangeOf(start, end) };
  if (statement) failure.statement = statement.number;
  if (db) copyFields(failure, db);
  return failure;
}

function copyFields(failure: RunFailure, db: DatabaseError): void {
  if (db.code) failure.code = db.code;
  if (db.detail) failure.detail = db.detail;
  if (db.hint) failure.hint = db.hint;
  if (db.where) failure.where = db.where;
}

/** PostgreSQL counts positions in characters (code points); the editor in UTF-16 units. */
export function utf16Offset(text: string, codePoints: number): number {
  let offset = 0;
  for (let n = 0; n < codePoints && offset < text.length; n++) {
    const c = text.charCodeAt(offset);
    offset += c >= 0xd800 && c <= 0xdbff && offset + 1 < text.length ? 2 : 1;
  }
  return offset;
}

/** End of the token at `offset` of `sql`, so the diagnostic underlines the word PostgreSQL pointed at. */
function tokenEnd(sql: string, offset: number): number {
  const token = lex(sql).find((t) => t.start <= offset && offset < t.end);
  return token ? token.end : Math.min(sql.length, offset + 1);
}

/** A statement on one line, cut at 100 characters, for the log. */
export function summary(sql: string): string {
  const line = sql.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join(' ');
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A string as an SQL literal (for SET, which takes no parameters). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
