/**
 * The migration model: what a migration file is, independent of SQL.
 * Offsets are UTF-16 code-unit offsets into the file's text (JS string indices).
 */
import type { TsMigration } from '../typescript/extract';

export type ConventionName =
  | 'template' // one file, `-- UP Migration` / `-- DOWN Migration (Rollback)` sections
  | 'rollback-files' // plain file + rollback_NNN_*.sql / name.rollback.sql / rollback|down sibling folder
  | 'dbmate'
  | 'goose'
  | 'golang-migrate'
  | 'diesel'
  | 'sourcegraph'
  | 'flyway'
  | 'sqitch'
  | 'supabase'
  | 'prisma'
  | 'drizzle'
  | 'knex' // TS/JS: up(knex) / down(knex) exports
  | 'node-pg-migrate' // TS/JS: up(pgm) / down(pgm) exports
  | 'kysely' // TS/JS: up(db) / down(db) exports
  | 'typeorm' // TS: a class with up(queryRunner) / down(queryRunner)
  | 'migration-scripts' // TS/JS: scripts/migrations/NNN-name.ts, run one by one (seed 003)
  | 'plain'; // a SQL file in a migrations folder with no recognisable convention

export const CONVENTION_NAMES: readonly ConventionName[] = [
  'template', 'rollback-files', 'dbmate', 'goose', 'golang-migrate', 'diesel', 'sourcegraph',
  'flyway', 'sqitch', 'supabase', 'prisma', 'drizzle', 'knex', 'node-pg-migrate', 'kysely', 'typeorm',
  'migration-scripts', 'plain',
];

export interface Span {
  start: number;
  end: number;
}

/** One part of a migration file: the UP or the DOWN statements. */
export interface PartSpan extends Span {
  kind: 'up' | 'down';
  /** The part is SQL written as `--` comments (template DOWN section): read it uncommented. */
  commentedOut: boolean;
  /** The runner wraps this part in a transaction (before any explicit BEGIN in the file). */
  runnerTransaction: boolean;
  /** The marker line that opens this part, when there is one (`-- +goose Up`). */
  marker?: Span;
}

/** Where a runner lets a file opt out of its transaction, for the quick fix. */
export interface TransactionOptOut {
  /** Text to insert, e.g. `-- +goose NO TRANSACTION\n` or ` transaction:false`. */
  text: string;
  /** Offset in the file where to insert it. */
  at: number;
}

/** A migration file's name read as a version and a description. */
export interface MigrationName {
  version: string;
  /** How versions are written in the folder: sequential NNN, date, timestamp, flyway. */
  versionStyle: 'sequential' | 'date' | 'timestamp' | 'flyway' | 'other';
  description: string;
}

export interface ConventionInfo {
  name: ConventionName;
  /** What this file is within its migration. */
  role: 'migration' | 'up' | 'down' | 'repeatable' | 'verify';
  /** The parts held by this file, in file order. */
  parts: PartSpan[];
  /**
   * The other file of the migration (the down file for an up file and vice versa), as an
   * absolute path, whether or not it exists yet; undefined for single-file conventions.
   */
  twin?: string;
  twinExists: boolean;
  /** The convention keeps a rollback (false for roll-forward: supabase, prisma; repeatable). */
  expectsRollback: boolean;
  /** How the file could opt out of the runner's transaction, if the runner has a file-level switch. */
  transactionOptOut?: TransactionOptOut;
  /** Version and description parsed from the file (or folder) name, when there is one. */
  migrationName?: MigrationName;
  /**
   * A TypeScript / JavaScript migration: the SQL its parts hand to the database, read from its
   * strings and builder calls. Its parts span the `up` / `down` functions; their statements are
   * this SQL, at the characters of the strings.
   */
  embedded?: TsMigration;
}

/** A migration of a folder, as the folder lists it (migration/folder.ts reads them). */
export interface FolderMigration {
  /** As written in the name (`001`, `20251122093000`, `2019-02-26-002946`, flyway `1.1`); '' for repeatables. */
  version: string;
  description: string;
  versionStyle: MigrationName['versionStyle'];
  /**
   * Absolute paths. `single`: one file holds the whole migration (sections or none); `up` /
   * `down`: the two files of a split migration (either may be missing).
   */
  files: { up?: string; down?: string; single?: string };
  convention: ConventionName;
  /** Flyway repeatable migration (`R__x.sql`): no version, runs after the versioned ones. */
  repeatable?: boolean;
}

/** Read-only view of files, so the editor can overlay unsaved documents. */
export interface FileSystem {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** Entry names of a directory (files and folders), or undefined when it does not exist. */
  readDir(path: string): string[] | undefined;
  isDirectory(path: string): boolean;
  /**
   * Optional memo for work derived from files (a folder's migrations), kept until the file
   * system is told that something changed. Results are shared: callers must not mutate them.
   */
  memo?<T>(key: string, compute: () => T): T;
}
