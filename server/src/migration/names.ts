/**
 * Migration file and folder names: what a name says about direction, dialect, version and
 * description, and how versions order. Pure string functions (no file system).
 */
import type { FileSystem, MigrationName } from './model';

/** A migration file name taken apart (without reading the file). */
export interface FileNameParts {
  /** The name without `.sql`, dialect, direction suffix and `rollback_` prefix: `001_add_x`. */
  stem: string;
  /** `.up.sql` / `.down.sql`. */
  direction?: 'up' | 'down';
  /** `rollback_NNN_x.sql`, `rollback-NNN-x.sql` or `x.rollback.sql`. */
  rollback: boolean;
  /** `rollback_` / `rollback-` prefix (as opposed to a `.rollback.sql` suffix). */
  rollbackPrefix: boolean;
  /** Database dialect written in the name (`x.postgres.up.sql`, synapse `x.sql.postgres`), lower case. */
  dialect?: string;
  /** The name ends with `.sql` (or `.sql.postgres` and the like). */
  sql: boolean;
  /** ory/popx `x.autocommit.up.sql`: the runner does not wrap the file in a transaction. */
  autocommit: boolean;
}

const DIALECTS = 'postgres|postgresql|pg|psql|cockroach|cockroachdb|crdb|mysql|mariadb|sqlite|sqlite3|mssql|sqlserver|oracle';
const SQL_EXT = new RegExp(`\\.sql(?:\\.(${DIALECTS}))?$`, 'i');
const DIRECTION_SUFFIX = /\.(up|down|rollback)$/i;
const DIALECT_SUFFIX = new RegExp(`\\.(${DIALECTS})$`, 'i');
const ROLLBACK_PREFIX = /^rollback[_-]/i;
const AUTOCOMMIT_SUFFIX = /\.autocommit$/i;

/** Dialects that safemig reads as PostgreSQL. A name without a dialect is read too. */
export const POSTGRES_DIALECTS: ReadonlySet<string> = new Set(['postgres', 'postgresql', 'pg', 'psql']);

export function splitMigrationFileName(fileName: string): FileNameParts {
  let stem = fileName;
  let sql = false;
  let dialect: string | undefined;
  const ext = SQL_EXT.exec(stem);
  if (ext) {
    sql = true;
    if (ext[1]) dialect = ext[1].toLowerCase();
    stem = stem.slice(0, ext.index);
  }
  let direction: 'up' | 'down' | undefined;
  let rollback = false;
  let rollbackPrefix = false;
  const dir = sql ? DIRECTION_SUFFIX.exec(stem) : null;
  if (dir) {
    const word = dir[1].toLowerCase();
    if (word === 'up') direction = 'up';
    else if (word === 'down') direction = 'down';
    else rollback = true;
    stem = stem.slice(0, dir.index);
  }
  let autocommit = false;
  for (let i = 0; i < 2 && sql; i++) {
    const dia = DIALECT_SUFFIX.exec(stem);
    if (dia && dialect === undefined) {
      dialect = dia[1].toLowerCase();
      stem = stem.slice(0, dia.index);
    } else if (!autocommit && AUTOCOMMIT_SUFFIX.test(stem)) {
      autocommit = true;
      stem = stem.slice(0, -'.autocommit'.length);
    }
  }
  if (ROLLBACK_PREFIX.test(stem) && stem.length > 9) {
    rollback = true;
    rollbackPrefix = true;
    stem = stem.slice(9);
  }
  return { stem, direction, rollback, rollbackPrefix, dialect, sql, autocommit };
}

/** The name is for a dialect other than PostgreSQL (`x.mysql.up.sql`, `x.sql.sqlite`). */
export function isOtherDialect(parts: FileNameParts): boolean {
  return parts.dialect !== undefined && !POSTGRES_DIALECTS.has(parts.dialect);
}

/** Flyway versioned (`V1.1__x`) and undo (`U1.1__x`) file names; group 1 is the prefix. */
export const FLYWAY_VERSIONED = /^([VU])\d+(?:[._]\d+)*__/i;
/** Flyway repeatable file names: `R__x.sql`. */
export const FLYWAY_REPEATABLE = /^R__/i;
/** Folder names that hold rollback scripts: `rollback/`, `down/`, `rollback_dbs/`, `db_rollbacks/`. */
export const ROLLBACK_FOLDER = /^(?:rollbacks?|downs?|undo|rollback[_-][\w.-]*|[\w.-]*[_-]rollbacks?)$/i;

/**
 * Entries of `dir` named like a rollback folder (`rollback_001.sql` files match too: callers keep
 * what they look for). Every file of a folder, and every migration folder of a diesel-style
 * layout, asks about the same folder: the names are tested once per file-system state.
 * `list` reads the folder (a caller's own listing cache, or the file system).
 */
export function rollbackNamedEntries(fs: FileSystem, dir: string, list: () => string[] | undefined): string[] {
  const read = (): string[] => (list() ?? []).filter((e) => ROLLBACK_FOLDER.test(e) && (/\.sql$/i.test(e) || isRollbackFolder(fs, dir, e)));
  return fs.memo ? fs.memo(`rollback-named:${dir}`, read) : read();
}

