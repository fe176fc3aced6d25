/**
 * sourcegraph-style folders: `migrations/<db>/<id>_<name>/up.sql` + `down.sql` + `metadata.yaml`;
 * the files write their own `BEGIN; … COMMIT;`.
 */
import type { FolderMigration } from '../model';
import { naming } from './naming';
import { readOrUndefined } from './naming';
import { isUpOrDownFile, readUpDownFolder, upDownFiles } from './per-migration-folder';
import type { Convention } from './types';

const hasMetadata = (entries: readonly string[]): boolean => entries.some((e) => e.toLowerCase() === 'metadata.yaml' || e.toLowerCase() === 'metadata.yml');

export const sourcegraph: Convention = {
  name: 'sourcegraph',
  historyTable: 'migration_logs',
  recognises: (file) => isUpOrDownFile(file) && hasMetadataExactly(file.list(file.dir) ?? []),
  read: (file) => readUpDownFolder('sourcegraph', file, false),
  folder: { migrationFolder: (path, entries) => (hasMetadata(entries) ? upDownFiles(path, entries) : undefined) },
  authoring: {
    choices: [{ id: 'sourcegraph', convention: 'sourcegraph', label: 'sourcegraph-style folders', example: '<unix time>_description/up.sql + down.sql + metadata.yaml', naming: naming({ kind: 'unix' }), rank: 80 }],
    shape: () => ({ kind: 'folder', runner: 'sourcegraph' }),
    transactionBlock: latestUsesTransaction,
  },
};

/** Detection looks for the names as written (a listing's `metadata.yaml` / `metadata.yml`). */
function hasMetadataExactly(entries: readonly string[]): boolean {
  return entries.includes('metadata.yaml') || entries.includes('metadata.yml');
}

/** The folder's latest UP file wraps its SQL in `BEGIN; … COMMIT;`: new files do too. */
function latestUsesTransaction(migrations: readonly FolderMigration[], fs: Parameters<typeof readOrUndefined>[0]): boolean {
  const up = [...migrations].reverse().find((m) => m.files.up)?.files.up;
  const text = up ? readOrUndefined(fs, up) : undefined;
  return text !== undefined && /^\s*BEGIN\s*;/im.test(text) && /^\s*COMMIT\s*;/im.test(text);
}
