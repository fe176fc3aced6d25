/** `safemig status [DIR]`: applied, pending and changed migrations of a folder on the target. */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { locateInFolder } from '../database/history';
import { formatStatus, status } from '../database/status';
import { UsageError } from './args';
import { DB_FLAGS, openCliTarget, parseDbCommand, withDbErrors } from './database';
import type { Io } from './io';

export const STATUS_USAGE = `usage: safemig status [DIR] ${DB_FLAGS}`;

export function statusCommand(argv: string[], io: Io): Promise<number> {
  return withDbErrors('status', io, async () => {
    const cmd = parseDbCommand(argv, io, {}, (positionals) => resolve(io.cwd, positionals[0] ?? '.', 'any.sql'));
    if (cmd.args.positionals.length > 1) throw new UsageError('one folder at a time');
    let dir = resolve(io.cwd, cmd.args.positionals[0] ?? '.');
    let isFile = false;
    try {
      isFile = statSync(dir).isFile();
    } catch {
      throw new UsageError(`${cmd.args.positionals[0]}: no such folder`);
    }
    // A migration file stands for its folder.
    if (isFile) dir = locateInFolder(dir, cmd.fs)?.dir ?? dirname(dir);
    const target = await openCliTarget(cmd);
    try {
      const report = await status({ target, fs: cmd.fs, config: cmd.config, dir });
      if (cmd.format === 'json') io.stdout(`${JSON.stringify(report)}\n`);
      else io.stdout(formatStatus(report));
      return 0;
    } finally {
      await target.close();
    }
  });
}
