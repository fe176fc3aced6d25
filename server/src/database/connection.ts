/**
 * Which database a command runs on: a dev PostgreSQL server named by `--db`, the settings
 * (`safemig.database.url`, `.safemig.json` `database.url`), `DATABASE_URL` or the `PG*`
 * environment variables, in that order; with nothing configured, the embedded database.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ConfigError } from '../config/config';

export interface ServerConnection {
  kind: 'server';
  /** A host name, an IP address, or a Unix socket folder (starts with `/`). */
  host: string;
  port: number;
  database: string;
  user: string;
  /** Only from `--db` or `DATABASE_URL` (settings never hold one); otherwise PGPASSWORD, ~/.pgpass or the editor's secret storage. */
  password?: string;
  /** `sslmode` of the URL read for node-postgres: false, or TLS options. */
  ssl: false | { rejectUnauthorized: boolean };
  /** Where the connection came from, for messages ("DATABASE_URL", "safemig.database.url"). */
  source: string;
}

export interface EmbeddedChoice {
  kind: 'embedded';
  source: string;
}

export type TargetChoice = ServerConnection | EmbeddedChoice;

export interface ChooseOptions {
  /** `--db URL` (or `embedded`). */
  explicit?: string;
  /** The configured URL (`database.url` after settings are merged) and where it came from. */
  configuredUrl?: string;
  configuredSource?: string;
  env?: NodeJS.ProcessEnv;
}

/** The first of: `--db`, the configured URL, DATABASE_URL, PGHOST/PGDATABASE; else embedded. */
export function chooseTarget(options: ChooseOptions): TargetChoice {
  const env = options.env ?? process.env;
  if (options.explicit !== undefined) {
    if (options.explicit === 'embedded') return { kind: 'embedded', source: '--db embedded' };
    return parseDatabaseUrl(options.explicit, '--db', env, { passwordAllowed: true });
  }
  if (options.configuredUrl) {
    const source = options.configuredSource ?? 'database.url';
    if (options.configuredUrl === 'embedded') return { kind: 'embedded', source };
    return parseDatabaseUrl(options.configuredUrl, source, env, { passwordAllowed: false });
  }
  if (env.DATABASE_URL) return parseDatabaseUrl(env.DATABASE_URL, 'DATABASE_URL', env, { passwordAllowed: true });
  if (env.PGHOST || env.PGDATABASE) return fromEnvironment(env);
  return { kind: 'embedded', source: 'nothing configured' };
}

/**
 * Reads a `postgres://user@host:port/db?sslmode=…` URL (also `postgresql://`, a socket folder as
 * `?host=/run/postgresql` or a percent-encoded host). Missing parts come from the PG* variables
 * and then libpq's defaults, so the guard judges the server the connection really goes to.
 */
export function parseDatabaseUrl(url: string, source: string, env: NodeJS.ProcessEnv = process.env, options = { passwordAllowed: true }): ServerConnection {
  const bad = (why: string): never => {
    throw new ConfigError(source, '', `${why} (expected postgres://user@host:5432/database)`);
  };
  if (!/^postgres(?:ql)?:\/\//i.test(url)) bad(`"${redactUrl(url)}" is not a PostgreSQL connection URL`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return bad(`"${redactUrl(url)}" is not a valid URL`);
  }
  const params = parsed.searchParams;
  const password = params.get('password') ?? (parsed.password ? decodeURIComponent(parsed.password) : undefined);
  if (password !== undefined && !options.passwordAllowed) {
    throw new ConfigError(source, '', 'must not hold a password: safemig asks for it and keeps it in the editor\'s secret storage (CLI: PGPASSWORD or ~/.pgpass)');
  }
  let host = params.get('host') ?? decodeURIComponent(parsed.hostname);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const portText = params.get('port') ?? parsed.port;
  const port = portText ? Number(portText) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port <= 0 || port > 65535)) bad(`port "${portText}" is not a port number`);
  const database = params.get('dbname') ?? decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const user = params.get('user') ?? (parsed.username ? decodeURIComponent(parsed.username) : undefined);
  const conn = completeConnection({ host: host || undefined, port, database: database || undefined, user, password }, source, env);
  conn.ssl = sslOption(params.get('sslmode') ?? params.get('ssl') ?? env.PGSSLMODE, source);
  return conn;
}

function fromEnvironment(env: NodeJS.ProcessEnv): ServerConnection {
  const conn = completeConnection({}, 'PGHOST/PGDATABASE environment variables', env);
  conn.ssl = sslOption(env.PGSSLMODE, 'PGSSLMODE');
  return conn;
}

interface ConnectionParts {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
}

function completeConnection(p: ConnectionParts, source: string, env: NodeJS.ProcessEnv): ServerConnection {
  const user = p.user ?? env.PGUSER ?? currentUser();
  const port = p.port ?? (env.PGPORT ? Number(env.PGPORT) : 5432);
  const host = p.host ?? env.PGHOST ?? defaultHost(port);
  const conn: ServerConnection = { kind: 'server', host, port, database: p.database ?? env.PGDATABASE ?? user, user, ssl: false, source };
  if (p.password !== undefined) conn.password = p.password;
  return conn;
}

/** libpq's default: the Unix socket when the server listens on one, else localhost. */
function defaultHost(port: number): string {
  for (const dir of ['/var/run/postgresql', '/run/postgresql', '/tmp']) {
    if (existsSync(`${dir}/.s.PGSQL.${port}`)) return dir;
  }
  return 'localhost';
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

function sslOption(mode: string | undefined | null, source: string): ServerConnection['ssl'] {
  switch ((mode ?? '').toLowerCase()) {
    case '':
    case 'disable':
    case 'allow':
    case 'prefer':
    case 'false':
      return false;
    case 'require':
    case 'no-verify':
    case 'true':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      throw new ConfigError(source, '', `sslmode "${mode}" is not one of disable, prefer, require, verify-ca, verify-full`);
  }
}

/** Where a connection goes, never with a password: `postgres@localhost:5432/dev`, `root@/var/run/postgresql/test`. */
export function connectionLabel(conn: ServerConnection): string {
  const host = conn.host.includes(':') ? `[${conn.host}]` : conn.host;
  return `${conn.user}@${host}:${conn.port}/${conn.database}`;
}

/**
 * A URL with its password replaced, for error messages. A URL that fails to parse is often one
 * whose password holds `/`, `@`, `:`, `+` or `=` unencoded, so the user info is taken to end at
 * the last `@` (a host has none): more is hidden when in doubt, never less.
 */
export function redactUrl(url: string): string {
  const out = url.replace(/([?&]password=)[^&#]*/gi, '$1***');
  const start = out.indexOf('//');
  const at = out.lastIndexOf('@');
  const colon = out.indexOf(':', start < 0 ? 0 : start + 2);
  return colon >= 0 && colon < at ? `${out.slice(0, colon + 1)}***${out.slice(at)}` : out;
}
