/**
 * `.safemig.json`: found by walking up from each linted file, validated strictly, merged over the
 * defaults and under editor overrides. Read the same way by the CLI and the language server.
 */
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { CONVENTION_NAMES, ConventionName, FileSystem } from '../migration/model';
import { globProblem } from './user-glob';
import { userRegex } from './user-regex';

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';

export interface DatabaseConfig {
  /** Connection URL of the dev database (no password in it). */
  url?: string;
  /** `lock_timeout` set before applying, e.g. '5s'. */
  lockTimeout: string;
  /** `statement_timeout` set before applying, e.g. '60s'. */
  statementTimeout: string;
  /** Database names matching this pattern need explicit consent. */
  productionPattern: string;
  /** Hosts besides localhost that count as dev databases. */
  allowHosts: string[];
}

export interface Config {
  pgVersion: number;
  rules: Record<string, RuleSetting>;
  protectedTables: string[];
  migrations: string[];
  convention: ConventionName | 'auto';
  assumeInTransaction: boolean;
  requireRollback: boolean | null;
  fileNamePattern: string | null;
  /** Template for new migrations, relative to the config file's folder. */
  template: string | null;
  /** Migrations at or before this version are read for context only, never reported (`safemig check`). */
  startAfter: string | null;
  database: DatabaseConfig;
  /**
   * SQL files (e.g. a schema-only dump) applied before a folder's migrations in the shadow schema,
   * relative to the config file's folder and inside it. Never linted as migrations.
   */
  baseline: string[];
  /** `safemig check` builds the shadow schema (as `--shadow` does). */
  shadow: boolean;
  /**
   * Seconds a statement may run in the shadow before it is stopped (PGlite cannot cancel a
   * statement: its worker is ended). Capped, so a cloned repository cannot make a run endless.
   */
  shadowTimeout: number;
}

export const DEFAULT_MIGRATION_GLOBS = [
  '**/migrations/**/*.sql',
  '**/migrate/**/*.sql',
  '**/db/**/*.sql',
  '**/supabase/migrations/*.sql',
  '**/deploy/*.sql',
  '**/revert/*.sql',
];

export function defaultConfig(): Config {
  return {
    pgVersion: 14,
    rules: {},
    protectedTables: [],
    migrations: [...DEFAULT_MIGRATION_GLOBS],
    convention: 'auto',
    assumeInTransaction: false,
    requireRollback: null,
    fileNamePattern: null,
    template: null,
    startAfter: null,
    database: {
      lockTimeout: '5s',
      statementTimeout: '60s',
      productionPattern: 'prod|production|live',
      allowHosts: [],
    },
    baseline: [],
    shadow: false,
    shadowTimeout: 10,
  };
}

export const CONFIG_FILE_NAME = '.safemig.json';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly expected: string,
  ) {
    super(`${file}: ${key ? `"${key}" ` : ''}${expected}`);
  }
}

/**
 * The nearest `.safemig.json` at or above the file's folder. One that is there but cannot be read
 * (a symlink to /dev/zero, a FIFO, a huge file) is found too, and then refused as such: skipping
 * it would check the project silently with the defaults, or with a config further up.
 */
