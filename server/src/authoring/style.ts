/**
 * What a new migration in a folder must look like, read from the folder's recent migrations: its
 * convention (whose module lays out the files: one file with sections, an `.up`/`.down` pair, a
 * diesel folder, a rollback twin…) and how its names are written (version scheme, separators,
 * case). For an empty folder, the same from a convention the user chose.
 */
import { CONVENTIONS, conventionNamed } from '../migration/conventions';
import type { NamingStyle, NewFolderChoice } from '../migration/conventions/types';
import { FolderMigration, readMigrationFolder } from '../migration/folder';
import type { ConventionName, FileSystem } from '../migration/model';
import { parseMigrationName, splitMigrationFileName, splitPath } from '../migration/names';
import { detectDescriptionStyle } from './description';
import { schemeOf, VersionScheme } from './version';

export type { NamingStyle, NewFolderChoice } from '../migration/conventions/types';

export interface FolderStyle {
  convention: ConventionName;
  naming: NamingStyle;
  /** The folder's migrations, in run order. */
  migrations: FolderMigration[];
  /** The files wrap their SQL in `BEGIN; … COMMIT;` (sourcegraph folders that do, sqitch). */
  transactionBlock: boolean;
}

/** How many of the latest migrations decide the folder's style. */
const RECENT = 12;

/**
 * The style of the migrations already in `dir`, or undefined when it holds none. `forced` (the
 * config's `convention`, or the user's choice) replaces the detected convention; the names still
 * follow the folder.
 */
export function detectFolderStyle(dir: string, fs: FileSystem, forced?: ConventionName): FolderStyle | undefined {
  const migrations = readMigrationFolder(dir, fs);
  const versioned = migrations.filter((m) => !m.repeatable);
  if (versioned.length === 0) return undefined;
  const recent = versioned.slice(-RECENT);
  const convention = forced ?? majority(recent.map((m) => m.convention)) ?? 'plain';
  const names = recent.map((m) => nameParts(m)).filter((n): n is NameParts => n !== undefined);
  return {
    convention,
    naming: namingOf(names, convention),
    migrations,
    transactionBlock: conventionNamed(convention).authoring?.transactionBlock?.(versioned, fs) ?? false,
  };
}

/** The conventions offered for an empty folder, in picker order (each convention module says its choices). */
export const NEW_FOLDER_CHOICES: readonly NewFolderChoice[] = CONVENTIONS.flatMap((c) => c.authoring?.choices ?? []).sort((a, b) => a.rank - b.rank);

/** A choice by its id, or the first choice of a convention name (`plain` means this project's template). */
export function findChoice(idOrConvention: string): NewFolderChoice | undefined {
  const wanted = idOrConvention === 'plain' ? 'template' : idOrConvention;
  return NEW_FOLDER_CHOICES.find((c) => c.id === wanted) ?? NEW_FOLDER_CHOICES.find((c) => c.convention === wanted);
}

/**
 * The convention an empty folder already implies: a `sqitch.plan`, Prisma's
 * `migration_lock.toml`, a `supabase/migrations` path. Undefined when nothing says.
 */
export function conventionHint(dir: string, fs: FileSystem): NewFolderChoice | undefined {
  const entries = (() => {
    try {
      return fs.readDir(dir) ?? [];
    } catch {
      return [];
    }
  })();
  const implied = CONVENTIONS.find((c) => c.authoring?.impliedBy?.(dir, entries));
  return implied ? findChoice(implied.name) : undefined;
}

/**
 * Migrations written as code (`014-train-members.ts`, node-pg-migrate or knex files) in `dir`:
 * safemig scaffolds SQL migrations only, so such a folder is not an empty one to start in.
 */
export function codeMigrationsIn(dir: string, fs: FileSystem): string[] {
  let entries: string[];
  try {
    entries = fs.readDir(dir) ?? [];
  } catch {
    return [];
  }
  return entries.filter((e) => /\.(?:ts|js|mjs|cjs)$/.test(e) && !/\.d\.ts$/.test(e) && parseMigrationName(e.replace(/\.\w+$/, '')) !== undefined);
}

/** The style of a new migration in an empty folder, for a choice of NEW_FOLDER_CHOICES. */
export function choiceStyle(choice: NewFolderChoice, dir: string, fs: FileSystem): FolderStyle {
  return {
    convention: choice.convention,
    naming: choice.naming,
    migrations: [],
    transactionBlock: conventionNamed(choice.convention).authoring?.transactionBlock?.([], fs) ?? false,
  };
}

