/**
 * Which migration convention a file follows (CONVENTIONS.md), read from its markers, its name, its
 * folder and its neighbours, and what follows from it: the UP / DOWN parts, the runner's
 * transaction, the twin file, the version.
 *
 * Runs on every keystroke: one linear pass over the text, each directory listed at most once per
 * call, and never throws (odd input is a 'plain' file with one whole-file part).
 */
import { ConventionInfo, ConventionName, FileSystem, MigrationName, PartSpan } from './model';
import {
  FileNameParts,
  FLYWAY_REPEATABLE,
  FLYWAY_VERSIONED,
  isOtherDialect,
  joinPath,
  parseMigrationName,
  ROLLBACK_FOLDER as ROLLBACK_DIR,
  rollbackNamedEntries,
  sameVersion,
  splitMigrationFileName,
  splitPath,
  swapDirection,
  UNDERSCORE_DIRECTION,
  versionKey,
} from './names';

// ---------------------------------------------------------------------------------------------
// Markers

export type MarkerFamily = 'goose' | 'dbmate' | 'template';

/** A line that opens an UP or DOWN section. */
export interface SectionMarker {
  family: MarkerFamily;
  kind: 'up' | 'down';
  /** Start of the marker's line (before any indentation). */
  lineStart: number;
  /** The marker text: from `--` to the end of the line's content (before trailing blanks / EOL). */
  start: number;
  end: number;
  /** Start of the next line (the text's length when the marker is on the last line). */
  next: number;
  /** dbmate `transaction:false` on the marker line. */
  noTransaction: boolean;
}

export interface MarkerScan {
  /** 1 when the text starts with a byte order mark. */
  bom: number;
  /** The file's line break (of its first line), for text inserted by quick fixes. */
  eol: '\n' | '\r\n';
  /** NUL characters: not a text file. */
  binary: boolean;
  /** Every section marker of every family, in file order. */
  markers: SectionMarker[];
  /** `-- +goose NO TRANSACTION` anywhere in the file. */
  gooseNoTransaction: boolean;
}

