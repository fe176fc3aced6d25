/**
 * Section splitting shared by the convention modules: a whole-file part, the parts between one
 * family's markers, and the answer for a file that holds one whole-file migration.
 */
import type { ConventionInfo, ConventionName, MigrationName, PartSpan } from '../model';
import type { FileContext } from './file';
import type { MarkerFamily, MarkerScan, SectionMarker } from './markers';

/** The whole text (after a byte order mark) as one part. */
export function wholePart(text: string, bom: number, kind: 'up' | 'down', runnerTransaction: boolean): PartSpan {
  return { start: Math.min(bom, text.length), end: text.length, kind, commentedOut: false, runnerTransaction };
}

/** A file that is one whole migration (no sections, no twin). */
export function single(
  name: ConventionName,
  ctx: FileContext,
  o: { runnerTransaction: boolean; expectsRollback: boolean; name?: MigrationName },
): ConventionInfo {
  const info: ConventionInfo = {
    name,
    role: 'migration',
    parts: [wholePart(ctx.text, ctx.scan.bom, 'up', o.runnerTransaction)],
    twinExists: false,
    expectsRollback: o.expectsRollback,
  };
  const n = o.name ?? ctx.name();
  if (n) info.migrationName = n;
  return info;
}

/** Parts between the markers of one family. */
export function sectionParts(
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
