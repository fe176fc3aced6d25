/**
 * This project's template: one file, `-- UP Migration` … `-- DOWN Migration (Rollback)` sections
 * (node-pg-migrate's SQL form too), run by hand with `psql`, so the DOWN section is often SQL
 * written as comments.
 */
import type { ConventionInfo } from '../model';
import { commentedOut, onlyCommentsOrBlank } from './markers';
import { DAY, naming, SEQUENTIAL_3 } from './naming';
import { sectionParts, wholePart } from './sections';
import type { Convention } from './types';
import { sectionedFile } from './writing';

export const template: Convention = {
  name: 'template',
  sections: 'template',
  downSection: { family: 'template', commented: true },
  dateVersionsMayRepeat: true,
  recognises: (file) => file.family === 'template',
  read(file) {
    const { scan, text } = file;
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
    const n = file.name();
    if (n) info.migrationName = n;
    return info;
  },
  authoring: {
    choices: [
      { id: 'template', convention: 'template', label: 'Template sections (this project’s template)', example: 'YYYYMMDD_description.sql with -- UP / -- DOWN sections', naming: naming(DAY), rank: 10 },
      { id: 'template-numbered', convention: 'template', label: 'Template sections, numbered', example: '001_description.sql with -- UP / -- DOWN sections', naming: naming(SEQUENTIAL_3), rank: 20 },
    ],
    layOut: (input) => sectionedFile(input, 'template'),
  },
};
