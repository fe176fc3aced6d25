/**
 * Plans a new migration in a folder: the files to create (named and laid out like the folder's
 * other migrations), their content from the template, and where the cursor goes. Pure: reads
 * through a FileSystem and writes nothing, so the CLI and the editor both use it and tests can
 * check every convention.
 */
import { conventionNamed } from '../migration/conventions';
import type { Author } from '../migration/conventions/types';
import type { ConventionName, FileSystem } from '../migration/model';
import { splitPath } from '../migration/names';
import { descriptionProblem, displayDescription, formatDescription } from './description';
import { NewMigrationError } from './errors';
import { choiceStyle, codeMigrationsIn, conventionHint, detectFolderStyle, findChoice, FolderStyle, NEW_FOLDER_CHOICES } from './style';
import { DEFAULT_TEMPLATE, defaultCursor, fillPlaceholders, finish, splitTemplate } from './template';
import { nextVersion } from './version';
import { userRegex } from '../config/user-regex';

export type { Author } from '../migration/conventions/types';
export { NewMigrationError } from './errors';
export type { NewMigrationErrorKind } from './errors';

export interface NewMigrationOptions {
  /** The migrations folder (absolute). */
  dir: string;
  description: string;
  fs: FileSystem;
  now: Date;
  author: Author;
  /** The project's template text (`.safemig/template.sql`); the seeds' template when absent. */
  template?: string;
  /**
   * The convention to follow: required for an empty folder (a NEW_FOLDER_CHOICES id or a
   * convention name); for a folder with migrations it replaces the detected one (the config's
   * `convention`), and the names still follow the folder.
   */
  convention?: string;
}

export interface PlannedFile {
  path: string;
  content: string;
}

export interface NewMigrationPlan {
  /** Files to create, in order (the one holding the UP part first). None of them exists. */
  files: PlannedFile[];
  /** Text to append to existing files (a sqitch change's line in sqitch.plan). */
  appends: { path: string; text: string }[];
  /** Where the editor puts the cursor: in the UP part. */
  cursor: { path: string; offset: number };
  convention: ConventionName;
  version: string;
  /** The new migration's name as it shows in the folder (`20251122_add_x.sql`, `2019-…_add_x/`). */
  name: string;
}

export function planNewMigration(options: NewMigrationOptions): NewMigrationPlan {
  const { dir, fs, now } = options;
  const problem = descriptionProblem(options.description);
  if (problem) throw new NewMigrationError('description', problem);
  const style = styleFor(dir, fs, options.convention);
  const { naming } = style;

  const version = nextVersion(naming.scheme, style.migrations.map((m) => m.version), now);
  const described = formatDescription(options.description, naming.description);
  const stem = naming.scheme.kind === 'none' ? described : `${naming.prefix}${version}${naming.describe ? naming.separator + described : ''}`;
  const before = runsBefore(stem, style);
  if (before) {
    throw new NewMigrationError('order', `${stem} would sort before ${before}, and ${style.convention} runs migrations in file name order: it would run first. Name the new migration yourself so that it sorts last.`);
  }
  const values = {
    description: displayDescription(options.description),
    date: isoDate(now),
    version,
    author: oneLine(options.author.name),
    name: stem,
  };
  const parts = splitTemplate(fillPlaceholders(options.template ?? DEFAULT_TEMPLATE, values));
  // The convention's module lays the files out, as the folder's others are.
  const layout = conventionNamed(style.convention).authoring!.layOut({
    dir,
    stem,
    parts,
    migrations: style.migrations,
    transactionBlock: style.transactionBlock,
    naming,
    fs,
    description: options.description,
    author: options.author,
    now,
  });
  for (const file of layout.files) {
    if (exists(fs, file.path)) throw new NewMigrationError('exists', `${file.path} already exists: safemig never overwrites a file.`);
  }
  if (layout.folder && exists(fs, layout.folder)) throw new NewMigrationError('exists', `${layout.folder} already exists: safemig never overwrites a folder.`);

  const files: PlannedFile[] = [];
  let cursor: { path: string; offset: number } | undefined;
  for (const file of layout.files) {
    const done = finish(file.text, parts.eol);
    files.push({ path: file.path, content: done.content });
    if (done.cursor !== undefined) cursor ??= { path: file.path, offset: done.cursor };
  }
  // A template without `${cursor}`: the first empty line of the UP part.
  cursor ??= { path: layout.files[0].path, offset: Math.min(layout.upAt + defaultCursor(parts.up), files[0].content.length) };
  return { files, appends: layout.appends, cursor, convention: style.convention, version, name: layout.name };
}

