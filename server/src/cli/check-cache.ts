/**
 * `safemig check --cache`: each file's report is kept with what it depends on (its own content,
 * the config that applies, safemig's own code, and every file, folder listing and derived folder
 * model its analysis read: twin, neighbours, history) and reused while all of those are
 * unchanged. What a file's analysis reads is recorded as it runs (RecordingFileSystem), so the
 * cache needs no knowledge of which rule reads what. A reused report is the one a cold run
 * writes, byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/config';
import type { Finding } from '../lint/lint';
import type { FileSystem } from '../migration/model';
import { joinPath } from '../migration/names';
import type { DiskFileSystem } from '../workspace/node-fs';
import type { FileReport } from './formats';

export const DEFAULT_CACHE_LOCATION = join('node_modules', '.cache', 'safemig');
const CACHE_FILE = 'check-cache.json';

/**
 * A dependency: `f:` a file's text, `d:` a folder's listing, `i:` whether a path is a folder,
 * `g:` a folder's whole content (its files, and those of its subfolders), `m:` a memo (derived
 * from its own dependencies).
 */
type DepKey = string;

interface Entry {
  /** Hash of the file's own content and of the config that applied. */
  key: string;
  deps: DepKey[];
  convention: string;
  findings: Omit<Finding, 'fixes'>[];
}

/** What a thread learnt while linting: new entries, and the dependencies' values it saw. */
export interface CacheDelta {
  entries: Record<string, Entry>;
  values: Record<DepKey, string>;
  memos: Record<string, DepKey[]>;
}

export interface CacheData extends CacheDelta {
  /** safemig's version and the hash of its running code: another build invalidates everything. */
  engine: string;
}

const hash = (text: string) => createHash('sha1').update(text).digest('base64');

declare const SAFEMIG_VERSION: string | undefined;

/** The version and code of this safemig. */
export function engineId(): string {
  const version = typeof SAFEMIG_VERSION === 'string' ? SAFEMIG_VERSION : 'dev';
  let code = '';
  try {
    code = readFileSync(__filename, 'utf8');
  } catch {
    // Not from a bundle (tests run the sources): the version alone.
  }
  return `${version}:${hash(code)}`;
}

export function cacheFile(location: string): string {
  return join(location, CACHE_FILE);
}

/** Reads the cache of `location` (empty when absent, unreadable, or from another safemig). */
export function loadCache(file: string): CacheData {
  const engine = engineId();
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as CacheData;
    if (data.engine === engine && data.entries && data.values && data.memos) return data;
  } catch {
    // No cache yet, or a broken one: start afresh.
  }
  return emptyCache(engine);
}

export function emptyCache(engine = engineId()): CacheData {
  return { engine, entries: Object.create(null), values: Object.create(null), memos: Object.create(null) };
}

/** Merges what the threads learnt into the cache and writes it (atomically: a reader never sees half). */
export function saveCache(file: string, data: CacheData, deltas: CacheDelta[]): void {
  for (const delta of deltas) {
    Object.assign(data.entries, delta.entries);
    Object.assign(data.values, delta.values);
    Object.assign(data.memos, delta.memos);
  }
  mkdirSync(join(file, '..'), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(data));
  renameSync(temporary, file);
}

/** One thread's view of the cache: looks reports up, and records new ones. */
export class CheckCache {
  readonly delta: CacheDelta;
  private readonly valid = new Map<DepKey, boolean>();
  private readonly configHashes = new WeakMap<Config, string>();

  constructor(
    private readonly data: CacheData,
    private readonly fs: DiskFileSystem,
    /** Records what is linted afresh: its values and memos are the delta's. */
    recording: RecordingFileSystem,
  ) {
    this.delta = { entries: Object.create(null), values: recording.values, memos: recording.memos };
  }

  /** The key of a file: its content and its config. */
  keyOf(text: string, config: Config): string {
    let configHash = this.configHashes.get(config);
    if (configHash === undefined) {
      configHash = hash(JSON.stringify(config));
      this.configHashes.set(config, configHash);
    }
    return `${hash(text)}:${configHash}`;
  }

  /** The cached report of `path`, when its key and every dependency are unchanged. */
  lookup(path: string, shown: string, key: string): FileReport | undefined {
    const entry = Object.hasOwn(this.data.entries, path) ? this.data.entries[path] : undefined;
    if (!entry || entry.key !== key || !entry.deps.every((dep) => this.isValid(dep))) return undefined;
    return { path: shown, convention: entry.convention, findings: entry.findings.map((f) => ({ ...f, fixes: [] })) };
  }

  /** Keeps a fresh report and what its analysis read (`deps`, from RecordingFileSystem.end). */
  store(path: string, key: string, report: FileReport, deps: Set<DepKey>): void {
    this.delta.entries[path] = { key, deps: [...deps], convention: report.convention, findings: report.findings.map(({ fixes: _fixes, ...rest }) => rest) };
  }

  private isValid(dep: DepKey): boolean {
    let known = this.valid.get(dep);
    if (known === undefined) {
      // A cycle cannot arise (a memo depends only on memos computed inside it); false meanwhile is safe.
      this.valid.set(dep, false);
      if (dep.startsWith('m:')) {
        const deps = Object.hasOwn(this.data.memos, dep) ? this.data.memos[dep] : undefined;
        known = deps !== undefined && deps.every((d) => this.isValid(d));
      } else {
        known = Object.hasOwn(this.data.values, dep) && this.data.values[dep] === currentValue(this.fs, dep);
      }
      this.valid.set(dep, known);
    }
    return known;
  }
}