const GOOSE = /^--\s*\+goose\s+(up|down|no\s+transaction)(?![\w])/i;
const DBMATE = /^--\s*migrate:(up|down)(?=\s|$)(.*)$/i;
const DBMATE_NO_TX = /(?:^|\s)transaction:\s*false(?:\s|$)/i;
// `-- UP Migration`, `-- DOWN Migration (Rollback)`, `-- Up Migration` (node-pg-migrate),
// `-- ===== DOWN MIGRATION =====`, `-- Down Migration: drop the column`. Not prose such as
// `-- Down migration is not supported`.
const TEMPLATE = /^--+[\s=#*~-]*(up|down)\s+migrations?\s*(?:\([^)]*\))?(?:[\s=#*~.-]*|\s*[:\-\u2013\u2014]\s.*)$/i;
/** Longest line tested against the marker patterns (a longer one is not a marker). */
const MAX_MARKER_LINE = 400;

/** Finds the section markers of a text in one pass. */
export function scanMarkers(text: string): MarkerScan {
  const len = text.length;
  const bom = len > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const scan: MarkerScan = { bom, eol: '\n', binary: false, markers: [], gooseNoTransaction: false };
  if (text.indexOf('\0') >= 0) {
    scan.binary = true;
    return scan;
  }
  let eolKnown = false;
  let pos = bom;
  while (pos < len) {
    const nl = text.indexOf('\n', pos);
    const next = nl < 0 ? len : nl + 1;
    let lineEnd = nl < 0 ? len : nl;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (!eolKnown && nl >= 0) {
      scan.eol = lineEnd < nl ? '\r\n' : '\n';
      eolKnown = true;
    }
    let s = pos;
    while (s < lineEnd && isBlank(text.charCodeAt(s))) s++;
    if (s + 1 < lineEnd && text.charCodeAt(s) === 45 && text.charCodeAt(s + 1) === 45) {
      let e = lineEnd;
      while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
      if (e - s <= MAX_MARKER_LINE) classifyLine(scan, text.slice(s, e), pos, s, e, next);
    }
    pos = next;
  }
  return scan;
}

function classifyLine(scan: MarkerScan, line: string, lineStart: number, start: number, end: number, next: number): void {
  // Cheap substring checks first: most comment lines are prose or separators.
  const goose = /\+goose/i.test(line);
  const dbmate = !goose && /migrate:/i.test(line);
  if (!goose && !dbmate && !/migration/i.test(line)) return;
  let m = goose ? GOOSE.exec(line) : null;
  if (m) {
    const word = m[1].toLowerCase();
    if (word === 'up' || word === 'down') {
      scan.markers.push({ family: 'goose', kind: word, lineStart, start, end, next, noTransaction: false });
    } else {
      scan.gooseNoTransaction = true;
    }
    return;
  }
  m = dbmate ? DBMATE.exec(line) : null;
  if (m) {
    const kind = m[1].toLowerCase() as 'up' | 'down';
    scan.markers.push({ family: 'dbmate', kind, lineStart, start, end, next, noTransaction: DBMATE_NO_TX.test(m[2]) });
    return;
  }
  m = TEMPLATE.exec(line);
  if (m) {
    const kind = m[1].toLowerCase() as 'up' | 'down';
    scan.markers.push({ family: 'template', kind, lineStart, start, end, next, noTransaction: false });
  }
}

/** The marker family a file uses, if any: goose, then dbmate, then template sections. */
export function sniffMarkers(text: string): MarkerFamily | undefined {
  return markerFamily(scanMarkers(text));
}

function markerFamily(scan: MarkerScan): MarkerFamily | undefined {
  let dbmate = false;
  let template = false;
  for (const m of scan.markers) {
    if (m.family === 'goose') return 'goose';
    if (m.family === 'dbmate') dbmate = true;
    else template = true;
  }
  if (scan.gooseNoTransaction) return 'goose';
  return dbmate ? 'dbmate' : template ? 'template' : undefined;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0x0b || c === 0x0c;
}

// ---------------------------------------------------------------------------------------------
// Detection

/**
 * The convention of the migration file at `path` (absolute) whose current text is `text`.
 * `forced` (the config's `convention`) overrides detection; parts still come from the markers
 * of the forced convention.
 */
export function detectConvention(path: string, text: string, fs: FileSystem, forced?: ConventionName): ConventionInfo {
  let scan: MarkerScan | undefined;
  try {
    scan = scanMarkers(text);
    const ctx = new Context(path, fs);
    const name = scan.binary && !forced ? 'plain' : forced ?? guess(ctx, scan);
    return build(name, ctx, scan, text);
  } catch {
    return plainInfo(text, scan?.bom ?? 0);
  }
}

/** Directory reads memoised for one call. */
class Context {
  readonly dir: string;
  readonly base: string;
  readonly file: FileNameParts;
  private readonly lists = new Map<string, string[] | undefined>();
  private readonly dirs = new Map<string, boolean>();
  private rollbackUp: TwinResult | null | undefined;

  constructor(readonly path: string, readonly fs: FileSystem) {
    const { dir, base } = splitPath(path);
    this.dir = dir;
    this.base = base;
    this.file = splitMigrationFileName(base);
  }

  list(dir: string): string[] | undefined {
    if (this.lists.has(dir)) return this.lists.get(dir);
    let entries: string[] | undefined;
    try {
      entries = this.fs.readDir(dir);
    } catch {
      entries = undefined;
    }
    this.lists.set(dir, entries);
    return entries;
  }

  read(path: string): string | undefined {
    try {
      return this.fs.readFile(path);
    } catch {
      return undefined;
    }
  }

  has(dir: string, name: string): boolean {
    if (!this.fs.memo) return this.list(dir)?.includes(name) ?? false;
    // Every file of a big folder asks about its neighbours: look names up in a set built once.
    return this.fs.memo(`entry-set:${dir}`, () => new Set(this.list(dir) ?? [])).has(name);
  }

  isDir(path: string): boolean {
    let v = this.dirs.get(path);
    if (v === undefined) {
      try {
        v = this.fs.isDirectory(path);
      } catch {
        v = false;
      }
      this.dirs.set(path, v);
    }
    return v;
  }

  /** Ancestor folder names, nearest first: `a/b/c/x.sql` → [c, b, a]. */
  ancestors(max: number): { name: string; path: string; parent: string }[] {
    const out: { name: string; path: string; parent: string }[] = [];
    let cur = this.dir;
    for (let i = 0; i < max; i++) {
      const { dir: parent, base: name } = splitPath(cur);
      if (!name || parent === cur) break;
      out.push({ name, path: cur, parent });
      cur = parent;
    }
    return out;
  }

  /**
   * The direction of `x_up.sql` / `x_down.sql` (harness writes some of its golang-migrate files
   * so) when the file with the other suffix is beside it; `x.up.sql` / `x.down.sql` otherwise.
   */
  direction(): 'up' | 'down' | undefined {
    if (this.file.direction) return this.file.direction;
    const m = UNDERSCORE_DIRECTION.exec(this.base);
    if (!m) return undefined;
    const kind = m[1].toLowerCase() as 'up' | 'down';
    return this.has(this.dir, swapDirection(this.base, kind === 'up' ? 'down' : 'up')) ? kind : undefined;
  }

  /** The rollback twin of a plain up file, memoised (guess and build both ask). */
  rollbackTwinOfUp(): TwinResult | undefined {
    if (this.rollbackUp === undefined) this.rollbackUp = findRollbackOfUp(this) ?? null;
    return this.rollbackUp ?? undefined;
  }
}

interface TwinResult {
  twin: string;
  exists: boolean;
}

function guess(ctx: Context, scan: MarkerScan): ConventionName {
  const family = markerFamily(scan);
  if (family === 'goose' || family === 'dbmate') return family;
  const base = ctx.base;
  const lower = base.toLowerCase();
  if (lower === 'up.sql' || lower === 'down.sql') return perMigrationFolder(ctx);
  if (lower === 'migration.sql' && isPrisma(ctx)) return 'prisma';
  if (sqitchPlace(ctx)) return 'sqitch';
  if (ctx.file.sql && (FLYWAY_VERSIONED.test(base) || FLYWAY_REPEATABLE.test(base))) return 'flyway';
  if (ctx.direction()) return 'golang-migrate';
  if (ctx.file.rollback || rollbackFolderOfDown(ctx)) return 'rollback-files';
  if (isSupabase(ctx)) return 'supabase';
  if (family === 'template') return 'template';
  if (ctx.file.sql && ctx.rollbackTwinOfUp()) return 'rollback-files';
  return 'plain';
}

function perMigrationFolder(ctx: Context): 'diesel' | 'sourcegraph' {
  const entries = ctx.list(ctx.dir) ?? [];
  if (entries.includes('metadata.yaml') || entries.includes('metadata.yml')) return 'sourcegraph';
  return 'diesel';
}

function isPrisma(ctx: Context): boolean {
  const up = ctx.ancestors(8);
  if (up.length < 2 || up[1].name.toLowerCase() !== 'migrations') return false;
  if (/^\d{14}_/.test(up[0].name)) return true;
  if (up.some((a) => a.name.toLowerCase() === 'prisma')) return true;
  return ctx.has(up[1].path, 'migration_lock.toml');
}

function isSupabase(ctx: Context): boolean {
  const up = ctx.ancestors(2);
  return up.length === 2 && up[0].name.toLowerCase() === 'migrations' && up[1].name.toLowerCase() === 'supabase';
}

interface SqitchPlace {
  kind: 'deploy' | 'revert' | 'verify';
  root: string;
  /** Folders between the kind folder and the file. */
  below: string[];
}

function sqitchPlace(ctx: Context): SqitchPlace | undefined {
  const up = ctx.ancestors(3);
  for (let i = 0; i < up.length; i++) {
    const kind = up[i].name.toLowerCase();
    if (kind !== 'deploy' && kind !== 'revert' && kind !== 'verify') continue;
    const root = up[i].parent;
    const entries = ctx.list(root);
    if (!entries) return undefined;
    const plan = entries.includes('sqitch.plan');
    if (!plan && !(entries.includes('deploy') && entries.includes('revert'))) return undefined;
    const below = up.slice(0, i).map((a) => a.name).reverse();
    return { kind, root, below };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Building the answer

function build(name: ConventionName, ctx: Context, scan: MarkerScan, text: string): ConventionInfo {
  switch (name) {
    case 'goose':
      return buildGoose(ctx, scan, text);
    case 'dbmate':
      return buildDbmate(ctx, scan, text);
    case 'template':
      return buildTemplate(ctx, scan, text);
    case 'golang-migrate':
      return buildUpDownFiles(ctx, scan, text);
    case 'diesel':
    case 'sourcegraph':
      return buildFolderMigration(name, ctx, scan, text);
    case 'flyway':
      return buildFlyway(ctx, scan, text);
    case 'sqitch':
      return buildSqitch(ctx, scan, text);
    case 'supabase':
      return single('supabase', ctx, scan, text, { runnerTransaction: true, expectsRollback: false });
    case 'prisma':
      return single('prisma', ctx, scan, text, {
        runnerTransaction: false,
        expectsRollback: false,
        name: parseMigrationName(splitPath(ctx.dir).base),
      });
    case 'rollback-files':
      return buildRollbackFiles(ctx, scan, text);
    case 'plain':
    default:
      return single('plain', ctx, scan, text, { runnerTransaction: false, expectsRollback: true });
  }
}

function plainInfo(text: string, bom: number): ConventionInfo {
  return {
    name: 'plain',
    role: 'migration',
    parts: [wholePart(text, bom, 'up', false)],
    twinExists: false,
    expectsRollback: true,
  };
}

function wholePart(text: string, bom: number, kind: 'up' | 'down', runnerTransaction: boolean): PartSpan {
  return { start: Math.min(bom, text.length), end: text.length, kind, commentedOut: false, runnerTransaction };
}

function fileName(ctx: Context): MigrationName | undefined {
  return parseMigrationName(ctx.base);
}

function single(
  name: ConventionName,
  ctx: Context,
  scan: MarkerScan,
  text: string,
  o: { runnerTransaction: boolean; expectsRollback: boolean; name?: MigrationName },
): ConventionInfo {
  const info: ConventionInfo = {
    name,
    role: 'migration',
    parts: [wholePart(text, scan.bom, 'up', o.runnerTransaction)],
    twinExists: false,
    expectsRollback: o.expectsRollback,
  };
  const n = o.name ?? fileName(ctx);
  if (n) info.migrationName = n;
  return info;
}

/** Parts between the markers of one family. */
function sectionParts(
  scan: MarkerScan,
  text: string,
  family: MarkerFamily,
  runnerTransaction: (m: SectionMarker) => boolean,
): PartSpan[] {
  const markers = scan.markers.filter((m) => m.family === family);
  const parts: PartSpan[] = [];
  for (let i = 0; i < markers.length; i++) {
    const m = markers[i];
    const end = i + 1 < markers.length ? markers[i + 1].lineStart : text.length;
    parts.push({
      start: Math.min(m.next, end),
      end,
      kind: m.kind,
      commentedOut: false,
      runnerTransaction: runnerTransaction(m),
      marker: { start: m.start, end: m.end },
    });
  }
  return parts;
}

function buildGoose(ctx: Context, scan: MarkerScan, text: string): ConventionInfo {
  const tx = !scan.gooseNoTransaction;
  let parts = sectionParts(scan, text, 'goose', () => tx);
  if (parts.length === 0) parts = [wholePart(text, scan.bom, 'up', tx)];
  const info: ConventionInfo = { name: 'goose', role: 'migration', parts, twinExists: false, expectsRollback: true };
  // Inserted before the first line: goose reads the annotation anywhere in the file.
  if (tx) info.transactionOptOut = { text: `-- +goose NO TRANSACTION${scan.eol}`, at: scan.bom };
  const n = fileName(ctx);
  if (n) info.migrationName = n;
  return info;
}

function buildDbmate(ctx: Context, scan: MarkerScan, text: string): ConventionInfo {
  let parts = sectionParts(scan, text, 'dbmate', (m) => !m.noTransaction);
  if (parts.length === 0) parts = [wholePart(text, scan.bom, 'up', true)];
  const up = scan.markers.find((m) => m.family === 'dbmate' && m.kind === 'up');
  const info: ConventionInfo = {
    name: 'dbmate',
    role: 'migration',
    parts,
    twinExists: false,
    expectsRollback: true,
  };
  if (up && !up.noTransaction) info.transactionOptOut = { text: ' transaction:false', at: up.end };
  const n = fileName(ctx);
  if (n) info.migrationName = n;
  return info;
}

function buildTemplate(ctx: Context, scan: MarkerScan, text: string): ConventionInfo {
  const markers = scan.markers.filter((m) => m.family === 'template');
  let parts = sectionParts(scan, text, 'template', () => false);
  if (parts.length === 0) {
    parts = [wholePart(text, scan.bom, 'up', false)];
  } else {
    const first = markers[0];
    const preambleHasSql = !onlyCommentsOrBlank(text, scan.bom, first.lineStart);
    if (first.kind === 'down') {
      // SQL first, then `-- DOWN Migration`: what comes before the DOWN marker is the UP part.
      parts.unshift({ start: scan.bom, end: first.lineStart, kind: 'up', commentedOut: false, runnerTransaction: false });
    } else if (preambleHasSql) {
      // `psql < file` runs statements above the UP marker too: they belong to the UP part.
      parts[0].start = scan.bom;
    }
    for (const p of parts) {
      if (p.kind === 'down') p.commentedOut = commentedOut(text, p.start, p.end);
    }
  }
  const info: ConventionInfo = { name: 'template', role: 'migration', parts, twinExists: false, expectsRollback: true };
  const n = fileName(ctx);
  if (n) info.migrationName = n;
  return info;
}

/** Every non-blank line of text[start, end) is a `--` comment, and there is at least one. */
export function commentedOut(text: string, start: number, end: number): boolean {
  let any = false;
  let pos = start;
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > end) nl = end;
    let s = pos;
    while (s < nl && isBlank(text.charCodeAt(s))) s++;
    if (s < nl) {
      if (!(text.charCodeAt(s) === 45 && s + 1 < nl && text.charCodeAt(s + 1) === 45)) return false;
      any = true;
    }
    pos = nl + 1;
  }
  return any;
}

function onlyCommentsOrBlank(text: string, start: number, end: number): boolean {
  return start >= end || commentedOut(text, start, end) || text.slice(start, end).trim() === '';
}

/** golang-migrate (and sqlx, ory/popx, authelia): `x.up.sql` + `x.down.sql`. */
function buildUpDownFiles(ctx: Context, scan: MarkerScan, text: string): ConventionInfo {
  const direction = ctx.direction();
  const n = fileName(ctx);
  if (!direction) return single('golang-migrate', ctx, scan, text, { runnerTransaction: true, expectsRollback: true, name: n });
  const kind = direction;
  const want = kind === 'up' ? 'down' : 'up';
  const exact = swapDirection(ctx.base, want);
  let twin: TwinResult = { twin: joinPath(ctx.dir, exact), exists: ctx.has(ctx.dir, exact) };
  if (!twin.exists && n) {
    // Same version, other direction, any description (sqlx: `x_table.up.sql` + `x.down.sql`;
    // hydra: `x.postgres.up.sql` + `x.down.sql`).
    let best: string | undefined;
    const hint = versionHint(n.version);
    for (const e of ctx.list(ctx.dir) ?? []) {
      if (!e.includes(hint)) continue;
      const p = splitMigrationFileName(e);
      if (p.direction !== want || !p.sql || isOtherDialect(p)) continue;
      const en = parseMigrationName(e);
      if (!en || !sameVersion(en.version, n.version)) continue;
      if (best === undefined || p.dialect === ctx.file.dialect) best = e;
    }
    if (best !== undefined) twin = { twin: joinPath(ctx.dir, best), exists: true };
  }
  const info: ConventionInfo = {
    name: 'golang-migrate',
    role: kind,
    // ory/popx runs `x.autocommit.up.sql` outside a transaction.
    parts: [wholePart(text, scan.bom, kind, !ctx.file.autocommit)],
    twin: twin.twin,
    twinExists: twin.exists,
    expectsRollback: true,
  };
  if (n) info.migrationName = n;
  return info;
}

/** diesel / sourcegraph: `<version>_<name>/up.sql` + `down.sql`. */
function buildFolderMigration(name: 'diesel' | 'sourcegraph', ctx: Context, scan: MarkerScan, text: string): ConventionInfo {
  const lower = ctx.base.toLowerCase();
  const folderName = parseMigrationName(splitPath(ctx.dir).base);
  let runnerTransaction = name === 'diesel';
  if (name === 'diesel' && ctx.has(ctx.dir, 'metadata.toml')) {
    const meta = ctx.read(joinPath(ctx.dir, 'metadata.toml'));
    if (meta && /^\s*run_in_transaction\s*=\s*false\b/m.test(meta)) runnerTransaction = false;
  }
  if (lower !== 'up.sql' && lower !== 'down.sql') {
    return single(name, ctx, scan, text, { runnerTransaction, expectsRollback: true, name: folderName ?? fileName(ctx) });
  }
  const kind = lower === 'up.sql' ? 'up' : 'down';
  const other = kind === 'up' ? 'down.sql' : 'up.sql';
  const entries = ctx.list(ctx.dir) ?? [];
  const twinName = entries.find((e) => e.toLowerCase() === other) ?? other;
  const info: ConventionInfo = {
    name,
    role: kind,
    parts: [wholePart(text, scan.bom, kind, runnerTransaction)],
    twin: joinPath(ctx.dir, twinName),
    twinExists: entries.includes(twinName),
    expectsRollback: true,
  };
  if (folderName) info.migrationName = folderName;
  return info;
}

/** Flyway: `V<v>__d.sql` (+ undo `U<v>__d.sql`), repeatable `R__d.sql`. */
function buildFlyway(ctx: Context, scan: MarkerScan, text: string): ConventionInfo {
  const base = ctx.base;
  const n = fileName(ctx);
  const versioned = FLYWAY_VERSIONED.exec(base);
  if (!versioned || !n) {
    const repeatable = FLYWAY_REPEATABLE.test(base);
    const info = single('flyway', ctx, scan, text, { runnerTransaction: true, expectsRollback: !repeatable, name: n });
    if (repeatable) info.role = 'repeatable';
    return info;
  }
  const isUndo = versioned[1].toUpperCase() === 'U';
  const kind = isUndo ? 'down' : 'up';
  const want = isUndo ? 'V' : 'U';
  let twin: TwinResult | undefined;
  for (const e of ctx.list(ctx.dir) ?? []) {
    const m = FLYWAY_VERSIONED.exec(e);
    if (!m || m[1].toUpperCase() !== want || !/\.sql$/i.test(e)) continue;
    const en = parseMigrationName(e);
    if (en && sameVersion(en.version, n.version)) {
      twin = { twin: joinPath(ctx.dir, e), exists: true };
      break;
    }
  }
  twin ??= { twin: joinPath(ctx.dir, (base[0] === base[0].toUpperCase() ? want : want.toLowerCase()) + base.slice(1)), exists: false };
  return {
    name: 'flyway',
    role: kind,
    parts: [wholePart(text, scan.bom, kind, true)],
    twin: twin.twin,
    twinExists: twin.exists,
    expectsRollback: true,
    migrationName: n,
  };
}

/** sqitch: `deploy/x.sql`, `revert/x.sql`, `verify/x.sql`. */
function buildSqitch(ctx: Context, scan: MarkerScan, text: string): ConventionInfo {
  const place = sqitchPlace(ctx);
  const n = parseMigrationName(ctx.base);
  if (!place) return single('sqitch', ctx, scan, text, { runnerTransaction: false, expectsRollback: true, name: n });
  if (place.kind === 'verify') {
    const info = single('sqitch', ctx, scan, text, { runnerTransaction: false, expectsRollback: false, name: n });
    info.role = 'verify';
    return info;
  }
  const kind = place.kind === 'deploy' ? 'up' : 'down';
  const otherFolder = place.kind === 'deploy' ? 'revert' : 'deploy';
  const twinDir = joinPath(place.root, otherFolder, ...place.below);
  const info: ConventionInfo = {
    name: 'sqitch',
    role: kind,
    parts: [wholePart(text, scan.bom, kind, false)],
    twin: joinPath(twinDir, ctx.base),
    twinExists: ctx.has(twinDir, ctx.base),
    expectsRollback: true,
  };
  if (n) info.migrationName = n;
  return info;
}

// ---------------------------------------------------------------------------------------------
// Rollback files

function buildRollbackFiles(ctx: Context, scan: MarkerScan, text: string): ConventionInfo {
  const n = fileName(ctx);
  const down = rollbackFolderOfDown(ctx) ?? (ctx.file.rollback ? rollbackFileTwin(ctx) : undefined);
  if (down) {
    const info: ConventionInfo = {
      name: 'rollback-files',
      role: 'down',
      parts: [wholePart(text, scan.bom, 'down', false)],
      twin: down.twin,
      twinExists: down.exists,
      expectsRollback: true,
    };
    if (n) info.migrationName = n;
    return info;
  }
  const up = ctx.rollbackTwinOfUp() ?? { twin: joinPath(ctx.dir, `rollback_${ctx.base}`), exists: false };
  const info: ConventionInfo = {
    name: 'rollback-files',
    role: 'up',
    parts: [wholePart(text, scan.bom, 'up', false)],
    twin: up.twin,
    twinExists: up.exists,
    expectsRollback: true,
  };
  if (n) info.migrationName = n;
  return info;
}

/** The up file of `rollback_NNN_x.sql` / `x.rollback.sql`, in the same folder. */
function rollbackFileTwin(ctx: Context): TwinResult {
  const base = ctx.base;
  const plainName = ctx.file.rollbackPrefix ? base.slice(9) : base.replace(/\.rollback(?=\.sql)/i, '');
  if (ctx.has(ctx.dir, plainName)) return { twin: joinPath(ctx.dir, plainName), exists: true };
  const found = ctx.file.rollbackPrefix ? findByVersion(ctx, ctx.dir, false) : undefined;
  if (found) return { twin: joinPath(ctx.dir, found), exists: true };
  return { twin: joinPath(ctx.dir, plainName), exists: false };
}

/**
 * Text that every name with this version contains (`001` → `1`, `2019-02-26-002946` → `2019`):
 * a cheap filter before parsing names, so that large folders stay fast.
 */
function versionHint(version: string): string {
  return version.split(/[._-]/)[0].replace(/^0+(?=\d)/, '');
}

/**
 * A `.sql` file in `dir` with the same version as this file: a rollback one (`rollback_…`)
 * or a forward one. Prefers the same description.
 */
function findByVersion(ctx: Context, dir: string, rollback: boolean): string | undefined {
  const n = fileName(ctx);
  if (!n || n.version === '') return undefined;
  let best: string | undefined;
  const hint = versionHint(n.version);
  for (const e of ctx.list(dir) ?? []) {
    if (!e.includes(hint)) continue;
    const p = splitMigrationFileName(e);
    if (!p.sql || p.rollback !== rollback || p.direction || isOtherDialect(p)) continue;
    const en = parseMigrationName(e);
    if (!en || !sameVersion(en.version, n.version)) continue;
    if (p.stem === ctx.file.stem) return e;
    best ??= e;
  }
  return best;
}

/**
 * A file under a rollback folder (`rollback/`, `down/`, `rollback_dbs/…`): the rollback folder
 * and the up file. Nearest rollback folder within 3 levels; above the file's own folder it only
 * counts when a sibling folder mirrors the path below it (openreplay `init_dbs/` ↔ `rollback_dbs/`).
 */
function rollbackFolderOfDown(ctx: Context): TwinResult | undefined {
  const up = ctx.ancestors(4);
  for (let i = 0; i < up.length; i++) {
    if (!ROLLBACK_DIR.test(up[i].name)) continue;
    const rbName = up[i].name;
    const parent = up[i].parent;
    const below = up.slice(0, i).map((a) => a.name).reverse();
    const upBase = ctx.file.rollbackPrefix ? ctx.base.slice(9) : ctx.base;
    const siblings = ctx.list(parent) ?? [];
    if (below.length === 0) {
      // `migrations/rollback/001_x.sql` → `migrations/001_x.sql`.
      const same = findUpIn(ctx, parent, upBase);
      if (same) return same;
      // `db/rollback/001_x.sql` → `db/migrations/001_x.sql`.
      let checked = 0;
      for (const s of siblings) {
        if (s === rbName || ROLLBACK_DIR.test(s) || /\.[a-z0-9]+$/i.test(s)) continue;
        if (++checked > 8) break;
        const p = joinPath(parent, s);
        if (!ctx.isDir(p)) continue;
        const found = findUpIn(ctx, p, upBase);
        if (found) return found;
      }
      return { twin: joinPath(parent, upBase), exists: false };
    }
    for (const s of siblings) {
      if (s === rbName || ROLLBACK_DIR.test(s)) continue;
      if (!ctx.has(joinPath(parent, s), below[0])) continue;
      const twinDir = joinPath(parent, s, ...below);
      return { twin: joinPath(twinDir, upBase), exists: ctx.has(twinDir, upBase) };
    }
    return undefined;
  }
  return undefined;
}

function findUpIn(ctx: Context, dir: string, upBase: string): TwinResult | undefined {
  if (ctx.has(dir, upBase)) return { twin: joinPath(dir, upBase), exists: true };
  const found = findByVersion(ctx, dir, false);
  return found ? { twin: joinPath(dir, found), exists: true } : undefined;
}

/**
 * The rollback file of a forward file when its folder uses rollback files: a `rollback_NNN_*.sql`
 * with its version beside it, `name.rollback.sql`, the same name in a `rollback/` or `down/`
 * subfolder or sibling folder; or where it should be created when the folder has such files but
 * not this one's. Undefined when the folder does not use rollback files.
 */
function findRollbackOfUp(ctx: Context): TwinResult | undefined {
  const dir = ctx.dir;
  const base = ctx.base;
  const listing = rollbackListing(ctx, dir);
  const n = fileName(ctx);
  const dotName = `${ctx.file.stem}.rollback.sql`;
  // The `rollback_` file of this version; of several, the one named like this file.
  const ofVersion = n && n.version !== '' ? listing.prefixedByVersion.get(versionKey(n.version)) ?? [] : [];
  const byVersion = [...ofVersion].reverse().find((e) => splitMigrationFileName(e).stem === ctx.file.stem) ?? ofVersion[0];
  if (listing.dotted.has(dotName)) return { twin: joinPath(dir, dotName), exists: true };
  if (byVersion) return { twin: joinPath(dir, byVersion), exists: true };
  if (listing.prefixed) return { twin: joinPath(dir, `rollback_${base}`), exists: false };
  if (listing.dotted.size > 0) return { twin: joinPath(dir, dotName), exists: false };
  for (const f of rollbackFolderNames(ctx, dir)) {
    const p = joinPath(dir, f);
    if (!ctx.isDir(p)) continue;
    const found = findRollbackIn(ctx, p);
    return found ?? { twin: joinPath(p, base), exists: false };
  }
  // A rollback folder beside an ancestor that mirrors the path below it.
  let below: string[] = [];
  for (const a of ctx.ancestors(3)) {
    for (const s of rollbackFolderNames(ctx, a.parent)) {
      if (s === a.name) continue;
      const rb = joinPath(a.parent, s);
      if (below.length > 0 ? !ctx.has(rb, below[0]) : !ctx.isDir(rb)) continue;
      const twinDir = joinPath(rb, ...below);
      return findRollbackIn(ctx, twinDir) ?? { twin: joinPath(twinDir, base), exists: false };
    }
    below = [a.name, ...below];
  }
  return undefined;
}

/** Entries of `dir` named like a rollback folder (`rollback/`, `down/`, `rollback_dbs/`), in listing order. */
function rollbackFolderNames(ctx: Context, dir: string): string[] {
  return rollbackNamedEntries(ctx.fs, dir, () => ctx.list(dir)).filter((e) => !e.toLowerCase().endsWith('.sql'));
}

/** What a folder holds of rollback files, read once per folder (every file of it asks). */
interface RollbackListing {
  /** `rollback_NNN_*.sql` files, by version key. */
  prefixedByVersion: Map<string, string[]>;
  /** Any `rollback_*.sql` file at all. */
  prefixed: boolean;
  /** `name.rollback.sql` files. */
  dotted: Set<string>;
}

function rollbackListing(ctx: Context, dir: string): RollbackListing {
  const read = (): RollbackListing => {
    const listing: RollbackListing = { prefixedByVersion: new Map(), prefixed: false, dotted: new Set() };
    for (const e of ctx.list(dir) ?? []) {
      const lower = e.toLowerCase();
      if ((lower.startsWith('rollback_') || lower.startsWith('rollback-')) && lower.endsWith('.sql')) {
        listing.prefixed = true;
        const version = parseMigrationName(e)?.version;
        if (!version) continue;
        const key = versionKey(version);
        const list = listing.prefixedByVersion.get(key);
        if (list) list.push(e);
        else listing.prefixedByVersion.set(key, [e]);
      } else if (lower.endsWith('.rollback.sql')) {
        listing.dotted.add(e);
      }
    }
    return listing;
  };
  return ctx.fs.memo ? ctx.fs.memo(`rollback-listing:${dir}`, read) : read();
}

/** This file's rollback in a rollback folder: same name, `rollback_` + name, or same version. */
function findRollbackIn(ctx: Context, dir: string): TwinResult | undefined {
  const entries = ctx.list(dir);
  if (!entries) return undefined;
  if (entries.includes(ctx.base)) return { twin: joinPath(dir, ctx.base), exists: true };
  const prefixed = `rollback_${ctx.base}`;
  if (entries.includes(prefixed)) return { twin: joinPath(dir, prefixed), exists: true };
  const n = fileName(ctx);
  if (!n || n.version === '') return undefined;
  const hint = versionHint(n.version);
  for (const e of entries) {
    if (!e.includes(hint)) continue;
    const p = splitMigrationFileName(e);
    if (!p.sql || p.direction || isOtherDialect(p)) continue;
    const en = parseMigrationName(e);
    if (en && sameVersion(en.version, n.version)) return { twin: joinPath(dir, e), exists: true };
  }
  return undefined;
}