/** Names that are a rollback folder whatever they hold. */
const PLAIN_ROLLBACK_FOLDER = /^(?:rollbacks?|downs?|undo)$/i;

/**
 * `parent/name` is a folder of rollback scripts: `rollback/`, `down/`, `undo/` always; a name that
 * merely contains the word (`rollback_dbs/`, `db_rollbacks/`, `e2e_rollback/`) only when it
 * mirrors forward files: one of its `.sql` files (up to three levels down) has a namesake at the
 * same place in `parent` or in a folder beside it (openreplay `init_dbs/` ↔ `rollback_dbs/`).
 * Otherwise its files are migrations like any others, not DOWN-only rollbacks.
 */
export function isRollbackFolder(fs: FileSystem, parent: string, name: string): boolean {
  if (!ROLLBACK_FOLDER.test(name)) return false;
  if (PLAIN_ROLLBACK_FOLDER.test(name)) return true;
  const compute = () => mirrorsForwardFiles(fs, parent, name);
  return fs.memo ? fs.memo(`rollback-folder:${joinPath(parent, name)}`, compute) : compute();
}

function mirrorsForwardFiles(fs: FileSystem, parent: string, name: string): boolean {
  const listings = new Map<string, string[]>();
  const list = (dir: string): string[] => {
    let entries = listings.get(dir);
    if (!entries) {
      try {
        entries = fs.readDir(dir) ?? [];
      } catch {
        entries = [];
      }
      listings.set(dir, entries);
    }
    return entries;
  };
  const forwardName = (base: string) => base.replace(/^(?:rollback|down|undo)[_-]/i, '').toLowerCase();
  // Folders (a name without an extension, or a version like `1.16.0`): others are not listed.
  const folderLike = (e: string) => !/\.[A-Za-z]\w{0,7}$/.test(e) || /^[\d.]+$/.test(e);
  const siblings = list(parent).filter((e) => e !== name && !ROLLBACK_FOLDER.test(e) && folderLike(e));
  const queue: string[][] = [[]];
  for (let visited = 0; queue.length > 0 && visited < 50; visited++) {
    const below = queue.shift()!;
    for (const e of list(joinPath(parent, name, ...below))) {
      if (!/\.sql$/i.test(e)) {
        if (below.length < 3 && folderLike(e)) queue.push([...below, e]);
        continue;
      }
      const wanted = forwardName(e);
      const places = [...(below.length === 0 ? [parent] : []), ...siblings.map((s) => joinPath(parent, s, ...below))];
      if (places.some((dir) => list(dir).some((f) => f.toLowerCase() === wanted))) return true;
    }
  }
  return false;
}


const FLYWAY = /^([VU])(\d+(?:[._]\d+)*)__(.*)$/i;
const FLYWAY_REPEATABLE_NAME = /^R__(.*)$/i;
const V_PREFIXED = /^[Vv](\d+(?:\.\d+)*)[._-](.+)$/; // authelia: V0024.WebAuthnAttestationType
const DIESEL = /^(\d{4}-\d{2}-\d{2}-\d{6}(?:-\d{4})?)(?:_(.*))?$/;
const DASHED_DATE = /^(\d{4}-\d{2}-\d{2})(?:[_-](.*))?$/;
const DOTTED = /^[vV]?(\d+(?:\.\d+)+)(?:[_-](.*))?$/;
const NUMBERED = /^(\d+)(?:[_-](.*)|([A-Za-z].*))?$/;

/**
 * Version and description of a migration file or folder name: `001_x`, `001-x`, `20251122_x`,
 * `20251122093000_x`, diesel `2019-02-26-002946_x`, flyway `V1.1__x` / `U1__x` / `R__x`
 * (repeatable: empty version). `.up.sql` / `.down.sql` / `.sql`, dialects and a `rollback_`
 * prefix are ignored. Undefined when the name has no version.
 */
export function parseMigrationName(fileOrFolderName: string): MigrationName | undefined {
  const stem = splitMigrationFileName(fileOrFolderName).stem;
  let m = FLYWAY.exec(stem);
  if (m) return { version: m[2].replace(/_/g, '.'), versionStyle: 'flyway', description: m[3] };
  m = FLYWAY_REPEATABLE_NAME.exec(stem);
  if (m) return { version: '', versionStyle: 'flyway', description: m[1] };
  m = DIESEL.exec(stem);
  if (m) return { version: m[1], versionStyle: 'timestamp', description: m[2] ?? '' };
  m = DASHED_DATE.exec(stem);
  if (m) return { version: m[1], versionStyle: 'date', description: m[2] ?? '' };
  m = NUMBERED.exec(stem);
  if (m) return { version: m[1], versionStyle: numberStyle(m[1]), description: m[2] ?? m[3] ?? '' };
  m = DOTTED.exec(stem);
  if (m) return { version: m[1], versionStyle: 'other', description: m[2] ?? '' };
  m = V_PREFIXED.exec(stem);
  if (m) return { version: m[1], versionStyle: m[1].includes('.') ? 'other' : 'sequential', description: m[2] };
  return undefined;
}

