/** `safemig apply FILE`: run a migration's UP part on the dev database. */
import { apply } from '../database/migrate';
import type { Io } from './io';
import { DB_FLAGS, runMigrateCommand } from './database';

export const APPLY_USAGE = `usage: safemig apply FILE [--force] ${DB_FLAGS}`;

export function applyCommand(argv: string[], io: Io): Promise<number> {
  return runMigrateCommand('apply', apply, argv, io);
}
