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
import { DiskFileSystem, isSettled } from '../workspace/node-fs';
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

/**
 * An entry as stored: its key, its convention and its dependencies as indexes into the file's
 * strings (rule IDs, messages and paths repeat from file to file), and its findings as
 * FINDING_WIDTH numbers each. A warm run parses a few MB of numbers instead of 20 MB of objects.
 */
type StoredEntry = [key: string, convention: number, deps: number[], findings: number[]];
const FINDING_WIDTH = 11;
/** The fields of a finding the cache keeps (every one a report shows); a finding with others is not cached. */
const FINDING_FIELDS = new Set(['rule', 'severity', 'message', 'help', 'messageId', 'start', 'end', 'range', 'fixes']);

/** What a thread learnt while linting: new entries, and the dependencies' values it saw. */
export interface CacheDelta {
  entries: Record<string, Entry>;
  values: Record<DepKey, string>;
  memos: Record<string, DepKey[]>;
  /** A file's stamp and its content's hash, `stamp=hash` by path (see RecordingFileSystem.hashOf). */
  stamps: Record<string, string>;
}

export interface CacheData {
  /** safemig's version and the hash of its running code: another build invalidates everything. */
  engine: string;
  strings: string[];
  entries: Record<string, StoredEntry>;
  values: Record<DepKey, string>;
  memos: Record<string, DepKey[]>;
  stamps: Record<string, string>;
}

const hash = (text: string | Buffer) => createHash('sha1').update(text).digest('base64');

declare const SAFEMIG_VERSION: string | undefined;

/** The version and code of this safemig. */
export function engineId(): string {
  const version = typeof SAFEMIG_VERSION === 'string' ? SAFEMIG_VERSION : 'dev';
  let code: Buffer | string = '';
  try {
    // Hashed as bytes: decoding the 2 MB bundle as text took longer than hashing it.
    code = readFileSync(__filename);
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
    // Written as ASCII (see saveCache): read as Latin-1, which is that text byte for byte and decodes faster than UTF-8.
    const data = JSON.parse(readFileSync(file, 'latin1')) as CacheData;
    if (data.engine === engine && Array.isArray(data.strings) && data.entries && data.values && data.memos && data.stamps) return data;
  } catch {
    // No cache yet, or a broken one: start afresh.
  }
  return emptyCache(engine);
}

export function emptyCache(engine = engineId()): CacheData {
  return { engine, strings: [], entries: Object.create(null), values: Object.create(null), memos: Object.create(null), stamps: Object.create(null) };
}

