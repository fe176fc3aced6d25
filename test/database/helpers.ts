/**
 * Database test helpers: the two targets (an embedded PGlite, and this machine's PostgreSQL when
 * SAFEMIG_TEST_DATABASE_URL is set: a fresh database per run, dropped at the end), migration
 * trees on disk, and catalog reads for assertions.
 */
import { spawn } from 'node:child_process';
import { after } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { mergeConfig, Config } from '../../server/src/config/config';
import { parseDatabaseUrl, ServerConnection } from '../../server/src/database/connection';
import { openEmbedded } from '../../server/src/database/embedded';
import { openServer, openThrowawayServer } from '../../server/src/database/server-target';
import type { Target } from '../../server/src/database/target';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { CLI } from '../helpers/cli';

/** One template data folder for every test run on this machine (initdb once). */
export const TEST_CACHE_DIR = join(tmpdir(), 'safemig-test-cache');

export const SERVER_URL = process.env.SAFEMIG_TEST_DATABASE_URL;

export interface TestTarget {
  name: string;
  target: Target;
  /** A fresh database for verify's round trip. */
  openThrowaway(): Promise<Target>;
  /** The connection of the server target (for a second session: locks, CLI runs). */
  connection?: ServerConnection;
  url?: string;
  close(): Promise<void>;
}

export async function embeddedTestTarget(): Promise<TestTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'safemig-db-test-'));
  const target = await openEmbedded(join(dir, 'pglite'), { cacheDir: TEST_CACHE_DIR });
  return {
    name: 'embedded PGlite',
    target,
    // The shared instance, emptied: PGlite starts in about a second, a reset takes milliseconds.
    async openThrowaway() {
      await resetDatabase(target);
      return { ...target, close: async () => undefined };
    },
    async close() {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database created for this run on the server of SAFEMIG_TEST_DATABASE_URL, dropped by close(). */
export async function serverTestTarget(): Promise<TestTarget> {
  if (!SERVER_URL) throw new Error('SAFEMIG_TEST_DATABASE_URL is not set');
  const admin = parseDatabaseUrl(SERVER_URL, 'SAFEMIG_TEST_DATABASE_URL');
  const name = `safemig_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const adminClient = await adminConnect(admin);
  await adminClient.query(`CREATE DATABASE ${name}`);
  const connection: ServerConnection = { ...admin, database: name };
  const target = await openServer(connection);
  const url = `postgres://${encodeURIComponent(admin.user)}${admin.password ? `:${encodeURIComponent(admin.password)}` : ''}@${admin.host.startsWith('/') ? '' : admin.host.includes(':') ? `[${admin.host}]` : admin.host}:${admin.port}/${name}${admin.host.startsWith('/') ? `?host=${encodeURIComponent(admin.host)}` : ''}`;
  return {
    name: 'PostgreSQL server',
    target,
    connection,
    url,
    openThrowaway: () => openThrowawayServer(connection),
    async close() {
      await target.close();
      await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminClient.end();
    },
  };
}

/** Both targets, for tests that run alike on each (the server's skipped without its URL). */
export const TEST_TARGETS: { name: string; open: () => Promise<TestTarget>; skip: string | false }[] = [
  { name: 'embedded PGlite', open: embeddedTestTarget, skip: false },
  { name: 'PostgreSQL server', open: serverTestTarget, skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set' },
];

export async function adminConnect(conn: ServerConnection): Promise<Client> {
  const client = new Client({ host: conn.host, port: conn.port, user: conn.user, database: conn.database, password: conn.password, ssl: conn.ssl });
  await client.connect();
  return client;
}

/** Drops every user schema and extension and makes `public` again: an empty database. */
export async function resetDatabase(target: Target): Promise<void> {
  const schemas = await target.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
  );
  for (const { nspname } of schemas) await target.run(`DROP SCHEMA "${nspname.replace(/"/g, '""')}" CASCADE`);
  for (const { extname } of await target.query<{ extname: string }>(`SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'`)) {
    await target.run(`DROP EXTENSION IF EXISTS "${extname}" CASCADE`);
  }
  await target.run('CREATE SCHEMA public');
}

/** A migrations tree in a temporary folder; returns its root. */
export function writeTree(files: Record<string, string>, root = mkdtempSync(join(tmpdir(), 'safemig-mig-'))): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export function config(database: Partial<Config['database']> = {}): Config {
  return mergeConfig({ database: { ...mergeConfig({}).database, ...database } });
}

export const fsOf = () => new DiskFileSystem();

/** `schema.table` names of the user tables. */
export async function tables(target: Target): Promise<string[]> {
  const rows = await target.query<{ name: string }>(
    `SELECT CASE WHEN table_schema = 'public' THEN table_name ELSE table_schema || '.' || table_name END AS name
     FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return rows.map((r) => r.name).filter((n) => n !== 'safemig_migrations');
}

export async function indexes(target: Target): Promise<string[]> {
  const rows = await target.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
  return rows.map((r) => r.indexname).filter((n) => n !== 'safemig_migrations_pkey');
}

export async function historyRows(target: Target): Promise<{ version: string; name: string; checksum: string }[]> {
  const exists = await target.query<{ t: string | null }>(`SELECT to_regclass('public.safemig_migrations')::text AS t`);
  if (!exists[0].t) return [];
  return target.query(`SELECT version, name, checksum FROM public.safemig_migrations ORDER BY version, name`);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI as a process. `onStdout` sees the output as it comes (to interrupt at a given
 * point; `onStart` to act after a time); the embedded template comes from the test cache.
 */
export function runCliAsync(args: string[], cwd: string, options: { env?: Record<string, string>; onStdout?: (all: string, child: ReturnType<typeof spawn>) => void; onStart?: (child: ReturnType<typeof spawn>) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, SAFEMIG_CACHE_DIR: TEST_CACHE_DIR, ...options.env } });
    let stdout = '';
    let stderr = '';
    options.onStart?.(child);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A project on one target: the CLI's flags for it, and a session on its database for assertions. */
export interface Side {
  root: string;
  /** `--db URL` for the server; nothing for the embedded database (the project's own). */
  args: string[];
  /** Runs `fn` on the target's database (the embedded one is opened only while no CLI runs). */
  onDb<T>(fn: (target: Target) => Promise<T>): Promise<T>;
  server?: TestTarget;
}

export const CLI_SIDES: { name: string; skip: string | false; make: (files: Record<string, string>) => Promise<Side> }[] = [
  {
    name: 'embedded database',
    skip: false,
    make: async (files) => {
      const root = writeTree(files);
      return {
        root,
        args: [],
        async onDb(fn) {
          const target = await openEmbedded(join(root, '.safemig', 'pglite'), { cacheDir: TEST_CACHE_DIR });
          try {
            return await fn(target);
          } finally {
            await target.close();
          }
        },
      };
    },
  },
  {
    name: 'PostgreSQL server',
    skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set',
    make: async (files) => {
      const root = writeTree(files);
      const server = await serverTestTarget();
      return { root, args: ['--db', server.url!], server, onDb: (fn) => fn(server.target) };
    },
  },
];

const made: Side[] = [];
export async function project(side: (typeof CLI_SIDES)[number], files: Record<string, string>): Promise<Side> {
  const s = await side.make(files);
  made.push(s);
  return s;
}
after(async () => {
  for (const s of made) {
    await s.server?.close();
    rmSync(s.root, { recursive: true, force: true });
  }
});

/** The CLI as a process on a side's project and target. */
export const cliOn = (s: Side, args: string[], options: Parameters<typeof runCliAsync>[2] = {}) => runCliAsync([...args, ...s.args], s.root, options);
