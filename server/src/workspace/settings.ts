/**
 * Which configuration applies to a file: the nearest `.safemig.json` (parsed once and cached),
 * merged over the defaults and under the editor's overrides.
 */
import { dirname, relative } from 'node:path';
import { Config, ConfigError, findConfigFile, mergeConfig, parseConfigText } from '../config/config';
import { isCodeFile, isCodeMigration } from '../migration/conventions/code';
import { hasUpMarker } from '../migration/conventions/markers';
import { compareVersions, isNamedByFolder, parseMigrationName, splitPath } from '../migration/names';
import type { FileSystem } from '../migration/model';
import type { DiskFileSystem } from './node-fs';
import { globMatcher } from '../config/user-glob';
import { RULE_IDS } from '../rules';
import { isBaselineFile } from '../shadow/baseline';
import { isVersionNamedFolder, usesDefaultGlobs } from './version-folders';

export interface ResolvedConfig {
  config: Config;
  /** The config file that applies, if any. */
  file?: string;
  /** Set when the config file is invalid: the defaults apply and this says why. */
  error?: ConfigError;
}

export class ConfigResolver {
  private readonly cache = new Map<string, { layer?: Partial<Config>; error?: ConfigError }>();
  private readonly byFolder = new Map<string, ResolvedConfig>();

  constructor(
    /** With `readText` (the disk's), a config file that cannot be read is refused saying why. */
    private readonly fs: FileSystem & Partial<Pick<DiskFileSystem, 'readText'>>,
    /** Overrides from the editor's settings, or a `--config` file's layer. */
    private readonly overrides: Partial<Config> = {},
    /** A config file that applies to every file (`--config`), instead of walking up. */
    private readonly fixedFile?: string,
  ) {}

  /** The configuration of a file; the files of a folder share one (which must not be changed). */
  resolve(path: string): ResolvedConfig {
    const dir = dirname(path);
    let resolved = this.byFolder.get(dir);
    if (!resolved) {
      const file = this.fixedFile ?? findConfigFile(path, this.fs);
      if (file) {
        const { layer, error } = this.load(file);
        resolved = { config: mergeConfig(layer ?? {}, this.overrides), file, error };
      } else {
        resolved = { config: mergeConfig(this.overrides) };
      }
      this.byFolder.set(dir, resolved);
    }
    return resolved;
  }

  /** Loads and validates a config file, throwing its ConfigError when invalid. */
  loadStrict(file: string): Partial<Config> {
    const { layer, error } = this.load(file);
    if (error) throw error;
    return layer ?? {};
  }

  private load(file: string) {
    let entry = this.cache.get(file);
    if (!entry) {
      const text = this.fs.readFile(file);
      try {
        if (text === undefined) throw new ConfigError(file, '', `cannot be read${this.whyUnreadable(file)}`);
        entry = { layer: parseConfigText(text, file, RULE_IDS) };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        entry = { error };
      }
      this.cache.set(file, entry);
    }
    return entry;
  }

  private whyUnreadable(file: string): string {
    const read = this.fs.readText?.(file);
    return read && 'problem' in read ? ` (${read.problem})` : '';
  }

  invalidate(): void {
    this.cache.clear();
    this.byFolder.clear();
  }
}

/** How far into a file discovery looks for an UP marker. */
const MARKER_WINDOW = 4096;

/**
/**
 * A TypeScript / JavaScript file is a migration when it lies in a migrations folder and has the
 * shape of one (conventions/code.ts). A SQL file is one when it matches the `migrations` globs
 * or opens an UP section near its top (the marker scanner that detection splits files with decides: goose, dbmate, template), or
 * (given `fs`, while the globs are the defaults) lies in a folder of version-named SQL files.
 */
export function isMigrationFile(path: string, text: string | undefined, config: Config, base: string, fs?: FileSystem): boolean {
  // TypeScript / JavaScript: by folder and shape only; the rest of the project's code is never linted.
  if (isCodeFile(path)) return text !== undefined && isCodeMigration(path, text);
  if (!/\.sql$/i.test(path) || isBaselineFile(path, config, base)) return false;
  if (matchesGlobs(path, config.migrations, base)) return true;
  if (text !== undefined && hasUpMarker(text, MARKER_WINDOW)) return true;
  return fs !== undefined && usesDefaultGlobs(config) && isVersionNamedFolder(dirname(path), fs);
}

/**
 * `startAfter`: the migration `path` has a version at or before it, so it is read for context
 * (neighbours, twins, history) and never reported, by `safemig check` and in the editor alike.
 */
export function isBeforeStart(path: string, config: Config): boolean {
  if (config.startAfter === null) return false;
  const { dir, base } = splitPath(path);
  const version = parseMigrationName(isNamedByFolder(base) ? splitPath(dir).base : base)?.version;
  return version !== undefined && version !== '' && compareVersions(version.replace(/_/g, '.'), config.startAfter) <= 0;
}

export function matchesGlobs(path: string, globs: string[], base: string): boolean {
  // Most paths lie under the base: cut rather than compute the relative path.
  const under = path.startsWith(base) && (path[base.length] === '/' || path[base.length] === '\\');
  const rel = (under ? path.slice(base.length + 1) : relative(base, path)).replace(/\\/g, '/');
  const abs = path.replace(/^\/+/, '');
  return globs.some((glob) => {
    const match = globMatcher(glob);
    return (!rel.startsWith('..') && match(rel)) || (glob.startsWith('**/') && match(abs));
  });
}

export function configBase(resolved: ResolvedConfig, fallback: string): string {
  return resolved.file ? dirname(resolved.file) : fallback;
}
