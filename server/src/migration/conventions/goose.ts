/** goose: `-- +goose Up` / `-- +goose Down` sections; each part in a transaction unless `-- +goose NO TRANSACTION`. */
import type { ConventionInfo } from '../model';
import { naming, SECOND } from './naming';
import { sectionParts, wholePart } from './sections';
import type { Convention } from './types';
import { sectionedFile } from './writing';

export const goose: Convention = {
  name: 'goose',
  historyTable: 'goose_db_version',
  sections: 'goose',
  downSection: { family: 'goose', commented: false },
  duplicateVersion: 'goose refuses to run ("duplicate version")',
  recognises: (file) => file.family === 'goose',
  read(file) {
    const { scan, text } = file;
    const tx = !scan.gooseNoTransaction;
    let parts = sectionParts(scan, text, 'goose', () => tx);
    if (parts.length === 0) parts = [wholePart(text, scan.bom, 'up', tx)];
    const info: ConventionInfo = { name: 'goose', role: 'migration', parts, twinExists: false, expectsRollback: true };
    // Inserted before the first line: goose reads the annotation anywhere in the file.
    if (tx) info.transactionOptOut = { text: `-- +goose NO TRANSACTION${scan.eol}`, at: scan.bom };
    const n = file.name();
    if (n) info.migrationName = n;
    return info;
  },
  authoring: {
    choices: [{ id: 'goose', convention: 'goose', label: 'goose', example: 'YYYYMMDDHHMMSS_description.sql with -- +goose Up / Down', naming: naming(SECOND), rank: 40 }],
    layOut: (input) => sectionedFile(input, 'goose'),
  },
};
