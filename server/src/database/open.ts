/** Opening the chosen target, behind the dev-database guard. */
import { basename } from 'node:path';
import type { DatabaseConfig } from '../config/config';
import { applyBaseline, BaselineFile } from '../shadow/baseline';
import { connectionLabel, ServerConnection, TargetChoice } from './connection';
import { openEmbedded } from './embedded';
import { guardMessage, productionSigns } from './guard';
import { dropAbandonedThrowaways, openServer, openThrowawayServer } from './server-target';
import type { Target } from './target';

export interface OpenOptions {
  config: Pick<DatabaseConfig, 'productionPattern' | 'allowHosts'>;
  /** The persistent embedded database's folder (CLI: `.safemig/pglite`; editor: workspace storage). */
  embeddedDir: string;
  /** Where the embedded template is cached. */
  cacheDir: string;
  /**
   * Asked when the server does not look like a dev database (the editor's modal, the CLI's
   * `--yes-i-mean-this-database`); without it such a server is refused.
   */
  consent?: (message: string) => Promise<boolean>;
  /** Asked for a password the server wants when PGPASSWORD and ~/.pgpass have none. */
  password?: () => Promise<string | undefined>;
  /** Where to say what was tidied on opening (a stopped verify's throwaway database dropped). */
  log?: (line: string) => void;
  /** The configured baseline (`readBaseline`): applied to the embedded database when it is made. */
  baseline?: BaselineFile[];
}

/** The guard said no: nothing was opened or run. */
export class GuardRefusal extends Error {
  constructor(
    message: string,
    /** What would make it pass, for the CLI's hint. */
    readonly remedies: string[],
  ) {
    super(message);
  }
}

export async function openTarget(choice: TargetChoice, options: OpenOptions): Promise<Target> {
  if (choice.kind === 'embedded') return openEmbedded(options.embeddedDir, { cacheDir: options.cacheDir, onCreate: baselineOnCreate(options) });
  await checkGuard(choice, options);
  const target = await openServer(choice, { password: options.password });
  await dropAbandonedThrowaways(target, options.log).catch(() => undefined);
  return target;
}

/** `verify --db URL`: a database made for the round trip on that server, dropped when closed. */
export async function openThrowawayOnServer(conn: ServerConnection, options: OpenOptions): Promise<Target> {
  await checkGuard(conn, options);
  const target = await openThrowawayServer(conn, { password: options.password });
  await dropAbandonedThrowaways(target, options.log).catch(() => undefined);
  return target;
}

/**
 * A new embedded database starts from the baseline, as the shadow and verify do, so apply and up
 * work on migrations that alter tables the folder does not create. An existing one is left as it is.
 */
function baselineOnCreate({ baseline, log }: OpenOptions): ((target: Target) => Promise<void>) | undefined {
  if (!baseline || baseline.length === 0) return undefined;
  return async (target) => {
    const skipped = await applyBaseline(target, baseline);
    log?.(`new embedded database: applied the baseline (${baseline.map((f) => basename(f.path)).join(', ')})${skipped.length > 0 ? `, skipping ${skipped.length} statement${skipped.length === 1 ? '' : 's'} it rejects:` : ''}`);
    for (const line of skipped) log?.(`  ${line}`);
  };
}

async function checkGuard(conn: ServerConnection, options: OpenOptions): Promise<void> {
  const signs = productionSigns(conn, options.config);
  if (signs.length === 0) return;
  const message = guardMessage(`${connectionLabel(conn)} (from ${conn.source})`, signs);
  if (options.consent && (await options.consent(message))) return;
  // Only the user can relax the guard (see guardSettings): never a remedy in the repository's .safemig.json.
  const remedies = signs.flatMap((s) => (s.kind === 'host' ? [`allow the host yourself: --allow-host ${conn.host} or SAFEMIG_ALLOW_HOSTS=${conn.host}`] : []));
  throw new GuardRefusal(`refusing to run on it: ${message}`, remedies);
}
