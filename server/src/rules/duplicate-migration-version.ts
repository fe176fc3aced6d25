import { conventionNamed } from '../migration/conventions';
import type { FolderMigration } from '../migration/folder';
import { isNamedByFolder, splitPath, versionKey } from '../migration/names';
import { ownFolderMigration } from './helpers/folder-index';
import type { Rule } from './rule';

/**
 * Two migrations of a folder with the same version (`001` and `1` are one version). The files of
 * one migration (an `.up`/`.down` pair, a file and its rollback file, a diesel folder) count once.
 */
export const duplicateMigrationVersion: Rule = {
  id: 'duplicate-migration-version',
  defaultSeverity: 'error',
  description: 'Two migrations in the same folder share a version.',
  messages: {
    duplicateVersion: 'Version {{version}} is also used by {{others}}: {{consequence}}.',
  },
  help: {
    duplicateVersion: 'Give this migration the next free version.',
  },
  check({ migration, fs, report }) {
    const found = ownFolderMigration(migration, fs);
    if (!found) return;
    const { own, index } = found;
    // The folder is read without opening its files, so the linted file's own convention names the runner.
    // Its module says what the runner does with a repeated version (and whether the tool names the migrations).
    const convention = conventionNamed(migration.convention.name);
    if (own.repeatable || own.version === '' || convention.namedByTool || convention.runsByName) return;
    if (own.versionStyle === 'date' && convention.dateVersionsMayRepeat) return;
    const others = (index.byVersion.get(versionKey(own.version)) ?? []).filter((m) => m !== own);
    if (others.length === 0 || index.ordersByWholeName) return;
    const names = others.map((m) => displayName(m, migration.path)).join(', ');
    const consequence = convention.duplicateVersion ?? 'which one runs first is undefined, and a history keyed by version records only one of them';
    report({ messageId: 'duplicateVersion', data: { version: own.version, others: names, consequence } });
  },
};

/** A migration's name relative to the linted file's folder: `002_b.sql`, `2024-01-01-000000_x/`. */
function displayName(m: FolderMigration, from: string): string {
  const path = m.files.single ?? m.files.up ?? m.files.down ?? '';
  const { dir, base } = splitPath(path);
  if (isNamedByFolder(base)) return `${splitPath(dir).base}/`;
  return dir === splitPath(from).dir ? base : path;
}
