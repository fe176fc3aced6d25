/**
 * The folder a migration file belongs to, as the folder-level rules read it: its migrations in
 * run order, indexed by path and by version, built once per folder and file-system state.
 */
import type { Migration } from '../../migration/migration';
import type { FileSystem } from '../../migration/model';
import { FolderMigration, readMigrationFolder } from '../../migration/folder';
import { splitPath, versionKey } from '../../migration/names';

/**
 * The folder migration this file belongs to, and its folder's migrations: the file's own folder,
 * or the one above it (a diesel `<version>_<name>/up.sql`, a `rollback/` folder).
 */
export function ownFolderMigration(migration: Migration, fs: FileSystem): { own: FolderMigration; all: FolderMigration[]; index: FolderIndex } | undefined {
  const dir = splitPath(migration.path).dir;
  for (const folder of [dir, splitPath(dir).dir]) {
    if (!folder) continue;
    const index = folderIndex(folder, fs);
    const own = index.byPath.get(migration.path);
    if (own) return { own, all: index.migrations, index };
  }
  return undefined;
}

/** A folder's migrations, by file path and by version key: built once per file-system state (`FileSystem.memo`). */
export interface FolderIndex {
  migrations: FolderMigration[];
  byPath: Map<string, FolderMigration>;
  byVersion: Map<string, FolderMigration[]>;
  ordersByWholeName: boolean;
}

/**
 * Several versions shared in one folder is a practice, not an accident: its runner orders
 * migrations by whole file name (harness's `0001_create_table_a_….up.sql`, Synapse's deltas).
 * A runner keyed by version would have refused the folder at its first duplicate.
 */
function ordersByWholeName(all: FolderMigration[]): boolean {
  const seen = new Map<string, number>();
  for (const m of all) if (!m.repeatable && m.version !== '') seen.set(versionKey(m.version), (seen.get(versionKey(m.version)) ?? 0) + 1);
  return [...seen.values()].filter((n) => n > 1).length >= SHARED_VERSIONS_OF_A_PRACTICE;
}

const SHARED_VERSIONS_OF_A_PRACTICE = 3;


/**
 * Every file of a folder asks for the same index: it is memoised on the file system, which drops
 * it when the editor reports a change.
 */
function folderIndex(dir: string, fs: FileSystem): FolderIndex {
  let listing: string[] | undefined;
  try {
    listing = fs.readDir(dir);
  } catch {
    listing = undefined;
  }
  if (!listing) return { migrations: [], byPath: new Map(), byVersion: new Map(), ordersByWholeName: false };
  return fs.memo ? fs.memo(`folder-index:${dir}`, () => buildFolderIndex(dir, fs)) : buildFolderIndex(dir, fs);
}

function buildFolderIndex(dir: string, fs: FileSystem): FolderIndex {
  const migrations = readMigrationFolder(dir, fs, { sniff: false });
  const index: FolderIndex = { migrations, byPath: new Map(), byVersion: new Map(), ordersByWholeName: ordersByWholeName(migrations) };
  for (const m of migrations) {
    for (const path of [m.files.single, m.files.up, m.files.down]) if (path && !index.byPath.has(path)) index.byPath.set(path, m);
    if (m.repeatable || m.version === '') continue;
    const key = versionKey(m.version);
    index.byVersion.set(key, [...(index.byVersion.get(key) ?? []), m]);
  }
  return index;
}