function numberStyle(digits: string): MigrationName['versionStyle'] {
  const n = digits.length;
  if (/^0+$/.test(digits) && n >= 12) return 'timestamp'; // diesel's 00000000000000_diesel_initial_setup
  // ory/popx writes 20-digit versions with odd months and days (20241609000001000000).
  if (n >= 14 && /^(19|20)/.test(digits)) return 'timestamp';
  if (n >= 12 && /^(19|20)\d\d(0[1-9]|1[0-2])/.test(digits)) return 'timestamp';
  if (n === 8 && /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(digits)) return 'date';
  // golang-migrate's `-format unix`: seconds since 1970 (2001..2033).
  if (n === 10 && /^1\d{9}$/.test(digits)) return 'timestamp';
  return 'sequential';
}

/**
 * Orders two versions as the runners do: dotted parts compared one by one (flyway `1` < `1.1` <
 * `2`), digits compared as numbers (`9` < `10`, `001` = `1`), except that two date/timestamp
 * versions are compared as text so that `20240101` sorts after `20231231235959` (diesel, dbmate).
 * Dashes between digits (diesel `2019-02-26-002946`) are ignored.
 */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const c = comparePart(undash(pa[i]), undash(pb[i]));
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

/** The two versions are the same migration version (`001` and `1`, `1_1` and `1.1`). */
export function sameVersion(a: string, b: string): boolean {
  return compareVersions(a.replace(/_/g, '.'), b.replace(/_/g, '.')) === 0;
}

/** A canonical text for a version, equal for versions that {@link sameVersion} says are equal. */
export function versionKey(version: string): string {
  return version
    .replace(/_/g, '.')
    .split('.')
    .map((part) => {
      const p = undash(part);
      return /^\d+$/.test(p) && !isDateLike(p) ? p.replace(/^0+(?=\d)/, '') : p;
    })
    .join('.');
}

function undash(part: string): string {
  return /^\d[\d-]*\d$/.test(part) ? part.replace(/-/g, '') : part;
}

function isDateLike(digits: string): boolean {
  return digits.length >= 8 && /^(19|20)/.test(digits);
}

function comparePart(a: string, b: string): number {
  const da = /^\d+$/.test(a);
  const db = /^\d+$/.test(b);
  if (da && db) {
    if (isDateLike(a) && isDateLike(b)) return a < b ? -1 : a > b ? 1 : 0;
    const x = a.replace(/^0+/, '');
    const y = b.replace(/^0+/, '');
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `x_up.sql` / `x_down.sql`: a direction only when the twin with the other suffix exists. */
export const UNDERSCORE_DIRECTION = /[_-](up|down)\.sql$/i;

/** `x.up.sql` ↔ `x.down.sql` (also `x.postgres.up.sql`, `x_up.sql`), keeping the case. */
export function swapDirection(base: string, want: 'up' | 'down'): string {
  const re = want === 'down' ? /[._-]up(?=(?:\.[a-z0-9]+)?\.sql(?:\.[a-z0-9]+)?$)/i : /[._-]down(?=(?:\.[a-z0-9]+)?\.sql(?:\.[a-z0-9]+)?$)/i;
  const m = re.exec(base);
  if (!m) return base;
  const word = m[0].slice(1);
  const repl = word === word.toUpperCase() ? want.toUpperCase() : want;
  return base.slice(0, m.index + 1) + repl + base.slice(m.index + m[0].length);
}

/**
 * `up.sql`, `down.sql`, `migration.sql`: a file of a per-migration folder (diesel, sourcegraph,
 * Prisma), named by its folder rather than by itself.
 */
export function isNamedByFolder(base: string): boolean {
  return /^(?:up|down|migration)\.sql$/i.test(base);
}

/** Directory and base name of a path written with `/` or `\` (Windows), and its separator. */
export function splitPath(path: string): { dir: string; base: string; sep: string } {
  const slash = path.lastIndexOf('/');
  const back = path.lastIndexOf('\\');
  const i = Math.max(slash, back);
  const sep = back > slash ? '\\' : '/';
  if (i < 0) return { dir: '', base: path, sep };
  // Keep the root: `/x.sql` → `/`, `C:\x.sql` → `C:\`.
  const dir = i === 0 || (i === 2 && path[1] === ':') ? path.slice(0, i + 1) : path.slice(0, i);
  return { dir, base: path.slice(i + 1), sep };
}

/** `dir` + separator + `name`, with the separator that `dir` uses. */
export function joinPath(dir: string, ...names: string[]): string {
  let out = dir;
  const sep = out.lastIndexOf('\\') > out.lastIndexOf('/') ? '\\' : '/';
  for (const name of names) {
    if (out === '' || out.endsWith('/') || out.endsWith('\\')) out += name;
    else out += sep + name;
  }
  return out;
}
