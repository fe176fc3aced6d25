/** The `safemig` command line: one table of subcommands over the shared engine. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { ConfigError } from '../config/config';
import { initParser } from '../sql/pg';
import { UsageError } from './args';
import { check, CHECK_USAGE } from './check';
import { runCheckWorkerIfAny } from './check-pool';
import { Io, processIo } from './io';
import { newMigration, NEW_USAGE } from './new';
import { applyCommand, APPLY_USAGE } from './apply';
import { rollbackCommand, ROLLBACK_USAGE } from './rollback';
import { verifyCommand, VERIFY_USAGE } from './verify';
import { statusCommand, STATUS_USAGE } from './status';
import { upCommand, UP_USAGE } from './up';
import { downCommand, DOWN_USAGE } from './down';
import { schemaCommand, SCHEMA_USAGE } from './schema';

type Command = (argv: string[], io: Io) => Promise<number>;

/** `waitsForParser`: the command loads the parser itself, when it needs it (`initParser()`). */
const COMMANDS: Record<string, { run: Command; usage: string; waitsForParser?: boolean }> = {
  check: { run: check, usage: CHECK_USAGE, waitsForParser: true },
  new: { run: newMigration, usage: NEW_USAGE },
  apply: { run: applyCommand, usage: APPLY_USAGE },
  rollback: { run: rollbackCommand, usage: ROLLBACK_USAGE },
  verify: { run: verifyCommand, usage: VERIFY_USAGE },
  status: { run: statusCommand, usage: STATUS_USAGE },
  up: { run: upCommand, usage: UP_USAGE },
  down: { run: downCommand, usage: DOWN_USAGE },
  schema: { run: schemaCommand, usage: SCHEMA_USAGE },
};

const HELP = `safemig: safe PostgreSQL migrations

${Object.values(COMMANDS).map((c) => c.usage).join('\n')}

Exit codes: 0 no error-severity finding, 1 findings (or a failed command), 2 usage or configuration error.
`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`safemig: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    // A command's run is short: the parser's WASM stays on V8's baseline compiler. Optimising its
    // hot functions cost more CPU than a run gets back, and the process waited at exit for the
    // optimising compiler to finish (about 0.15 s of a one-file check).
    setFlagsFromString('--liftoff-only');
    // check loads the parser only when it lints a file (a warm --cache run may not).
    if (!command.waitsForParser) await initParser();
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`safemig ${name}: ${error.message}\n${command.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`safemig: invalid configuration: ${error.message}\n`);
      return 2;
    }
    io.stderr(`safemig ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

declare const SAFEMIG_VERSION: string | undefined;
const VERSION = typeof SAFEMIG_VERSION === 'string' ? SAFEMIG_VERSION : packageVersion();

/** The version of the package.json beside dist/ (the repository's, or the installed extension's). */
function packageVersion(): string {
  try {
    const version = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'dev';
  } catch {
    return 'dev';
  }
}

if (runCheckWorkerIfAny()) {
  // This thread lints batches of `safemig check`'s files; see check-pool.ts.
} else if (require.main === module) {
  // The standard output is written through processIo, which stops at a reader that has gone.
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
