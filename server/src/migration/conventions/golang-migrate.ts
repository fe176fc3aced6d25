/**
 * golang-migrate (and sqlx, ory/popx, authelia): `{version}_{title}.up.sql` + `.down.sql`; the
 * runner sends a file as one multi-statement query, one implicit transaction block.
 */
import type { ConventionInfo } from '../model';
import { isOtherDialect, joinPath, parseMigrationName, sameVersion, splitMigrationFileName, swapDirection, UNDERSCORE_DIRECTION } from '../names';
import type { TwinResult } from './file';
import { naming } from './naming';
import { single, wholePart } from './sections';
import { versionHint } from './twins';
import type { Convention } from './types';
import { splitFiles } from './writing';

export const golangMigrate: Convention = {
  name: 'golang-migrate',
  historyTable: 'schema_migrations',
  duplicateVersion: 'golang-migrate refuses to run ("duplicate migration file")',
  recognises: (file) => file.direction() !== undefined,
  read(file) {
    const direction = file.direction();
    const n = file.name();
    if (!direction) return single('golang-migrate', file, { runnerTransaction: true, expectsRollback: true, name: n });
    const kind = direction;
    const want = kind === 'up' ? 'down' : 'up';
    const exact = swapDirection(file.base, want);
    let twin: TwinResult = { twin: joinPath(file.dir, exact), exists: file.has(file.dir, exact) };
    if (!twin.exists && n) {
      // Same version, other direction, any description (sqlx: `x_table.up.sql` + `x.down.sql`;
      // hydra: `x.postgres.up.sql` + `x.down.sql`).
      let best: string | undefined;
      const hint = versionHint(n.version);
      for (const e of file.list(file.dir) ?? []) {
        if (!e.includes(hint)) continue;
        const p = splitMigrationFileName(e);
        if (p.direction !== want || !p.sql || isOtherDialect(p)) continue;
        const en = parseMigrationName(e);
        if (!en || !sameVersion(en.version, n.version)) continue;
        if (best === undefined || p.dialect === file.file.dialect) best = e;
      }
      if (best !== undefined) twin = { twin: joinPath(file.dir, best), exists: true };
    }
    const info: ConventionInfo = {
      name: 'golang-migrate',
      role: kind,
      // ory/popx runs `x.autocommit.up.sql` outside a transaction.
      parts: [wholePart(file.text, file.scan.bom, kind, !file.file.autocommit)],
      twin: twin.twin,
      twinExists: twin.exists,
      expectsRollback: true,
    };
    if (n) info.migrationName = n;
    return info;
  },
  // One statement alone in a query string is not in a transaction block.
  runnerWrapping: (sql) => (sql.length > 1 ? 'implicit-block' : undefined),
  folder: {
    fileSide(name, parts, present) {
      if (parts.direction) return { side: parts.direction };
      // `x_up.sql` / `x_down.sql` beside each other (harness).
      const m = UNDERSCORE_DIRECTION.exec(name);
      if (!m) return undefined;
      const kind = m[1].toLowerCase() as 'up' | 'down';
      return present.has(swapDirection(name, kind === 'up' ? 'down' : 'up')) ? { side: kind, underscore: true } : undefined;
    },
  },
  authoring: {
    choices: [{ id: 'golang-migrate', convention: 'golang-migrate', label: 'golang-migrate', example: '000001_description.up.sql + .down.sql', naming: naming({ kind: 'sequential', width: 6 }), rank: 60 }],
    layOut(input) {
      // The down file only where the folder keeps them.
      const pairs = input.migrations.filter((m) => m.convention === 'golang-migrate');
      const down = pairs.length === 0 || pairs.some((m) => m.files.down);
      const { dir, stem } = input;
      return splitFiles(input, joinPath(dir, `${stem}.up.sql`), down ? joinPath(dir, `${stem}.down.sql`) : undefined, `${stem}.up.sql`);
    },
  },
};
