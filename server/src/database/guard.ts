/**
 * The dev-database guard: a server that is not on this machine, or a database whose name says
 * production, needs explicit consent before anything runs on it.
 */
import type { DatabaseConfig } from '../config/config';
import type { ServerConnection } from './connection';
import { userRegex } from '../config/user-regex';

const LOCAL_HOSTS = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1']);

export interface ProductionSign {
  /** `host`: not this machine and not allowed; `name`: the database name says production. */
  kind: 'host' | 'name';
  message: string;
}

/** Why the connection may not be a dev database; empty when it looks like one. */
export function productionSigns(conn: ServerConnection, config: Pick<DatabaseConfig, 'productionPattern' | 'allowHosts'>): ProductionSign[] {
  const signs: ProductionSign[] = [];
  if (!isLocalHost(conn.host) && !config.allowHosts.some((h) => h.toLowerCase() === conn.host.toLowerCase())) {
    signs.push({ kind: 'host', message: `host ${conn.host} is not this machine (localhost, 127.0.0.1, ::1 or a Unix socket) nor in database.allowHosts` });
  }
  if (looksLikeProduction(conn.database, config.productionPattern)) {
    signs.push({ kind: 'name', message: `database name "${conn.database}" matches database.productionPattern (${config.productionPattern})` });
  }
  return signs;
}

export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === '' || h.startsWith('/') || LOCAL_HOSTS.has(h) || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * The name, or one of its words (split at `_ - .`), matches the pattern as a whole: `app_prod`,
 * `production`, `live-eu` do; `products`, `delivery` do not.
 */
export function looksLikeProduction(database: string, pattern: string): boolean {
  const whole = userRegex(`^(?:${pattern})$`, { ignoreCase: true });
  return whole.test(database) || database.split(/[_\-.]+/).some((word) => whole.test(word));
}

/** The consent question (editor modal) or the refusal (CLI), naming the target and why. */
export function guardMessage(described: string, signs: ProductionSign[]): string {
  return `${described} does not look like a dev database: ${signs.map((s) => s.message).join('; ')}.`;
}
