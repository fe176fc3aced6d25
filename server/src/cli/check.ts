/** `safemig check [paths…]`: lint migration files and folders for CI. */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configBase, ConfigResolver, isBeforeStart, isMigrationFile, ResolvedConfig } from '../workspace/settings';
import { DiskFileSystem, Listing } from '../workspace/node-fs';
import { joinPath } from '../migration/names';
import { inMigrationsFolder, isCodeFile } from '../migration/conventions/code';
import { initParser } from '../sql/pg';
import { CheckJob, CheckPool } from './check-pool';
import { parseArgs, UsageError } from './args';
import { FORMATS } from './formats';
import { plural } from './formats/format';
import { computeFixes, fixesDiff, writeFixes } from './check-fix';
import { cacheFile, DEFAULT_CACHE_LOCATION } from './check-cache';
import type { Io } from './io';
import type { Config } from '../config/config';
import { changedSince, isChanged, ScopeError } from './check-scope';
import { runShadows } from '../shadow/run';

export const CHECK_USAGE = `usage: safemig check [paths…] [--format ${Object.keys(FORMATS).join('|')}] [--config FILE] [--max-warnings N] [--since REF] [--fix | --fix-dry-run] [--cache] [--cache-location DIR] [--shadow]`;

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

export async function check(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'config', 'max-warnings', 'since', 'cache-location'], booleans: ['fix', 'fix-dry-run', 'cache', 'shadow'] });
  const format = args.values.format ?? 'text';
  if (!Object.hasOwn(FORMATS, format)) throw new UsageError(`unknown --format ${format} (use ${Object.keys(FORMATS).join(', ')})`);
  const maxWarnings = args.values['max-warnings'];
  if (maxWarnings !== undefined && !/^\d+$/.test(maxWarnings)) throw new UsageError('--max-warnings takes a whole number');

  const fs = new DiskFileSystem();
  const fixedConfig = args.values.config ? resolve(io.cwd, args.values.config) : undefined;
  const resolver = new ConfigResolver(fs, {}, fixedConfig);
  if (fixedConfig) resolver.loadStrict(fixedConfig);

  let changed: Set<string> | undefined;
  if (args.values.since !== undefined) {
    try {
      changed = changedSince(args.values.since, io.cwd);
    } catch (error) {
      if (!(error instanceof ScopeError)) throw error;
      io.stderr(`safemig check: ${error.message}\n`);
      return 2;
    }
  }
  /** Reported, or only read for context (see check-scope.ts). */
  const inScope = (path: string, config: Config) => (changed === undefined || isChanged(path, changed)) && !isBeforeStart(path, config);

  const targets = args.positionals.length > 0 ? args.positionals : ['.'];
  const jobs: CheckJob[] = [];
  let found = 0;
  // The folders the search lists are the ones the rules read (neighbours, twins): listed once.
  const listings: Listing[] = [];
  const cacheLocation = args.values['cache-location'] ?? (args.booleans.has('cache') ? DEFAULT_CACHE_LOCATION : undefined);
  const pool = new CheckPool(fixedConfig, {}, cacheLocation === undefined ? undefined : { file: cacheFile(resolve(io.cwd, cacheLocation)) });
  for (const target of targets) {
    const absolute = resolve(io.cwd, target);
    if (isDirectory(absolute)) {
      // A file is shown as `join(target, its path under the target)`: that path is already
      // normal, so the target's part is computed once.
      const shownPrefix = join(target, '_').slice(0, -1);
      for (const path of walk(absolute, listings)) {
        const resolved = resolver.resolve(path);
        if (resolved.error) throw resolved.error;
        const base = configBase(resolved, absolute);
        // Globs first; only files outside them are read, for runner markers.
        if (!isMigrationFile(path, undefined, resolved.config, base) && !isMigrationFile(path, fs.readFile(path), resolved.config, base, fs)) continue;
        found++;
        if (!inScope(path, resolved.config)) continue;
        jobs.push({ path, shown: shownPrefix + path.slice(absolute.length + 1) });
        pool.found(jobs.length);
      }
    } else {
      const resolved = resolver.resolve(absolute);
      if (resolved.error) throw resolved.error;
      found++;
      if (inScope(absolute, resolved.config)) jobs.push({ path: absolute, shown: target });
    }
  }
  if (found === 0) {
    io.stderr(noMigrationsMessage(targets, listings.length, resolver.resolve(resolve(io.cwd, targets[0], '_'))));
    return 2;
  }
  // Otherwise the pool loads the parser, when the cache does not hold every report.
  if (args.booleans.has('fix') || args.booleans.has('fix-dry-run')) {
    await initParser();
    const fixed = computeFixes(jobs, resolver);
    for (const path of fixed.refused) io.stderr(`safemig check: not fixed: ${path} is a symbolic link, which --fix does not write through\n`);
    if (args.booleans.has('fix-dry-run')) {
      io.stdout(fixesDiff(fixed, io.cwd));
      return 0;
    }
    writeFixes(fixed);
    io.stderr(`safemig check --fix: ${fixed.applied} fix${fixed.applied === 1 ? '' : 'es'} applied in ${plural(fixed.changed.size, 'file')}; what is left:\n`);
    // Checked afresh: the fixes changed files, and may have created rollback files beside them.
    return check(argv.filter((arg) => arg !== '--fix'), io);
  }
  // The shadow schema (`--shadow`, or `shadow: true` in the config): its findings go to the rules schema-error & co.
  const shadow = await runShadows(jobs.map((job) => job.path), fs, resolver, { all: args.booleans.has('shadow'), storage: resolve(io.cwd, cacheLocation ?? DEFAULT_CACHE_LOCATION) });
  const { errors, warnings } = await pool.run(jobs, format, (text) => {
    io.stdout(text);
    return !io.stdoutClosed?.();
  }, listings, shadow);
  if (errors > 0) return 1;
  if (maxWarnings !== undefined && warnings > Number(maxWarnings)) {
    io.stderr(`safemig: ${warnings} warnings (more than --max-warnings ${maxWarnings})\n`);
    return 1;
  }
  return 0;
}

