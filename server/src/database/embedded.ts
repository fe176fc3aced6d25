/**
 * The embedded database: PostgreSQL compiled to WASM (PGlite), kept in a folder, so the database
 * commands work with nothing installed or configured.
 *
 * Creating a data folder (initdb) takes seconds; opening one about a second. So a pristine data
 * folder is made once per machine (the template, in a cache folder) and copied for each new
 * database. PGlite is ESM with WASM files found next to its own module: it is loaded with
 * `import()` and never bundled.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CancelledError, ConnectionError, Notice, QueryRow, Target, toDatabaseError, versionText } from './target';

type PGliteModule = typeof import('@electric-sql/pglite');
type PGlite = import('@electric-sql/pglite').PGlite;
type Extensions = import('@electric-sql/pglite').Extensions;

/**
 * The PGlite contrib extensions a migration may `CREATE EXTENSION` (registered up front; each is
 * unpacked only when a migration creates it). Name in `@electric-sql/pglite/contrib/<name>`.
 */
const CONTRIB = [
  'uuid_ossp', 'pgcrypto', 'pg_trgm', 'btree_gin', 'btree_gist', 'citext', 'hstore', 'ltree', 'fuzzystrmatch',
  'unaccent', 'cube', 'earthdistance', 'intarray', 'isn', 'seg', 'tablefunc', 'moddatetime', 'lo', 'tcn', 'bloom',
];

let pglite: Promise<{ module: PGliteModule; extensions: Extensions }> | undefined;

function loadPGlite() {
  pglite ??= (async () => {
    const module = await import('@electric-sql/pglite');
    const extensions: Extensions = {};
    await Promise.all(
      CONTRIB.map(async (name) => {
        const m = (await import(`@electric-sql/pglite/contrib/${name}`)) as Extensions;
        if (m[name]) extensions[name] = m[name];
      }),
    );
    return { module, extensions };
  })();
  return pglite;
}

export interface EmbeddedOptions {
  /** Where the pristine template data folder is kept (a per-user cache or the editor's global storage). */
  cacheDir: string;
}

export interface PersistentEmbeddedOptions extends EmbeddedOptions {
  /** Run once on a database just made (the baseline); when it fails, the new folder is removed again. */
  onCreate?: (target: Target) => Promise<void>;
}

/** A per-user cache folder: $SAFEMIG_CACHE_DIR, $XDG_CACHE_HOME/safemig, ~/.cache/safemig. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SAFEMIG_CACHE_DIR) return env.SAFEMIG_CACHE_DIR;
  const home = env.HOME ?? env.USERPROFILE ?? tmpdir();
  return join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'safemig');
}

/**
 * Opens the embedded database kept in `dataDir` (created from the template on first use). A
 * lock file beside it keeps a second process (another editor window, the CLI) out while open.
 */
export async function openEmbedded(dataDir: string, options: PersistentEmbeddedOptions): Promise<Target> {
  const release = lock(dataDir);
  const label = `embedded PGlite (PostgreSQL %v) at ${dataDir}`;
  try {
    if (existsSync(join(dataDir, 'PG_VERSION'))) return await start(dataDir, label, release);
    mkdirSync(dirname(dataDir), { recursive: true });
    const target = await fromTemplate(options.cacheDir, dataDir, () => start(dataDir, label, () => undefined));
    try {
      await options.onCreate?.(target);
    } catch (error) {
      await target.close();
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    return { ...target, close: () => target.close().finally(release) };
  } catch (error) {
    release();
    throw error;
  }
}

/** A fresh embedded database in a temporary folder, deleted when closed (verify's round trip). */
export async function openThrowawayEmbedded(options: EmbeddedOptions): Promise<Target> {
  return (await openScratchEmbedded(options)).target;
}

/**
 * A throwaway embedded database, and its data folder (which the shadow cache copies): from a copy
 * of `from` (a data folder the cache kept) when given, else of the template.
 */
export async function openScratchEmbedded(options: EmbeddedOptions, from?: string): Promise<{ target: Target; dataDir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'safemig-verify-'));
  const dataDir = join(dir, 'data');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const label = 'throwaway embedded PGlite (PostgreSQL %v)';
  try {
    if (from === undefined) return { target: await fromTemplate(options.cacheDir, dataDir, () => start(dataDir, label, remove)), dataDir };
    cpSync(from, dataDir, { recursive: true });
    return { target: await start(dataDir, label, remove), dataDir };
  } catch (error) {
    remove();
    throw error;
  }
}