/** Merges what the threads learnt into the cache and writes it (atomically: a reader never sees half). */
export function saveCache(file: string, data: CacheData, deltas: CacheDelta[]): void {
  const index = new Map(data.strings.map((text, i) => [text, i]));
  const intern = (text: string) => {
    let i = index.get(text);
    if (i === undefined) {
      i = data.strings.push(text) - 1;
      index.set(text, i);
    }
    return i;
  };
  for (const delta of deltas) {
    for (const [path, entry] of Object.entries(delta.entries)) {
      const stored = storedEntry(entry, intern);
      if (stored) data.entries[path] = stored;
      else delete data.entries[path];
    }
    Object.assign(data.values, delta.values);
    Object.assign(data.memos, delta.memos);
    Object.assign(data.stamps, delta.stamps);
  }
  mkdirSync(join(file, '..'), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  // Every character past ASCII escaped (messages hold `→`, `…`): the warm run reads the file as Latin-1.
  writeFileSync(temporary, JSON.stringify(data).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  renameSync(temporary, file);
}

function storedEntry(entry: Entry, intern: (text: string) => number): StoredEntry | undefined {
  const numbers: number[] = [];
  for (const f of entry.findings) {
    if (Object.keys(f).some((key) => !FINDING_FIELDS.has(key))) return undefined;
    const { start, end } = f.range;
    numbers.push(intern(f.rule), intern(f.severity), intern(f.message), f.help === undefined ? -1 : intern(f.help), f.messageId === undefined ? -1 : intern(f.messageId));
    numbers.push(f.start, f.end, start.line, start.character, end.line, end.character);
  }
  return [entry.key, intern(entry.convention), entry.deps.map(intern), numbers];
}

function findingsOf(n: number[], strings: string[]): Finding[] {
  const findings: Finding[] = [];
  for (let i = 0; i < n.length; i += FINDING_WIDTH) {
    const finding: Finding = {
      rule: strings[n[i]],
      severity: strings[n[i + 1]] as Finding['severity'],
      message: strings[n[i + 2]],
      start: n[i + 5],
      end: n[i + 6],
      range: { start: { line: n[i + 7], character: n[i + 8] }, end: { line: n[i + 9], character: n[i + 10] } },
      fixes: [],
    };
    if (n[i + 3] >= 0) finding.help = strings[n[i + 3]];
    if (n[i + 4] >= 0) finding.messageId = strings[n[i + 4]];
    findings.push(finding);
  }
  return findings;
}

/** One thread's view of the cache: looks reports up, and records new ones. */
export class CheckCache {
  readonly delta: CacheDelta;
  private readonly valid = new Map<DepKey, boolean>();
  private readonly configHashes = new WeakMap<Config, string>();

  constructor(
    private readonly data: CacheData,
    /** Records what is linted afresh: its values and memos are the delta's. */
    private readonly recording: RecordingFileSystem,
  ) {
    this.delta = { entries: Object.create(null), values: recording.values, memos: recording.memos, stamps: recording.stamps };
  }

  /** The key of a file: its content and its config. */
  keyOf(path: string, config: Config): string {
    let configHash = this.configHashes.get(config);
    if (configHash === undefined) {
      configHash = hash(JSON.stringify(config));
      this.configHashes.set(config, configHash);
    }
    return `${this.recording.hashOf(path)}:${configHash}`;
  }

  /** The cached report of `path`, when its key and every dependency are unchanged. */
  lookup(path: string, shown: string, key: string): FileReport | undefined {
    const entry = Object.hasOwn(this.data.entries, path) ? this.data.entries[path] : undefined;
    if (!entry || entry[0] !== key) return undefined;
    const { strings } = this.data;
    if (!entry[2].every((dep) => this.isValid(strings[dep]))) return undefined;
    return { path: shown, convention: strings[entry[1]], findings: findingsOf(entry[3], strings) };
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
        known = Object.hasOwn(this.data.values, dep) && this.data.values[dep] === this.recording.currentValue(dep);
      }
      this.valid.set(dep, known);
    }
    return known;
  }
}