/** A migration's name taken apart as written: `V` + `1_1` + `__` + `add_x`. */
interface NameParts {
  prefix: string;
  raw: string;
  separator: string;
  description: string;
  flyway: boolean;
}

function nameParts(m: FolderMigration): NameParts | undefined {
  if (conventionNamed(m.convention).authoring?.versions?.kind === 'none') return { prefix: '', raw: '', separator: '', description: m.description, flyway: false };
  const path = m.files.single ?? m.files.up ?? m.files.down;
  if (!path) return undefined;
  const { dir, base } = splitPath(path);
  const perFolder = /^(up|down|migration)\.sql$/i.test(base);
  const name = perFolder ? splitPath(dir).base : base;
  return splitName(name);
}

/** A file or folder name as prefix, raw version, separator and description. */
export function splitName(name: string): NameParts | undefined {
  // kysely's sortable `2024_01_15_create_pets.ts` (a date read as one version, not `2024`).
  const underscored = /^((?:19|20)\d\d_\d\d_\d\d(?:_\d{6})?)(_)(\D.*)$/.exec(splitMigrationFileName(name).stem);
  if (underscored) return { prefix: '', raw: underscored[1], separator: underscored[2], description: underscored[3], flyway: false };
  const parsed = parseMigrationName(name);
  if (!parsed || parsed.version === '') return undefined;
  const stem = splitMigrationFileName(name).stem;
  const prefix = /^[VvUu](?=\d)/.test(stem) ? stem[0] : '';
  const raw = stem.slice(prefix.length, prefix.length + parsed.version.length);
  if (raw.replace(/_/g, '.') !== parsed.version) return undefined;
  const rest = stem.slice(prefix.length + raw.length);
  const separator = rest.slice(0, rest.length - parsed.description.length);
  return { prefix: prefix.toUpperCase() === 'U' ? (prefix === 'U' ? 'V' : 'v') : prefix, raw, separator, description: parsed.description, flyway: parsed.versionStyle === 'flyway' };
}

function namingOf(names: NameParts[], convention: ConventionName): NamingStyle {
  const versions = conventionNamed(convention).authoring?.versions;
  if (versions?.kind === 'none') {
    return { scheme: { kind: 'none' }, prefix: '', separator: '', describe: true, description: detectDescriptionStyle(names.map((n) => n.description)) };
  }
  const described = names.filter((n) => n.description !== '');
  const describe = names.length === 0 || described.length > 0;
  const dotted = versions?.kind === 'dotted' ? versions : undefined;
  const separator = majority(described.map((n) => n.separator)) ?? dotted?.separator ?? '_';
  const prefix = majority(names.map((n) => n.prefix)) ?? dotted?.prefix ?? '';
  return {
    scheme: schemeFor(names, dotted !== undefined),
    prefix: dotted && prefix === '' ? dotted.prefix : prefix,
    separator: separator === '' && describe ? '_' : separator,
    describe,
    description: detectDescriptionStyle(described.map((n) => n.description), separator === '-' ? '-' : '_'),
  };
}

/** The scheme most recent names follow; details (width, layout) from the latest of them. */
function schemeFor(names: NameParts[], dotted: boolean): VersionScheme {
  if (dotted || names.some((n) => n.flyway)) {
    const latest = names[names.length - 1]?.raw ?? '1';
    const last = latest.split(/[._]/).pop() ?? '';
    return { kind: 'dotted', separator: latest.includes('_') ? '_' : '.', width: last.length > 1 && last[0] === '0' ? last.length : 0 };
  }
  // diesel's `00000000000000_diesel_initial_setup` says nothing about the folder's scheme.
  const schemes = names.filter((n) => !/^0{12,}$/.test(n.raw)).map((n) => schemeOf(n.raw));
  if (schemes.length === 0) return { kind: 'sequential', width: 0 };
  const kind = majority(schemes.map((s) => s.kind))!;
  const same = schemes.filter((s) => s.kind === kind);
  if (kind === 'sequential') {
    // Zero padding shows in any padded name: `010`, `099` pad to 3 even if `100` does not.
    const width = Math.max(0, ...same.map((s) => (s.kind === 'sequential' ? s.width : 0)));
    return { kind: 'sequential', width };
  }
  return same[same.length - 1];
}

/** The most frequent value; ties go to the later one (lists are in run order). */
function majority<T>(values: T[]): T | undefined {
  const counts = new Map<T, number>();
  values.forEach((v, i) => counts.set(v, (counts.get(v) ?? 0) + 1 + i / (values.length * 10)));
  let out: T | undefined;
  let max = 0;
  for (const [v, n] of counts) {
    if (n > max) {
      max = n;
      out = v;
    }
  }
  return out;
}
