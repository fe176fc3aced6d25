import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const ATTACH = "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');";
const CHECK = "ALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound CHECK (at >= '2024-01-01' AND at < '2025-01-01')";

ruleTests('attach-partition', {
  valid: [
    // A CHECK constraint proving the bound comes first: validated, or NOT VALID then validated.
    `${CHECK};\n${ATTACH}`,
    `${CHECK} NOT VALID;\nALTER TABLE events_2024 VALIDATE CONSTRAINT events_2024_bound;\n${ATTACH}`,
    // A table this migration creates and has not filled: nothing to scan.
    `CREATE TABLE IF NOT EXISTS events_2024 (LIKE events);\n${ATTACH}`,
    // Detaching is detach-partition's concern.
    'ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;',
    `-- ${ATTACH}\nSELECT $$ ${ATTACH} $$;`,
    ...inEveryDownPart(ATTACH),
  ],
  invalid: [
    {
      sql: ATTACH,
      errors: [{
        messageId: 'scan',
        range: [0, 19, 0, 96],
        message: 'ATTACH PARTITION events_2024 reads every row of events_2024 to check it fits the partition bound, while it holds an ACCESS EXCLUSIVE lock on it (and a default partition of events is scanned too).',
      }],
    },
    // NOT VALID and never validated proves nothing; a CHECK after the attach is too late; a CHECK on another table.
    { sql: `${CHECK} NOT VALID;\n${ATTACH}`, errors: [{ messageId: 'scan', range: [1, 19, 1, 96] }] },
    { sql: `${ATTACH}\n${CHECK};`, errors: [{ messageId: 'scan', range: [0, 19, 0, 96] }] },
    // A table this migration created and filled holds rows.
    { path: GOOSE_PATH, sql: `-- +goose Up\nCREATE TABLE IF NOT EXISTS events_2024 (LIKE events);\nINSERT INTO events_2024 SELECT * FROM old_events;\n${ATTACH}\n-- +goose Down\nSELECT 1;\n`, errors: [{ messageId: 'scan', range: [3, 19, 3, 96] }] },
    { sql: "SELECT 'é 日本語 😀'; ALTER TABLE \"données\" ATTACH PARTITION \"😀\" DEFAULT;\r\n", errors: [{ messageId: 'scan', range: [0, 41, 0, 70] }] },
  ],
});
