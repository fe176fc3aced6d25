/** `safemig schema dump`: a dev database's schema as SQL, for the shadow schema's baseline. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dumpSchema } from '../shadow/dump';
import { UsageError } from './args';
import { openCliTarget, parseDbCommand, withDbErrors } from './database';
import type { Io } from './io';

export const SCHEMA_USAGE = 'usage: safemig schema dump [--db URL] [--schema NAME[,NAME…]] [--out FILE] [--yes-i-mean-this-database] [--config FILE]  (the schema as SQL, for "baseline")';

export function schemaCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'dump') throw new UsageError(sub ? `unknown subcommand "${sub}" (use dump)` : 'which subcommand? (dump)');
  return withDbErrors('schema dump', io, async () => {
    const cmd = parseDbCommand(rest, io, { values: ['schema', 'out'] });
    if (cmd.args.positionals.length > 0) throw new UsageError(`unexpected argument ${cmd.args.positionals[0]}`);
    const schemas = cmd.args.values.schema?.split(',').map((s) => s.trim()).filter(Boolean);
    // The SQL may go to stdout: what the command says goes to stderr.
    const say = { log: (line: string) => io.stderr(`${line}\n`) };
    const target = await openCliTarget({ ...cmd, progress: say });
    try {
      const sql = await dumpSchema(target, { schemas });
      const out = cmd.args.values.out;
      if (out === undefined) {
        io.stdout(sql);
      } else {
        writeFileSync(resolve(io.cwd, out), sql);
        say.log(`wrote the schema of ${target.describe()} to ${out}`);
      }
      return 0;
    } finally {
      await target.close();
    }
  });
}
