/**
 * The one in-memory FileSystem of the tests: a tree from a map of absolute file paths to texts
 * (folders are implied by the paths; a path ending with `/` is an empty folder). Works with `/`
 * and with `\` paths, and counts directory reads (for "one read per directory" checks).
 */
import type { FileSystem } from '../../server/src/migration/model';

export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, Set<string>>();
  readonly dirReads = new Map<string, number>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) {
      if (path.endsWith('/') || path.endsWith('\\')) this.addDir(path.slice(0, -1));
      else {
        this.files.set(path, text);
        this.addParents(path);
      }
    }
  }

  private addDir(path: string): void {
    if (!this.dirs.has(path)) this.dirs.set(path, new Set());
    this.addParents(path);
  }

  private addParents(path: string): void {
    const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    if (i < 0) return;
    const parent = i === 0 ? path.slice(0, 1) : i === 2 && path[1] === ':' ? path.slice(0, 3) : path.slice(0, i);
    const name = path.slice(i + 1);
    if (!name) return;
    const known = this.dirs.get(parent);
    if (known) {
      known.add(name);
      return;
    }
    this.dirs.set(parent, new Set([name]));
    if (parent !== path) this.addParents(parent);
  }

  readFile(path: string): string | undefined {
    return this.files.get(path);
  }

  readDir(path: string): string[] | undefined {
    this.dirReads.set(path, (this.dirReads.get(path) ?? 0) + 1);
    const d = this.dirs.get(path);
    return d ? [...d] : undefined;
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(path);
  }
}
