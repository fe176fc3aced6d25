/**
 * Plain files with rollback files: `NNN_name.sql` with `rollback_NNN_name.sql` (matched by
 * version), `name.rollback.sql`, or the same name in a `rollback/` / `down/` folder. Run by hand.
 */
import type { ConventionInfo, FolderMigration } from '../model';
import {
  isOtherDialect,
  isRollbackFolder,
  joinPath,
  parseMigrationName,
  ROLLBACK_FOLDER,
  rollbackNamedEntries,
  sameVersion,
  splitMigrationFileName,
  splitPath,
  versionKey,
} from '../names';
import type { FileContext, TwinResult } from './file';
import { naming, SEQUENTIAL_3 } from './naming';
import { findByVersion, versionHint } from './twins';
import { wholePart } from './sections';
import type { Convention } from './types';
import { splitFiles } from './writing';

export const rollbackFiles: Convention = {
  name: 'rollback-files',
  dateVersionsMayRepeat: true,
  // A rollback file, or a file in a rollback folder.
  recognises: (file) => file.file.rollback || downInRollbackFolder(file) !== undefined,
  // A forward file whose folder keeps rollback files: only when nothing else recognised it (markers first).
  recognisesByNeighbours: (file) => file.file.sql && rollbackOfUp(file) !== undefined,
  read,
  // Folder reading pairs a forward file with the rollback file of its version (and reads rollback folders).
  folder: { fileSide: (_name, parts) => (parts.rollback ? { side: 'down' } : undefined) },
  authoring: {
    choices: [{ id: 'rollback-files', convention: 'rollback-files', label: 'Plain file + rollback file', example: '001_description.sql + rollback_001_description.sql', naming: naming(SEQUENTIAL_3), rank: 30 }],
    layOut(input) {
      const { dir, stem } = input;
      const shape = rollbackShape(dir, input.migrations);
      const down = shape.suffix ? joinPath(dir, `${stem}.rollback.sql`) : joinPath(shape.folder, `${shape.prefix}${stem}.sql`);
      return splitFiles(input, joinPath(dir, `${stem}.sql`), down, `${stem}.sql`);
    },
  },
};

/** The up file of a file under a rollback folder, asked once per recognition. */
function downInRollbackFolder(file: FileContext): TwinResult | undefined {
  return file.once('rollback-folder-of-down', () => rollbackFolderOfDown(file));
}

/** The rollback twin of a forward file, asked once per recognition. */
function rollbackOfUp(file: FileContext): TwinResult | undefined {
  return file.once('rollback-of-up', () => findRollbackOfUp(file));
}

/** Where the folder's rollback files are (`rollback_` + name, `name.rollback.sql`, a rollback folder), from its latest migration that has one. */
function rollbackShape(dir: string, migrations: readonly FolderMigration[]): { folder: string; prefix: string; suffix: boolean } {
  for (let i = migrations.length - 1; i >= 0; i--) {
    const m = migrations[i];
    if (m.convention !== 'rollback-files' || !m.files.down) continue;
    const { dir: downDir, base } = splitPath(m.files.down);
    const prefix = /^rollback[_-]/i.exec(base)?.[0] ?? '';
    const suffix = prefix === '' && /\.rollback\.sql$/i.test(base);
    return { folder: downDir === dir ? dir : downDir, prefix, suffix };
  }
  return { folder: dir, prefix: 'rollback_', suffix: false };
}

function read(file: FileContext): ConventionInfo {
  const down = downInRollbackFolder(file) ?? (file.file.rollback ? rollbackFileTwin(file) : undefined);
  if (down) return info(file, 'down', down);
  return info(file, 'up', rollbackOfUp(file) ?? { twin: joinPath(file.dir, `rollback_${file.base}`), exists: false });
}

