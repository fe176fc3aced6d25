/**
 * What detection knows of one file, shared by every convention module: the file's name taken
 * apart, its markers, its folder listings (each read once per recognition) and its ancestors.
 */
import type { FileSystem, MigrationName } from '../model';
import { FileNameParts, parseMigrationName, splitMigrationFileName, splitPath, swapDirection, UNDERSCORE_DIRECTION } from '../names';
import { markerFamily, MarkerFamily, MarkerScan } from './markers';

/** The other file of a migration: where it is (or should be), and whether it exists. */
export interface TwinResult {
  twin: string;
  exists: boolean;
}

/**
 * A file as detection sees it: its path, text and markers, and its folders, each read at most
 * once per recognition. Every convention module asks its questions through it.
 */
export class FileContext {
  readonly dir: string;
  readonly base: string;
  readonly file: FileNameParts;
  private readonly lists = new Map<string, string[] | undefined>();
  private readonly dirs = new Map<string, boolean>();
  private readonly answers = new Map<string, unknown>();
  /** The marker family the text uses, if any. */
  readonly family: MarkerFamily | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly scan: MarkerScan,
    readonly fs: FileSystem,
  ) {
    const { dir, base } = splitPath(path);
    this.dir = dir;
    this.base = base;
    this.file = splitMigrationFileName(base);
    this.family = markerFamily(scan);
  }

  /** Version and description read from the file's own name. */
  name(): MigrationName | undefined {
    return parseMigrationName(this.base);
  }

  /** The file's folder listing, when detection read it (the pipeline hands it on). */
  listed(): string[] | undefined {
    return this.lists.get(this.dir);
  }

  list(dir: string): string[] | undefined {
    if (this.lists.has(dir)) return this.lists.get(dir);
    let entries: string[] | undefined;
    try {
      entries = this.fs.readDir(dir);
    } catch {
      entries = undefined;
    }
    this.lists.set(dir, entries);
    return entries;
  }

  read(path: string): string | undefined {
    try {
      return this.fs.readFile(path);
    } catch {
      return undefined;
    }
  }

  has(dir: string, name: string): boolean {
    if (!this.fs.memo) return this.list(dir)?.includes(name) ?? false;
    // Every file of a big folder asks about its neighbours: look names up in a set built once.
    return this.fs.memo(`entry-set:${dir}`, () => new Set(this.list(dir) ?? [])).has(name);
  }

  isDir(path: string): boolean {
    let v = this.dirs.get(path);
    if (v === undefined) {
      try {
        v = this.fs.isDirectory(path);
      } catch {
        v = false;
      }
      this.dirs.set(path, v);
    }
    return v;
  }

  /** Ancestor folder names, nearest first: `a/b/c/x.sql` → [c, b, a]. */
  ancestors(max: number): { name: string; path: string; parent: string }[] {
    const out: { name: string; path: string; parent: string }[] = [];
    let cur = this.dir;
    for (let i = 0; i < max; i++) {
      const { dir: parent, base: name } = splitPath(cur);
      if (!name || parent === cur) break;
      out.push({ name, path: cur, parent });
      cur = parent;
    }
    return out;
  }

  /**
   * The direction of `x_up.sql` / `x_down.sql` (harness writes some of its golang-migrate files
   * so) when the file with the other suffix is beside it; `x.up.sql` / `x.down.sql` otherwise.
   */
  direction(): 'up' | 'down' | undefined {
    if (this.file.direction) return this.file.direction;
    const m = UNDERSCORE_DIRECTION.exec(this.base);
    if (!m) return undefined;
    const kind = m[1].toLowerCase() as 'up' | 'down';
    return this.has(this.dir, swapDirection(this.base, kind === 'up' ? 'down' : 'up')) ? kind : undefined;
  }

  /** An answer computed once per recognition (detection and reading both ask for a rollback twin). */
  once<T>(key: string, compute: () => T): T {
    if (!this.answers.has(key)) this.answers.set(key, compute());
    return this.answers.get(key) as T;
  }
}
