/**
 * Shared by the conventions of migrations written as TypeScript / JavaScript (knex,
 * node-pg-migrate, kysely, TypeORM, seed-003 scripts): a file is one when it lies in a
 * migrations folder and its shape says so (extract.ts reads it with a real parser); its parts
 * are the `up` / `down` functions; a folder of them reads as migrations by their names.
 */
import { extractMigration, Framework, TsMigration } from '../../typescript/extract';
import { CURSOR } from '../../authoring/template';
import type { ConventionInfo, ConventionName, FileSystem, FolderMigration, PartSpan } from '../model';
import { joinPath, parseMigrationName } from '../names';
import type { FileContext } from './file';
import type { Convention, Layout, LayoutInput, NewFolderChoice } from './types';

/** Extensions of code migrations. */
const CODE_EXT = /\.([cm]?[jt]s)$/i;

export const isCodeFile = (path: string): boolean => CODE_EXT.test(path) && !/\.d\.[cm]?ts$/i.test(path);

/** Folder names that hold migrations (knex, node-pg-migrate, kysely: `migrations`; TypeORM: `migration(s)`). */
const MIGRATION_FOLDERS = new Set(['migrations', 'migration', 'migrate']);

/** The file lies in a migrations folder (its own folder or one of the three above it). */
export function inMigrationsFolder(path: string): boolean {
  const dirs = path.split(/[\\/]/).slice(0, -1).slice(-4);
  return dirs.some((d) => MIGRATION_FOLDERS.has(d.toLowerCase()));
}

/** The migration a code file holds, read once per recognition; undefined when it is not one. */
export function codeMigrationOf(file: FileContext): TsMigration | undefined {
  return file.once('code-migration', () => (isCodeFile(file.path) && inMigrationsFolder(file.path) ? extractMigration(file.text, file.path) : undefined));
}

/** Whether `text` at `path` is a code migration: a file in a migrations folder with the shape of one. */
export function isCodeMigration(path: string, text: string): boolean {
  return isCodeFile(path) && inMigrationsFolder(path) && extractMigration(text, path) !== undefined;
}

/** Which convention reads a framework's files. */
export const CONVENTION_OF: Record<Framework, ConventionName> = {
  knex: 'knex',
  'node-pg-migrate': 'node-pg-migrate',
  kysely: 'kysely',
  typeorm: 'typeorm',
  script: 'migration-scripts',
};

/** A code file's name read as a migration name (`20240105093000_create_users.ts`, `1700000000000-CreatePost.ts`). */
export function codeMigrationName(base: string): ReturnType<typeof parseMigrationName> {
  const stem = base.replace(CODE_EXT, '');
  // kysely's sortable names: `2024_01_15_create_pets` is version 20240115.
  const dated = /^((?:19|20)\d\d)[_-](\d\d)[_-](\d\d)(?:[_-](\d{2,6}))?[_-]([^\d].*)$/.exec(stem);
  if (dated) {
    const version = dated[1] + dated[2] + dated[3] + (dated[4] ?? '');
    return { version, versionStyle: version.length > 8 ? 'timestamp' : 'date', description: dated[5] };
  }
  return parseMigrationName(stem);
}

/** The convention info of a code migration: UP and DOWN parts span its functions. */
export function readCode(name: ConventionName, file: FileContext, expectsRollback: boolean): ConventionInfo {
  const migration = codeMigrationOf(file);
  const parts: PartSpan[] = [];
  if (migration) {
    for (const kind of ['up', 'down'] as const) {
      const range = migration.partRanges[kind];
      if (range) parts.push({ ...range, kind, commentedOut: false, runnerTransaction: migration.runnerTransaction[kind] });
    }
  }
  const info: ConventionInfo = { name, role: 'migration', parts, twinExists: false, expectsRollback, embedded: migration };
  const n = codeMigrationName(file.base);
  if (n) info.migrationName = n;
  return info;
}

/** The code migrations of a folder by their names, when any is of convention `name`. */
export function readCodeFolder(name: ConventionName, dir: string, entries: readonly string[], fs: FileSystem): FolderMigration[] | undefined {
  // A folder that also holds SQL migrations is read as SQL (its code files are then not listed).
  if (entries.some((e) => /\.sql$/i.test(e))) return undefined;
  const all = fs.memo ? fs.memo(`code-folder:${dir}`, () => codeFolder(dir, entries, fs)) : codeFolder(dir, entries, fs);
  return all.some((m) => m.convention === name) ? all : undefined;
}

function codeFolder(dir: string, entries: readonly string[], fs: FileSystem): FolderMigration[] {
  if (!inMigrationsFolder(joinPath(dir, 'x.ts'))) return [];
  const out: FolderMigration[] = [];
  for (const entry of [...entries].sort()) {
    if (!isCodeFile(entry)) continue;
    const n = codeMigrationName(entry);
    if (!n) continue;
    const path = joinPath(dir, entry);
    let text: string | undefined;
    try {
      text = fs.readFile(path);
    } catch {
      text = undefined;
    }
    const migration = text === undefined ? undefined : extractMigration(text, path);
    if (!migration) continue;
    out.push({ version: n.version, description: n.description, versionStyle: n.versionStyle, files: { single: path }, convention: CONVENTION_OF[migration.framework] });
  }
  return out;
}

/** What a convention of code migrations needs: recognising, reading, its folder, its new files. */
export function codeConvention(o: {
  name: ConventionName;
  framework: Framework;
  historyTable?: string;
  /** See Convention.runsByName. */
  runsByName?: boolean;
  expectsRollback: boolean;
  choice: Omit<NewFolderChoice, 'convention'>;
  /** The text of a new migration; `${cursor}` where the SQL goes, `ts` whether it is TypeScript. */
  template(input: LayoutInput, ts: boolean, previous: string | undefined): string;
  /** How a new file is named from the stem (TypeORM: `<version>-<Name>`). */
  fileName?(input: LayoutInput, ext: string): string;
  /** An empty folder already implies this convention. */
  impliedBy?(dir: string): boolean;
}): Convention {
  return {
    name: o.name,
    historyTable: o.historyTable,
    runsByName: o.runsByName,
    recognises: (file) => codeMigrationOf(file)?.framework === o.framework,
    read: (file) => readCode(o.name, file, o.expectsRollback),
    folder: { readFolder: (dir, entries, fs) => readCodeFolder(o.name, dir, entries, fs) },
    authoring: {
      choices: [{ ...o.choice, convention: o.name }],
      impliedBy: o.impliedBy,
      layOut(input): Layout {
        // The folder's usual extension (`.ts` unless most are `.js`), and its latest file of that kind as the model.
        const files = input.migrations.map((m) => m.files.single).filter((p): p is string => p !== undefined && CODE_EXT.test(p));
        const count = new Map<string, number>();
        for (const f of files) count.set(extOf(f), (count.get(extOf(f)) ?? 0) + 1);
        const ext = [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'ts';
        const previous = files.filter((f) => extOf(f) === ext).pop();
        const base = o.fileName ? o.fileName(input, ext) : `${input.stem}.${ext}`;
        const text = o.template(input, ext.endsWith('ts'), previous === undefined ? undefined : readText(input.fs, previous));
        return { files: [{ path: joinPath(input.dir, base), text }], upAt: Math.max(0, text.indexOf(CURSOR)), appends: [], name: base };
      },
    },
  };
}

const extOf = (path: string): string => CODE_EXT.exec(path)![1].toLowerCase();

function readText(fs: FileSystem, path: string): string | undefined {
  try {
    return fs.readFile(path);
  } catch {
    return undefined;
  }
}
