/** A PostgreSQL server as a Target, over one `pg` connection. */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClientConfig } from 'pg';
import { connectionLabel, ServerConnection } from './connection';
import { MIGRATION_LOCK_KEY } from './lock';
import { CancelledError, ConnectionError, Notice, QueryRow, Target, toDatabaseError, versionText } from './target';

export interface ServerOptions {
  /** Asked when the server wants a password and neither PGPASSWORD nor ~/.pgpass has one (the editor's secret storage, a prompt). */
  password?: () => Promise<string | undefined>;
  /** Milliseconds to wait for the connection (default 10 s). */
  connectTimeout?: number;
  env?: NodeJS.ProcessEnv;
}

export async function openServer(conn: ServerConnection, options: ServerOptions = {}): Promise<Target> {
  // Loaded on first use: `pg` (and the network modules under it) would slow every `safemig check` start.
  const { Client } = await import('pg');
  const env = options.env ?? process.env;
  let asked = false;
  const config: ClientConfig = {
    host: conn.host,
    port: conn.port,
    user: conn.user,
    database: conn.database,
    ssl: conn.ssl,
    connectionTimeoutMillis: options.connectTimeout ?? 10_000,
    application_name: 'safemig',
    // Called only when the server asks for a password.
    password: async () => {
      asked = true;
      const found = conn.password ?? env.PGPASSWORD ?? pgpassLookup(conn, env) ?? (await options.password?.());
      if (found === undefined) throw new ConnectionError(`${connectionLabel(conn)} asks for a password and none was given`, 'password-required');
      return found;
    },
  };
  const client = new Client(config);
  // A connection lost later (server restart) is reported by the next query; without a listener it would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionError(error, conn, asked);
  }
  let listener: ((notice: Notice) => void) | undefined;
  client.on('notice', (msg) => listener?.({ severity: msg.severity ?? 'NOTICE', message: msg.message ?? '' }));
  const info = await client.query<{ version: string; pid: number }>(`SELECT current_setting('server_version_num') AS version, pg_backend_pid() AS pid`);
  const serverVersion = Number(info.rows[0].version);
  const pid = info.rows[0].pid;

  /** Cancels the running statement from a second connection, as psql's Ctrl-C does. */
  const cancel = async (): Promise<void> => {
    const canceller = new Client({ ...config, application_name: 'safemig (cancel)' });
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // Could not cancel: the statement runs to its end (statement_timeout still applies).
    } finally {
      await canceller.end().catch(() => undefined);
    }
  };

  return {
    kind: 'server',
    serverVersion,
    describe: () => `PostgreSQL ${versionText(serverVersion)} at ${connectionLabel(conn)}`,
    async run(sql, signal) {
      if (signal?.aborted) throw new CancelledError();
      const onAbort = () => void cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await client.query(sql);
        // Several statements in one text return a list; the last one is what ran last.
        const last = Array.isArray(result) ? result[result.length - 1] : result;
        return { command: last?.command, rowCount: last?.rowCount ?? undefined };
      } catch (error) {
        if (signal?.aborted && toDatabaseError(error)?.code === '57014') throw new CancelledError();
        throw toDatabaseError(error) ?? lostConnection(error, conn);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    async query<T extends QueryRow>(sql: string, params: unknown[] = [], signal?: AbortSignal) {
      if (signal?.aborted) throw new CancelledError();
      const onAbort = () => void cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return (await client.query(sql, params)).rows as T[];
      } catch (error) {
        if (signal?.aborted && toDatabaseError(error)?.code === '57014') throw new CancelledError();
        throw toDatabaseError(error) ?? lostConnection(error, conn);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    onNotice(next) {
      listener = next;
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * A new database on the server for one round trip (`verify --db`), dropped when closed. Needs
 * the CREATEDB privilege.
 */
export async function openThrowawayServer(conn: ServerConnection, options: ServerOptions = {}): Promise<Target> {
  const admin = await openServer(conn, options);
  const name = `${THROWAWAY_PREFIX}${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  try {
    // Held while the database is ours, so that no other command drops it as abandoned (dropAbandonedThrowaways).
    await admin.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_KEY, name]);
    await admin.run(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.close();
    const db = toDatabaseError(error);
    throw new ConnectionError(`could not create a throwaway database on ${connectionLabel(conn)}: ${db?.message ?? String(error)} (verify --db needs the CREATEDB privilege)`, 'other');
  }
  let target: Target;
  try {
    target = await openServer({ ...conn, database: name }, options);
  } catch (error) {
    await admin.run(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await admin.close();
    throw error;
  }
  return {
    ...target,
    describe: () => `throwaway database ${name} on ${target.describe().replace(/\/[^/]*$/, '')}`,
    async close() {
      await target.close();
      try {
        await admin.run(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await admin.close();
      }
    },
  };
}

const THROWAWAY_PREFIX = 'safemig_verify_';

/**
 * Drops the throwaway databases of `verify --db` runs that were stopped before they could drop
 * them (killed, the machine gone): no session is connected to one and no process holds its
 * advisory lock. Called whenever a command opens a server; a database it may not drop is left.
 */
export async function dropAbandonedThrowaways(target: Target, log: (line: string) => void = () => undefined): Promise<void> {
  const abandoned = await target.query<{ datname: string }>(
    `SELECT d.datname FROM pg_database d
     WHERE d.datname LIKE $1
       AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)
       AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 2
                       AND l.classid::bigint = $2 AND l.objid::bigint = (hashtext(d.datname)::bigint & 4294967295))`,
    [`${THROWAWAY_PREFIX.replace(/_/g, '\\_')}%`, MIGRATION_LOCK_KEY],
  );
  for (const { datname } of abandoned) {
    try {
      await target.run(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}"`);
      log(`dropped ${datname}, the throwaway database of a safemig verify --db that was stopped before it could`);
    } catch {
      // Another owner's, or in use meanwhile: left for them.
    }
  }
}

