/**
 * Which folder a new migration goes into: the migrations folder of a file or folder the user
 * points at (a diesel migration's own folder, a `rollback/` folder and sqitch's `deploy/` mean the
 * migrations folder around them), or the migrations folders found in a workspace.
 */
import { codeMigrationName, isCodeFile } from '../migration/conventions/code';
import { projectFolderOf, sectionedConventionOf } from '../migration/conventions';
import { FolderMigration, readMigrationFolder } from '../migration/folder';
import type { ConventionName, FileSystem } from '../migration/model';
import { isRollbackFolder, joinPath, parseMigrationName, splitMigrationFileName, splitPath } from '../migration/names';

export interface MigrationFolder {
  dir: string;
  /** The convention of its latest migration. */
  convention: ConventionName;
  count: number;
  /** The latest migration's version and description, for pickers. */
  latest: string;
}

export interface FindOptions {
  /** A migration file that this returns false for does not make its folder a migrations folder (config globs). */
  accept?: (path: string) => boolean;
  /** Stop after visiting this many folders (default 20,000). */
  maxFolders?: number;
}

/** Folders that never hold a project's own migrations, or are too big to walk. */
const SKIPPED = new Set(['node_modules', 'dist', 'out', 'build', 'target', 'vendor', 'coverage', '__pycache__', 'bower_components']);

/** The migrations folders at or below `root`, in path order. */
export function findMigrationFolders(root: string, fs: FileSystem, options: FindOptions = {}): MigrationFolder[] {
  const out: MigrationFolder[] = [];
  const queue = [root];
  let visited = 0;
  const max = options.maxFolders ?? 20_000;
  while (queue.length > 0 && visited < max) {
    const dir = queue.shift()!;
    visited++;
    const entries = list(fs, dir);
    if (!entries) continue;
    const found = mayHoldMigrations(entries) ? describeFolder(dir, fs, options.accept) : undefined;
    if (found) out.push(found);
    const project = projectFolderOf(entries);
    for (const e of [...entries].sort()) {
      if (e.startsWith('.') || SKIPPED.has(e) || isRollbackFolder(fs, dir, e)) continue;
      // A migration's own folder (diesel, prisma) or a project's layout (sqitch's deploy/revert/verify) holds no other migrations folder.
      if (found && parseMigrationName(e)) continue;
      if (project?.subfolders.includes(e)) continue;
      const path = joinPath(dir, e);
      // Files with an extension are not worth a stat; folders named `1.2.0` are.
      if ((!/\.[A-Za-z]\w{0,7}$/.test(e) || /^[\d.]+$/.test(e)) && isDir(fs, path)) queue.push(path);
    }
  }
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** The folder's migrations summary, or undefined when it holds none (that `accept` accepts). */
export function describeFolder(dir: string, fs: FileSystem, accept?: (path: string) => boolean): MigrationFolder | undefined {
  const migrations = readMigrationFolder(dir, fs, { sniff: false }).filter((m) => !m.repeatable);
  if (migrations.length === 0) return undefined;
  if (accept && !migrations.slice(-5).some((m) => filesOf(m).some(accept))) return undefined;
  const last = migrations[migrations.length - 1];
  const latest = [last.version, last.description].filter((x) => x !== '').join(' ');
  // Only the latest file is read for its markers: enough to name the folder's convention.
  const text = last.convention === 'plain' && last.files.single ? read(fs, last.files.single) : undefined;
  const convention = (text !== undefined ? sectionedConventionOf(text) : undefined) ?? last.convention;
  return { dir, convention, count: migrations.length, latest };
}

function filesOf(m: FolderMigration): string[] {
  return [m.files.single, m.files.up, m.files.down].filter((f): f is string => f !== undefined);
}

function mayHoldMigrations(entries: string[]): boolean {
  return projectFolderOf(entries) !== undefined || entries.some((e) => (parseMigrationName(e) !== undefined && (splitMigrationFileName(e).sql || !/\.\w+$/.test(e))) || (isCodeFile(e) && codeMigrationName(e) !== undefined));
}

/**
 * The migrations folder meant by a path the user pointed at (a file, or a folder from the
 * explorer): a per-migration folder, a `rollback/` folder or sqitch's `deploy/` means the folder
 * around it.
 */
export function migrationFolderOf(path: string, fs: FileSystem): string {
  // A path that is not an existing file is a folder (perhaps one to create).
  let dir = isDir(fs, path) || read(fs, path) === undefined ? path : splitPath(path).dir;
  const { dir: parent, base } = splitPath(dir);
  if (parent === dir || !base) return dir;
  const entries = list(fs, dir) ?? [];
  if (projectFolderOf(list(fs, parent) ?? [])?.subfolders.includes(base)) return parent;
  if (parseMigrationName(base) && entries.some((e) => /^(up|down|migration)\.sql$/i.test(e))) return parent;
  if (isRollbackFolder(fs, parent, base)) {
    // `migrations/rollback/` → `migrations/`; `db/rollback/` → `db/migrations/` (the sibling with forward migrations).
    if (hasForwardMigrations(parent, fs)) return parent;
    for (const sibling of (list(fs, parent) ?? []).sort()) {
      const p = joinPath(parent, sibling);
      if (sibling !== base && !isRollbackFolder(fs, parent, sibling) && isDir(fs, p) && hasForwardMigrations(p, fs)) return p;
    }
    dir = parent;
  }
  return dir;
}

function hasForwardMigrations(dir: string, fs: FileSystem): boolean {
  return readMigrationFolder(dir, fs, { sniff: false }).some((m) => m.files.single ?? m.files.up);
}

export interface TargetFolder {
  /** The folder to create the migration in; undefined when the user must pick one of `candidates`. */
  dir?: string;
  candidates: MigrationFolder[];
  /** The folder holds no migrations yet: the user must choose a convention. */
  empty: boolean;
}

/**
 * Where a new migration goes when the user points at `path`: its migrations folder; if that holds
 * none, the one migrations folder below it (or a choice among several); else the folder itself,
 * empty.
 */
export function resolveTargetFolder(path: string, fs: FileSystem, options: FindOptions = {}): TargetFolder {
  const dir = migrationFolderOf(path, fs);
  const own = describeFolder(dir, fs) ?? (projectFolderOf(list(fs, dir) ?? []) ? { dir } : undefined);
  if (own) return { dir, candidates: [], empty: false };
  const below = findMigrationFolders(dir, fs, options);
  if (below.length === 1) return { dir: below[0].dir, candidates: below, empty: false };
  if (below.length > 1) return { candidates: below, empty: false };
  return { dir, candidates: [], empty: true };
}

function list(fs: FileSystem, dir: string): string[] | undefined {
  try {
    return fs.readDir(dir);
  } catch {
    return undefined;
  }
}

function read(fs: FileSystem, path: string): string | undefined {
  try {
    return fs.readFile(path);
  } catch {
    return undefined;
  }
}

function isDir(fs: FileSystem, path: string): boolean {
  try {
    return fs.isDirectory(path);
  } catch {
    return false;
  }
}
