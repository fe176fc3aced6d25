/**
 * A database a command runs on, whichever it is: a PostgreSQL server reached with `pg`, or the
 * embedded PGlite. Commands see one interface; the errors of both are read into one shape.
 */

export interface QueryRow {
  [column: string]: unknown;
}

export interface Notice {
  severity: string;
  message: string;
}

export interface Target {
  readonly kind: 'server' | 'embedded';
  /** `server_version_num`, e.g. 150004. */
  readonly serverVersion: number;
  /** What it is, for every message: "PostgreSQL 15.4 at localhost:5432/dev", "embedded PGlite (PostgreSQL 18.1) at …". */
  describe(): string;
  /**
   * Runs one statement as written (simple query protocol, as psql sends it). An aborted signal
   * cancels it on a server; the embedded database cannot stop a running statement and checks
   * the signal before it starts.
   */
  run(sql: string, signal?: AbortSignal): Promise<{ command?: string; rowCount?: number }>;
  /** A query with parameters (catalog reads, the history table); an aborted signal cancels it as `run` does. */
  query<T extends QueryRow = QueryRow>(sql: string, params?: unknown[], signal?: AbortSignal): Promise<T[]>;
  /** NOTICE / WARNING messages of what runs from now on go to `listener` (undefined: dropped). */
  onNotice(listener: ((notice: Notice) => void) | undefined): void;
  close(): Promise<void>;
}

/** An error PostgreSQL reported: the fields of its ErrorResponse that tell what went wrong where. */
export class DatabaseError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly detail?: string,
    readonly hint?: string,
    /** 1-based, in characters of the statement sent. */
    readonly position?: number,
    /** The context (PL/pgSQL line, the constraint check). */
    readonly where?: string,
  ) {
    super(message);
  }
}

/** The user cancelled the statement. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
  }
}

/** The target could not be reached or refused us: nothing ran. The message says what to do. */
export class ConnectionError extends Error {
  constructor(
    message: string,
    readonly reason: 'refused' | 'unknown-host' | 'timeout' | 'password-required' | 'auth' | 'no-database' | 'in-use' | 'other',
  ) {
    super(message);
  }
}

/**
 * Reads an error thrown by `pg` or PGlite (both carry the ErrorResponse fields under the same
 * names) as a DatabaseError; undefined when it is not one (a socket error, a bug).
 */
export function toDatabaseError(error: unknown): DatabaseError | undefined {
  if (error instanceof DatabaseError) return error;
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & { code?: unknown; severity?: unknown; detail?: unknown; hint?: unknown; position?: unknown; where?: unknown };
  // A server error has a five-character SQLSTATE; node's socket errors have codes like ECONNREFUSED.
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code) || e.severity === undefined) return undefined;
  const position = e.position === undefined || e.position === null || e.position === '' ? undefined : Number(e.position);
  return new DatabaseError(
    e.message,
    e.code,
    typeof e.detail === 'string' && e.detail ? e.detail : undefined,
    typeof e.hint === 'string' && e.hint ? e.hint : undefined,
    position !== undefined && Number.isFinite(position) && position > 0 ? position : undefined,
    typeof e.where === 'string' && e.where ? e.where : undefined,
  );
}

/** The user cancelled (a statement_timeout is a failure, not a cancel). */
export function isCancel(error: unknown): boolean {
  return error instanceof CancelledError;
}

/** Runs `fn` between BEGIN and COMMIT; any error rolls back and is thrown again. */
export async function inTransaction<T>(target: Target, fn: () => Promise<T>): Promise<T> {
  await target.run('BEGIN');
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await rollbackQuietly(target);
    throw error;
  }
  await target.run('COMMIT');
  return result;
}

/** ROLLBACK after a failure; a failure of the ROLLBACK itself must not hide the first error. */
export async function rollbackQuietly(target: Target): Promise<void> {
  try {
    await target.run('ROLLBACK');
  } catch {
    // The connection is gone: the server rolled the transaction back itself.
  }
}

/** `150004` → "15.4", `180001` → "18.1". */
export function versionText(versionNum: number): string {
  const major = Math.floor(versionNum / 10000);
  return major >= 10 ? `${major}.${versionNum % 10000}` : `${Math.floor(versionNum / 10000)}.${Math.floor(versionNum / 100) % 100}`;
}