function currentValue(fs: FileSystem, dep: DepKey): string {
  const path = dep.slice(2);
  switch (dep[0]) {
    case 'f':
      return valueOfText(fs.readFile(path));
    case 'd':
      return valueOfListing(fs.readDir(path));
    case 'g':
      return valueOfFolder(fs, path, 1);
    default:
      return fs.isDirectory(path) ? '1' : '0';
  }
}

/** A folder's names and the content of its files, `depth` levels of subfolders down. */
function valueOfFolder(fs: FileSystem, dir: string, depth: number): string {
  const names = fs.readDir(dir);
  if (names === undefined) return '-';
  const parts = names.map((name) => {
    const path = joinPath(dir, name);
    if (!fs.isDirectory(path)) return `${name}=${valueOfText(fs.readFile(path))}`;
    return depth > 0 ? `${name}/${valueOfFolder(fs, path, depth - 1)}` : `${name}/`;
  });
  return hash(parts.join('\n'));
}

const valueOfText = (text: string | undefined) => (text === undefined ? '-' : hash(text));
const valueOfListing = (names: string[] | undefined) => (names === undefined ? '-' : hash(names.join('\n')));

/**
 * The file system the engine reads through in one thread, recording what the analysis of the
 * file being linted reads (between `begin` and `end`), whoever asks: a folder model built for an
 * earlier file and reading lazily reads for this one. Work memoised for the whole run (a
 * folder's model) is recorded once under its memo key, with what its computation read. And a
 * file that listed a folder depends on that folder's whole content (`g:`): state derived from
 * the folder's files and kept between files (a folder's history, parsed once) is then covered
 * without knowing where it is kept.
 */
export class RecordingFileSystem implements FileSystem {
  readonly values: Record<DepKey, string> = Object.create(null);
  readonly memos: Record<string, DepKey[]> = Object.create(null);
  /** The dependency sets being recorded: the file's, then each memo being computed inside it. */
  private recording: Set<DepKey>[] = [];
  private readonly memoFolders = new Map<DepKey, string[]>();

  constructor(private readonly inner: DiskFileSystem) {}

  /** Starts recording the analysis of one file. */
  begin(): void {
    this.recording = [new Set()];
  }

  /** What the file's analysis depended on, folders' whole content included. */
  end(): Set<DepKey> {
    const deps = this.recording[0];
    this.recording = [];
    const folders = new Set<string>();
    for (const dep of deps) {
      if (dep.startsWith('d:')) folders.add(dep.slice(2));
      else if (dep.startsWith('m:')) for (const dir of this.foldersOf(dep)) folders.add(dir);
    }
    // What a folder's content covers need not be listed one by one (a history reads every earlier file).
    const covered = (path: string) => folders.has(path) || folders.has(dirname(path)) || folders.has(dirname(dirname(path)));
    const kept = new Set<DepKey>();
    for (const dep of deps) if (dep.startsWith('m:') || !covered(dep.slice(2))) kept.add(dep);
    for (const dir of folders) {
      // A subfolder's listing and files are in its parent's group (prisma: a folder per migration).
      if (folders.has(dirname(dir))) continue;
      const group = `g:${dir}`;
      kept.add(group);
      if (!(group in this.values)) this.values[group] = valueOfFolder(this.inner, dir, 1);
    }
    return kept;
  }

  readFile(path: string): string | undefined {
    const text = this.inner.readFile(path);
    this.record(`f:${path}`, () => valueOfText(text));
    return text;
  }

  readDir(path: string): string[] | undefined {
    const names = this.inner.readDir(path);
    this.record(`d:${path}`, () => valueOfListing(names));
    return names;
  }

  isDirectory(path: string): boolean {
    const is = this.inner.isDirectory(path);
    this.record(`i:${path}`, () => (is ? '1' : '0'));
    return is;
  }

  memo<T>(key: string, compute: () => T): T {
    const dep = `m:${key}`;
    if (dep in this.memos) {
      this.top()?.add(dep);
      return this.inner.memo(key, compute);
    }
    const deps = new Set<DepKey>();
    this.recording.push(deps);
    try {
      return this.inner.memo(key, compute);
    } finally {
      this.recording.pop();
      this.memos[dep] = [...deps];
      this.top()?.add(dep);
    }
  }

  /** The folders a memo listed, itself or through the memos it used; computed once per memo. */
  private foldersOf(memo: DepKey): string[] {
    let folders = this.memoFolders.get(memo);
    if (!folders) {
      this.memoFolders.set(memo, []); // A memo does not use itself; guard anyway.
      const found = new Set<string>();
      for (const dep of this.memos[memo] ?? []) {
        if (dep.startsWith('d:')) found.add(dep.slice(2));
        else if (dep.startsWith('m:')) for (const dir of this.foldersOf(dep)) found.add(dir);
      }
      folders = [...found];
      this.memoFolders.set(memo, folders);
    }
    return folders;
  }

  private top(): Set<DepKey> | undefined {
    return this.recording[this.recording.length - 1];
  }

  private record(dep: DepKey, value: () => string): void {
    this.top()?.add(dep);
    if (!(dep in this.values)) this.values[dep] = value();
  }
}
