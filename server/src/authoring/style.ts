/**
 * What a new migration in a folder must look like, read from the folder's recent migrations: its
 * convention, the shape of its files (one file with sections, an `.up`/`.down` pair, a diesel
 * folder, a rollback twin…) and how its names are written (version scheme, separators, case).
 * For an empty folder, the same from a convention the user chose.
 */
import { FolderMigration, readMigrationFolder } from '../migration/folder';
import type { ConventionName, FileSystem } from '../migration/model';
import { joinPath, parseMigrationName, splitMigrationFileName, splitPath } from '../migration/names';
import { DEFAULT_DESCRIPTION_STYLE, DescriptionStyle, detectDescriptionStyle } from './description';
import { schemeOf, VersionScheme } from './version';

export interface NamingStyle {
  scheme: VersionScheme;
  /** Before the version: `V` (Flyway, authelia), or ''. */
  prefix: string;
  /** Between version and description: `_`, `-`, `.`, `__` (Flyway). */
  separator: string;
  /** The folder's names carry a description (harness names its files `0188.up.sql`). */
  describe: boolean;
  description: DescriptionStyle;
}

/** Where a migration's UP and DOWN go. */
export type Shape =
  /** One file; `sections` says which markers divide it (`none`: roll-forward, no DOWN). */
  | { kind: 'single'; sections: 'template' | 'goose' | 'dbmate' | 'none' }
  /** golang-migrate `x.up.sql` + `x.down.sql` (the down file only where the folder keeps them). */
  | { kind: 'pair'; down: boolean }
  /** diesel / sourcegraph `<version>_<name>/up.sql` + `down.sql`; prisma `<version>_<name>/migration.sql`. */
  | { kind: 'folder'; runner: 'diesel' | 'sourcegraph' | 'prisma' }
  /** A forward file and its rollback file: `rollback_` + name beside it, `name.rollback.sql`, or in a rollback folder. */
  | { kind: 'rollback'; folder: string; prefix: string; suffix: boolean }
  /** Flyway `V<v>__x.sql`, with its undo `U<v>__x.sql` where the folder keeps them. */
  | { kind: 'flyway'; undo: boolean }
  /** sqitch `deploy/`, `revert/`, `verify/` and a line in `sqitch.plan`. */
  | { kind: 'sqitch'; project: string; verify: boolean };

export interface FolderStyle {
  convention: ConventionName;
  shape: Shape;
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
    shape: shapeFor(convention, dir, fs, migrations),
    naming: namingOf(names, convention),
    migrations,
    transactionBlock: convention === 'sqitch' || (convention === 'sourcegraph' && latestUsesTransaction(versioned, fs)),
  };
}

/** The conventions offered for an empty folder, each with the names it writes. */
export interface NewFolderChoice {
  id: string;
  convention: ConventionName;
  label: string;
  /** What the files look like, for the picker. */
  example: string;
  naming: NamingStyle;
}

const SNAKE = DEFAULT_DESCRIPTION_STYLE;
const naming = (scheme: VersionScheme, separator = '_', prefix = ''): NamingStyle => ({ scheme, prefix, separator, describe: true, description: SNAKE });
const DAY = { kind: 'time', layout: { unit: 'day', dashed: false, extraDigits: 0, extraDash: false } } as const;
const SECOND = { kind: 'time', layout: { unit: 'second', dashed: false, extraDigits: 0, extraDash: false } } as const;
const DIESEL = { kind: 'time', layout: { unit: 'second', dashed: true, extraDigits: 0, extraDash: false } } as const;

export const NEW_FOLDER_CHOICES: readonly NewFolderChoice[] = [
  { id: 'template', convention: 'template', label: 'Template sections (this project’s template)', example: 'YYYYMMDD_description.sql with -- UP / -- DOWN sections', naming: naming(DAY) },
  { id: 'template-numbered', convention: 'template', label: 'Template sections, numbered', example: '001_description.sql with -- UP / -- DOWN sections', naming: naming({ kind: 'sequential', width: 3 }) },
  { id: 'rollback-files', convention: 'rollback-files', label: 'Plain file + rollback file', example: '001_description.sql + rollback_001_description.sql', naming: naming({ kind: 'sequential', width: 3 }) },
  { id: 'goose', convention: 'goose', label: 'goose', example: 'YYYYMMDDHHMMSS_description.sql with -- +goose Up / Down', naming: naming(SECOND) },
  { id: 'dbmate', convention: 'dbmate', label: 'dbmate', example: 'YYYYMMDDHHMMSS_description.sql with -- migrate:up / down', naming: naming(SECOND) },
  { id: 'golang-migrate', convention: 'golang-migrate', label: 'golang-migrate', example: '000001_description.up.sql + .down.sql', naming: naming({ kind: 'sequential', width: 6 }) },
  { id: 'diesel', convention: 'diesel', label: 'diesel', example: 'YYYY-MM-DD-HHMMSS_description/up.sql + down.sql', naming: naming(DIESEL) },
  { id: 'sourcegraph', convention: 'sourcegraph', label: 'sourcegraph-style folders', example: '<unix time>_description/up.sql + down.sql + metadata.yaml', naming: naming({ kind: 'unix' }) },
  { id: 'flyway', convention: 'flyway', label: 'Flyway', example: 'V1__description.sql', naming: naming({ kind: 'dotted', separator: '.', width: 0 }, '__', 'V') },
  { id: 'sqitch', convention: 'sqitch', label: 'sqitch', example: 'deploy/, revert/, verify/description.sql + sqitch.plan', naming: naming({ kind: 'none' }, '') },
  { id: 'supabase', convention: 'supabase', label: 'Supabase CLI (roll-forward)', example: 'YYYYMMDDHHMMSS_description.sql', naming: naming(SECOND) },
  { id: 'prisma', convention: 'prisma', label: 'Prisma (roll-forward)', example: 'YYYYMMDDHHMMSS_description/migration.sql', naming: naming(SECOND) },
];

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
  if (entries.includes('sqitch.plan')) return findChoice('sqitch');
  if (entries.includes('migration_lock.toml')) return findChoice('prisma');
  const { dir: parent, base } = splitPath(dir);
  if (base === 'migrations' && splitPath(parent).base === 'supabase') return findChoice('supabase');
  return undefined;
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
    shape: shapeFor(choice.convention, dir, fs, []),
    naming: choice.naming,
    migrations: [],
    transactionBlock: choice.convention === 'sqitch',
  };
}

