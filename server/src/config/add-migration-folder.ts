/**
 * "Treat this folder as migrations": the `.safemig.json` that applies to a folder, with a glob of
 * the folder's SQL files added to `migrations`. Every other key is kept as it is. A config
 * without `migrations` uses the default globs, which a listed `migrations` replaces: they are
 * written out too, so the folders that were migrations stay migrations.
 */
import { dirname, join, relative, sep } from 'node:path';
import type { FileSystem } from '../migration/model';
import { RULE_IDS } from '../rules';
import { CONFIG_FILE_NAME, ConfigError, DEFAULT_MIGRATION_GLOBS, findConfigFile, parseConfigText } from './config';

export interface MigrationFolderEdit {
  /** The config file to write (created when none applies). */
  file: string;
  /** Its new text. */
  text: string;
  /** The glob added, relative to the config file's folder. */
  glob: string;
}

/**
 * The edit that makes `dir`'s SQL files migrations. `root`: where a new `.safemig.json` goes when
 * none applies to `dir` (the workspace folder). Throws a ConfigError when the config that applies
 * cannot be read or is not valid: it is not rewritten then.
 */
export function addMigrationFolder(dir: string, root: string, fs: FileSystem): MigrationFolderEdit {
  const found = findConfigFile(join(dir, '_'), fs);
  const file = found ?? join(root, CONFIG_FILE_NAME);
  const rel = relative(dirname(file), dir).split(sep).join('/');
  const glob = `${rel === '' ? '' : `${escapeGlob(rel)}/`}*.sql`;
  let raw: Record<string, unknown> = {};
  if (found) {
    const text = fs.readFile(found);
    if (text === undefined) throw new ConfigError(found, '', 'cannot be read');
    parseConfigText(text, found, RULE_IDS); // valid, or this throws why
    raw = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  }
  const globs = Array.isArray(raw.migrations) ? (raw.migrations as string[]) : DEFAULT_MIGRATION_GLOBS;
  raw.migrations = globs.includes(glob) ? globs : [...globs, glob];
  const text = `${JSON.stringify(raw, null, 2)}\n`;
  parseConfigText(text, file, RULE_IDS);
  return { file, text, glob };
}

/** A folder name as a glob matching itself (`[`, `{`, `*` … are glob syntax). */
const escapeGlob = (path: string) => path.replace(/[\\*?[\]{}()!+@,]/g, '\\$&');