/** Copies the template to `dest` and opens it; a template a newer PGlite cannot open is made again once. */
async function fromTemplate(cacheDir: string, dest: string, open: () => Promise<Target>): Promise<Target> {
  for (let attempt = 0; ; attempt++) {
    const template = await ensureTemplate(cacheDir);
    rmSync(dest, { recursive: true, force: true });
    cpSync(template, dest, { recursive: true });
    try {
      return await open();
    } catch (error) {
      if (attempt > 0 || !(error instanceof ConnectionError)) throw error;
      rmSync(template, { recursive: true, force: true });
    }
  }
}

/**
 * PostgreSQL's default 128 MB of shared buffers are set up in each PGlite's WASM memory: about
 * 210 MB each; with 16 MB about 85 MB, and statements ran faster. The language server with three
 * folders' shadows peaked at 740 MB, now 513 MB (bench/shadow.ts). One user and a migration's
 * data need no more.
 */
const SMALL_BUFFERS = ['-c', 'shared_buffers=16MB'];

async function start(dataDir: string, label: string, onClose: () => void): Promise<Target> {
  const { module, extensions } = await loadPGlite();
  let db: PGlite;
  try {
    db = await module.PGlite.create(dataDir, { extensions, startParams: [...module.PGlite.defaultStartParams, ...SMALL_BUFFERS] });
  } catch (error) {
    throw new ConnectionError(
      `could not open the embedded database at ${dataDir}: ${error instanceof Error ? error.message : String(error)} (made by another PGlite version? delete the folder to start afresh)`,
      'other',
    );
  }
  const version = Number((await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0].v);
  let listener: ((notice: Notice) => void) | undefined;
  const onNotice = (n: { severity?: string; message?: string }) => listener?.({ severity: n.severity ?? 'NOTICE', message: n.message ?? '' });
  let closed = false;
  return {
    kind: 'embedded',
    serverVersion: version,
    describe: () => label.replace('%v', versionText(version)),
    async run(sql, signal) {
      // PGlite runs on this thread: a running statement cannot be interrupted, so check before.
      if (signal?.aborted) throw new CancelledError();
      try {
        const results = await db.exec(sql, { onNotice });
        return { rowCount: results[results.length - 1]?.affectedRows };
      } catch (error) {
        throw toDatabaseError(error) ?? error;
      }
    },
    async query<T extends QueryRow>(sql: string, params: unknown[] = [], signal?: AbortSignal) {
      if (signal?.aborted) throw new CancelledError();
      try {
        return (await db.query<T>(sql, params, { onNotice })).rows;
      } catch (error) {
        throw toDatabaseError(error) ?? error;
      }
    },
    onNotice(next) {
      listener = next;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        onClose();
      }
    },
  };
}

/**
 * The pristine data folder, made once: initdb into a temporary folder beside it, then a rename,
 * so concurrent first runs never see a half-made template.
 */
async function ensureTemplate(cacheDir: string): Promise<string> {
  const { module } = await loadPGlite();
  const template = join(cacheDir, 'pglite-template');
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  mkdirSync(cacheDir, { recursive: true });
  const building = mkdtempSync(join(cacheDir, 'pglite-template-'));
  try {
    const db = await module.PGlite.create(building);
    await db.close();
    try {
      renameSync(building, template);
    } catch (error) {
      // Another process made it meanwhile: use theirs.
      if (!existsSync(join(template, 'PG_VERSION'))) throw error;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

const held = new Set<string>();

/** Takes `<dataDir>.lock` (holding our pid); a lock of a process that is gone is taken over. */
function lock(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      held.add(file);
      return () => {
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSafe(file));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new ConnectionError(`the embedded database at ${dataDir} is in use by process ${owner} (another safemig command or VS Code window): wait for it or close it`, 'in-use');
      }
      if (owner === process.pid && held.has(file)) {
        throw new ConnectionError(`the embedded database at ${dataDir} is already open in this process`, 'in-use');
      }
      rmSync(file, { force: true });
    }
  }
  throw new ConnectionError(`could not lock the embedded database at ${dataDir}`, 'in-use');
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Locks are released even when the process ends without closing (Ctrl-C twice, an uncaught error).
process.once('exit', () => {
  for (const file of held) rmSync(file, { force: true });
});