/** An UP file and its rollback file are each other's twin; each is a whole-file part. */
function info(file: FileContext, role: 'up' | 'down', twin: { twin: string; exists: boolean }): ConventionInfo {
  const info: ConventionInfo = {
    name: 'rollback-files',
    role,
    parts: [wholePart(file.text, file.scan.bom, role, false)],
    twin: twin.twin,
    twinExists: twin.exists,
    expectsRollback: true,
  };
  const n = file.name();
  if (n) info.migrationName = n;
  return info;
}

/** The up file of `rollback_NNN_x.sql` / `x.rollback.sql`, in the same folder. */
function rollbackFileTwin(file: FileContext): TwinResult {
  const base = file.base;
  const plainName = file.file.rollbackPrefix ? base.slice(9) : base.replace(/\.rollback(?=\.sql)/i, '');
  if (file.has(file.dir, plainName)) return { twin: joinPath(file.dir, plainName), exists: true };
  const found = file.file.rollbackPrefix ? findByVersion(file, file.dir, false) : undefined;
  if (found) return { twin: joinPath(file.dir, found), exists: true };
  return { twin: joinPath(file.dir, plainName), exists: false };
}

/**
 * A file under a rollback folder (`rollback/`, `down/`, `rollback_dbs/…`): the rollback folder
 * and the up file. Nearest rollback folder within 3 levels; above the file's own folder it only
 * counts when a sibling folder mirrors the path below it (openreplay `init_dbs/` ↔ `rollback_dbs/`).
 */
function rollbackFolderOfDown(file: FileContext): TwinResult | undefined {
  const up = file.ancestors(4);
  for (let i = 0; i < up.length; i++) {
    if (!isRollbackFolder(file.fs, up[i].parent, up[i].name)) continue;
    const rbName = up[i].name;
    const parent = up[i].parent;
    const below = up.slice(0, i).map((a) => a.name).reverse();
    const upBase = file.file.rollbackPrefix ? file.base.slice(9) : file.base;
    const siblings = file.list(parent) ?? [];
    if (below.length === 0) {
      // `migrations/rollback/001_x.sql` → `migrations/001_x.sql`.
      const same = findUpIn(file, parent, upBase);
      if (same) return same;
      // `db/rollback/001_x.sql` → `db/migrations/001_x.sql`.
      let checked = 0;
      for (const s of siblings) {
        if (s === rbName || ROLLBACK_FOLDER.test(s) || /\.[a-z0-9]+$/i.test(s)) continue;
        if (++checked > 8) break;
        const p = joinPath(parent, s);
        if (!file.isDir(p)) continue;
        const found = findUpIn(file, p, upBase);
        if (found) return found;
      }
      return { twin: joinPath(parent, upBase), exists: false };
    }
    for (const s of siblings) {
      if (s === rbName || ROLLBACK_FOLDER.test(s)) continue;
      if (!file.has(joinPath(parent, s), below[0])) continue;
      const twinDir = joinPath(parent, s, ...below);
      return { twin: joinPath(twinDir, upBase), exists: file.has(twinDir, upBase) };
    }
    return undefined;
  }
  return undefined;
}

function findUpIn(file: FileContext, dir: string, upBase: string): TwinResult | undefined {
  if (file.has(dir, upBase)) return { twin: joinPath(dir, upBase), exists: true };
  const found = findByVersion(file, dir, false);
  return found ? { twin: joinPath(dir, found), exists: true } : undefined;
}

/**
 * The rollback file of a forward file when its folder uses rollback files: a `rollback_NNN_*.sql`
 * with its version beside it, `name.rollback.sql`, the same name in a `rollback/` or `down/`
 * subfolder or sibling folder; or where it should be created when the folder has such files but
 * not this one's. Undefined when the folder does not use rollback files.
 */
