/**
 * A migrations folder read as a list of migrations in run order: the files of one migration
 * (an `.up`/`.down` pair, a file and its rollback file, a diesel folder, a flyway V/U pair) are
 * one entry. Used for duplicate-version checks, naming the next migration and applying earlier
 * migrations in order.
 */
import { CONVENTIONS, sectionedConventionOf } from './conventions';
import type { ConventionName, FileSystem, FolderMigration, MigrationName } from './model';
import {
  compareVersions,
  isNamedByFolder,
  isOtherDialect,
  joinPath,
  parseMigrationName,
  isRollbackFolder,
  rollbackNamedEntries,
  splitMigrationFileName,
  splitPath,
  versionKey,
} from './names';

export type { FolderMigration } from './model';

export interface ReadFolderOptions {
  /**
   * Read each single-file migration to tell goose / dbmate / template files from plain ones
   * (default true). Without it their convention is the folder's ('plain', 'supabase', 'rollback-files').
   */
  sniff?: boolean;
}

/** A file name that safemig reads as a PostgreSQL migration: `.sql` (or synapse `.sql.postgres`), not another dialect. */
export function isMigrationFolderFile(name: string): boolean {
  const parts = splitMigrationFileName(name);
  return parts.sql && !isOtherDialect(parts);
}

/** The convention whose file side (up, down) an item is, or `single`: a forward file of no pair convention. */
type Family = ConventionName | 'single';

/** The conventions that read a folder, a migration folder or a file name, in registry order. */
const FOLDER_READERS = CONVENTIONS.filter((c) => c.folder?.readFolder);
const MIGRATION_FOLDERS = CONVENTIONS.filter((c) => c.folder?.migrationFolder);
const FILE_SIDES = CONVENTIONS.filter((c) => c.folder?.fileSide);
const FOLDER_OWNERS = CONVENTIONS.filter((c) => c.folder?.ownsFolder);

interface Item {
  path: string;
  name: MigrationName;
  family: Family;
  stem: string;
  dialect?: string;
  /** The paired down file (for ups). */
  down?: string;
  downItem?: Item;
}

/** Not a folder: extensions of files found beside migrations. */
const OTHER_FILE = /\.(?:sql|md|txt|toml|ya?ml|json|go|rs|ts|js|mjs|cjs|py|sh|lock|java|kt|rb|bak|orig|csv|xml|html)$/i;

/**
 * The migrations held by `dir` (absolute), sorted in run order: by version (numbers compared as
 * numbers, flyway versions part by part), repeatables last. Files without a version in their
 * name are not migrations here and are left out, as are other dialects' files (`x.mysql.up.sql`).
 * Never throws: an unreadable folder has no migrations.
 */
export function readMigrationFolder(dir: string, fs: FileSystem, options: ReadFolderOptions = {}): FolderMigration[] {
  const sniff = options.sniff ?? true;
  // Every file of a folder asks for the same list: read it once per file-system state.
  return fs.memo ? fs.memo(`folder:${sniff}:${dir}`, () => readFolder(dir, fs, sniff)) : readFolder(dir, fs, sniff);
}

