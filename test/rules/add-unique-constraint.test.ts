import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const UNIQUE = 'ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a);';

ruleTests('add-unique-constraint', {
  valid: [
    // The index is built CONCURRENTLY first; USING INDEX only changes the catalog.
    'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_key ON t (a);\nALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_key;',
    'ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx;',
    `CREATE TABLE IF NOT EXISTS t (a int);\n${UNIQUE}\nALTER TABLE t ADD PRIMARY KEY (a);`,
    'CREATE TABLE IF NOT EXISTS "App"."T" (a int);\nALTER TABLE "App"."T" ADD COLUMN IF NOT EXISTS b int UNIQUE;',
    'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;',
    `-- ${UNIQUE}\nSELECT $$ ${UNIQUE} $$;`,
    ...inEveryDownPart(`${UNIQUE}\nALTER TABLE t ADD PRIMARY KEY (id);`),
  ],
  invalid: [
    { sql: UNIQUE, errors: [{ messageId: 'unique', range: [0, 14, 0, 47], message: 'Adding UNIQUE constraint t_a_key builds its index by reading all of t while the ALTER TABLE holds an ACCESS EXCLUSIVE lock: every query on the table waits for the whole build.' }] },
    { sql: 'ALTER TABLE t ADD PRIMARY KEY (id);', errors: [{ messageId: 'primaryKey', range: [0, 14, 0, 34], message: 'Adding PRIMARY KEY constraint builds its index by reading all of t while the ALTER TABLE holds an ACCESS EXCLUSIVE lock: every query on the table waits for the whole build.' }] },
    { sql: 'ALTER TABLE ONLY public."T" ADD CONSTRAINT "T_pkey" PRIMARY KEY (id, "Key");', errors: [{ messageId: 'primaryKey', range: [0, 28, 0, 75] }] },
    // A new column declared UNIQUE builds the same index under the same lock.
    { sql: 'ALTER TABLE t ADD COLUMN IF NOT EXISTS code text UNIQUE;', errors: [{ messageId: 'column', range: [0, 14, 0, 55], message: 'Adding column code as UNIQUE builds a unique index by reading all of t while the ALTER TABLE holds an ACCESS EXCLUSIVE lock: every query on the table waits for the whole build.' }] },
    // A table created in this migration under another schema is another table.
    { sql: `CREATE TABLE IF NOT EXISTS app.t (a int);\n${UNIQUE}`, errors: [{ messageId: 'unique', range: [1, 14, 1, 47] }] },
    { path: GOOSE_PATH, sql: `-- +goose Up\n${UNIQUE}\n-- +goose Down\nALTER TABLE t DROP CONSTRAINT IF EXISTS t_a_key;\n`, errors: [{ messageId: 'unique', range: [1, 14, 1, 47] }] },
    { sql: `SELECT '日本語 😀';\n${UNIQUE}`, errors: [{ messageId: 'unique', range: [1, 14, 1, 47] }] },
  ],
});
