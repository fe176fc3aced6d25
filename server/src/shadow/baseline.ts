/**
 * The baseline: SQL files (a schema-only dump, the shared tables a team does not own) applied to
 * the shadow before a folder's migrations. Named in `.safemig.json` relative to its folder, and
 * read only from inside that folder: a cloned repository's config cannot make safemig read
 * anything else.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { Config, ConfigError } from '../config/config';
import type { FileSystem } from '../migration/model';
import type { ResolvedConfig } from '../workspace/settings';

export interface BaselineFile {
  path: string;
  text: string;
}

/** The configured baseline files, read; a file that is missing, unreadable or outside the project is a ConfigError. */
export function readBaseline(resolved: ResolvedConfig, fs: FileSystem): BaselineFile[] {
  const { baseline } = resolved.config;
  if (baseline.length === 0) return [];
  const source = resolved.file ?? 'the configuration';
  if (!resolved.file) throw new ConfigError(source, 'baseline', 'needs a .safemig.json to be relative to');
  const base = dirname(resolved.file);
  return baseline.map((name) => {
    const path = resolve(base, name);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new ConfigError(source, 'baseline', `names ${name}, which does not exist (${path})`);
    }
    if (!isInside(realpathSync(base), real)) throw new ConfigError(source, 'baseline', `names ${name}, which is outside the project folder ${base}: a baseline must be inside it`);
    const text = fs.readFile(path);
    if (text === undefined) throw new ConfigError(source, 'baseline', `names ${name}, which cannot be read`);
    return { path, text: text.replace(/^\uFEFF/, '') };
  });
}

/** A baseline file is not a migration: it is never linted, nor run as one. */
export function isBaselineFile(path: string, config: Pick<Config, 'baseline'>, base: string): boolean {
  return config.baseline.length > 0 && config.baseline.some((name) => resolve(base, name) === path);
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