/** The folder's style, or the chosen convention's for an empty folder. */
function styleFor(dir: string, fs: FileSystem, convention: string | undefined): FolderStyle {
  const wanted = convention && convention !== 'auto' ? convention : undefined;
  const choice = wanted ? findChoice(wanted) : undefined;
  if (wanted && !choice) throw new NewMigrationError('convention', `Unknown convention "${wanted}" (use ${NEW_FOLDER_CHOICES.map((c) => c.id).join(', ')}).`);
  const detected = detectFolderStyle(dir, fs, choice?.convention);
  if (detected) return detected;
  const hinted = choice ?? conventionHint(dir, fs);
  if (hinted) return choiceStyle(hinted, dir, fs);
  const code = codeMigrationsIn(dir, fs);
  if (code.length > 0) {
    throw new NewMigrationError('convention', `${dir} holds migrations written as code (${code.slice(-1)[0]}) that safemig does not read as knex, node-pg-migrate, kysely or TypeORM migrations in a migrations folder, nor as scripts/migrations/NNN-name.ts scripts: choose a convention to add migrations here anyway (${NEW_FOLDER_CHOICES.map((c) => c.id).join(', ')}).`);
  }
  throw new NewMigrationError('convention', `${dir} has no migrations yet, so there is no convention to follow: choose one (${NEW_FOLDER_CHOICES.map((c) => c.id).join(', ')}).`);
}

/**
 * The created SQL files whose names `fileNamePattern` (from `.safemig.json`) does not accept: the
 * folder's own names decided them, so the pattern and the folder disagree.
 */
export function namePatternWarnings(plan: NewMigrationPlan, fileNamePattern: string | null): string[] {
  if (!fileNamePattern) return [];
  const pattern = userRegex(fileNamePattern);
  return plan.files
    .map((f) => splitPath(f.path).base)
    .filter((base) => base.endsWith('.sql') && !pattern.test(base))
    .map((base) => `${base} does not match fileNamePattern ${fileNamePattern} of the configuration (the name follows the folder's other migrations).`);
}

/** The convention a new migration in `dir` will follow without being told, or undefined when the user must choose. */
export function impliedConvention(dir: string, fs: FileSystem): ConventionName | undefined {
  return detectFolderStyle(dir, fs)?.convention ?? conventionHint(dir, fs)?.convention;
}

function exists(fs: FileSystem, path: string): boolean {
  try {
    return fs.readFile(path) !== undefined || fs.isDirectory(path);
  } catch {
    return false;
  }
}

function isoDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * For a runner that orders migrations by whole file name (knex, kysely): the name of an existing
 * migration the new stem sorts before (kysely's `2024_01_15_x` folder, today taken: the time
 * `2024_01_15_093000_y` sorts before `2024_01_15_x`).
 */
function runsBefore(stem: string, style: FolderStyle): string | undefined {
  if (!conventionNamed(style.convention).runsByName) return undefined;
  for (const m of style.migrations) {
    const path = m.files.single ?? m.files.up;
    const name = path ? splitPath(path).base.replace(/\.[^.]+$/, '') : undefined;
    if (name !== undefined && name >= stem) return splitPath(path!).base;
  }
  return undefined;
}
