/**
 * A migrations folder read as a list of migrations in run order: the files of one migration
 * (an `.up`/`.down` pair, a file and its rollback file, a diesel folder, a flyway V/U pair) are
 * one entry. Used for duplicate-version checks, naming the next migration and applying earlier
 * migrations in order.
 */
import { sniffMarkers } from './conventions';
import { ConventionName, FileSystem, MigrationName } from './model';
import {
  compareVersions,
  FLYWAY_REPEATABLE,
  FLYWAY_VERSIONED,
  isNamedByFolder,
  isOtherDialect,
  joinPath,
  parseMigrationName,
  ROLLBACK_FOLDER,
  rollbackNamedEntries,
  splitMigrationFileName,
  splitPath,
  swapDirection,
  UNDERSCORE_DIRECTION,
  versionKey,
} from './names';

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

type Family = 'updown' | 'flyway' | 'rollback' | 'single';

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
  if (entries.includes('sqitch.plan')) {
    const sqitch = readSqitchPlan(dir, fs);
    if (sqitch) return sqitch;
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
      if (!parts.direction) downs.push(item('rollback'));
      return;
    }
    const flyway = FLYWAY_VERSIONED.exec(fileName);
    if (flyway) {
      (flyway[1].toUpperCase() === 'U' ? downs : ups).push(item('flyway'));
    } else if (FLYWAY_REPEATABLE.test(fileName)) {
      out.push({ ...nameFields(name), files: { single: path }, convention: 'flyway', repeatable: true });
    } else if (parts.direction) {
      (parts.direction === 'up' ? ups : downs).push(item('updown'));
    } else if (underscoreDirection(fileName, present)) {
      const strip = (t: string): string => t.replace(/[_-](?:up|down)$/i, '');
      const it = { ...item('updown'), stem: strip(parts.stem.toLowerCase()), name: { ...name, description: strip(name.description) } };
      (underscoreDirection(fileName, present) === 'up' ? ups : downs).push(it);
    } else if (parts.rollback) {
      downs.push(item('rollback'));
    } else {
      ups.push(item('single'));
    }
  };

  const addRollbackFolder = (path: string): void => {
    for (const e of listDir(fs, path) ?? []) addFile(joinPath(path, e), e, true);
  };

  const { dir: parent, base: self } = splitPath(dir);
  // Reading a `rollback/` folder itself: its files are rollbacks.
  const selfIsRollback = ROLLBACK_FOLDER.test(self);
  for (const e of [...entries].sort()) {
    const path = joinPath(dir, e);
    if (OTHER_FILE.test(e) || splitMigrationFileName(e).sql) {
      addFile(path, e, selfIsRollback);
      continue;
    }
    const rollback = ROLLBACK_FOLDER.test(e);
    const name = rollback ? undefined : parseMigrationName(e);
    if ((!rollback && !name) || !isDirectory(fs, path)) continue;
    if (rollback) {
      rollbackFolders = true;
      addRollbackFolder(path);
      continue;
    }
    if (!name) continue;
    const folder = perMigrationFolder(path, fs);
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
  const usesRollbackFiles = rollbackFolders || downItems.some((d) => d.family === 'rollback');
  const supabase = isSupabaseFolder(dir);

  for (const u of upItems) {
    const down = u.downItem?.path;
    const base = nameFields(u.name);
    if (u.family === 'updown') {
      out.push({ ...base, files: withDown({ up: u.path }, down), convention: 'golang-migrate' });
    } else if (u.family === 'flyway') {
      out.push({ ...base, files: withDown({ up: u.path }, down), convention: 'flyway' });
    } else if (down) {
      out.push({ ...base, files: { up: u.path, down }, convention: 'rollback-files' });
    } else {
      const family = sniff ? sniffFile(fs, u.path) : undefined;
      if (family) out.push({ ...base, files: { single: u.path }, convention: family });
      else if (usesRollbackFiles) out.push({ ...base, files: { up: u.path }, convention: 'rollback-files' });
      else out.push({ ...base, files: { single: u.path }, convention: supabase ? 'supabase' : 'plain' });
    }
  }
  for (const d of orphans) {
    const convention: ConventionName = d.family === 'updown' ? 'golang-migrate' : d.family === 'flyway' ? 'flyway' : 'rollback-files';
    out.push({ ...nameFields(d.name), files: { down: d.path }, convention });
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

/** `x_up.sql` / `x_down.sql` beside each other (harness). */
function underscoreDirection(fileName: string, present: ReadonlySet<string>): 'up' | 'down' | undefined {
  const m = UNDERSCORE_DIRECTION.exec(fileName);
  if (!m) return undefined;
  const kind = m[1].toLowerCase() as 'up' | 'down';
  return present.has(swapDirection(fileName, kind === 'up' ? 'down' : 'up')) ? kind : undefined;
}

function pairs(up: Family, down: Family): boolean {
  if (up === 'updown') return down === 'updown';
  if (up === 'flyway') return down === 'flyway';
  return down === 'rollback';
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

function perMigrationFolder(path: string, fs: FileSystem): Pick<FolderMigration, 'files' | 'convention'> | undefined {
  const sub = listDir(fs, path);
  if (!sub) return undefined;
  let up: string | undefined;
  let down: string | undefined;
  let migration: string | undefined;
  let sourcegraph = false;
  for (const e of sub) {
    const lower = e.toLowerCase();
    if (lower === 'up.sql') up = e;
    else if (lower === 'down.sql') down = e;
    else if (lower === 'migration.sql') migration = e;
    else if (lower === 'metadata.yaml' || lower === 'metadata.yml') sourcegraph = true;
  }
  if (up || down) {
    const files: FolderMigration['files'] = {};
    if (up) files.up = joinPath(path, up);
    if (down) files.down = joinPath(path, down);
    return { files, convention: sourcegraph ? 'sourcegraph' : 'diesel' };
  }
  if (migration) return { files: { single: joinPath(path, migration) }, convention: 'prisma' };
  return undefined;
}

function isSupabaseFolder(dir: string): boolean {
  const { dir: parent, base } = splitPath(dir);
  return base.toLowerCase() === 'migrations' && splitPath(parent).base.toLowerCase() === 'supabase';
}

function sniffFile(fs: FileSystem, path: string): 'goose' | 'dbmate' | 'template' | undefined {
  try {
    const text = fs.readFile(path);
    return text === undefined ? undefined : sniffMarkers(text);
  } catch {
    return undefined;
  }
}

/** sqitch: the changes of `sqitch.plan` in plan order, numbered from 1. */
function readSqitchPlan(dir: string, fs: FileSystem): FolderMigration[] | undefined {
  let plan: string | undefined;
  try {
    plan = fs.readFile(joinPath(dir, 'sqitch.plan'));
  } catch {
    plan = undefined;
  }
  if (plan === undefined) return undefined;
  const deploy = new Set(listDir(fs, joinPath(dir, 'deploy')) ?? []);
  const revert = new Set(listDir(fs, joinPath(dir, 'revert')) ?? []);
  const out: FolderMigration[] = [];
  for (const raw of plan.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line[0] === '%' || line[0] === '#' || line[0] === '@') continue;
    const change = /^([^\s[#]+)/.exec(line)?.[1];
    if (!change) continue;
    const file = `${change}.sql`;
    const files: FolderMigration['files'] = {};
    if (deploy.has(file)) files.up = joinPath(dir, 'deploy', file);
    if (revert.has(file)) files.down = joinPath(dir, 'revert', file);
    out.push({ version: String(out.length + 1), description: change, versionStyle: 'other', files, convention: 'sqitch' });
  }
  return out;
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
