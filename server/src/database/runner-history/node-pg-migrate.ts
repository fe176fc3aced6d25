/** node-pg-migrate: `pgmigrations (id serial, name varchar(255), run_on timestamp)`; the name is the file's without its extension. */
import { recordOfFileName } from './by-name';
import { dateOf } from './by-version';
import type { RunnerTableFormat } from './types';

export const nodePgMigrate: RunnerTableFormat = {
  runner: 'node-pg-migrate',
  table: 'pgmigrations',
  async read(target, table, signal) {
    const rows = await target.query<{ name: string; run_on: unknown }>(`SELECT name, run_on FROM ${table} ORDER BY run_on, id`, [], signal);
    return rows.map((r) => ({ key: r.name, appliedAt: dateOf(r.run_on), state: 'applied' as const }));
  },
  recordOf: (records, migration) => recordOfFileName(records, migration, false),
};
