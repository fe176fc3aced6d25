/**
 * The team's runner's history tables, one module per table format, keyed by the table name a
 * convention gives (`conventionNamed(name).historyTable`). When the target has the folder's
 * runner's table, `status` shows what the runner recorded and `up` does not apply again what it
 * says is applied. Reading only: safemig never writes another tool's table.
 */
import { describeFolder } from '../../authoring/folders';
import { conventionNamed } from '../../migration/conventions';
import type { FileSystem, FolderMigration } from '../../migration/model';
import { sameVersion } from '../../migration/names';
import type { Target } from '../target';
import { diesel } from './diesel';
import { drizzle } from './drizzle';
import { flyway } from './flyway';
import { golangMigrate } from './golang-migrate';
import { goose } from './goose';
import { knex } from './knex';
import { kysely } from './kysely';
import { nodePgMigrate } from './node-pg-migrate';
import { schemaMigrations } from './schema-migrations';
import { sqitch } from './sqitch';
import { supabase } from './supabase';
import type { RunnerRecord, RunnerTableFormat } from './types';

export type { RunnerRecord, RunnerTableFormat } from './types';

/** Table name → its formats (two runners name theirs `schema_migrations`; the columns tell them apart). */
export const RUNNER_TABLES: ReadonlyMap<string, readonly RunnerTableFormat[]> = group([
  goose,
  schemaMigrations,
  golangMigrate,
  flyway,
  diesel,
  supabase,
  sqitch,
  nodePgMigrate,
  knex,
  kysely,
  drizzle,
]);

/** What the runner's table of a folder says, ready to ask about each migration. */
export interface RunnerHistory {
  runner: string;
  table: string;
  records: RunnerRecord[];
  /** Why the runner counts the migration as applied ("applied by goose at …"); undefined when it does not. */
  applied(migration: FolderMigration): string | undefined;
  /** A repeatable migration the runner applied whose file changed since (Flyway runs it again): when it applied it. */
  changed(migration: FolderMigration): string | undefined;
  /** The runner recorded the migration as failed or stopped half way (golang-migrate's dirty version, Flyway's failed row): why. */
  unfinished(migration: FolderMigration): string | undefined;
  /** The records that stand for none of these migrations (their files are gone, or another folder's), and the runner's unfinished ones. */
  unmatched(migrations: readonly FolderMigration[]): RunnerRecord[];
}

/** The folder's runner's table on the target, read; undefined when its convention has none or the target does not have it. */
export async function readRunnerHistory(target: Target, dir: string, migrations: readonly FolderMigration[], fs: FileSystem, signal?: AbortSignal): Promise<RunnerHistory | undefined> {
  const table = historyTableOf(dir, migrations, fs);
  const formats = table ? RUNNER_TABLES.get(table) : undefined;
  if (!table || !formats) return undefined;
  const columns = await target.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    [table],
    signal,
  );
  if (columns.length === 0) return undefined;
  const names = new Set(columns.map((c) => c.name));
  const format = formats.find((f) => f.hasColumns?.(names) ?? true);
  if (!format) return undefined;
  const records = await format.read(target, table, signal);
  const at = (record: RunnerRecord) => (record.appliedAt ? ` at ${record.appliedAt.toISOString()}` : '');
  /** The record of a repeatable migration whose file no longer has the checksum the runner recorded. */
  const stale = (record: RunnerRecord | undefined, migration: FolderMigration) => {
    const file = migration.files.single;
    if (!record || !migration.repeatable || record.checksum === undefined || !format.checksumOf || !file) return false;
    const text = fs.readFile(file);
    return text === undefined || format.checksumOf(text) !== record.checksum;
  };
  return {
    runner: format.runner,
    table,
    records,
    applied(migration) {
      const record = format.recordOf(records, migration, { dir, fs });
      return record && !stale(record, migration) ? `applied by ${format.runner}${at(record)}` : undefined;
    },
    changed(migration) {
      const record = format.recordOf(records, migration, { dir, fs });
      return record && stale(record, migration) ? `changed since ${format.runner} applied it${at(record)}` : undefined;
    },
    unfinished(migration) {
      const record = records.find((r) => r.state !== 'applied' && migration.version !== '' && sameVersion(r.key, migration.version));
      return record ? `${format.runner} recorded it as ${record.state === 'dirty' ? 'dirty (it stopped half way)' : 'failed'} in ${table}` : undefined;
    },
    unmatched(migrations) {
      const used = new Set(migrations.map((m) => format.recordOf(records, m, { dir, fs })));
      return records.filter((r) => !used.has(r) && !(r.state !== 'applied' && migrations.some((m) => m.version !== '' && sameVersion(r.key, m.version))));
    },
  };
}

/** The history table of the folder's convention (its latest migration's, as `new` and the pickers read it), else of any of its migrations. */
function historyTableOf(dir: string, migrations: readonly FolderMigration[], fs: FileSystem): string | undefined {
  const folder = describeFolder(dir, fs)?.convention;
  for (const name of [folder, ...migrations.map((m) => m.convention)]) {
    const table = name ? conventionNamed(name).historyTable : undefined;
    if (table) return table;
  }
  return undefined;
}

function group(formats: RunnerTableFormat[]): Map<string, RunnerTableFormat[]> {
  const map = new Map<string, RunnerTableFormat[]>();
  for (const f of formats) map.set(f.table, [...(map.get(f.table) ?? []), f]);
  return map;
}