function readFolder(dir: string, fs: FileSystem, sniff: boolean): FolderMigration[] {
  const entries = listDir(fs, dir);
  if (!entries) return [];
  for (const c of FOLDER_READERS) {
    const own = c.folder!.readFolder!(dir, entries, fs);
    if (own) return own;
  }
  const present = new Set(entries);
  const out: FolderMigration[] = [];
  const ups: Item[] = [];
  const downs: Item[] = [];
  let rollbackFolders = false;

  const addFile = (path: string, fileName: string, inRollbackFolder: boolean): void => {
    const parts = splitMigrationFileName(fileName);
    if (!parts.sql || isOtherDialect(parts)) return;
    if (isNamedByFolder(fileName)) return;
    const name = parseMigrationName(fileName);
    if (!name) return;
    const item = (family: Family): Item => ({ path, name, family, stem: parts.stem.toLowerCase(), dialect: parts.dialect });
    if (inRollbackFolder) {
      if (!parts.direction) downs.push(item('rollback-files'));
      return;
    }
    for (const c of FILE_SIDES) {
      const side = c.folder!.fileSide!(fileName, parts, present);
      if (!side) continue;
      if (side.side === 'repeatable') {
        out.push({ ...nameFields(name), files: { single: path }, convention: c.name, repeatable: true });
      } else if (side.underscore) {
        const strip = (t: string): string => t.replace(/[_-](?:up|down)$/i, '');
        const it = { ...item(c.name), stem: strip(parts.stem.toLowerCase()), name: { ...name, description: strip(name.description) } };
        (side.side === 'up' ? ups : downs).push(it);
      } else {
        (side.side === 'up' ? ups : downs).push(item(c.name));
      }
      return;
    }
    ups.push(item('single'));
  };

  const addRollbackFolder = (path: string): void => {
    for (const e of listDir(fs, path) ?? []) addFile(joinPath(path, e), e, true);
  };

  const { dir: parent, base: self } = splitPath(dir);
  // Reading a `rollback/` folder itself: its files are rollbacks.
  const selfIsRollback = isRollbackFolder(fs, parent, self);
  for (const e of [...entries].sort()) {
    const path = joinPath(dir, e);
    if (OTHER_FILE.test(e) || splitMigrationFileName(e).sql) {
      addFile(path, e, selfIsRollback);
      continue;
    }
    const rollback = isRollbackFolder(fs, dir, e);
    const name = rollback ? undefined : parseMigrationName(e);
    if ((!rollback && !name) || !isDirectory(fs, path)) continue;
    if (rollback) {
      rollbackFolders = true;
      addRollbackFolder(path);
      continue;
    }
    if (!name) continue;
    const folder = migrationFolder(path, fs);
    if (folder) out.push({ ...nameFields(name), ...folder });
  }
  // `db/rollback/` beside `db/migrations/`.
  if (self && parent !== dir && !selfIsRollback) {
    for (const e of rollbackNamedEntries(fs, parent, () => listDir(fs, parent))) {
      if (e === self || OTHER_FILE.test(e)) continue;
      const path = joinPath(parent, e);
      if (!isDirectory(fs, path)) continue;
      rollbackFolders = true;
      addRollbackFolder(path);
    }
  }

  const upItems = dedupeDialects(ups);
  const downItems = dedupeDialects(downs);
  const byVersion = new Map<string, Item[]>();
  for (const u of upItems) {
    const key = versionKey(u.name.version);
    const list = byVersion.get(key);
    if (list) list.push(u);
    else byVersion.set(key, [u]);
  }
  const orphans: Item[] = [];
  for (const d of downItems) {
    const candidates = (byVersion.get(versionKey(d.name.version)) ?? []).filter((u) => !u.downItem && pairs(u.family, d.family));
    const match = candidates.find((u) => u.stem === d.stem) ?? candidates[0];
    if (match) match.downItem = d;
    else orphans.push(d);
  }
  const usesRollbackFiles = rollbackFolders || downItems.some((d) => d.family === 'rollback-files');
  const owner = FOLDER_OWNERS.find((c) => c.folder!.ownsFolder!(dir))?.name ?? 'plain';

  for (const u of upItems) {
    const down = u.downItem?.path;
    const base = nameFields(u.name);
    if (u.family !== 'single') {
      out.push({ ...base, files: withDown({ up: u.path }, down), convention: u.family });
    } else if (down) {
      out.push({ ...base, files: { up: u.path, down }, convention: 'rollback-files' });
    } else {
      const family = sniff ? sniffFile(fs, u.path) : undefined;
      if (family) out.push({ ...base, files: { single: u.path }, convention: family });
      else if (usesRollbackFiles) out.push({ ...base, files: { up: u.path }, convention: 'rollback-files' });
      else out.push({ ...base, files: { single: u.path }, convention: owner });
    }
  }
  for (const d of orphans) {
    out.push({ ...nameFields(d.name), files: { down: d.path }, convention: d.family === 'single' ? 'rollback-files' : d.family });
  }
  return out.sort(compareMigrations);
}

/** Run order of two folder migrations: versions, then descriptions; repeatables last. */
export function compareMigrations(a: FolderMigration, b: FolderMigration): number {
  if (!!a.repeatable !== !!b.repeatable) return a.repeatable ? 1 : -1;
  const v = compareVersions(a.version, b.version);
  if (v !== 0) return v;
  if (a.description !== b.description) return a.description < b.description ? -1 : 1;
  const pa = a.files.single ?? a.files.up ?? a.files.down ?? '';
  const pb = b.files.single ?? b.files.up ?? b.files.down ?? '';
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

function nameFields(name: MigrationName): Pick<FolderMigration, 'version' | 'description' | 'versionStyle'> {
  return { version: name.version, description: name.description, versionStyle: name.versionStyle };
}

function withDown(files: { up: string }, down: string | undefined): FolderMigration['files'] {
  return down ? { ...files, down } : files;
}

/** A forward file of no pair convention pairs with a rollback file. */
function pairs(up: Family, down: Family): boolean {
  return up === down || (up === 'single' && down === 'rollback-files');
}

/**
 * ory/popx keeps `x.up.sql` and `x.postgres.up.sql` for one migration and runs the dialect's
 * file: keep one item per (family, version, description), the PostgreSQL one when both exist.
 */
function dedupeDialects(items: Item[]): Item[] {
  const seen = new Map<string, number>();
  const out: Item[] = [];
  for (const item of items) {
    const key = `${item.family}\0${versionKey(item.name.version)}\0${item.stem}`;
    const at = seen.get(key);
    if (at === undefined) {
      seen.set(key, out.length);
      out.push(item);
    } else if (out[at].dialect !== item.dialect) {
      if (!out[at].dialect) out[at] = item;
    } else {
      out.push(item); // same name twice (different case, `001_x.sql` in a rollback folder and beside): keep both
    }
  }
  return out;
}

/** A per-migration folder (`<version>_<name>/`): the first convention in registry order that reads it. */
function migrationFolder(path: string, fs: FileSystem): Pick<FolderMigration, 'files' | 'convention'> | undefined {
  const sub = listDir(fs, path);
  if (!sub) return undefined;
  for (const c of MIGRATION_FOLDERS) {
    const files = c.folder!.migrationFolder!(path, sub);
    if (files) return { files, convention: c.name };
  }
  return undefined;
}

/** The convention whose sections a single file's markers open (goose, dbmate, template). */
function sniffFile(fs: FileSystem, path: string): ConventionName | undefined {
  try {
    const text = fs.readFile(path);
    return text === undefined ? undefined : sectionedConventionOf(text);
  } catch {
    return undefined;
  }
}

function listDir(fs: FileSystem, dir: string): string[] | undefined {
  try {
    return fs.readDir(dir);
  } catch {
    return undefined;
  }
}

function isDirectory(fs: FileSystem, path: string): boolean {
  try {
    return fs.isDirectory(path);
  } catch {
    return false;
  }
}
