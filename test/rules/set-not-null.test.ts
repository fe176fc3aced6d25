import { GOOSE_PATH, inEveryDownPart, SUPABASE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

const CHECK_NOT_VALID = 'ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID;\n';
const VALIDATE = 'ALTER TABLE t VALIDATE CONSTRAINT t_a_not_null;\n';
const SET = 'ALTER TABLE t ALTER COLUMN a SET NOT NULL;';

ruleTests('set-not-null', {
  valid: [
    // PostgreSQL 12+ uses a validated CHECK (a IS NOT NULL) instead of scanning.
    `${CHECK_NOT_VALID}${VALIDATE}${SET}`,
    `${CHECK_NOT_VALID}${VALIDATE}${SET}\nALTER TABLE t DROP CONSTRAINT IF EXISTS t_a_not_null;`,
    { sql: `${CHECK_NOT_VALID}${VALIDATE}${SET}`, config: { pgVersion: 12 } },
    // A CHECK added without NOT VALID is validated when it is added.
    `ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL);\n${SET}`,
    'ALTER TABLE app.t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL);\nALTER TABLE app.t ALTER a SET NOT NULL;',
    `ALTER TABLE public.t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a_not_null;\n${SET}`,
    // A table this migration creates.
    'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;',
    // Other ALTER COLUMN actions.
    'ALTER TABLE t ALTER COLUMN a DROP NOT NULL;',
    "-- ALTER TABLE t ALTER COLUMN a SET NOT NULL;\nSELECT 'ALTER TABLE t ALTER COLUMN a SET NOT NULL', $$ ALTER TABLE t ALTER a SET NOT NULL $$;",
    ...inEveryDownPart(SET),
  ],
  invalid: [
    { sql: SET, errors: [{ messageId: 'setNotNull', range: [0, 14, 0, 41], message: 'SET NOT NULL on t.a scans the whole table under an ACCESS EXCLUSIVE lock, and running code that writes NULL breaks.' }] },
    { sql: 'ALTER TABLE ONLY "app"."T" ALTER "A" SET NOT NULL, ALTER COLUMN b SET DEFAULT 0;', errors: [{ messageId: 'setNotNull', range: [0, 27, 0, 49] }] },
    // NOT VALID and never validated: still a full scan.
    { sql: `${CHECK_NOT_VALID}${SET}`, errors: [{ messageId: 'setNotNull', range: [1, 14, 1, 41] }] },
    { sql: 'ALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID, ALTER COLUMN a SET NOT NULL;', errors: [{ messageId: 'setNotNull', range: [0, 75, 0, 102] }] },
    // The CHECK is on another column, or another table; a VALIDATE of another table's constraint.
    { sql: `ALTER TABLE t ADD CONSTRAINT t_b_not_null CHECK (b IS NOT NULL);\n${SET}`, errors: [{ messageId: 'setNotNull', range: [1, 14, 1, 41] }] },
    { sql: `ALTER TABLE u ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL);\n${SET}`, errors: [{ messageId: 'setNotNull', range: [1, 14, 1, 41] }] },
    { sql: `${CHECK_NOT_VALID}ALTER TABLE u VALIDATE CONSTRAINT t_a_not_null;\n${SET}`, errors: [{ messageId: 'setNotNull', range: [2, 14, 2, 41] }] },
    // The CHECK comes after SET NOT NULL: too late.
    { sql: `${SET}\nALTER TABLE t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL);`, errors: [{ messageId: 'setNotNull', range: [0, 14, 0, 41] }] },
    // Before PostgreSQL 12, SET NOT NULL always scans.
    { sql: `${CHECK_NOT_VALID}${VALIDATE}${SET}`, config: { pgVersion: 11 }, errors: [{ messageId: 'setNotNull', range: [2, 14, 2, 41] }] },
    { path: GOOSE_PATH, sql: `-- +goose Up\n${SET}\n-- +goose Down\nALTER TABLE t ALTER COLUMN a DROP NOT NULL;\n`, errors: [{ messageId: 'setNotNull', range: [1, 14, 1, 41] }] },
    { path: SUPABASE_PATH, sql: `${SET}\n`, errors: [{ messageId: 'setNotNull', range: [0, 14, 0, 41] }] },
    { sql: "SELECT 'é 日本語 😀'; ALTER TABLE \"données\" ALTER \"😀\" SET NOT NULL;", errors: [{ messageId: 'setNotNull', range: [0, 41, 0, 64] }] },
    { sql: '-- é 😀\r\nALTER TABLE t\r\n  ALTER COLUMN a SET NOT NULL;\r\n', errors: [{ messageId: 'setNotNull', range: [2, 2, 2, 29] }] },
  ],
});
