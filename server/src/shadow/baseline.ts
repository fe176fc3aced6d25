/**
 * The baseline: SQL files (a schema-only dump, the shared tables a team does not own) applied to
 * the shadow before a folder's migrations. Named in `.safemig.json` relative to its folder, and
 * read only from inside that folder: a cloned repository's config cannot make safemig read
 * anything else.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { Config, ConfigError } from '../config/config';
import { Target, toDatabaseError } from '../database/target';
import type { FileSystem } from '../migration/model';
import type { ResolvedConfig } from '../workspace/settings';
import { baselineStatements } from './statements';

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

/**
 * Runs the baseline on a new database (verify's throwaway one, a new embedded database), in one
 * transaction. A statement the database rejects is skipped and said, not fatal: a dump holds
 * statements only its own server takes (`OWNER TO` a role this one lacks), and what a skipped
 * statement should have made shows when a migration needs it. The same place for verify, apply
 * and up. Returns one line per skipped statement.
 */
export async function applyBaseline(target: Target, files: BaselineFile[], signal?: AbortSignal): Promise<string[]> {
  const skipped: string[] = [];
  await target.run('BEGIN');
  try {
    for (const statement of files.flatMap((file) => baselineStatements(file.path, file.text))) {
      await target.run('SAVEPOINT safemig_baseline');
      try {
        await target.run(statement.sql, signal);
        await target.run('RELEASE SAVEPOINT safemig_baseline');
      } catch (thrown) {
        const error = toDatabaseError(thrown);
        if (!error) throw thrown;
        await target.run('ROLLBACK TO SAVEPOINT safemig_baseline');
        skipped.push(`${statement.where}: ${error.message}`);
      }
    }
    await target.run('COMMIT');
  } catch (error) {
    await target.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  // A dump's `set_config('search_path', '', false)` must not outlive it.
  await target.run('RESET ALL');
  return skipped;
}
