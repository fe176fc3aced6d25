/**
 * What the database commands of the CLI share: the flags, the configuration of the file, the
 * target (with the guard), Ctrl-C, and the exit codes.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Config, CONFIG_FILE_NAME, ConfigError, guardSettings } from '../config/config';
import { chooseTarget, TargetChoice } from '../database/connection';
import { defaultCacheDir } from '../database/embedded';
import { applyBlockers, formatBlockers } from '../database/gate';
import { Progress } from '../database/execute';
import type { MigrateOptions, MigrateReport } from '../database/migrate';
import { GuardRefusal, OpenOptions, openTarget } from '../database/open';
import { PlanError } from '../database/plan';
import { ConnectionError, Target } from '../database/target';
import { BaselineFile, readBaseline } from '../shadow/baseline';
import { DiskFileSystem } from '../workspace/node-fs';
import { ConfigResolver, configBase, isMigrationFile } from '../workspace/settings';
import { describeFolder, findMigrationFolders, migrationFolderOf } from '../authoring/folders';
import { locateInFolder } from '../database/history';
import { formatRunnerReport, RunnerOptions, RunnerReport } from '../database/runner';
import { parseArgs, ParsedArgs, UsageError } from './args';
import type { Io } from './io';

export const DB_FLAGS = '[--db URL|embedded] [--allow-host HOST[,HOST…]] [--yes-i-mean-this-database] [--config FILE] [--format text|json]';

export interface DbCommand {
  args: ParsedArgs;
  fs: DiskFileSystem;
  config: Config;
  choice: TargetChoice;
  format: 'text' | 'json';
  /** The project: the folder of `.safemig.json`, else projectRoot(). */
  root: string;
  /** Where the CLI's embedded database lives: `.safemig/pglite` beside `.safemig.json`, else at the project's root (see projectRoot). */
  embeddedDir: string;
  openOptions: OpenOptions;
  /** The configured baseline, read: what a new embedded or throwaway database starts from. */
  baseline: BaselineFile[];
  /** Log lines: stdout for text, stderr for JSON (stdout holds the document). */
  progress: Progress;
}

