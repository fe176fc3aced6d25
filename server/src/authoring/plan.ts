/**
 * Plans a new migration in a folder: the files to create (named and laid out like the folder's
 * other migrations), their content from the template, and where the cursor goes. Pure: reads
 * through a FileSystem and writes nothing, so the CLI and the editor both use it and tests can
 * check every convention.
 */
import type { MarkerFamily } from '../migration/conventions';
import type { ConventionName, FileSystem } from '../migration/model';
import { joinPath, splitPath } from '../migration/names';
import { descriptionProblem, displayDescription, formatDescription } from './description';
import { choiceStyle, codeMigrationsIn, conventionHint, detectFolderStyle, findChoice, FolderStyle, NEW_FOLDER_CHOICES } from './style';
import { DEFAULT_TEMPLATE, defaultCursor, endLine, fillPlaceholders, finish, markerLine, splitTemplate, TemplateParts } from './template';
import { nextVersion } from './version';
import { userRegex } from '../config/user-regex';

export interface Author {
  name: string;
  /** For sqitch.plan (`Name <email>`). */
  email?: string;
}

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

export type NewMigrationErrorKind = 'description' | 'convention' | 'exists';

/** A new migration that cannot be planned, with a message for the user. */
export class NewMigrationError extends Error {
  constructor(
    readonly kind: NewMigrationErrorKind,
    message: string,
  ) {
    super(message);
  }
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
  const values = {
    description: displayDescription(options.description),
    date: isoDate(now),
    version,
    author: oneLine(options.author.name),
    name: stem,
  };
  const parts = splitTemplate(fillPlaceholders(options.template ?? DEFAULT_TEMPLATE, values));
  const layout = layOut(style, dir, stem, parts, options, now);
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
    throw new NewMigrationError('convention', `${dir} holds migrations written as code (${code.slice(-1)[0]}); safemig new writes SQL migrations: choose a convention to add SQL files here anyway (${NEW_FOLDER_CHOICES.map((c) => c.id).join(', ')}).`);
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

interface Layout {
  /** The first file holds the UP part. `text` still contains the cursor placeholder. */
  files: { path: string; text: string }[];
  /** Offset of the UP part in the first file, for the default cursor. */
  upAt: number;
  appends: { path: string; text: string }[];
  /** A folder the migration creates (diesel, prisma, sourcegraph). */
  folder?: string;
  name: string;
}

function layOut(style: FolderStyle, dir: string, stem: string, parts: TemplateParts, options: NewMigrationOptions, now: Date): Layout {
  const { shape } = style;
  const { header, eol } = parts;
  const wrap = (body: string) => (style.transactionBlock && !/^\s*BEGIN\s*;/im.test(body) ? transactionBlock(body, 'COMMIT', eol) : body);
  const split = (upPath: string, downPath: string | undefined, name: string, folder?: string): Layout => {
    const files = [{ path: upPath, text: header + wrap(parts.up) }];
    if (downPath) files.push({ path: downPath, text: header + wrap(parts.down) });
    return { files, upAt: header.length + (style.transactionBlock ? `BEGIN;${eol}`.length : 0), appends: [], folder, name };
  };

  switch (shape.kind) {
    case 'single': {
      const path = joinPath(dir, `${stem}.sql`);
      if (shape.sections === 'none') return { files: [{ path, text: header + parts.up }], upAt: header.length, appends: [], name: `${stem}.sql` };
      const family: MarkerFamily = shape.sections;
      const upMarker = markerLine(parts, family, 'up');
      const text = endLine(header, eol) + upMarker + endLine(parts.up, eol) + markerLine(parts, family, 'down') + parts.down;
      return { files: [{ path, text }], upAt: endLine(header, eol).length + upMarker.length, appends: [], name: `${stem}.sql` };
    }
    case 'pair':
      return split(joinPath(dir, `${stem}.up.sql`), shape.down ? joinPath(dir, `${stem}.down.sql`) : undefined, `${stem}.up.sql`);
    case 'rollback': {
      const down = shape.suffix ? joinPath(dir, `${stem}.rollback.sql`) : joinPath(shape.folder, `${shape.prefix}${stem}.sql`);
      return split(joinPath(dir, `${stem}.sql`), down, `${stem}.sql`);
    }
    case 'flyway': {
      const undoPrefix = style.naming.prefix === 'v' ? 'u' : 'U';
      const undo = shape.undo ? joinPath(dir, undoPrefix + stem.slice(style.naming.prefix.length) + '.sql') : undefined;
      return split(joinPath(dir, `${stem}.sql`), undo, `${stem}.sql`);
    }
    case 'folder': {
      const folder = joinPath(dir, stem);
      if (shape.runner === 'prisma') return { files: [{ path: joinPath(folder, 'migration.sql'), text: header + parts.up }], upAt: header.length, appends: [], folder, name: `${stem}/` };
      const layout = split(joinPath(folder, 'up.sql'), joinPath(folder, 'down.sql'), `${stem}/`, folder);
      if (shape.runner === 'sourcegraph') {
        const parents = sourcegraphLeaves(style, options.fs);
        layout.files.push({ path: joinPath(folder, 'metadata.yaml'), text: `name: ${JSON.stringify(displayDescription(options.description))}${eol}parents: [${parents.join(', ')}]${eol}` });
      }
      return layout;
    }
    case 'sqitch':
      return sqitchLayout(style, shape, dir, stem, parts, options, now);
  }
}

function sqitchLayout(
  style: FolderStyle,
  shape: Extract<FolderStyle['shape'], { kind: 'sqitch' }>,
  dir: string,
  change: string,
  parts: TemplateParts,
  options: NewMigrationOptions,
  now: Date,
): Layout {
  const { header, eol } = parts;
  if (style.migrations.some((m) => m.description === change)) {
    throw new NewMigrationError('exists', `sqitch.plan already has a change named "${change}": describe this one differently.`);
  }
  const head = (verb: string, preposition: string) => `-- ${verb} ${shape.project}:${change} ${preposition} pg${eol}`;
  const files = [
    { path: joinPath(dir, 'deploy', `${change}.sql`), text: head('Deploy', 'to') + header + transactionBlock(parts.up, 'COMMIT', eol) },
    { path: joinPath(dir, 'revert', `${change}.sql`), text: head('Revert', 'from') + header + transactionBlock(parts.down, 'COMMIT', eol) },
  ];
  if (shape.verify) files.push({ path: joinPath(dir, 'verify', `${change}.sql`), text: head('Verify', 'on') + header + transactionBlock('', 'ROLLBACK', eol) });
  const author = oneLine(options.author.name);
  const email = options.author.email ?? `${author.replace(/\s+/g, '.').toLowerCase() || 'unknown'}@localhost`;
  const line = `${change} ${now.toISOString().replace(/\.\d+Z$/, 'Z')} ${author} <${email}> # ${displayDescription(options.description)}${eol}`;
  const planPath = joinPath(dir, 'sqitch.plan');
  const plan = safeRead(options.fs, planPath);
  const appends: Layout['appends'] = [];
  if (plan === undefined) {
    files.push({ path: planPath, text: `%syntax-version=1.0.0${eol}%project=${shape.project}${eol}${eol}${line}` });
    if (!exists(options.fs, joinPath(dir, 'sqitch.conf'))) files.push({ path: joinPath(dir, 'sqitch.conf'), text: `[core]${eol}\tengine = pg${eol}` });
  } else {
    appends.push({ path: planPath, text: (plan === '' || /\n$/.test(plan) ? '' : eol) + line });
  }
  return { files, upAt: files[0].text.indexOf(`BEGIN;${eol}`) + `BEGIN;${eol}`.length, appends, name: `${change}.sql` };
}

/** sourcegraph migrations name their parents: the current leaves of the migration graph. */
function sourcegraphLeaves(style: FolderStyle, fs: FileSystem): string[] {
  const versions = style.migrations.map((m) => m.version);
  const parents = new Set<string>();
  for (const m of style.migrations) {
    const file = m.files.up ?? m.files.down;
    if (!file) continue;
    const meta = safeRead(fs, joinPath(splitPath(file).dir, 'metadata.yaml'));
    const list = meta && (/^parents:\s*\[([^\]]*)\]/m.exec(meta)?.[1] ?? /^parents:\s*\n((?:\s*-\s*\S+\s*\n?)+)/m.exec(meta)?.[1]);
    for (const p of list?.match(/\d+/g) ?? []) parents.add(p);
  }
  const leaves = versions.filter((v) => !parents.has(v));
  return leaves.length > 0 ? leaves : versions.slice(-1);
}

/** `BEGIN;`, the body, a blank line, `COMMIT;` (sqitch, and sourcegraph folders whose files do it). */
function transactionBlock(body: string, end: 'COMMIT' | 'ROLLBACK', eol: string): string {
  const inner = body.replace(/\s*$/, '');
  return `BEGIN;${eol}${inner === '' ? '' : inner + eol}${eol}${end};${eol}`;
}

function exists(fs: FileSystem, path: string): boolean {
  try {
    return fs.readFile(path) !== undefined || fs.isDirectory(path);
  } catch {
    return false;
  }
}

function safeRead(fs: FileSystem, path: string): string | undefined {
  try {
    return fs.readFile(path);
  } catch {
    return undefined;
  }
}

function isoDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

