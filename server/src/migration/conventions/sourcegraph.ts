/**
 * sourcegraph-style folders: `migrations/<db>/<id>_<name>/up.sql` + `down.sql` + `metadata.yaml`;
 * the files write their own `BEGIN; … COMMIT;`.
 */
import { displayDescription } from '../../authoring/description';
import type { FolderMigration } from '../model';
import { joinPath, splitPath } from '../names';
import { naming, readOrUndefined } from './naming';
import { isUpOrDownFile, readUpDownFolder, upDownFiles, upDownFolder } from './per-migration-folder';
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
    layOut(input) {
      const layout = upDownFolder(input);
      const { eol } = input.parts;
      const parents = leaves(input.migrations, input.fs);
      layout.files.push({ path: joinPath(layout.folder!, 'metadata.yaml'), text: `name: ${JSON.stringify(displayDescription(input.description))}${eol}parents: [${parents.join(', ')}]${eol}` });
      return layout;
    },
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

/** sourcegraph migrations name their parents: the current leaves of the migration graph. */
function leaves(migrations: readonly FolderMigration[], fs: Parameters<typeof readOrUndefined>[0]): string[] {
  const versions = migrations.map((m) => m.version);
  const parents = new Set<string>();
  for (const m of migrations) {
    const file = m.files.up ?? m.files.down;
    if (!file) continue;
    const meta = readOrUndefined(fs, joinPath(splitPath(file).dir, 'metadata.yaml'));
    const list = meta && (/^parents:\s*\[([^\]]*)\]/m.exec(meta)?.[1] ?? /^parents:\s*\n((?:\s*-\s*\S+\s*\n?)+)/m.exec(meta)?.[1]);
    for (const p of list?.match(/\d+/g) ?? []) parents.add(p);
  }
  const found = versions.filter((v) => !parents.has(v));
  return found.length > 0 ? found : versions.slice(-1);
}
