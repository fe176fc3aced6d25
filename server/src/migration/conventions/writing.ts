/**
 * Shared by the convention modules' authoring: a new migration written as one file with
 * sections, or as an UP file and a DOWN file, from the template's parts.
 */
import { endLine, markerLine } from '../../authoring/template';
import { joinPath } from '../names';
import type { MarkerFamily } from './markers';
import type { Layout, LayoutInput } from './types';

/** One file `<stem>.sql`: header, UP marker and part, DOWN marker and part (`none`: the UP part alone, roll-forward). */
export function sectionedFile(input: LayoutInput, sections: MarkerFamily | 'none'): Layout {
  const { parts, dir, stem } = input;
  const { header, eol } = parts;
  const path = joinPath(dir, `${stem}.sql`);
  if (sections === 'none') return { files: [{ path, text: header + parts.up }], upAt: header.length, appends: [], name: `${stem}.sql` };
  const upMarker = markerLine(parts, sections, 'up');
  const text = endLine(header, eol) + upMarker + endLine(parts.up, eol) + markerLine(parts, sections, 'down') + parts.down;
  return { files: [{ path, text }], upAt: endLine(header, eol).length + upMarker.length, appends: [], name: `${stem}.sql` };
}

/** An UP file and, unless `downPath` is undefined, a DOWN file, each with the header; in `BEGIN … COMMIT` when the folder's files are. */
export function splitFiles(input: LayoutInput, upPath: string, downPath: string | undefined, name: string, folder?: string): Layout {
  const { parts } = input;
  const { header, eol } = parts;
  const wrap = (body: string) => (input.transactionBlock && !/^\s*BEGIN\s*;/im.test(body) ? transactionBlock(body, 'COMMIT', eol) : body);
  const files = [{ path: upPath, text: header + wrap(parts.up) }];
  if (downPath) files.push({ path: downPath, text: header + wrap(parts.down) });
  return { files, upAt: header.length + (input.transactionBlock ? `BEGIN;${eol}`.length : 0), appends: [], folder, name };
}

/** `BEGIN;`, the body, a blank line, `COMMIT;` (sqitch, and sourcegraph folders whose files do it). */
export function transactionBlock(body: string, end: 'COMMIT' | 'ROLLBACK', eol: string): string {
  const inner = body.replace(/\s*$/, '');
  return `BEGIN;${eol}${inner === '' ? '' : inner + eol}${eol}${end};${eol}`;
}

/** The file or folder exists. */
export function exists(fs: LayoutInput['fs'], path: string): boolean {
  try {
    return fs.readFile(path) !== undefined || fs.isDirectory(path);
  } catch {
    return false;
  }
}
