/** The FileSystem the engine reads neighbours through, backed by the disk, with a read cache. */
import { BigIntStats, readdirSync, statSync } from 'node:fs';
import { joinPath } from '../migration/names';
import type { FileSystem } from '../migration/model';
import { decodeText, readBytes, TextRead } from './read-text';

/** A folder as a search saw it: its entries sorted by name, and which are folders and which files (other kinds left out). */
export interface Listing {
  dir: string;
  names: string[];
  folders: string[];
  files: string[];
}

/** A regular file's size, modification and change times (nanoseconds) and inode. */
const stampOf = (stat: BigIntStats) => `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}`;

/**
 * Whether a stamp taken now may stand for the file's content from now on (as git's index
 * assumes): unchanged stamp, unchanged content, unless the file was modified within the clock's
 * granularity of being stamped, so a stamp of a file modified in the last seconds is not trusted.
 */
export function isSettled(stamp: string, now = Date.now()): boolean {
  const [, mtime, ctime] = stamp.split(':').map((n) => Number(BigInt(n) / 1_000_000n));
  return Math.max(mtime, ctime) < now - 2000;
}

export class DiskFileSystem implements FileSystem {
  private readonly files = new Map<string, { read: TextRead; lenient: string | undefined; stamp?: string }>();
  private readonly dirs = new Map<string, string[] | undefined>();
  private readonly directories = new Map<string, boolean>();
  private readonly memos = new Map<string, unknown>();

  /** Documents open in an editor, whose text wins over the disk. */
  constructor(private readonly overlay: (path: string) => string | undefined = () => undefined) {}

  readFile(path: string): string | undefined {
    const open = this.overlay(path);
    if (open !== undefined) return open;
    this.readText(path);
    return this.files.get(path)!.lenient;
  }

  /**
   * A file on disk as text, or why it is not (see read-text.ts); read once. A twin read for a
   * rule and then linted itself (or the other way round) is read from the disk once.
   */
  readText(path: string): TextRead {
    let file = this.files.get(path);
    if (!file) {
      let stamp: string | undefined;
      const bytes = readBytes(path, (stat) => (stamp = stat.isFile() ? stampOf(stat) : undefined));
      const read = bytes instanceof Uint8Array ? decodeText(bytes) : bytes;
      // A neighbour that is not clean text is still read by the rules, leniently.
      const lenient = 'text' in read ? read.text : bytes instanceof Uint8Array ? bytes.toString('utf8') : undefined;
      file = { read, lenient, stamp };
      this.files.set(path, file);
    }
    return file.read;
  }

  /** The file's stamp (see isSettled) taken on opening it, before reading the text this holds; undefined when not read or not a regular file. */
  stampWhenRead(path: string): string | undefined {
    return this.files.get(path)?.stamp;
  }

  /** The file's stamp now, without reading it; undefined when it is not a regular file. */
  stampNow(path: string): string | undefined {
    try {
      const stat = statSync(path, { bigint: true });
      return stat.isFile() ? stampOf(stat) : undefined;
    } catch {
      return undefined;
    }
  }

  hasRead(path: string): boolean {
    return this.files.has(path);
  }

  readDir(path: string): string[] | undefined {
    if (!this.dirs.has(path)) {
      let entries: string[] | undefined;
      try {
        entries = readdirSync(path).sort();
      } catch {
        entries = undefined;
      }
      this.dirs.set(path, entries);
    }
    return this.dirs.get(path);
  }

  isDirectory(path: string): boolean {
    let known = this.directories.get(path);
    if (known === undefined) {
      try {
        known = statSync(path).isDirectory();
      } catch {
        known = false;
      }
      this.directories.set(path, known);
    }
    return known;
  }

  /** Takes folders already listed (by `check`'s search), so that they are not read again. */
  know(listings: Listing[]): void {
    for (const { dir, names, folders, files } of listings) {
      this.dirs.set(dir, names);
      for (const name of folders) this.directories.set(joinPath(dir, name), true);
      for (const name of files) this.directories.set(joinPath(dir, name), false);
    }
  }

  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** Forget what was read (a file changed on disk). With a path, forget that file and its folder. */
  invalidate(path?: string): void {
    this.memos.clear();
    this.directories.clear();
    if (path === undefined) {
      this.files.clear();
      this.dirs.clear();
      return;
    }
    this.files.delete(path);
    this.dirs.delete(path);
    // Every folder above changes too when a migration folder (diesel `<version>_<name>/up.sql`) comes or goes.
    for (let dir = path.slice(0, path.lastIndexOf('/')); dir !== ''; dir = dir.slice(0, dir.lastIndexOf('/'))) this.dirs.delete(dir);
    this.dirs.delete('/');
  }
}