/** `anchor`: the file or folder whose `.safemig.json` applies (default: the current folder's). */
export function parseDbCommand(argv: string[], io: Io, extra: { values?: string[]; booleans?: string[] } = {}, anchor?: (positionals: string[]) => string): DbCommand {
  const args = parseArgs(argv, { values: ['db', 'allow-host', 'format', 'config', ...(extra.values ?? [])], booleans: ['yes-i-mean-this-database', ...(extra.booleans ?? [])] });
  const format = args.values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format ${format} (use text or json)`);
  const fs = new DiskFileSystem();
  const fixedConfig = args.values.config ? resolve(io.cwd, args.values.config) : undefined;
  const resolver = new ConfigResolver(fs, {}, fixedConfig);
  if (fixedConfig) resolver.loadStrict(fixedConfig);
  // The resolver looks for `.safemig.json` from a file's folder upwards.
  const resolved = resolver.resolve(anchor ? anchor(args.positionals) : join(io.cwd, 'any.sql'));
  if (resolved.error) throw resolved.error;
  const root = resolved.file ? dirname(resolved.file) : projectRoot(io.cwd);
  const configuredSource = resolved.file ? `${resolved.file} database.url` : 'database.url';
  const choice = chooseTarget({ explicit: args.values.db, configuredUrl: resolved.config.database.url, configuredSource });
  const yes = args.booleans.has('yes-i-mean-this-database');
  const progress: Progress = { log: (line) => (format === 'json' ? io.stderr : io.stdout)(`${line}\n`) };
  const allowHosts = [args.values['allow-host'], process.env.SAFEMIG_ALLOW_HOSTS].flatMap((list) => (list ?? '').split(',')).map((h) => h.trim()).filter(Boolean);
  const guard = guardSettings(resolved.file ? resolver.loadStrict(resolved.file).database : undefined, allowHosts.length > 0 ? { allowHosts } : {}, resolved.file ?? CONFIG_FILE_NAME);
  if (choice.kind === 'server') for (const warning of guard.ignored) progress.log(`warning: ${warning}`);
  const config: Config = { ...resolved.config, database: { ...resolved.config.database, allowHosts: guard.allowHosts, productionPattern: guard.productionPattern } };
  const baseline = readBaseline(resolved, fs);
  return {
    args,
    fs,
    config,
    choice,
    format,
    root,
    embeddedDir: join(root, '.safemig', 'pglite'),
    baseline,
    openOptions: {
      config: config.database,
      baseline,
      embeddedDir: join(root, '.safemig', 'pglite'),
      cacheDir: defaultCacheDir(),
      log: (line) => progress.log(line),
      consent: async (message) => {
        if (yes) progress.log(`warning: ${message} Running anyway (--yes-i-mean-this-database).`);
        return yes;
      },
    },
    progress,
  };
}

/**
 * The project the current folder belongs to: the nearest folder up with a `.safemig.json` or a
 * `.git`; else the current folder. The CLI keeps its embedded database there, so every command
 * run from anywhere in the project uses the same one.
 */
export function projectRoot(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_FILE_NAME)) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/** Opens the target, saying which it is; the embedded one's folder is made with a `.gitignore` so it is never committed. */
export async function openCliTarget(cmd: DbCommand): Promise<Target> {
  if (cmd.choice.kind === 'embedded') {
    const folder = dirname(cmd.embeddedDir);
    if (!existsSync(folder)) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, '.gitignore'), '# safemig\'s embedded database: local to this machine\n*\n');
    }
    cmd.progress.log(`embedded database in ${cmd.embeddedDir} (${cmd.choice.source}; for a PostgreSQL server set database.url in .safemig.json, DATABASE_URL, or pass --db URL)`);
  }
  return openTarget(cmd.choice, cmd.openOptions);
}

/** A command stopped by Ctrl-C exits as a shell reports SIGINT. */
export const EXIT_CANCELLED = 130;

/** Ctrl-C cancels the running statement and rolls back; a second Ctrl-C ends the process. */
export function cancelOnInterrupt(io: Io): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_CANCELLED);
    io.stderr('\ncancelling: the running statement is stopped (the embedded database lets it end), no further statement runs, and the transaction is rolled back (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/**
 * Runs a database command's body with the exit codes of the CLI: 2 when the target could not be
 * used (configuration, refused by the guard, unreachable: nothing ran), 1 when the migration
 * cannot be run as written (no DOWN part, a syntax error, already applied).
 */
export async function withDbErrors(name: string, io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof GuardRefusal || error instanceof ConnectionError) {
      io.stderr(`safemig ${name}: ${error.message}\n`);
      if (error instanceof GuardRefusal) io.stderr(`  if it is a dev database: ${['pass --yes-i-mean-this-database', ...error.remedies].join(', or ')}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`safemig ${name}: invalid database configuration: ${error.message}\n`);
      return 2;
    }
    if (error instanceof PlanError) {
      io.stderr(`safemig ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The one migration file a command takes, absolute. */
export function requireFile(positionals: string[], io: Io): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'which migration file?' : 'one migration file at a time');
  const path = resolve(io.cwd, positionals[0]);
  if (!existsSync(path)) throw new UsageError(`${positionals[0]}: file not found`);
  return path;
}

/** apply and rollback: one file, one run, the report; exit 0 when it ran, 1 when it failed, 130 when cancelled. */
export async function runMigrateCommand(name: 'apply' | 'rollback', run: (options: MigrateOptions) => Promise<MigrateReport>, argv: string[], io: Io): Promise<number> {
  return withDbErrors(name, io, async () => {
    const cmd = parseDbCommand(argv, io, { booleans: ['force'] }, (positionals) => resolve(io.cwd, positionals[0] ?? '.'));
    const path = requireFile(cmd.args.positionals, io);
    const force = cmd.args.booleans.has('force');
    if (name === 'apply' && !force) {
      const blockers = applyBlockers({ fs: cmd.fs, config: cmd.config, path });
      if (blockers.length > 0) {
        const lines = formatBlockers(relative(io.cwd, path) || path, blockers).map((l) => `  ${l}\n`).join('');
        io.stderr(`safemig apply: refusing to apply it: ${blockers.length} error-severity finding${blockers.length === 1 ? '' : 's'} (as safemig check reports them); nothing ran. Fix ${blockers.length === 1 ? 'it' : 'them'}, or pass --force to apply anyway:\n${lines}`);
        return 1;
      }
    }
    const target = await openCliTarget(cmd);
    const interrupt = cancelOnInterrupt(io);
    try {
      const report = await run({ target, fs: cmd.fs, config: cmd.config, path, signal: interrupt.signal, progress: cmd.progress, force });
      if (cmd.format === 'json') io.stdout(`${JSON.stringify(migrateJson(report))}\n`);
      return report.outcome === 'applied' || report.outcome === 'rolled back' ? 0 : report.outcome === 'cancelled' ? EXIT_CANCELLED : 1;
    } finally {
      interrupt.dispose();
      await target.close();
    }
  });
}

/** The report as JSON; lines are 0-based and ranges LSP-shaped, as in `check --format json`. */
export function migrateJson(report: MigrateReport): unknown {
  const run = report.run;
  return {
    command: report.command,
    target: report.target,
    file: report.path,
    migration: report.id,
    checksum: report.checksum,
    outcome: report.outcome,
    transaction: report.plan.transaction,
    mode: report.plan.mode,
    notes: report.plan.notes,
    warnings: report.warnings,
    durationMs: run ? Math.round(run.ms) : undefined,
    statements: report.plan.statements.map((s, i) => ({
      number: s.number,
      file: s.path,
      line: s.line,
      sql: s.sql,
      status: run?.outcomes[i].status ?? 'not run',
      ms: run?.outcomes[i].ms === undefined ? undefined : Math.round(run.outcomes[i].ms ?? 0),
      notices: run?.outcomes[i].notices,
    })),
    error: run?.failure,
    schemaChanges: report.changes,
  };
}

/**
 * The migrations folders the command's paths name, as `check` finds them: a migrations folder, a
 * file of one (its folder), or any folder of the project (every migrations folder below it).
 * The current folder when none is named. A path that holds none is a usage error.
 */
export function migrationFoldersOf(positionals: string[], cmd: DbCommand, io: Io): string[] {
  const resolver = new ConfigResolver(cmd.fs, {}, cmd.args.values.config ? resolve(io.cwd, cmd.args.values.config) : undefined);
  const accept = (path: string) => {
    const resolved = resolver.resolve(path);
    return isMigrationFile(path, cmd.fs.readFile(path), resolved.config, configBase(resolved, io.cwd), cmd.fs);
  };
  const folders: string[] = [];
  const find = (dir: string) => (describeFolder(dir, cmd.fs) ? [dir] : findMigrationFolders(dir, cmd.fs, { accept }).map((f) => f.dir));
  for (const given of positionals.length > 0 ? positionals : ['.']) {
    const path = resolve(io.cwd, given);
    if (!existsSync(path)) throw new UsageError(`${given}: no such file or folder`);
    const dir = statSync(path).isFile() ? (locateInFolder(path, cmd.fs)?.dir ?? dirname(path)) : migrationFolderOf(path, cmd.fs);
    let found = find(dir);
    // Run from a folder of the project that holds none (`src/`): the project's.
    if (found.length === 0 && positionals.length === 0 && cmd.root !== io.cwd) found = find(cmd.root);
    if (found.length === 0) throw new UsageError(`no migrations folder in or under ${given === '.' ? io.cwd : given}`);
    for (const f of found) if (!folders.includes(f)) folders.push(f);
  }
  return folders;
}

/** `safemig up` / `down`: the folders one after the other, stopping at the first that does not complete; exit 0, 1 (failed or refused) or 130 (Ctrl-C). */
export async function runRunnerCommand(name: 'up' | 'down', argv: string[], io: Io, values: string[], run: (cmd: DbCommand, options: RunnerOptions) => Promise<RunnerReport>, maxFolders?: number): Promise<number> {
  return withDbErrors(name, io, async () => {
    const cmd = parseDbCommand(argv, io, { values, booleans: ['force'] }, (positionals) => resolve(io.cwd, positionals[0] ?? '.', 'any.sql'));
    const folders = migrationFoldersOf(cmd.args.positionals, cmd, io);
    if (maxFolders !== undefined && folders.length > maxFolders) {
      throw new UsageError(`one migrations folder at a time; ${cmd.args.positionals[0] ?? io.cwd} holds ${folders.length}:\n${folders.map((f) => `  ${relative(io.cwd, f) || f}`).join('\n')}`);
    }
    const target = await openCliTarget(cmd);
    const interrupt = cancelOnInterrupt(io);
    const reports: RunnerReport[] = [];
    try {
      for (const dir of folders) {
        const report = await run(cmd, { target, fs: cmd.fs, config: cmd.config, dir, signal: interrupt.signal, progress: cmd.progress, force: cmd.args.booleans.has('force') });
        reports.push(report);
        if (report.failed || report.cancelled) break;
      }
    } finally {
      interrupt.dispose();
      await target.close();
    }
    if (cmd.format === 'json') io.stdout(`${JSON.stringify({ command: name, folders: reports.map(runnerJson) })}\n`);
    else for (const report of reports) io.stdout(`\n${formatRunnerReport(report)}`);
    const last = reports[reports.length - 1];
    return last?.cancelled ? EXIT_CANCELLED : last?.failed ? 1 : 0;
  });
}

function runnerJson(report: RunnerReport): unknown {
  return {
    dir: report.dir,
    target: report.target,
    planned: report.planned,
    done: report.done.map(migrateJson),
    failed: report.failed,
    stopped: report.stopped ? migrateJson(report.stopped) : undefined,
    cancelled: report.cancelled ?? false,
    blockers: report.blockers,
    notRun: report.notRun,
    skipped: report.skipped,
    runnerTable: report.runnerTable,
  };
}
