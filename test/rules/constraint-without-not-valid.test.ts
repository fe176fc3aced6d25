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
      errors: [{ messageId: 'foreignKey', range: [0, 14, 0, 65], message: 'Foreign key fk is checked against every existing row of t while the ALTER TABLE holds a SHARE ROW EXCLUSIVE lock on t and on u: writes to both wait for the whole scan.' }],
      fix: { title: 'Add NOT VALID', output: 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT fk;' },
    },
    {
      name: 'no semicolon after the last statement',
      sql: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)',
      errors: [{ messageId: 'check', range: [0, 14, 0, 44], message: 'CHECK constraint c is checked against every existing row of t while the ALTER TABLE holds an ACCESS EXCLUSIVE lock on t: every query on it waits for the whole scan.' }],
      fix: { title: 'Add NOT VALID', output: 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;' },
    },
    {
      name: 'quoted and schema-qualified names, the second action of an ALTER TABLE',
      sql: 'ALTER TABLE app."T" ADD COLUMN IF NOT EXISTS b int, ADD CONSTRAINT "T_b_check" CHECK (b > 0);\nSELECT 1;',
      errors: [{ messageId: 'check', range: [0, 52, 0, 92] }],
      fix: {
        title: 'Add NOT VALID',
        output: 'ALTER TABLE app."T" ADD COLUMN IF NOT EXISTS b int, ADD CONSTRAINT "T_b_check" CHECK (b > 0) NOT VALID;\nALTER TABLE app."T" VALIDATE CONSTRAINT "T_b_check";\nSELECT 1;',
      },
    },
    {
      name: 'keeps the indentation and CRLF line ends',
      sql: '  ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) ;\r\nSELECT 1;\r\n',
      errors: [{ messageId: 'check', range: [0, 16, 0, 46] }],
      fix: { title: 'Add NOT VALID', output: '  ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID ;\r\n  ALTER TABLE t VALIDATE CONSTRAINT c;\r\nSELECT 1;\r\n' },
    },
    // Unnamed: there is no name to VALIDATE, so no fix.
    { sql: 'ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u;', errors: [{ messageId: 'unnamedForeignKey', range: [0, 14, 0, 46], message: 'This foreign key is checked against every existing row of t while the ALTER TABLE holds a SHARE ROW EXCLUSIVE lock on t and on u: writes to both wait for the whole scan.' }] },
    {
      sql: 'ALTER TABLE t ADD CHECK (a > 0);',
      errors: [
        {
          messageId: 'unnamedCheck',
          range: [0, 14, 0, 31],
          message: 'This CHECK constraint is checked against every existing row of t while the ALTER TABLE holds an ACCESS EXCLUSIVE lock on t: every query on it waits for the whole scan.',
          help: 'Add it NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (that takes SHARE UPDATE EXCLUSIVE: reads and writes go on); name the constraint so it can be validated.',
        },
      ],
    },
    {
      sql: `CREATE TABLE IF NOT EXISTS u (id int primary key);\n${FK}`,
      errors: [{ messageId: 'foreignKey', range: [1, 14, 1, 65] }],
      fix: { title: 'Add NOT VALID', output: `CREATE TABLE IF NOT EXISTS u (id int primary key);\nALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT fk;` },
    },
    {
      name: 'the fix of the second of two statements',
      sql: `${FK}\n${CHECK}`,
      errors: [{ messageId: 'foreignKey', range: [0, 14, 0, 65] }, { messageId: 'check', range: [1, 14, 1, 44] }],
      fix: { title: 'Add NOT VALID', finding: 1, output: `${FK}\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;` },
    },
    {
      path: GOOSE_PATH,
      sql: `-- +goose Up\n${CHECK}\n-- +goose Down\nALTER TABLE t DROP CONSTRAINT IF EXISTS c;\n`,
      errors: [{ messageId: 'check', range: [1, 14, 1, 44] }],
      fix: { title: 'Add NOT VALID', output: '-- +goose Up\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\n-- +goose Down\nALTER TABLE t DROP CONSTRAINT IF EXISTS c;\n' },
    },
    {
      sql: `SELECT 'é 😀'; ${CHECK}`,
      errors: [{ messageId: 'check', range: [0, 29, 0, 59] }],
      fix: { title: 'Add NOT VALID', output: "SELECT 'é 😀'; ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;" },
    },
    // Inline in ADD COLUMN: a column constraint cannot be NOT VALID, so it moves out.
    {
      name: 'inline REFERENCES in ADD COLUMN',
      sql: 'ALTER TABLE t ADD COLUMN b int REFERENCES u (id);\nSELECT 1;',
      errors: [{ messageId: 'columnForeignKey', range: [0, 31, 0, 48], message: 'The foreign key of new column b is checked against every existing row of t while the ALTER TABLE holds ACCESS EXCLUSIVE on t and SHARE ROW EXCLUSIVE on u for the whole scan, and a column constraint cannot be NOT VALID.' }],
      fix: {
        title: 'Add column b first',
        output: 'ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD CONSTRAINT t_b_fkey FOREIGN KEY (b) REFERENCES u (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_b_fkey;\nSELECT 1;',
      },
    },
    {
      name: 'a named foreign key with its actions and a CHECK on one new column',
      sql: 'ALTER TABLE app.t ADD COLUMN IF NOT EXISTS b int CONSTRAINT b_fk REFERENCES u (id) ON DELETE CASCADE CHECK (b > 0) NOT NULL;',
      errors: [{ messageId: 'columnForeignKey', range: [0, 49, 0, 100] }, { messageId: 'columnCheck', range: [0, 101, 0, 114], message: 'The CHECK constraint of new column b is checked against every existing row of app.t while the ALTER TABLE holds ACCESS EXCLUSIVE on app.t for the whole scan, and a column constraint cannot be NOT VALID.' }],
      fix: {
        title: 'Add column b first',
        output: 'ALTER TABLE app.t ADD COLUMN IF NOT EXISTS b int CHECK (b > 0) NOT NULL;\nALTER TABLE app.t ADD CONSTRAINT b_fk FOREIGN KEY (b) REFERENCES u (id) ON DELETE CASCADE NOT VALID;\nALTER TABLE app.t VALIDATE CONSTRAINT b_fk;',
      },
    },
    {
      name: 'an inline CHECK at the end of the file, no semicolon',
      sql: 'ALTER TABLE t ADD COLUMN b int CHECK (b > 0)',
      errors: [{ messageId: 'columnCheck', range: [0, 31, 0, 44] }],
      fix: { title: 'Add column b first', output: 'ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD CONSTRAINT t_b_check CHECK (b > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_b_check;' },
    },
    {
      name: 'COLLATE after the constraint stays on the column; CRLF and indentation keep',
      sql: "  ALTER TABLE t ADD COLUMN b text DEFAULT 'x' REFERENCES u (name) COLLATE \"C\";\r\n",
      errors: [{ messageId: 'columnForeignKey', range: [0, 46, 0, 65] }],
      fix: {
        title: 'Add column b first',
        output: "  ALTER TABLE t ADD COLUMN b text DEFAULT 'x' COLLATE \"C\";\r\n  ALTER TABLE t ADD CONSTRAINT t_b_fkey FOREIGN KEY (b) REFERENCES u (name) NOT VALID;\r\n  ALTER TABLE t VALIDATE CONSTRAINT t_b_fkey;\r\n",
      },
    },
    {
      sql: "SELECT 'é 😀'; ALTER TABLE t ADD COLUMN b int REFERENCES u;",
      errors: [{ messageId: 'columnForeignKey', range: [0, 46, 0, 58] }],
      fix: { title: 'Add column b first', output: "SELECT 'é 😀'; ALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD CONSTRAINT t_b_fkey FOREIGN KEY (b) REFERENCES u NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_b_fkey;" },
    },
  ],
});
