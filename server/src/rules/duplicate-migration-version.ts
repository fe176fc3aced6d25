import type { Migration } from '../migration/migration';
import type { FileSystem } from '../migration/model';
import { FolderMigration, readMigrationFolder } from '../migration/folder';
import { splitPath, versionKey } from '../migration/names';
import type { Rule } from './rule';

/** What each runner does with two migrations of one version. */
const CONSEQUENCE: Record<string, string> = {
  'golang-migrate': 'golang-migrate refuses to run ("duplicate migration file")',
  goose: 'goose refuses to run ("duplicate version")',
  flyway: 'Flyway refuses to migrate ("Found more than one migration with version")',
  dbmate: 'dbmate records versions once, so only one of them is ever applied',
  diesel: 'diesel records versions once, so only one of them is ever applied',
  supabase: 'the Supabase CLI records versions once, so only one of them is ever applied',
};

/** Hand-run conventions with no history table: several migrations on one day are normal there. */
const DATE_VERSIONS_MAY_REPEAT = new Set(['template', 'plain', 'rollback-files']);

/**
 * Two migrations of a folder with the same version (`001` and `1` are one version). The files of
 * one migration (an `.up`/`.down` pair, a file and its rollback file, a diesel folder) count once.
 */
export const duplicateMigrationVersion: Rule = {
  id: 'duplicate-migration-version',
  defaultSeverity: 'error',
  description: 'Two migrations in the same folder share a version.',
  check({ migration, fs, report }) {
    const found = ownFolderMigration(migration, fs);
    if (!found) return;
    const { own, index } = found;
    // The folder is read without opening its files, so the linted file's own convention names the runner.
    const convention = migration.convention.name;
    if (own.repeatable || own.version === '' || convention === 'prisma' || convention === 'sqitch') return;
    if (own.versionStyle === 'date' && DATE_VERSIONS_MAY_REPEAT.has(convention)) return;
    const others = (index.byVersion.get(versionKey(own.version)) ?? []).filter((m) => m !== own);
    if (others.length === 0 || index.ordersByWholeName) return;
    const names = others.map((m) => displayName(m, migration.path)).join(', ');
    const consequence = CONSEQUENCE[convention] ?? 'which one runs first is undefined, and a history keyed by version records only one of them';
    report({ message: `Version ${own.version} is also used by ${names}: ${consequence}. Give this migration the next free version.` });
  },
};

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
interface FolderIndex {
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

/** A migration's name relative to the linted file's folder: `002_b.sql`, `2024-01-01-000000_x/`. */
function displayName(m: FolderMigration, from: string): string {
  const path = m.files.single ?? m.files.up ?? m.files.down ?? '';
  const { dir, base } = splitPath(path);
  if (/^(up|down|migration)\.sql$/i.test(base)) return `${splitPath(dir).base}/`;
  return dir === splitPath(from).dir ? base : path;
}
