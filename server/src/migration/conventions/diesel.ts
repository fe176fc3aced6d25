/** diesel: `migrations/<version>_<name>/up.sql` + `down.sql`; in a transaction unless `metadata.toml` says `run_in_transaction = false`. */
import { joinPath } from '../names';
import { DASHED_SECOND, naming } from './naming';
import { isUpOrDownFile, readUpDownFolder, upDownFiles, upDownFolder } from './per-migration-folder';
import type { Convention } from './types';

export const diesel: Convention = {
  name: 'diesel',
  historyTable: '__diesel_schema_migrations',
  duplicateVersion: 'diesel records versions once, so only one of them is ever applied',
  // After sourcegraph in the registry: an `up.sql` without sourcegraph's metadata.yaml.
  recognises: isUpOrDownFile,
  read(file) {
    let runnerTransaction = true;
    if (file.has(file.dir, 'metadata.toml')) {
      const meta = file.read(joinPath(file.dir, 'metadata.toml'));
      if (meta && /^\s*run_in_transaction\s*=\s*false\b/m.test(meta)) runnerTransaction = false;
    }
    return readUpDownFolder('diesel', file, runnerTransaction);
  },
  folder: { migrationFolder: upDownFiles },
  authoring: {
    choices: [{ id: 'diesel', convention: 'diesel', label: 'diesel', example: 'YYYY-MM-DD-HHMMSS_description/up.sql + down.sql', naming: naming(DASHED_SECOND), rank: 70 }],
    layOut: (input) => upDownFolder(input),
  },
};
