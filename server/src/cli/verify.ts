/** `safemig verify FILE`: the UP → DOWN → UP round trip on a throwaway database. */
import { openThrowawayEmbedded } from '../database/embedded';
import { openThrowawayOnServer } from '../database/open';
import { verify, VerifyReport } from '../database/verify';
import { cancelOnInterrupt, DB_FLAGS, EXIT_CANCELLED, parseDbCommand, requireFile, withDbErrors } from './database';
import type { Io } from './io';
import { resolve } from 'node:path';

export const VERIFY_USAGE = `usage: safemig verify FILE ${DB_FLAGS}  (a throwaway embedded database; with --db URL, a throwaway database created on that server)`;

export function verifyCommand(argv: string[], io: Io): Promise<number> {
  return withDbErrors('verify', io, async () => {
    const cmd = parseDbCommand(argv, io, {}, (positionals) => resolve(io.cwd, positionals[0] ?? '.'));
    const path = requireFile(cmd.args.positionals, io);
    const choice = cmd.choice;
    // Only an explicit --db server is used: the round trip never touches a configured dev database.
    const openThrowaway = cmd.args.values.db !== undefined && choice.kind === 'server'
      ? () => openThrowawayOnServer(choice, cmd.openOptions)
      : () => openThrowawayEmbedded({ cacheDir: cmd.openOptions.cacheDir });
    const interrupt = cancelOnInterrupt(io);
    try {
      const report = await verify({ fs: cmd.fs, config: cmd.config, path, baseline: cmd.baseline, openThrowaway, signal: interrupt.signal, progress: cmd.progress });
      if (cmd.format === 'json') io.stdout(`${JSON.stringify(verifyJson(report))}\n`);
      return report.ok ? 0 : report.cancelled ? EXIT_CANCELLED : 1;
    } finally {
      interrupt.dispose();
    }
  });
}

function verifyJson(report: VerifyReport): unknown {
  return {
    target: report.target,
    file: report.path,
    ok: report.ok,
    cancelled: report.cancelled,
    idempotent: report.idempotent,
    differences: report.differences,
    steps: report.steps.map((s) => ({ name: s.name, ok: s.ok, lines: s.lines, changes: s.changes, durationMs: s.run ? Math.round(s.run.ms) : undefined })),
    error: report.failure,
  };
}
