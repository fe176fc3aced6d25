/** `safemig down [DIR]`: roll back the newest applied migrations of a folder, newest first (one by default). */
import { down } from '../database/runner';
import { UsageError } from './args';
import { DB_FLAGS, runRunnerCommand } from './database';
import type { Io } from './io';

export const DOWN_USAGE = `usage: safemig down [DIR] [--steps N | --to VERSION] [--force] ${DB_FLAGS}`;

export function downCommand(argv: string[], io: Io): Promise<number> {
  return runRunnerCommand('down', argv, io, ['steps', 'to'], (cmd, options) => down({ ...options, steps: stepsOf(cmd.args.values.steps), to: cmd.args.values.to }), 1);
}

function stepsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--steps ${value}: a whole number of migrations, 1 or more`);
  return Number(value);
}
