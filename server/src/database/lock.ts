/**
 * One migration at a time per database: apply and rollback hold a PostgreSQL advisory lock
 * while they read the history, run and record, so two commands on one server database never
 * both run (an INSERT twice, a race on creating the history table). The embedded database
 * needs none: its lock file lets one process open it at a time.
 */
import { literal, Progress } from './execute';
import { CancelledError, ConnectionError, Target, toDatabaseError } from './target';

/** The advisory lock's key (one bigint below 2^31: `pg_locks` shows it as objid, classid 0). */
export const MIGRATION_LOCK_KEY = 0x5afe_0015;

export interface LockOptions {
  /** How long to wait for another command's lock, as PostgreSQL's `lock_timeout` reads it ('5s'). */
  wait: string;
  progress: Progress;
  signal?: AbortSignal;
}

/**
 * Takes the lock, waiting at most `options.wait` (and saying so) when another command holds it;
 * throws ConnectionError 'in-use' when it is still held then. Returns its release.
 */
export async function lockMigrations(target: Target, options: LockOptions): Promise<() => Promise<void>> {
  if (target.kind === 'embedded') return async () => undefined;
  // Also bounds the history reads that follow: a session holding the history table cannot hang us.
  await target.run(`SET lock_timeout = ${literal(options.wait)}`);
  const [first] = await target.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]);
  if (!first?.locked) {
    const holder = await holderOf(target);
    options.progress.log(`  waiting up to ${options.wait} (database.lockTimeout) for ${holder} to finish: one migration at a time on a database`);
    try {
      await target.run(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`, options.signal);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      if (toDatabaseError(error)?.code === '55P03') {
        throw new ConnectionError(`${holder} is still migrating this database after ${options.wait}: nothing ran; try again when it has finished`, 'in-use');
      }
      throw error;
    }
  }
  return async () => {
    await target.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
  };
}

/** "another safemig command (process 1234 on the server, safemig)", for the messages. */
async function holderOf(target: Target): Promise<string> {
  const rows = await target.query<{ pid: number; app: string | null }>(
    `SELECT l.pid, a.application_name AS app FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1 LIMIT 1`,
    [MIGRATION_LOCK_KEY],
  );
  const row = rows[0];
  return row ? `another safemig command (server process ${row.pid}${row.app ? `, ${row.app}` : ''})` : 'another safemig command';
}