export function findConfigFile(filePath: string, fs: FileSystem): string | undefined {
  let dir = dirname(filePath);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (fs.readFile(candidate) !== undefined || fs.readDir(dir)?.includes(CONFIG_FILE_NAME)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

type Check = (value: unknown, key: string, file: string) => unknown;

const fail = (file: string, key: string, expected: string): never => {
  throw new ConfigError(file, key, expected);
};

const boolean: Check = (v, k, f) => (typeof v === 'boolean' ? v : fail(f, k, 'must be true or false'));
const string: Check = (v, k, f) => (typeof v === 'string' ? v : fail(f, k, 'must be a string'));
const nullable = (check: Check): Check => (v, k, f) => (v === null ? null : check(v, k, f));
const strings: Check = (v, k, f) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : fail(f, k, 'must be an array of strings');
const oneOf = (values: readonly string[]): Check => (v, k, f) =>
  typeof v === 'string' && values.includes(v) ? v : fail(f, k, `must be one of ${values.map((x) => `"${x}"`).join(', ')}`);
/** A pattern for RE2's linear-time engine (see user-regex.ts): JavaScript syntax without backreferences or lookaround. */
const regex: Check = (v, k, f) => {
  const s = string(v, k, f) as string;
  try {
    userRegex(s);
  } catch (error) {
    fail(f, k, `must be a regular expression without backreferences or lookaround (${(error as Error).message})`);
  }
  return s;
};
/**
 * A path relative to the config file's folder that stays inside it: a cloned repository's config
 * must not make safemig read (or copy into a new migration) a file elsewhere. Symlinks are
 * followed where the file is read (see inside-project.ts).
 */
const projectPath: Check = (v, k, f) => {
  const s = string(v, k, f) as string;
  if (isAbsolute(s) || /^[a-z]:/i.test(s) || normalize(s).split(/[\\/]/)[0] === '..') fail(f, k, `must be a path inside the project (relative to the folder of the config file), not "${s}"`);
  return s;
};
const object = (shape: Record<string, Check>): Check => (v, k, f) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(f, k, 'must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    const check = knownCheck(shape, key) ?? fail(f, `${k}.${key}`, `is not a known setting (known: ${Object.keys(shape).join(', ')})`);
    out[key] = check(value, `${k}.${key}`, f);
  }
  return out;
};

/** A version as migration names start with: `20240101093000`, `001`, `1.2`, `2024-01-01`. */
const migrationVersion: Check = (v, k, f) => {
  const s = string(v, k, f) as string;
  return /^\d+(?:[._-]\d+)*$/.test(s) ? s : fail(f, k, `must be a migration version such as "20240101093000", "001" or "1.2", not "${s}"`);
};

/** Globs of files, in the syntax user-glob.ts matches in linear time. */
const globs: Check = (v, k, f) => {
  for (const glob of strings(v, k, f) as string[]) {
    const problem = globProblem(glob);
    if (problem) fail(f, k, `holds the glob "${glob}", which cannot be used: ${problem}`);
  }
  return v;
};

/** The check of a key the shape declares; never one inherited from Object (`__proto__`, `toString`). */
const knownCheck = (shape: Record<string, Check>, key: string): Check | undefined => (Object.hasOwn(shape, key) ? shape[key] : undefined);

/** The accepted keys of the config file and how each is checked; one line per setting. */
function schema(ruleIds: readonly string[]): Record<string, Check> {
  return {
    pgVersion: (v, k, f) => (Number.isInteger(v) && (v as number) >= 9 && (v as number) <= 18 ? v : fail(f, k, 'must be a PostgreSQL major version from 9 to 18')),
    rules: (v, k, f) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(f, k, 'must be an object of rule IDs to "error", "warning", "info" or "off"');
      for (const [id, setting] of Object.entries(v)) {
        if (!ruleIds.includes(id)) fail(f, `${k}.${id}`, `is not a safemig rule ID (see docs/rules)`);
        oneOf(['error', 'warning', 'info', 'off'])(setting, `${k}.${id}`, f);
      }
      return v;
    },
    protectedTables: strings,
    migrations: globs,
    convention: oneOf(['auto', ...CONVENTION_NAMES]),
    assumeInTransaction: boolean,
    requireRollback: nullable(boolean),
    fileNamePattern: nullable(regex),
    template: nullable(projectPath),
    startAfter: nullable(migrationVersion),
    database: object({
      url: string,
      lockTimeout: string,
      statementTimeout: string,
      productionPattern: regex,
      allowHosts: strings,
    }),
    // One file or a list of files.
    baseline: (v, k, f) => (typeof v === 'string' ? [v] : strings(v, k, f)),
    shadow: boolean,
    shadowTimeout: (v, k, f) => (typeof v === 'number' && v >= 1 && v <= 60 ? v : fail(f, k, 'must be a number of seconds from 1 to 60')),
  };
}

/** Validates a config object (from a file or editor settings) into a partial config. */
export function validateConfig(raw: unknown, file: string, ruleIds: readonly string[]): Partial<Config> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, '', 'must hold a JSON object');
  const shape = schema(ruleIds);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as object)) {
    const check = knownCheck(shape, key) ?? fail(file, key, `is not a known setting (known: ${Object.keys(shape).join(', ')})`);
    out[key] = check(value, key, file);
  }
  return out as Partial<Config>;
}

export function parseConfigText(text: string, file: string, ruleIds: readonly string[]): Partial<Config> {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    fail(file, '', `is not valid JSON (${(error as Error).message})`);
  }
  return validateConfig(raw, file, ruleIds);
}

/** Defaults, then each layer in order (a file, then editor overrides). */
export function mergeConfig(...layers: Partial<Config>[]): Config {
  const out = defaultConfig();
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer) as [keyof Config, never][]) {
      if (value === undefined) continue;
      if (key === 'rules') out.rules = { ...out.rules, ...(value as Config['rules']) };
      else if (key === 'database') out.database = { ...out.database, ...(value as Partial<DatabaseConfig>) };
      else out[key] = value;
    }
  }
  return out;
}

export type GuardSettings = Pick<DatabaseConfig, 'allowHosts' | 'productionPattern'>;

/**
 * The production guard's settings a database command uses. A workspace `.safemig.json` comes
 * with the repository, and a cloned repository must not be able to aim safemig at production:
 * its `database.allowHosts` is ignored (`ignored` says so, for a warning) and its
 * `database.productionPattern` only adds names to the one in force. `user` is what the user set
 * (VS Code user settings, the command line, the environment), honoured as given.
 */
export function guardSettings(workspace: Partial<DatabaseConfig> | undefined, user: Partial<GuardSettings>, file: string): GuardSettings & { ignored: string[] } {
  const own = user.productionPattern ?? defaultConfig().database.productionPattern;
  const extra = workspace?.productionPattern;
  const productionPattern = extra && extra !== own ? `(?:${own})|(?:${extra})` : own;
  const ignored = workspace?.allowHosts?.length
    ? [`${file}: database.allowHosts (${workspace.allowHosts.join(', ')}) is ignored: a repository's own settings cannot allow a database host; allow it yourself (CLI: --allow-host HOST or SAFEMIG_ALLOW_HOSTS; VS Code: the user setting)`]
    : [];
  return { allowHosts: user.allowHosts ?? [], productionPattern, ignored };
}
