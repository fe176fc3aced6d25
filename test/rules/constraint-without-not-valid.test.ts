import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const FK = 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id);';
const CHECK = 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);';

ruleTests('constraint-without-not-valid', {
  valid: [
    'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT fk;',
    'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;',
    // PostgreSQL 18: NOT ENFORCED checks nothing.
    'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT ENFORCED;',
    // A table this migration creates is empty.
    `CREATE TABLE IF NOT EXISTS t (a int);\n${CHECK}\n${FK}`,
    'CREATE TABLE IF NOT EXISTS app."T" (a int);\nALTER TABLE app."T" ADD CONSTRAINT c CHECK (a > 0);',
    // Other constraints are other rules' business.
    'ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_idx;',
    `-- ${FK}\nSELECT '${CHECK.replace(/'/g, "''")}';`,
    ...inEveryDownPart(`${FK}\n${CHECK}`),
    // A column added plain, its constraint added NOT VALID.
    'ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD CONSTRAINT t_b_fkey FOREIGN KEY (b) REFERENCES u (id) NOT VALID;',
    // Column constraints that check nothing, that are not foreign keys or CHECKs, on a new table.
    'ALTER TABLE t ADD COLUMN b int CHECK (b > 0) NOT ENFORCED REFERENCES u NOT ENFORCED;',
    'ALTER TABLE t ADD COLUMN b int NOT NULL DEFAULT 0;',
    'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t ADD COLUMN b int REFERENCES u (id) CHECK (b > 0);',
    ...inEveryDownPart('ALTER TABLE t ADD COLUMN b int REFERENCES u (id);'),
  ],
  invalid: [
    {
      sql: FK,
      ranges: [[0, 14, 0, 65]],
      fix: { title: 'Add NOT VALID', output: 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT fk;' },
    },
    {
      name: 'no semicolon after the last statement',
      sql: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)',
      ranges: [[0, 14, 0, 44]],
      fix: { title: 'Add NOT VALID', output: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;' },
    },
    {
      name: 'quoted and schema-qualified names, the second action of an ALTER TABLE',
      sql: 'ALTER TABLE app."T" ADD COLUMN IF NOT EXISTS b int, ADD CONSTRAINT "T_b_check" CHECK (b > 0);\nSELECT 1;',
      ranges: [[0, 52, 0, 92]],
      fix: {
        title: 'Add NOT VALID',
        output: 'ALTER TABLE app."T" ADD COLUMN IF NOT EXISTS b int, ADD CONSTRAINT "T_b_check" CHECK (b > 0) NOT VALID;\nALTER TABLE app."T" VALIDATE CONSTRAINT "T_b_check";\nSELECT 1;',
      },
    },
    {
      name: 'keeps the indentation and CRLF line ends',
      sql: '  ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) ;\r\nSELECT 1;\r\n',
      ranges: [[0, 16, 0, 46]],
      fix: { title: 'Add NOT VALID', output: '  ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID ;\r\n  ALTER TABLE t VALIDATE CONSTRAINT c;\r\nSELECT 1;\r\n' },
    },
    // Unnamed: there is no name to VALIDATE, so no fix.
    { sql: 'ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u;', ranges: [[0, 14, 0, 46]] },
    { sql: `CREATE TABLE IF NOT EXISTS u (id int primary key);\n${FK}`, ranges: [[1, 14, 1, 65]] },
    { sql: `${FK}\n${CHECK}`, ranges: [[0, 14, 0, 65], [1, 14, 1, 44]] },
    { path: GOOSE_PATH, sql: `-- +goose Up\n${CHECK}\n-- +goose Down\nALTER TABLE t DROP CONSTRAINT IF EXISTS c;\n`, ranges: [[1, 14, 1, 44]] },
    { sql: `SELECT 'é 😀'; ${CHECK}`, ranges: [[0, 29, 0, 59]] },
    // Inline in ADD COLUMN: a column constraint cannot be NOT VALID, so it moves out.
    {
      name: 'inline REFERENCES in ADD COLUMN',
      sql: 'ALTER TABLE t ADD COLUMN b int REFERENCES u (id);\nSELECT 1;',
      ranges: [[0, 31, 0, 48]],
      fix: {
        title: 'Add column b first',
        output: 'ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD CONSTRAINT t_b_fkey FOREIGN KEY (b) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_b_fkey;\nSELECT 1;',
      },
    },
    {
      name: 'a named foreign key with its actions and a CHECK on one new column',
      sql: 'ALTER TABLE app.t ADD COLUMN IF NOT EXISTS b int CONSTRAINT b_fk REFERENCES u (id) ON DELETE CASCADE CHECK (b > 0) NOT NULL;',
      ranges: [[0, 49, 0, 100], [0, 101, 0, 114]],
      fix: {
        title: 'Add column b first',
        output: 'ALTER TABLE app.t ADD COLUMN IF NOT EXISTS b int CHECK (b > 0) NOT NULL;\nALTER TABLE app.t ADD CONSTRAINT b_fk FOREIGN KEY (b) REFERENCES u (id) ON DELETE CASCADE NOT VALID;\nALTER TABLE app.t VALIDATE CONSTRAINT b_fk;',
      },
    },
    {
      name: 'an inline CHECK at the end of the file, no semicolon',
      sql: 'ALTER TABLE t ADD COLUMN b int CHECK (b > 0)',
      ranges: [[0, 31, 0, 44]],
      fix: { title: 'Add column b first', output: 'ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD CONSTRAINT t_b_check CHECK (b > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_b_check;' },
    },
    {
      name: 'COLLATE after the constraint stays on the column; CRLF and indentation keep',
      sql: "  ALTER TABLE t ADD COLUMN b text DEFAULT 'x' REFERENCES u (name) COLLATE \"C\";\r\n",
      ranges: [[0, 46, 0, 65]],
      fix: {
        title: 'Add column b first',
        output: "  ALTER TABLE t ADD COLUMN b text DEFAULT 'x' COLLATE \"C\";\r\n  ALTER TABLE t ADD CONSTRAINT t_b_fkey FOREIGN KEY (b) REFERENCES u (name) NOT VALID;\r\n  ALTER TABLE t VALIDATE CONSTRAINT t_b_fkey;\r\n",
      },
    },
    { sql: "SELECT 'é 😀'; ALTER TABLE t ADD COLUMN b int REFERENCES u;", ranges: [[0, 46, 0, 58]] },
  ],
});
