/** dbmate: `-- migrate:up` / `-- migrate:down` sections; each in a transaction unless its marker says `transaction:false`. */
import type { ConventionInfo } from '../model';
import { naming, SECOND } from './naming';
import { sectionParts, wholePart } from './sections';
import type { Convention } from './types';
import { sectionedFile } from './writing';

export const dbmate: Convention = {
  name: 'dbmate',
  historyTable: 'schema_migrations',
  sections: 'dbmate',
  downSection: { family: 'dbmate', commented: false },
  duplicateVersion: 'dbmate records versions once, so only one of them is ever applied',
  recognises: (file) => file.family === 'dbmate',
  read(file) {
    const { scan, text } = file;
    let parts = sectionParts(scan, text, 'dbmate', (m) => !m.noTransaction);
    if (parts.length === 0) parts = [wholePart(text, scan.bom, 'up', true)];
    const up = scan.markers.find((m) => m.family === 'dbmate' && m.kind === 'up');
    const info: ConventionInfo = { name: 'dbmate', role: 'migration', parts, twinExists: false, expectsRollback: true };
    if (up && !up.noTransaction) info.transactionOptOut = { text: ' transaction:false', at: up.end };
    const n = file.name();
    if (n) info.migrationName = n;
    return info;
  },
  authoring: {
    choices: [{ id: 'dbmate', convention: 'dbmate', label: 'dbmate', example: 'YYYYMMDDHHMMSS_description.sql with -- migrate:up / down', naming: naming(SECOND), rank: 50 }],
    layOut: (input) => sectionedFile(input, 'dbmate'),
  },
};
