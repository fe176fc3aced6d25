/** `safemig status [DIR…]`: applied, pending, changed and partly applied migrations of each folder on the target. */
import { resolve } from 'node:path';
import { formatStatus, status, StatusReport } from '../database/status';
import { DB_FLAGS, cancelOnInterrupt, EXIT_CANCELLED, migrationFoldersOf, openCliTarget, parseDbCommand, withDbErrors } from './database';
import type { Io } from './io';
import { isCancel } from '../database/target';

export const STATUS_USAGE = `usage: safemig status [DIR…] ${DB_FLAGS}`;

export function statusCommand(argv: string[], io: Io): Promise<number> {
  return withDbErrors('status', io, async () => {
    const cmd = parseDbCommand(argv, io, {}, (positionals) => resolve(io.cwd, positionals[0] ?? '.', 'any.sql'));
    const folders = migrationFoldersOf(cmd.args.positionals, cmd, io);
    const target = await openCliTarget(cmd);
    const interrupt = cancelOnInterrupt(io);
    const reports: StatusReport[] = [];
    try {
      for (const dir of folders) reports.push(await status({ target, fs: cmd.fs, config: cmd.config, dir, signal: interrupt.signal }));
    } catch (error) {
      if (!isCancel(error)) throw error;
      io.stderr('safemig status: cancelled\n');
      return EXIT_CANCELLED;
    } finally {
      interrupt.dispose();
      await target.close();
    }
    if (cmd.format === 'json') io.stdout(`${JSON.stringify({ folders: reports })}\n`);
    else io.stdout(reports.map(formatStatus).join('\n'));
    return 0;
  });
}
