/** `safemig rollback FILE`: run a migration's DOWN part on the dev database. */
import { rollback } from '../database/migrate';
import type { Io } from './io';
import { DB_FLAGS, runMigrateCommand } from './database';

export const ROLLBACK_USAGE = `usage: safemig rollback FILE [--force] ${DB_FLAGS}`;

export function rollbackCommand(argv: string[], io: Io): Promise<number> {
  return runMigrateCommand('rollback', rollback, argv, io);
}
