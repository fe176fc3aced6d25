/**
 * How safemig reads a team's runner's own history table (goose's `goose_db_version`, Flyway's
 * `flyway_schema_history`, …): one module per table format. Reading only: safemig never writes
 * another tool's table.
 */
import type { FileSystem, FolderMigration } from '../../migration/model';
import type { Target } from '../target';

/** One row of the runner's table, as the runner meant it. */
export interface RunnerRecord {
  /** The version or the name the runner recorded (`20240101120000`, `1700000000000_create-users.js`). */
  key: string;
  appliedAt?: Date;
  /** 'dirty': the runner stopped half way through it (golang-migrate); 'failed': it recorded a failure (Flyway). */
  state: 'applied' | 'dirty' | 'failed';
  /** The checksum the runner recorded of what it ran (Flyway's repeatable migrations). */
  checksum?: string;
}

export interface RunnerTableFormat {
  /** The runner, for messages ("goose"). */
  runner: string;
  /** The table as the convention names it (`historyTable`), schema-qualified when the runner qualifies it. */
  table: string;
  /** This runner's table rather than another's of the same name (dbmate's and golang-migrate's `schema_migrations`). */
  hasColumns?(columns: ReadonlySet<string>): boolean;
  /** The rows, oldest first, as the runner reads them (a later row of a version wins for goose). */
  read(target: Target, table: string, signal?: AbortSignal): Promise<RunnerRecord[]>;
  /** The record that says the migration is applied; undefined when the runner does not count it as applied. */
  recordOf(records: readonly RunnerRecord[], migration: FolderMigration, context: { dir: string; fs: FileSystem }): RunnerRecord | undefined;
  /** The checksum the runner records of a file's text: a repeatable migration whose file no longer has its record's checksum is run again. */
  checksumOf?(text: string): string;
}
