/**
 * The one marker scanner: the lines that open UP and DOWN sections (goose, dbmate, this project's
 * template), found in one linear pass. Detection splits files with it, discovery
 * (workspace/settings.ts) accepts a file by it, authoring splits templates with it.
 */

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

/** The marker family of a scanned file: goose, then dbmate, then template sections. */
export function markerFamily(scan: MarkerScan): MarkerFamily | undefined {
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

/** The marker lines safemig writes for each family (new files, quick fixes). */
export const MARKER_LINES: Record<MarkerFamily, { up: string; down: string }> = {
  template: { up: '-- UP Migration', down: '-- DOWN Migration (Rollback)' },
  goose: { up: '-- +goose Up', down: '-- +goose Down' },
  dbmate: { up: '-- migrate:up', down: '-- migrate:down' },
};

/** The text opens an UP section of some family within its first `limit` characters (discovery). */
export function hasUpMarker(text: string, limit: number): boolean {
  const head = text.length > limit ? text.slice(0, limit) : text;
  return scanMarkers(head).markers.some((m) => m.kind === 'up');
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

export function onlyCommentsOrBlank(text: string, start: number, end: number): boolean {
  return start >= end || commentedOut(text, start, end) || text.slice(start, end).trim() === '';
}
