/**
 * Shared by the conventions that keep each migration in its own folder (diesel, sourcegraph,
 * Prisma): `<version>_<name>/up.sql` + `down.sql`, or `migration.sql`.
 */
import type { ConventionInfo, FolderMigration } from '../model';
import { joinPath, parseMigrationName, splitPath } from '../names';
import type { FileContext } from './file';
import { single, wholePart } from './sections';
import type { Layout, LayoutInput } from './types';
import { splitFiles } from './writing';

/** `up.sql` / `down.sql`, in any case. */
export function isUpOrDownFile(file: FileContext): boolean {
  const lower = file.base.toLowerCase();
  return lower === 'up.sql' || lower === 'down.sql';
}

/** The last entry whose lower-case name is `lower` (as a folder scan that keeps the last match finds it). */
function entryNamed(entries: readonly string[], lower: string): string | undefined {
  let found: string | undefined;
  for (const e of entries) if (e.toLowerCase() === lower) found = e;
  return found;
}

/** The `up.sql` / `down.sql` files of a migration folder, when it has either. */
export function upDownFiles(path: string, entries: readonly string[]): FolderMigration['files'] | undefined {
  const up = entryNamed(entries, 'up.sql');
  const down = entryNamed(entries, 'down.sql');
  if (!up && !down) return undefined;
  const files: FolderMigration['files'] = {};
  if (up) files.up = joinPath(path, up);
  if (down) files.down = joinPath(path, down);
  return files;
}

/** The `migration.sql` of a migration folder, when it has one. */
export function migrationFile(path: string, entries: readonly string[]): FolderMigration['files'] | undefined {
  const migration = entryNamed(entries, 'migration.sql');
  return migration ? { single: joinPath(path, migration) } : undefined;
}

/** `<version>_<name>/up.sql` + `down.sql`: the twin is the other file of the folder. */
export function readUpDownFolder(name: 'diesel' | 'sourcegraph', file: FileContext, runnerTransaction: boolean): ConventionInfo {
  const lower = file.base.toLowerCase();
  const folderName = parseMigrationName(splitPath(file.dir).base);
  if (lower !== 'up.sql' && lower !== 'down.sql') {
    return single(name, file, { runnerTransaction, expectsRollback: true, name: folderName ?? file.name() });
  }
  const kind = lower === 'up.sql' ? 'up' : 'down';
  const other = kind === 'up' ? 'down.sql' : 'up.sql';
  const entries = file.list(file.dir) ?? [];
  const twinName = entries.find((e) => e.toLowerCase() === other) ?? other;
  const info: ConventionInfo = {
    name,
    role: kind,
    parts: [wholePart(file.text, file.scan.bom, kind, runnerTransaction)],
    twin: joinPath(file.dir, twinName),
    twinExists: entries.includes(twinName),
    expectsRollback: true,
  };
  if (folderName) info.migrationName = folderName;
  return info;
}

/** A new migration as `<stem>/up.sql` + `<stem>/down.sql`. */
export function upDownFolder(input: LayoutInput): Layout {
  const folder = joinPath(input.dir, input.stem);
  return splitFiles(input, joinPath(folder, 'up.sql'), joinPath(folder, 'down.sql'), `${input.stem}/`, folder);
}
