/**
 * Paths a repository's config names (`template`, …) must stay inside the project, the folder of
 * the config file, also once symlinks are followed: a cloned repository must not make safemig
 * read, copy or write a file elsewhere (`"template": "link-to-/etc/passwd"`).
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * `path` (relative to `project`) resolved, or why it is refused: it lies outside `project` as
 * written or once symlinks are followed. A path that does not exist yet is judged as written.
 */
export function resolveInsideProject(project: string, path: string): { path: string } | { problem: string } {
  const absolute = resolve(project, path);
  const root = realOrSelf(project);
  const real = realOrSelf(absolute);
  if (!isUnder(resolve(project), absolute) || !isUnder(root, real)) {
    const shown = real === absolute ? absolute : `${absolute} (a link to ${real})`;
    return { problem: `${shown} is outside the project ${project}` };
  }
  return { path: absolute };
}

function isUnder(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!isAbsolute(rel) && rel.split(/[\\/]/)[0] !== '..');
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