/** A folder's names and the content of its files (hashed by `hashOf`), `depth` levels of subfolders down. */
function valueOfFolder(fs: FileSystem, hashOf: (path: string) => string, dir: string, depth: number): string {
  const names = fs.readDir(dir);
  if (names === undefined) return '-';
  const parts = names.map((name) => {
    const path = joinPath(dir, name);
    if (!fs.isDirectory(path)) return `${name}=${hashOf(path)}`;
    return depth > 0 ? `${name}/${valueOfFolder(fs, hashOf, path, depth - 1)}` : `${name}/`;
  });
  return hash(parts.join('\n'));
}

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
  private readonly memoDeps = new Map<DepKey, DepKey[]>();
  /** Each file's text hashed once in a run: for its key, as a dependency, in its folder's value. */
  private readonly hashes = new Map<string, string>();
  /** New stamps of files hashed in this run, for the cache. */
  readonly stamps: Record<string, string> = Object.create(null);

  constructor(
    private readonly inner: DiskFileSystem,
    /** The stamps the cache holds: a file whose stamp is unchanged is not read again to be hashed. */
    private readonly knownStamps: Record<string, string> = Object.create(null),
  ) {}

  /** The hash of a file's text (`-` when it cannot be read); read only when its stamp changed. */
  hashOf(path: string): string {
    let known = this.hashes.get(path);
    if (known === undefined) {
      if (!this.inner.hasRead(path) && Object.hasOwn(this.knownStamps, path)) {
        const stamp = this.inner.stampNow(path);
        const stored = this.knownStamps[path];
        if (stamp !== undefined && stored.startsWith(`${stamp}=`)) known = stored.slice(stamp.length + 1);
      }
      if (known === undefined) {
        const text = this.inner.readFile(path);
        known = text === undefined ? '-' : hash(text);
        // Taken on opening the file, before its text was read: it stands for this text.
        const stamp = this.inner.stampWhenRead(path);
        if (stamp !== undefined && isSettled(stamp)) this.stamps[path] = `${stamp}=${known}`;
      }
      this.hashes.set(path, known);
    }
    return known;
  }

  /** A dependency's value now (read without recording). */
  currentValue(dep: DepKey): string {
    const path = dep.slice(2);
    switch (dep[0]) {
      case 'f':
        return this.hashOf(path);
      case 'd':
        return valueOfListing(this.inner.readDir(path));
      case 'g':
        return valueOfFolder(this.inner, (p) => this.hashOf(p), path, 1);
      default:
        return this.inner.isDirectory(path) ? '1' : '0';
    }
  }

  /** Starts recording the analysis of one file. */
  begin(): void {
    this.recording = [new Set()];
  }

  /** What the file's analysis depended on, folders' whole content included. */
  end(): Set<DepKey> {
    const deps = this.recording[0];
    this.recording = [];
    // Folders a file was read from (or from a subfolder of). A folder only listed (an ancestor where
    // rollback folders are looked for, perhaps above the project) keeps its listing as the key:
    // its files are not read, and hashing them would read outside the project.
    const listed = new Set<string>();
    const read = new Set<string>();
    const take = (dep: DepKey) => {
      if (dep.startsWith('d:')) listed.add(dep.slice(2));
      else if (dep.startsWith('f:')) read.add(dirname(dep.slice(2))).add(dirname(dirname(dep.slice(2))));
    };
    for (const dep of deps) {
      if (dep.startsWith('m:')) this.plainDepsOf(dep).forEach(take);
      else take(dep);
    }
    const folders = new Set([...listed].filter((dir) => read.has(dir)));
    // What a folder's content covers need not be listed one by one (a history reads every earlier
    // file). A group is a folder's files and those of its subfolders (prisma: a folder per
    // migration): each folder listed has one, unless its parent's covers it (no subfolders of its
    // own). Not one group for the topmost folder only: ancestors are listed too (rollback folders
    // are looked for up the tree), and the migrations' own folder would be left out.
    const groups = new Set<string>();
    for (const dir of folders) if (!folders.has(dirname(dir)) || this.hasSubfolders(dir)) groups.add(dir);
    const covered = (dep: DepKey) => {
      const path = dep.slice(2);
      if (groups.has(path) || groups.has(dirname(path))) return true;
      // A listing two levels down is not in a group; a file or a folder's kind is.
      return dep[0] !== 'd' && groups.has(dirname(dirname(path)));
    };
    const kept = new Set<DepKey>();
    for (const dep of deps) if (dep.startsWith('m:') || !covered(dep)) kept.add(dep);
    for (const dir of groups) {
      const group = `g:${dir}`;
      kept.add(group);
      if (!(group in this.values)) this.values[group] = this.currentValue(group);
    }
    return kept;
  }

  readFile(path: string): string | undefined {
    const text = this.inner.readFile(path);
    this.record(`f:${path}`, () => this.hashOf(path));
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

  private hasSubfolders(dir: string): boolean {
    return (this.inner.readDir(dir) ?? []).some((name) => this.inner.isDirectory(joinPath(dir, name)));
  }

  /** A memo's listings and file reads, its own or through the memos it used; computed once per memo. */
  private plainDepsOf(memo: DepKey): DepKey[] {
    let plain = this.memoDeps.get(memo);
    if (!plain) {
      this.memoDeps.set(memo, []); // A memo does not use itself; guard anyway.
      const found = new Set<DepKey>();
      for (const dep of this.memos[memo] ?? []) {
        if (dep.startsWith('m:')) this.plainDepsOf(dep).forEach((d) => found.add(d));
        else if (dep.startsWith('d:') || dep.startsWith('f:')) found.add(dep);
      }
      plain = [...found];
      this.memoDeps.set(memo, plain);
    }
    return plain;
  }

  private top(): Set<DepKey> | undefined {
    return this.recording[this.recording.length - 1];
  }

  private record(dep: DepKey, value: () => string): void {
    this.top()?.add(dep);
    if (!(dep in this.values)) this.values[dep] = value();
  }
}
