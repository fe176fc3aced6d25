/**
 * The content of a new migration: this project's template (the seeds' header and UP / DOWN
 * sections) or the project's own template file, with its placeholders filled, taken apart into
 * header, UP and DOWN so that each convention can lay them out its own way.
 */
import { MARKER_LINES, MarkerFamily, scanMarkers } from '../migration/conventions/markers';

/** Where the editor's cursor goes; removed from the written file. */
export const CURSOR = '${cursor}';

/** The seeds' migration template (seeds/002), with the cursor in the UP part. */
export const DEFAULT_TEMPLATE = [
  '-- Migration: ${description}',
  '-- Date: ${date}',
  '-- Author: ${author}',
  '',
  '-- UP Migration',
  CURSOR,
  '',
  '-- DOWN Migration (Rollback)',
  '',
].join('\n');

export interface TemplateValues {
  /** As the user wrote it (trimmed). */
  description: string;
  /** `YYYY-MM-DD`. */
  date: string;
  version: string;
  author: string;
  /** The new file's (or folder's) name without extension. */
  name: string;
}

export const PLACEHOLDERS: readonly (keyof TemplateValues)[] = ['description', 'date', 'version', 'author', 'name'];

/** Fills `${description}`, `${date}`, `${version}`, `${author}`, `${name}`; other `${…}` stay as written. */
export function fillPlaceholders(template: string, values: TemplateValues): string {
  return template.replace(/\$\{(\w+)\}/g, (whole, key: string) => ((PLACEHOLDERS as string[]).includes(key) ? values[key as keyof TemplateValues] : whole));
}

/** A filled template taken apart at its UP and DOWN markers. */
export interface TemplateParts {
  /** Text before the UP marker (the header comments). */
  header: string;
  /** Text of the UP part (after its marker line). */
  up: string;
  /** Text of the DOWN part (after its marker line); '' when the template has none. */
  down: string;
  /** The marker family the template uses, and its marker lines (with their line breaks). */
  family?: MarkerFamily;
  upMarker?: string;
  downMarker?: string;
  eol: '\n' | '\r\n';
}

/**
 * Splits a template at its first UP marker and the first DOWN marker after it (any family: this
 * project's `-- UP Migration`, goose, dbmate). Without markers, the whole template is the UP part.
 */
export function splitTemplate(text: string): TemplateParts {
  const scan = scanMarkers(text);
  const body = text.slice(scan.bom);
  const shift = scan.bom;
  const up = scan.markers.find((m) => m.kind === 'up');
  const down = scan.markers.find((m) => m.kind === 'down' && (!up || (m.lineStart > up.lineStart && m.family === up.family)));
  if (!up && !down) {
    // No markers: the leading comment lines (and the blank line after them) are the header.
    const header = /^(?:[ \t]*--[^\n]*\n)+(?:[ \t]*\r?\n)?/.exec(body)?.[0] ?? '';
    return { header, up: body.slice(header.length), down: '', eol: scan.eol };
  }
  if (!up) {
    return { header: '', up: text.slice(shift, down!.lineStart), down: text.slice(down!.next), family: down!.family, downMarker: text.slice(down!.lineStart, down!.next), eol: scan.eol };
  }
  const upEnd = down ? down.lineStart : text.length;
  return {
    header: text.slice(shift, up.lineStart),
    up: text.slice(up.next, upEnd),
    down: down ? text.slice(down.next) : '',
    family: up.family,
    upMarker: text.slice(up.lineStart, up.next),
    downMarker: down ? text.slice(down.lineStart, down.next) : undefined,
    eol: scan.eol,
  };
}

/** The marker line (with its line break) opening a part in `family`, the template's own when it is of that family. */
export function markerLine(parts: TemplateParts, family: MarkerFamily, kind: 'up' | 'down'): string {
  const own = kind === 'up' ? parts.upMarker : parts.downMarker;
  if (own && parts.family === family) return /\n$/.test(own) ? own : own + parts.eol;
  return MARKER_LINES[family][kind] + parts.eol;
}

/** `text` ending with a line break (unless empty), so that a marker line can follow it. */
export function endLine(text: string, eol: string): string {
  return text === '' || text.endsWith('\n') ? text : text + eol;
}

/**
 * A file's final text and cursor: trailing blank lines reduced to one line break, the cursor
 * placeholder removed (its offset kept).
 */
export function finish(text: string, eol: string): { content: string; cursor?: number } {
  const trimmed = text.replace(/(?:\r?\n[ \t]*)+$/, '') + eol;
  const at = trimmed.indexOf(CURSOR);
  if (at < 0) return { content: trimmed === eol ? '' : trimmed };
  return { content: trimmed.split(CURSOR).join(''), cursor: at };
}

/**
 * Where to put the cursor in a part's text when the template has no `${cursor}`: its first empty
 * line (one that a line break ends, so not the start of the next marker), else its start.
 */
export function defaultCursor(part: string): number {
  const line = /(?:^|\n)([ \t]*)\r?\n/.exec(part);
  if (!line) return 0;
  return line.index + (line[0].startsWith('\n') ? 1 : 0);
}
