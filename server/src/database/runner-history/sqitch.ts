/** sqitch: `sqitch.changes`, a row per deployed change (deleted when reverted), by change name and project. */
import { dateOf } from './by-version';
import type { RunnerTableFormat } from './types';

export const sqitch: RunnerTableFormat = {
  runner: 'sqitch',
  table: 'sqitch.changes',
  async read(target, table, signal) {
    const rows = await target.query<{ change: string; committed_at: unknown }>(`SELECT change, committed_at FROM ${table} ORDER BY committed_at`, [], signal);
    return rows.map((r) => ({ key: r.change, appliedAt: dateOf(r.committed_at), state: 'applied' as const }));
  },
  recordOf: (records, migration) => records.find((r) => r.key === migration.description),
};
