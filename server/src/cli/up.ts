/** `safemig up [DIR…]`: apply every pending migration of each folder, in the folder's order. */
import { up } from '../database/runner';
import { DB_FLAGS, runRunnerCommand } from './database';
import type { Io } from './io';

export const UP_USAGE = `usage: safemig up [DIR…] [--to VERSION] [--force] ${DB_FLAGS}`;

export function upCommand(argv: string[], io: Io): Promise<number> {
  return runRunnerCommand('up', argv, io, ['to'], (cmd, options) => up({ ...options, to: cmd.args.values.to }));
}