// ---------------------------------------------------------------------------------------------

function shapeFor(convention: ConventionName, dir: string, fs: FileSystem, migrations: FolderMigration[]): Shape {
  switch (convention) {
    case 'goose':
    case 'dbmate':
      return { kind: 'single', sections: convention };
    case 'supabase':
      return { kind: 'single', sections: 'none' };
    case 'template':
    case 'plain':
      return { kind: 'single', sections: 'template' };
    case 'golang-migrate': {
      const pairs = migrations.filter((m) => m.convention === 'golang-migrate');
      return { kind: 'pair', down: pairs.length === 0 || pairs.some((m) => m.files.down) };
    }
    case 'diesel':
    case 'sourcegraph':
    case 'prisma':
      return { kind: 'folder', runner: convention };
    case 'flyway':
      return { kind: 'flyway', undo: migrations.some((m) => m.convention === 'flyway' && m.files.down) };
    case 'rollback-files':
      return rollbackShape(dir, migrations);
    case 'sqitch':
      return sqitchShape(dir, fs);
  }
}

/** Where the folder's rollback files are, from its latest migration that has one. */
function rollbackShape(dir: string, migrations: FolderMigration[]): Shape {
  for (let i = migrations.length - 1; i >= 0; i--) {
    const m = migrations[i];
    if (m.convention !== 'rollback-files' || !m.files.down) continue;
    const { dir: downDir, base } = splitPath(m.files.down);
    const prefix = /^rollback[_-]/i.exec(base)?.[0] ?? '';
    const suffix = prefix === '' && /\.rollback\.sql$/i.test(base);
    return { kind: 'rollback', folder: downDir === dir ? dir : downDir, prefix, suffix };
  }
  return { kind: 'rollback', folder: dir, prefix: 'rollback_', suffix: false };
}

function sqitchShape(dir: string, fs: FileSystem): Shape {
  const plan = safeRead(fs, joinPath(dir, 'sqitch.plan')) ?? '';
  const project = /^%project=(\S+)/m.exec(plan)?.[1] ?? splitPath(dir).base;
  const verify = fs.isDirectory(joinPath(dir, 'verify')) || !fs.isDirectory(joinPath(dir, 'deploy'));
  return { kind: 'sqitch', project, verify };
}

function latestUsesTransaction(migrations: FolderMigration[], fs: FileSystem): boolean {
  const up = [...migrations].reverse().find((m) => m.files.up)?.files.up;
  const text = up ? safeRead(fs, up) : undefined;
  return text !== undefined && /^\s*BEGIN\s*;/im.test(text) && /^\s*COMMIT\s*;/im.test(text);
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
  if (m.convention === 'sqitch') return { prefix: '', raw: '', separator: '', description: m.description, flyway: false };
  const path = m.files.single ?? m.files.up ?? m.files.down;
  if (!path) return undefined;
  const { dir, base } = splitPath(path);
  const perFolder = /^(up|down|migration)\.sql$/i.test(base);
  const name = perFolder ? splitPath(dir).base : base;
  return splitName(name);
}

/** A file or folder name as prefix, raw version, separator and description. */
export function splitName(name: string): NameParts | undefined {
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
  if (convention === 'sqitch') {
    return { scheme: { kind: 'none' }, prefix: '', separator: '', describe: true, description: detectDescriptionStyle(names.map((n) => n.description)) };
  }
  const described = names.filter((n) => n.description !== '');
  const describe = names.length === 0 || described.length > 0;
  const separator = majority(described.map((n) => n.separator)) ?? (convention === 'flyway' ? '__' : '_');
  const prefix = majority(names.map((n) => n.prefix)) ?? (convention === 'flyway' ? 'V' : '');
  return {
    scheme: schemeFor(names, convention),
    prefix: convention === 'flyway' && prefix === '' ? 'V' : prefix,
    separator: separator === '' && describe ? '_' : separator,
    describe,
    description: detectDescriptionStyle(described.map((n) => n.description), separator === '-' ? '-' : '_'),
  };
}

/** The scheme most recent names follow; details (width, layout) from the latest of them. */
function schemeFor(names: NameParts[], convention: ConventionName): VersionScheme {
  if (convention === 'flyway' || names.some((n) => n.flyway)) {
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

function safeRead(fs: FileSystem, path: string): string | undefined {
  try {
    return fs.readFile(path);
  } catch {
    return undefined;
  }
}
