/**
 * The history table `safemig_migrations`: which migrations safemig applied on a database, with
 * the checksum of what ran, so `status` can tell applied, pending and changed-since-applied.
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { FolderMigration, readMigrationFolder } from '../migration/folder';
import type { FileSystem } from '../migration/model';
import type { Migration } from '../migration/migration';
import { splitPath } from '../migration/names';
import type { PlannedStatement } from './plan';
import { ConnectionError, Target, toDatabaseError } from './target';

export const HISTORY_TABLE = 'safemig_migrations';

export interface MigrationId {
  /** `001`, `20240101120000`; '' when the name has none. */
  version: string;
  name: string;
}

export interface HistoryRecord extends MigrationId {
  checksum: string;
  appliedAt: Date;
  durationMs: number;
  /**
   * Set while a migration that runs statement by statement (no transaction) is under way, and
   * kept when it stopped half way (failed, or the process was killed): what ran. Undefined once
   * it is completely applied.
   */
  partial?: string;
}

const CREATE = `CREATE TABLE IF NOT EXISTS public.${HISTORY_TABLE} (
  version text NOT NULL,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL,
  partial text,
  PRIMARY KEY (version, name)
)`;

export async function ensureHistoryTable(target: Target): Promise<void> {
  await target.query(CREATE);
  // A table made before `partial` existed.
  await target.query(`ALTER TABLE public.${HISTORY_TABLE} ADD COLUMN IF NOT EXISTS partial text`);
}

/**
 * The records, oldest first; undefined when the table does not exist yet. The session's
 * `lock_timeout` bounds the wait for a session that holds the table (the caller sets it): then
 * ConnectionError 'in-use', nothing ran. An aborted `signal` stops the wait at once (CancelledError).
 */
export async function readHistory(target: Target, signal?: AbortSignal): Promise<HistoryRecord[] | undefined> {
  const exists = await target.query<{ t: string | null }>(`SELECT to_regclass('public.${HISTORY_TABLE}')::text AS t`, [], signal);
  if (!exists[0]?.t) return undefined;
  let rows: { version: string; name: string; checksum: string; applied_at: Date | string; duration_ms: number; partial: string | null }[];
  try {
    // `partial` through to_jsonb: a table made before that column existed has none.
    rows = await target.query(`SELECT version, name, checksum, applied_at, duration_ms, to_jsonb(h) ->> 'partial' AS partial FROM public.${HISTORY_TABLE} h ORDER BY applied_at, version, name`, [], signal);
  } catch (error) {
    if (toDatabaseError(error)?.code !== '55P03') throw error;
    throw new ConnectionError(`another session holds a lock on the history table public.${HISTORY_TABLE} (waited database.lockTimeout): nothing ran; try again when it has finished`, 'in-use');
  }
  return rows.map((r) => ({ version: r.version, name: r.name, checksum: r.checksum, appliedAt: new Date(r.applied_at), durationMs: Number(r.duration_ms), ...(r.partial ? { partial: r.partial } : {}) }));
}

/** Records the migration as applied; with `partial`, as under way or stopped half way (what ran). */
export async function recordApplied(target: Target, id: MigrationId, checksum: string, durationMs: number, partial: string | null = null): Promise<void> {
  await ensureHistoryTable(target);
  await target.query(
    `INSERT INTO public.${HISTORY_TABLE} (version, name, checksum, duration_ms, partial) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (version, name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now(), duration_ms = EXCLUDED.duration_ms, partial = EXCLUDED.partial`,
    [id.version, id.name, checksum, Math.round(durationMs), partial],
  );
}

/** Removes the record; false when there was none. */
export async function removeRecord(target: Target, id: MigrationId): Promise<boolean> {
  const exists = await target.query<{ t: string | null }>(`SELECT to_regclass('public.${HISTORY_TABLE}')::text AS t`);
  if (!exists[0]?.t) return false;
  const rows = await target.query(`DELETE FROM public.${HISTORY_TABLE} WHERE version = $1 AND name = $2 RETURNING version`, [id.version, id.name]);
  return rows.length > 0;
}

/** The checksum of what UP runs: its statements' text, so comment and blank-line edits do not count as changes. */
export function checksumOf(statements: PlannedStatement[]): string {
  const hash = createHash('sha256');
  for (const s of statements) hash.update(s.sql.trim()).update('\n;\n');
  return hash.digest('hex');
}

export interface FolderPlace {
  /** The migrations folder. */
  dir: string;
  migrations: FolderMigration[];
  /** This migration's entry. */
  entry: FolderMigration;
}

/**
 * The migrations folder holding a file, read in run order, and the file's entry in it. The
 * folder is the file's own, or one or two levels up for per-migration folders (diesel), sqitch
 * `deploy/` and rollback subfolders.
 */
export function locateInFolder(path: string, fs: FileSystem): FolderPlace | undefined {
  let dir = dirname(path);
  for (let level = 0; level < 3; level++) {
    const migrations = readMigrationFolder(dir, fs);
    const entry = migrations.find((m) => m.files.single === path || m.files.up === path || m.files.down === path);
    if (entry) return { dir, migrations, entry };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** A migration's identity in the history: its folder entry's version and description, else its file name's. */
export function migrationId(migration: Migration, place: FolderPlace | undefined): MigrationId {
  if (place) return idOf(place.entry);
  const name = migration.convention.migrationName;
  if (name) return { version: name.version, name: name.description };
  return { version: '', name: splitPath(migration.path).base.replace(/\.sql$/i, '') };
}

export function idOf(entry: FolderMigration): MigrationId {
  return { version: entry.version, name: entry.description };
}
