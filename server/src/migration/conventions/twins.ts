/**
 * Twin lookup by version, shared by the convention modules whose migrations are two files
 * (golang-migrate, rollback files): which file of a folder has this file's version.
 */
import { isOtherDialect, parseMigrationName, sameVersion, splitMigrationFileName } from '../names';
import type { FileContext } from './file';

/**
 * Text that every name with this version contains (`001` → `1`, `2019-02-26-002946` → `2019`):
 * a cheap filter before parsing names, so that large folders stay fast.
 */
export function versionHint(version: string): string {
  return version.split(/[._-]/)[0].replace(/^0+(?=\d)/, '');
}

/**
 * A `.sql` file in `dir` with the same version as this file: a rollback one (`rollback_…`)
 * or a forward one. Prefers the same description.
 */
export function findByVersion(ctx: FileContext, dir: string, rollback: boolean): string | undefined {
  const n = ctx.name();
  if (!n || n.version === '') return undefined;
  let best: string | undefined;
  const hint = versionHint(n.version);
  for (const e of ctx.list(dir) ?? []) {
    if (!e.includes(hint)) continue;
    const p = splitMigrationFileName(e);
    if (!p.sql || p.rollback !== rollback || p.direction || isOtherDialect(p)) continue;
    const en = parseMigrationName(e);
    if (!en || !sameVersion(en.version, n.version)) continue;
    if (p.stem === ctx.file.stem) return e;
    best ??= e;
  }
  return best;
}
