/** kysely: `kysely_migration (name varchar(255) PRIMARY KEY, timestamp varchar(255))`; the name is the file's without its extension. */
import { recordOfFileName } from './by-name';
import { dateOf } from './by-version';
import type { RunnerTableFormat } from './types';

export const kysely: RunnerTableFormat = {
  runner: 'kysely',
  table: 'kysely_migration',
  async read(target, table, signal) {
    const rows = await target.query<{ name: string; timestamp: unknown }>(`SELECT name, "timestamp" FROM ${table} ORDER BY "timestamp", name`, [], signal);
    return rows.map((r) => ({ key: r.name, appliedAt: dateOf(r.timestamp), state: 'applied' as const }));
  },
  recordOf: (records, migration) => recordOfFileName(records, migration, false),
};
