/** An in-memory FileSystem for tests: a map of absolute paths to file texts. */
import type { FileSystem } from '../../server/src/migration/model';

export class MemoryFileSystem implements FileSystem {
  constructor(readonly files: Record<string, string> = {}) {}

  readFile(path: string): string | undefined {
    return this.files[path];
  }

  readDir(path: string): string[] | undefined {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = new Set<string>();
    for (const file of Object.keys(this.files)) {
      if (file.startsWith(prefix)) names.add(file.slice(prefix.length).split('/')[0]);
    }
    return names.size > 0 ? [...names].sort() : undefined;
  }

  isDirectory(path: string): boolean {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    return Object.keys(this.files).some((f) => f.startsWith(prefix));
  }
}

