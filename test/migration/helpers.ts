/** FileSystem implementations for the migration tests that read the real disk (the in-memory one is test/helpers/memory-fs.ts). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { FileSystem } from '../../server/src/migration/model';

/** The real file system, with the reads counted (for "one read per directory" checks). */
export class DiskFileSystem implements FileSystem {
  readonly dirReads = new Map<string, number>();

  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  readDir(path: string): string[] | undefined {
    this.dirReads.set(path, (this.dirReads.get(path) ?? 0) + 1);
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  }

  isDirectory(path: string): boolean {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  }
}

/** The disk, with each directory listed once (as the editor's cache would). */
export class CachedDiskFileSystem extends DiskFileSystem {
  private readonly dirs = new Map<string, string[] | undefined>();
  private readonly isDirs = new Map<string, boolean>();

  override readDir(path: string): string[] | undefined {
    if (!this.dirs.has(path)) this.dirs.set(path, super.readDir(path));
    return this.dirs.get(path);
  }

  override isDirectory(path: string): boolean {
    let v = this.isDirs.get(path);
    if (v === undefined) this.isDirs.set(path, (v = super.isDirectory(path)));
    return v;
  }
}
