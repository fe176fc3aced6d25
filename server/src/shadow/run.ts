/**
 * `safemig check --shadow`: the shadow of each migration folder holding a checked file, built
 * once and carried forward migration by migration (the state before N + 1 is the state before N
 * plus N's UP part), up to the last checked migration of the folder.
 */
import { initParser } from '../sql/pg';
import { dirname } from 'node:path';
import { defaultCacheDir } from '../database/embedded';
import { FolderPlace, locateInFolder } from '../database/history';
import type { FolderMigration } from '../migration/folder';
import type { FileSystem } from '../migration/model';
import type { ConfigResolver, ResolvedConfig } from '../workspace/settings';
import { isBaselineFile, readBaseline } from './baseline';
import { emptyShadowFile, ShadowResults } from './findings';
import { FolderSession } from './session';
import type { Step } from './worker';

export interface ShadowRunOptions {
  /** `--shadow`: for every file; otherwise for the files whose config says `shadow: true`. */
  all: boolean;
  cacheDir?: string;
  /** Where the shadow cache is kept (findings and states between runs); none: nothing is kept. */
  storage?: string;
}

interface Group {
  resolved: ResolvedConfig;
  /** The folder's migrations in run order; a file in no migrations folder is a group of its own. */
  migrations: FolderMigration[];
  place?: FolderPlace;
  paths: Set<string>;
}

/** The shadow's findings for `paths`; undefined when the shadow is not on for any of them. */
export async function runShadows(paths: string[], fs: FileSystem, resolver: ConfigResolver, options: ShadowRunOptions): Promise<ShadowResults | undefined> {
  const groups = new Map<string, Group>();
  for (const path of paths) {
    const resolved = resolver.resolve(path);
    if (!options.all && !resolved.config.shadow) continue;
    const place = locateInFolder(path, fs);
    const key = place ? `dir:${place.dir}` : `file:${path}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { resolved, migrations: place?.migrations ?? [], place, paths: new Set() }));
    group.paths.add(path);
  }
  if (groups.size === 0) return undefined;
  await initParser();
  const results: ShadowResults = new Map();
  for (const group of groups.values()) await runGroup(group, fs, options, results);
  for (const group of groups.values()) for (const path of group.paths) if (!results.has(path)) results.set(path, emptyShadowFile());
  return results;
}

async function runGroup(group: Group, fs: FileSystem, options: ShadowRunOptions, results: ShadowResults): Promise<void> {
  const { config } = group.resolved;
  const baseline = readBaseline(group.resolved, fs);
  const base = group.resolved.file ? dirname(group.resolved.file) : '';
  const folder = group.place?.dir ?? [...group.paths][0];
  const steps: Step[] = [];
  if (!group.place) {
    for (const path of group.paths) steps.push({ path, mode: 'check' });
  } else {
    const filesOf = (entry: FolderMigration) => [entry.files.single, entry.files.up, entry.files.down].filter((f): f is string => f !== undefined);
    const checked = (entry: FolderMigration) => filesOf(entry).some((f) => group.paths.has(f));
    const last = group.migrations.reduce((found, entry, i) => (checked(entry) ? i : found), -1);
    for (const entry of group.migrations.slice(0, last + 1)) {
      const path = entry.files.single ?? entry.files.up;
      if (!path || isBaselineFile(path, config, base)) continue;
      steps.push({ path, mode: checked(entry) ? 'check' : 'replay' });
    }
  }
  const session = new FolderSession({
    folder,
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    complete: baseline.length > 0,
    baseline,
    convention: config.convention,
    timeoutSeconds: config.shadowTimeout,
    storage: group.place ? options.storage : undefined,
  });
  try {
    for (const [path, file] of await session.run(steps)) results.set(path, file);
  } finally {
    // Not awaited: deleting the shadow's data folder overlaps the lint; the pending request keeps the process alive until it is done.
    void session.close();
  }
}