function findRollbackOfUp(file: FileContext): TwinResult | undefined {
  const dir = file.dir;
  const base = file.base;
  const listing = rollbackListing(file, dir);
  const n = file.name();
  const dotName = `${file.file.stem}.rollback.sql`;
  // The `rollback_` file of this version; of several, the one named like this file.
  const ofVersion = n && n.version !== '' ? listing.prefixedByVersion.get(versionKey(n.version)) ?? [] : [];
  const byVersion = [...ofVersion].reverse().find((e) => splitMigrationFileName(e).stem === file.file.stem) ?? ofVersion[0];
  if (listing.dotted.has(dotName)) return { twin: joinPath(dir, dotName), exists: true };
  if (byVersion) return { twin: joinPath(dir, byVersion), exists: true };
  if (listing.prefixed) return { twin: joinPath(dir, `rollback_${base}`), exists: false };
  if (listing.dotted.size > 0) return { twin: joinPath(dir, dotName), exists: false };
  for (const f of rollbackFolderNames(file, dir)) {
    const p = joinPath(dir, f);
    if (!file.isDir(p)) continue;
    const found = findRollbackIn(file, p);
    return found ?? { twin: joinPath(p, base), exists: false };
  }
  // A rollback folder beside an ancestor that mirrors the path below it.
  let below: string[] = [];
  for (const a of file.ancestors(3)) {
    for (const s of rollbackFolderNames(file, a.parent)) {
      if (s === a.name) continue;
      const rb = joinPath(a.parent, s);
      if (below.length > 0 ? !file.has(rb, below[0]) : !file.isDir(rb)) continue;
      const twinDir = joinPath(rb, ...below);
      return findRollbackIn(file, twinDir) ?? { twin: joinPath(twinDir, base), exists: false };
    }
    below = [a.name, ...below];
  }
  return undefined;
}

/** Entries of `dir` named like a rollback folder (`rollback/`, `down/`, `rollback_dbs/`), in listing order. */
function rollbackFolderNames(file: FileContext, dir: string): string[] {
  return rollbackNamedEntries(file.fs, dir, () => file.list(dir)).filter((e) => !e.toLowerCase().endsWith('.sql'));
}

/** What a folder holds of rollback files, read once per folder (every file of it asks). */
interface RollbackListing {
  /** `rollback_NNN_*.sql` files, by version key. */
  prefixedByVersion: Map<string, string[]>;
  /** Any `rollback_*.sql` file at all. */
  prefixed: boolean;
  /** `name.rollback.sql` files. */
  dotted: Set<string>;
}

function rollbackListing(file: FileContext, dir: string): RollbackListing {
  const read = (): RollbackListing => {
    const listing: RollbackListing = { prefixedByVersion: new Map(), prefixed: false, dotted: new Set() };
    for (const e of file.list(dir) ?? []) {
      const lower = e.toLowerCase();
      if ((lower.startsWith('rollback_') || lower.startsWith('rollback-')) && lower.endsWith('.sql')) {
        listing.prefixed = true;
        const version = parseMigrationName(e)?.version;
        if (!version) continue;
        const key = versionKey(version);
        const list = listing.prefixedByVersion.get(key);
        if (list) list.push(e);
        else listing.prefixedByVersion.set(key, [e]);
      } else if (lower.endsWith('.rollback.sql')) {
        listing.dotted.add(e);
      }
    }
    return listing;
  };
  return file.fs.memo ? file.fs.memo(`rollback-listing:${dir}`, read) : read();
}

/** This file's rollback in a rollback folder: same name, `rollback_` + name, or same version. */
function findRollbackIn(file: FileContext, dir: string): TwinResult | undefined {
  const entries = file.list(dir);
  if (!entries) return undefined;
  if (entries.includes(file.base)) return { twin: joinPath(dir, file.base), exists: true };
  const prefixed = `rollback_${file.base}`;
  if (entries.includes(prefixed)) return { twin: joinPath(dir, prefixed), exists: true };
  const n = file.name();
  if (!n || n.version === '') return undefined;
  const hint = versionHint(n.version);
  for (const e of entries) {
    if (!e.includes(hint)) continue;
    const p = splitMigrationFileName(e);
    if (!p.sql || p.direction || isOtherDialect(p)) continue;
    const en = parseMigrationName(e);
    if (en && sameVersion(en.version, n.version)) return { twin: joinPath(dir, e), exists: true };
  }
  return undefined;
}
