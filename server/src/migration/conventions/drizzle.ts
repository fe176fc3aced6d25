/**
 * Drizzle: `drizzle/<NNNN>_<words>.sql` with `meta/_journal.json` beside it, statements separated
 * by `--> statement-breakpoint` (a SQL comment). Roll-forward; drizzle-kit names the files and
 * keeps the journal, and the migrator runs all pending migrations in one transaction.
 */
import { joinPath } from '../names';
import type { FileContext } from './file';
import { single } from './sections';
import type { Convention } from './types';

export const drizzle: Convention = {
  name: 'drizzle',
  historyTable: 'drizzle.__drizzle_migrations',
  namedByTool: true,
  recognises: isDrizzle,
  read: (file) => single('drizzle', file, { runnerTransaction: true, expectsRollback: false }),
  folder: { ownsFolder: hasJournal },
};

function isDrizzle(file: FileContext): boolean {
  if (!/^\d{4,}_[^.]+\.sql$/i.test(file.base)) return false;
  return file.text.includes('--> statement-breakpoint') || file.isDir(joinPath(file.dir, 'meta')) && file.read(joinPath(file.dir, 'meta', '_journal.json')) !== undefined;
}

function hasJournal(dir: string): boolean {
  // ownsFolder is asked without a file system: the folder's name says it.
  return /(?:^|[\\/])drizzle$/i.test(dir);
}
