/** The FileSystem the engine reads neighbours through, backed by the disk, with a read cache. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { FileSystem } from '../migration/model';

export class DiskFileSystem implements FileSystem {
  private readonly files = new Map<string, string | undefined>();
  private readonly dirs = new Map<string, string[] | undefined>();

  /** Documents open in an editor, whose text wins over the disk. */
  constructor(private readonly overlay: (path: string) => string | undefined = () => undefined) {}

  readFile(path: string): string | undefined {
    const open = this.overlay(path);
    if (open !== undefined) return open;
    if (!this.files.has(path)) {
      let text: string | undefined;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        text = undefined;
      }
      this.files.set(path, text);
    }
    return this.files.get(path);
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
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  }

  /** Forget what was read (a file changed on disk). With a path, forget that file and its folder. */
  invalidate(path?: string): void {
    if (path === undefined) {
      this.files.clear();
      this.dirs.clear();
      return;
    }
    this.files.delete(path);
    this.dirs.delete(path);
    this.dirs.delete(path.slice(0, path.lastIndexOf('/')) || '/');
  }
}
