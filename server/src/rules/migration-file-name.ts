import { conventionNamed } from '../migration/conventions';
import type { FileSystem } from '../migration/model';
import { isMigrationFolderFile } from '../migration/folder';
import { FLYWAY_REPEATABLE, FLYWAY_VERSIONED, isNamedByFolder, parseMigrationName, splitMigrationFileName, splitPath } from '../migration/names';
import type { Rule } from './rule';
import { userRegex } from '../config/user-regex';

/** Names fixed by the convention: the migration's folder carries its name (diesel, sourcegraph, prisma). */
const DIESEL_SETUP = /^0+_diesel_initial_setup$/;

/** How a migration name is built, without its description: `NNN_…sql`, `V…__….sql`, `…up.sql`. */
interface Shape {
  /** Equal for names built the same way (a rollback file and an undo / repeatable Flyway file are variants). */
  key: string;
  /** Digits of a sequential version, and whether it is zero-padded. */
  digits?: number;
  padded?: boolean;
  /** Something that reads like the pattern, for the message. */
  pattern: string;
  versioned: boolean;
}

/**
 * A migration file (or diesel / sourcegraph migration folder) whose name does not follow its
 * folder: the way most of its neighbours are named, or `fileNamePattern` from the config.
 */
export const migrationFileName: Rule = {
  id: 'migration-file-name',
  defaultSeverity: 'warning',
  description: "A file in a migrations folder whose name does not follow the folder's convention (or fileNamePattern).",
  messages: {
    pattern: '{{kind}} name "{{name}}" does not match fileNamePattern /{{pattern}}/ of the configuration.',
    naming: '{{kind}} name "{{name}}" does not follow the naming of the other {{count}} migrations in this folder ({{like}}): it does not sort with them, and runners that read this naming skip or reject it.',
    noVersion: '{{kind}} name "{{name}}" does not follow the naming of the other {{count}} migrations in this folder ({{like}}): without a version, runners skip it and its order among the others is undefined.',
    padding: 'The version of "{{name}}" has {{digits}} where this folder pads versions to {{width}} ({{like}}): it sorts out of order by name.',
  },
  check({ migration, config, fs, report }) {
    // sqitch names changes in its plan; Prisma generates its folder names.
    if (conventionNamed(migration.convention.name).namedByTool) return;
    // TS/JS migrations are named by their framework's own command (knex migrate:make, typeorm migration:create).
    if (migration.convention.embedded) return;
    const { dir, base } = splitPath(migration.path);
    const inFolder = isNamedByFolder(base);
    const name = inFolder ? splitPath(dir).base : base;
    // diesel's own first migration, named by `diesel setup`.
    if (DIESEL_SETUP.test(name)) return;
    const folder = inFolder ? splitPath(dir).dir : dir;
    const kind = inFolder ? 'Migration folder' : 'File';
    if (config.fileNamePattern !== null) {
      if (!userRegex(config.fileNamePattern).test(name)) {
        report({ messageId: 'pattern', data: { kind, name, pattern: config.fileNamePattern } });
      }
      return;
    }
    const listedEntry = neighbourShapes(fs, folder, inFolder);
    const listed = listedEntry.nameSet.has(name);
    const neighbours = listed ? listedEntry.names : [...listedEntry.names, name];
    const shapes = listed ? listedEntry.shapes : [...listedEntry.shapes, shapeOf(name, inFolder)];
    // The folder's majority shape, computed once per listing for the files it lists.
    const { key: dominantKey, shapes: dominant, width } = listed ? (listedEntry.dominant ??= dominantShape(shapes)) : dominantShape(shapes);
    // A convention is what most names follow; two names or a tie say nothing.
    if (dominant.length < 2 || dominant.length * 2 <= neighbours.length || !dominant[0].versioned) return;
    const own = shapeOf(name, inFolder);
    const example = neighbours.find((n, i) => shapes[i].key === dominantKey && n !== name) ?? '';
    const like = `like ${example}${inFolder ? '/' : ''}: ${dominant[0].pattern.replace('N…', width ? 'N'.repeat(width) : '<number>')}`;
    if (own.key !== dominantKey) {
      report({ messageId: own.versioned ? 'naming' : 'noVersion', data: { kind, name, count: dominant.length, like } });
    } else if (width && own.digits !== undefined && own.digits !== width) {
      report({ messageId: 'padding', data: { name, digits: `${own.digits} digit${own.digits === 1 ? '' : 's'}`, width, like } });
    }
  },
};

interface FolderShapes {
  names: string[];
  nameSet: Set<string>;
  shapes: Shape[];
  dominant?: Dominant;
}

