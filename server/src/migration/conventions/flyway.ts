/** Flyway: `V<version>__<desc>.sql`, undo `U<version>__<desc>.sql`, repeatable `R__<desc>.sql`; each script in a transaction. */
import type { ConventionInfo, FolderMigration } from '../model';
import { FLYWAY_REPEATABLE, FLYWAY_VERSIONED, joinPath, parseMigrationName, sameVersion } from '../names';
import type { TwinResult } from './file';
import { naming } from './naming';
import { single, wholePart } from './sections';
import type { Convention } from './types';
import { splitFiles } from './writing';

export const flyway: Convention = {
  name: 'flyway',
  historyTable: 'flyway_schema_history',
  duplicateVersion: 'Flyway refuses to migrate ("Found more than one migration with version")',
  recognises: (file) => file.file.sql && (FLYWAY_VERSIONED.test(file.base) || FLYWAY_REPEATABLE.test(file.base)),
  read(file) {
    const base = file.base;
    const n = file.name();
    const versioned = FLYWAY_VERSIONED.exec(base);
    if (!versioned || !n) {
      const repeatable = FLYWAY_REPEATABLE.test(base);
      const info = single('flyway', file, { runnerTransaction: true, expectsRollback: !repeatable, name: n });
      if (repeatable) info.role = 'repeatable';
      return info;
    }
    const isUndo = versioned[1].toUpperCase() === 'U';
    const kind = isUndo ? 'down' : 'up';
    const want = isUndo ? 'V' : 'U';
    let twin: TwinResult | undefined;
    for (const e of file.list(file.dir) ?? []) {
      const m = FLYWAY_VERSIONED.exec(e);
      if (!m || m[1].toUpperCase() !== want || !/\.sql$/i.test(e)) continue;
      const en = parseMigrationName(e);
      if (en && sameVersion(en.version, n.version)) {
        twin = { twin: joinPath(file.dir, e), exists: true };
        break;
      }
    }
    twin ??= { twin: joinPath(file.dir, (base[0] === base[0].toUpperCase() ? want : want.toLowerCase()) + base.slice(1)), exists: false };
    const info: ConventionInfo = {
      name: 'flyway',
      role: kind,
      parts: [wholePart(file.text, file.scan.bom, kind, true)],
      twin: twin.twin,
      twinExists: twin.exists,
      expectsRollback: true,
      migrationName: n,
    };
    return info;
  },
  // Flyway runs a script without its transaction when every statement needs that (CREATE INDEX CONCURRENTLY …).
  runnerWrapping: (sql, mustRunOutside) => (sql.length > 0 && sql.every(mustRunOutside) ? undefined : 'begin'),
  folder: {
    // Before golang-migrate in the registry: `V1__x.up.sql` is Flyway's.
    fileSide(name) {
      const versioned = FLYWAY_VERSIONED.exec(name);
      if (versioned) return { side: versioned[1].toUpperCase() === 'U' ? 'down' : 'up' };
      return FLYWAY_REPEATABLE.test(name) ? { side: 'repeatable' } : undefined;
    },
  },
  authoring: {
    choices: [{ id: 'flyway', convention: 'flyway', label: 'Flyway', example: 'V1__description.sql', naming: naming({ kind: 'dotted', separator: '.', width: 0 }, '__', 'V'), rank: 90 }],
    layOut(input) {
      const { dir, stem, naming } = input;
      // The undo file `U<v>__x.sql` only where the folder keeps them.
      const undo = input.migrations.some((m: FolderMigration) => m.convention === 'flyway' && m.files.down);
      const undoPrefix = naming.prefix === 'v' ? 'u' : 'U';
      const undoPath = undo ? joinPath(dir, undoPrefix + stem.slice(naming.prefix.length) + '.sql') : undefined;
      return splitFiles(input, joinPath(dir, `${stem}.sql`), undoPath, `${stem}.sql`);
    },
    versions: { kind: 'dotted', prefix: 'V', separator: '__' },
  },
};
