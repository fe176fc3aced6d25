import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const DETACH = 'ALTER TABLE events DETACH PARTITION events_2020;';

ruleTests('detach-partition', {
  valid: [
    'ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;',
    'ALTER TABLE events DETACH PARTITION events_2020 FINALIZE;',
    // A partitioned table this migration creates.
    `CREATE TABLE IF NOT EXISTS events (at date) PARTITION BY RANGE (at);\n${DETACH}`,
    `-- ${DETACH}\nSELECT '${DETACH}', $$ ${DETACH} $$;`,
    ...inEveryDownPart(DETACH),
  ],
  invalid: [
    {
      sql: DETACH,
      errors: [{
        messageId: 'detach',
        range: [0, 19, 0, 47],
        message: 'DETACH PARTITION events_2020 takes an ACCESS EXCLUSIVE lock on events: every query on the partitioned table, reads included, waits until it is done, and queues behind any long transaction already using it.',
      }],
      fix: { title: 'Add CONCURRENTLY', output: 'ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;' },
    },
    {
      name: 'before PostgreSQL 14: no concurrent form, no fix',
      sql: DETACH,
      config: { pgVersion: 13 },
      errors: [{ messageId: 'detachBefore14', range: [0, 19, 0, 47], message: 'DETACH PARTITION events_2020 takes an ACCESS EXCLUSIVE lock on events: every query on the partitioned table, reads included, waits until it is done. PostgreSQL 13 has no concurrent form (it came in 14).' }],
    },
    {
      sql: 'ALTER TABLE IF EXISTS ONLY app.events\n  DETACH PARTITION app.events_2020;',
      errors: [{ messageId: 'detach', range: [1, 2, 1, 34] }],
      fix: { title: 'Add CONCURRENTLY', output: 'ALTER TABLE IF EXISTS ONLY app.events\n  DETACH PARTITION app.events_2020 CONCURRENTLY;' },
    },
    {
      path: GOOSE_PATH,
      sql: `-- +goose Up\n-- +goose NO TRANSACTION\n${DETACH}\n-- +goose Down\nSELECT 1;\n`,
      errors: [{ messageId: 'detach', range: [2, 19, 2, 47] }],
      fix: { title: 'Add CONCURRENTLY', output: `-- +goose Up\n-- +goose NO TRANSACTION\nALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;\n-- +goose Down\nSELECT 1;\n` },
    },
    {
      sql: "SELECT 'é 日本語 😀'; ALTER TABLE \"données\" DETACH PARTITION \"😀\";\r\n",
      errors: [{ messageId: 'detach', range: [0, 41, 0, 62] }],
      fix: { title: 'Add CONCURRENTLY', output: "SELECT 'é 日本語 😀'; ALTER TABLE \"données\" DETACH PARTITION \"😀\" CONCURRENTLY;\r\n" },
    },
  ],
});