/** Says where check looked and how to point it at the migrations (a green run that checked nothing would hide them). */
function noMigrationsMessage(targets: string[], folders: number, resolved: ResolvedConfig): string {
  const where = resolved.file ? `"migrations" in ${resolved.file}` : `"migrations" in a .safemig.json at the project's root`;
  return [
    `safemig check: no migration files found in ${targets.join(', ')} (${folders} folder${folders === 1 ? '' : 's'} searched).`,
    `A migration is a TypeScript / JavaScript migration (knex, node-pg-migrate, kysely, TypeORM, scripts/migrations/NNN-name.ts) in a migrations folder, a .sql file matching the "migrations" globs (now ${resolved.config.migrations.join(', ')}), a file with runner markers (-- +goose Up, -- migrate:up, -- UP Migration), or a file in a folder of version-named SQL files (001_x.sql, 20240101_x.sql, V1__x.sql) that change the schema.`,
    `Set ${where}, e.g. { "migrations": ["sql/**/*.sql"] }, or name the files: safemig check path/to/file.sql`,
    '',
  ].join('\n');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The `.sql` files under `dir`, and code files in migrations folders, in name order; each folder listed is added to `listings`. */
function* walk(dir: string, listings: Listing[]): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return;
  }
  listings.push({
    dir,
    names: entries.map((e) => e.name),
    folders: entries.filter((e) => e.isDirectory()).map((e) => e.name),
    files: entries.filter((e) => e.isFile()).map((e) => e.name),
  });
  for (const entry of entries) {
    const path = joinPath(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* walk(path, listings);
    } else if (entry.isFile() && (/\.sql$/i.test(entry.name) || (isCodeFile(entry.name) && inMigrationsFolder(path)))) {
      yield path;
    }
  }
}
