/**
 * A folder of version-named SQL files that hold DDL is a migrations folder whatever it is called
 * (`docs/schema_updates/`, `sql/`, `database/patches/`): teams name the folder as they like, but
 * not their migrations, which every runner orders by a leading version. Used only while the
 * `migrations` globs are the defaults: configured globs say where migrations are.
 */
import { basename } from 'node:path';
import { isMigrationFolderFile } from '../migration/folder';
import { Config, DEFAULT_MIGRATION_GLOBS } from '../config/config';
import type { FileSystem } from '../migration/model';
import { joinPath, parseMigrationName } from '../migration/names';

/** A statement that changes the schema, at the start of a line. */
const DDL = /^[ \t]*(?:create|alter|drop)\s+(?:or\s+replace\s+)?(?:unique\s+)?(?:table|index|type|schema|sequence|view|materialized\s+view|extension|function|procedure|trigger|domain)\b/im;

/**
 * True when most SQL files of `dir` are named with a leading version (`001_`, `20240101_`,
 * `20240101093000_`, `2024-01-01_`, Flyway's `V1__`) and one of those holds DDL. A folder of
 * numbered queries or reports (no DDL), or of a few versioned files among many others, is not.
 */
export function isVersionNamedFolder(dir: string, fs: FileSystem): boolean {
  const decide = () => {
    if (basename(dir).startsWith('.')) return false;
    const sql = (fs.readDir(dir) ?? []).filter((name) => isMigrationFolderFile(name) && !fs.isDirectory(joinPath(dir, name)));
    const versioned = sql.filter((name) => parseMigrationName(name)?.version);
    if (versioned.length === 0 || versioned.length * 2 < sql.length) return false;
    return versioned.some((name) => DDL.test(fs.readFile(joinPath(dir, name)) ?? ''));
  };
  return fs.memo ? fs.memo(`version-named-folder:${dir}`, decide) : decide();
}

/** The `migrations` globs are the defaults: no one said where this project keeps its migrations. */
export function usesDefaultGlobs(config: Config): boolean {
  return config.migrations.length === DEFAULT_MIGRATION_GLOBS.length && config.migrations.every((glob, i) => glob === DEFAULT_MIGRATION_GLOBS[i]);
}