/** A connection failure as an actionable message: what failed, and what to check. */
function connectionError(error: unknown, conn: ServerConnection, askedPassword: boolean): ConnectionError {
  if (error instanceof ConnectionError) return error;
  const where = connectionLabel(conn);
  const from = `(from ${conn.source})`;
  const db = toDatabaseError(error);
  if (db) {
    if (db.code === '28P01' || (db.code === '28000' && askedPassword)) {
      return new ConnectionError(`password authentication failed for ${where} ${from}: check the password (PGPASSWORD, ~/.pgpass, or "safemig: Set Database Password" in VS Code)`, 'auth');
    }
    if (db.code === '28000') return new ConnectionError(`${where} refused the connection ${from}: ${db.message} (check the user name and pg_hba.conf)`, 'auth');
    if (db.code === '3D000') return new ConnectionError(`${db.message} on ${conn.host}:${conn.port} ${from}: create it (createdb ${conn.database}) or fix the database name`, 'no-database');
    return new ConnectionError(`could not connect to ${where} ${from}: ${db.message}`, 'other');
  }
  const e = error as NodeJS.ErrnoException;
  const message = e instanceof Error ? e.message : String(error);
  if (e.code === 'ECONNREFUSED' || (e.code === 'ENOENT' && conn.host.startsWith('/'))) {
    return new ConnectionError(`no PostgreSQL server is listening at ${conn.host}:${conn.port} ${from}: start it, or fix the host and port`, 'refused');
  }
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new ConnectionError(`unknown host ${conn.host} ${from}: check the host name`, 'unknown-host');
  if (/timeout/i.test(message) || e.code === 'ETIMEDOUT') {
    return new ConnectionError(`timed out connecting to ${conn.host}:${conn.port} ${from}: is the server up and reachable (firewall, VPN)?`, 'timeout');
  }
  if (/password must be a string|client password/i.test(message)) {
    return new ConnectionError(`${where} asks for a password and none was given ${from}`, 'password-required');
  }
  if (/does not support SSL|SSL/i.test(message)) return new ConnectionError(`SSL problem connecting to ${where} ${from}: ${message} (check sslmode)`, 'other');
  return new ConnectionError(`could not connect to ${where} ${from}: ${message}`, 'other');
}

function lostConnection(error: unknown, conn: ServerConnection): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`lost the connection to ${connectionLabel(conn)}: ${message}`, 'other');
}

/**
 * The password of `~/.pgpass` (or PGPASSFILE) for this connection: lines of
 * `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped. Like libpq,
 * a file others can read is ignored.
 */
export function pgpassLookup(conn: Pick<ServerConnection, 'host' | 'port' | 'database' | 'user'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.PGPASSFILE ?? join(homedir(), '.pgpass');
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // libpq matches a socket connection against the `localhost` entries.
  const host = conn.host.startsWith('/') ? 'localhost' : conn.host;
  const wanted = [host, String(conn.port), conn.database, conn.user];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitPgpassLine(line);
    if (fields.length < 5) continue;
    if (wanted.every((value, i) => fields[i] === '*' || fields[i] === value)) return fields.slice(4).join(':');
  }
  return undefined;
}

function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) current += line[++i];
    else if (c === ':') {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}
