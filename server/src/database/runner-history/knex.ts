/** knex: `knex_migrations (id serial, name varchar(255), batch integer, migration_time timestamptz)`; the name is the file's, with its extension. */
import { recordOfFileName } from './by-name';
import { dateOf } from './by-version';
import type { RunnerTableFormat } from './types';

export const knex: RunnerTableFormat = {
  runner: 'knex',
  table: 'knex_migrations',
  async read(target, table, signal) {
    const rows = await target.query<{ name: string; migration_time: unknown }>(`SELECT name, migration_time FROM ${table} ORDER BY id`, [], signal);
    return rows.map((r) => ({ key: r.name, appliedAt: dateOf(r.migration_time), state: 'applied' as const }));
  },
  recordOf: (records, migration) => recordOfFileName(records, migration, true),
};