/** The shape most names of a folder have, and the width it pads sequential versions to, if it pads. */
interface Dominant {
  key: string;
  shapes: Shape[];
  width: number | undefined;
}


function dominantShape(shapes: Shape[]): Dominant {
  const counts = new Map<string, Shape[]>();
  for (const s of shapes) {
    const list = counts.get(s.key);
    if (list) list.push(s);
    else counts.set(s.key, [s]);
  }
  const [key, most] = [...counts.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  return { key, shapes: most, width: paddedWidth(most) };
}

/**
 * The migration names of a folder (`.sql` files, or the per-migration folders) and their shapes,
 * memoised on the file system (dropped when the editor reports a change).
 */
function neighbourShapes(fs: FileSystem, folder: string, folders: boolean): FolderShapes {
  let listing: string[] | undefined;
  try {
    listing = fs.readDir(folder);
  } catch {
    listing = undefined;
  }
  if (!listing) return { names: [], nameSet: new Set(), shapes: [] };
  const read = listing;
  const compute = () => shapesOf(read, folders);
  return fs.memo ? fs.memo(`file-name-shapes:${folders ? 'folders' : 'files'}:${folder}`, compute) : compute();
}

function shapesOf(listing: string[], folders: boolean): FolderShapes {
  const names = folders
    ? listing.filter((e) => !e.startsWith('.') && !/\.[A-Za-z0-9]{1,8}$/.test(e))
    : listing.filter((e) => isMigrationFolderFile(e) && !isNamedByFolder(e) && !e.startsWith('.'));
  return { names, nameSet: new Set(names), shapes: names.map((n) => shapeOf(n, folders)) };
}

function shapeOf(name: string, isFolder: boolean): Shape {
  const parts = splitMigrationFileName(name);
  const ending = isFolder ? '/' : parts.direction ? '.up.sql / .down.sql' : '.sql';
  const suffix = isFolder ? 'folder' : parts.direction ? 'updown' : 'sql';
  if (FLYWAY_VERSIONED.test(name) || FLYWAY_REPEATABLE.test(name)) {
    return { key: `flyway|${suffix}`, pattern: `V<version>__<description>${ending}`, versioned: true };
  }
  const parsed = parseMigrationName(name);
  const stem = parts.stem;
  if (!parsed || parsed.version === '') return { key: `none|${suffix}|${stem.toLowerCase()}`, pattern: `<name>${ending}`, versioned: false };
  const at = stem.indexOf(parsed.version);
  const separator = at < 0 ? '' : (/^(__|[_.-])?/.exec(stem.slice(at + parsed.version.length))?.[0] ?? '');
  const lead = at > 0 ? stem.slice(0, at) : '';
  let version: string;
  let placeholder: string;
  let digits: number | undefined;
  let padded: boolean | undefined;
  // Twelve digits and more are timestamps, also placeholders such as 00000000000001.
  const style = parsed.versionStyle === 'sequential' && parsed.version.length >= 12 ? 'timestamp' : parsed.versionStyle;
  switch (style) {
    case 'sequential':
      version = 'seq';
      placeholder = 'N…';
      digits = parsed.version.length;
      padded = parsed.version.length > 1 && parsed.version.startsWith('0');
      break;
    // Dates and timestamps of any width sort by time alike, and tools change their format over
    // the years (diesel: 20170708133715, 2018-01-18-172821, 2026-07-30-140000-0000): one family.
    case 'date':
      version = 'time';
      placeholder = parsed.version.includes('-') ? 'YYYY-MM-DD' : 'YYYYMMDD';
      break;
    case 'timestamp':
      version = 'time';
      placeholder = parsed.version.includes('-') ? 'YYYY-MM-DD-HHMMSS' : parsed.version.length === 14 ? 'YYYYMMDDHHMMSS' : `<${parsed.version.length}-digit timestamp>`;
      break;
    default:
      version = parsed.version.includes('.') ? 'dotted' : 'other';
      placeholder = '<version>';
  }
  return { key: `${lead.toLowerCase()}|${version}|${separator}|${suffix}`, digits, padded, pattern: `${lead}${placeholder}${separator}<description>${ending}`, versioned: true };
}

/** The width a folder pads sequential versions to (the most common among padded ones), if it pads. */
function paddedWidth(shapes: Shape[]): number | undefined {
  const widths = new Map<number, number>();
  for (const s of shapes) if (s.padded && s.digits) widths.set(s.digits, (widths.get(s.digits) ?? 0) + 1);
  return [...widths.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
