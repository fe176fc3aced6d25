import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSql } from '../helpers/lint';
import { GOOSE_PATH, inEveryDownPart, SUPABASE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

/** The column's type is known because this migration added it (to an existing table). */
const ADDED = (type: string) => `ALTER TABLE t ADD COLUMN IF NOT EXISTS a ${type};\n`;

/** Earlier migrations of the linted file's folder (lintSql lints /project/db/migrations/20250101_test.sql). */
const DIR = '/project/db/migrations';
const CREATE_USERS = { [`${DIR}/20240101_create_users.sql`]: 'CREATE TABLE users (id int, name varchar(50), amount numeric(10,2));' };

ruleTests('change-column-type', {
  valid: [
    // Widenings PostgreSQL makes without a rewrite, old readers unaffected.
    `${ADDED('varchar(10)')}ALTER TABLE t ALTER COLUMN a TYPE varchar(20);`,
    `${ADDED('varchar(10)')}ALTER TABLE t ALTER COLUMN a TYPE varchar(10);`,
    `${ADDED('character varying(10)')}ALTER TABLE t ALTER COLUMN a SET DATA TYPE text;`,
    `${ADDED('varchar')}ALTER TABLE t ALTER COLUMN a TYPE text;`,
    `${ADDED('varchar(10)')}ALTER TABLE t ALTER COLUMN a TYPE varchar;`,
    `${ADDED('numeric(10,2)')}ALTER TABLE t ALTER COLUMN a TYPE numeric(12,2);`,
    `${ADDED('numeric(10)')}ALTER TABLE t ALTER a TYPE numeric(14);`,
    `${ADDED('numeric(10,2)')}ALTER TABLE t ALTER COLUMN a TYPE numeric;`,
    // The same type again, a precision dropped (kratos, hatchet, tembo in the corpus).
    `${ADDED('uuid')}ALTER TABLE t ALTER COLUMN a TYPE uuid, ALTER COLUMN a SET NOT NULL;`,
    `${ADDED('timestamp(3)')}ALTER TABLE t ALTER COLUMN a TYPE timestamp;`,
    { sql: 'ALTER TABLE events ALTER COLUMN seen_at SET DATA TYPE TIMESTAMP WITH TIME ZONE;', files: { [`${DIR}/20240101_events.sql`]: 'CREATE TABLE events (seen_at timestamp with time zone NOT NULL);' } },
    // Two widenings in a row: judged against the latest type.
    `${ADDED('varchar(10)')}ALTER TABLE t ALTER COLUMN a TYPE varchar(20);\nALTER TABLE t ALTER COLUMN a TYPE text;`,
    // A table this migration creates: empty, no running code yet.
    'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;',
    'CREATE TABLE public.t (a int);\nALTER TABLE t ALTER COLUMN a TYPE text USING a::text;',
    // Other ALTER COLUMN actions.
    'ALTER TABLE t ALTER COLUMN a SET DEFAULT 0, ALTER COLUMN a SET STATISTICS 500;',
    "-- ALTER TABLE t ALTER COLUMN a TYPE bigint;\nSELECT 'ALTER TABLE t ALTER COLUMN a TYPE bigint', $$ ALTER TABLE t ALTER a TYPE int8 $$;",
    ...inEveryDownPart('ALTER TABLE t ALTER COLUMN a TYPE integer;'),
    // The folder's earlier migrations say what the type was: these are widenings.
    { sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(100), ALTER COLUMN amount TYPE numeric(12,2);', files: CREATE_USERS },
    // The latest earlier change wins; a rename of the column or of the table is followed.
    { sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(200);', files: { ...CREATE_USERS, [`${DIR}/20240301_widen.sql`]: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(200);' } },
    {
      sql: 'ALTER TABLE members ALTER COLUMN full_name TYPE text;',
      files: {
        [`${DIR}/20240101_create.sql`]: 'CREATE TABLE people (id int, name varchar(50));',
        [`${DIR}/20240201_rename.sql`]: 'ALTER TABLE people RENAME COLUMN name TO full_name;\nALTER TABLE public.people RENAME TO members;',
      },
    },
    { sql: 'ALTER TABLE members ALTER COLUMN full_name TYPE varchar(60);', files: { [`${DIR}/20240101_all.sql`]: 'CREATE TABLE people (name varchar(50));\nALTER TABLE people RENAME COLUMN name TO full_name;\nALTER TABLE people RENAME TO members;' } },
    // A table made from another one: LIKE, INHERITS, PARTITION OF (also in an earlier file, after a rename there).
    { sql: 'ALTER TABLE archived ALTER COLUMN name TYPE varchar(100);', files: { ...CREATE_USERS, [`${DIR}/20240201_archive.sql`]: 'CREATE TABLE archived (LIKE users INCLUDING ALL, note text);' } },
    { sql: 'ALTER TABLE admins ALTER COLUMN name TYPE text;', files: { ...CREATE_USERS, [`${DIR}/20240201_admins.sql`]: 'CREATE TABLE admins (level int) INHERITS (users);' } },
    { sql: 'ALTER TABLE users_2024 ALTER COLUMN amount TYPE numeric(14,2);', files: { [`${DIR}/20240101_x.sql`]: "CREATE TABLE people (id int, amount numeric(10,2)) PARTITION BY RANGE (id);\nALTER TABLE people RENAME TO users;\nCREATE TABLE users_2024 PARTITION OF users FOR VALUES FROM (1) TO (10);" } },
  ],
  invalid: [
    // The old type is not known: any change may rewrite the table.
    { sql: 'ALTER TABLE t ALTER COLUMN a TYPE bigint;', errors: [{ messageId: 'unknownType', range: [0, 14, 0, 40], message: 'Changing the type of t.a to bigint can rewrite the table under an ACCESS EXCLUSIVE lock and can break code that reads the old type.' }] },
    { sql: 'ALTER TABLE t ALTER a SET DATA TYPE text;', errors: [{ messageId: 'unknownType', range: [0, 14, 0, 40] }] },
    // Narrowing, adding a limit, changing the scale, changing the kind.
    { sql: `${ADDED('varchar(20)')}ALTER TABLE t ALTER COLUMN a TYPE varchar(10);`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 45], message: 'Changing the type of t.a from varchar(20) to varchar(10) rewrites the table under an ACCESS EXCLUSIVE lock and can break code that reads the old type.' }] },
    { sql: `${ADDED('varchar')}ALTER TABLE t ALTER COLUMN a TYPE varchar(10);`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 45] }] },
    { sql: `${ADDED('text')}ALTER TABLE t ALTER COLUMN a TYPE varchar(100);`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 46] }] },
    { sql: `${ADDED('numeric(10,2)')}ALTER TABLE t ALTER COLUMN a TYPE numeric(12,4);`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 47] }] },
    { sql: `${ADDED('numeric(10,2)')}ALTER TABLE t ALTER COLUMN a TYPE numeric(8,2);`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 46] }] },
    { sql: `${ADDED('integer')}ALTER TABLE t ALTER COLUMN a TYPE bigint;`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 40] }] },
    { sql: `${ADDED('varchar(10)')}ALTER TABLE t ALTER COLUMN a TYPE varchar(10)[];`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 47] }] },
    // An array is converted element by element: a widening rewrites the table too.
    { sql: `${ADDED('varchar(10)[]')}ALTER TABLE t ALTER COLUMN a TYPE varchar(20)[];`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 47], message: 'Changing the type of t.a from varchar(10)[] to varchar(20)[] rewrites the table under an ACCESS EXCLUSIVE lock and can break code that reads the old type.' }] },
    { sql: 'ALTER TABLE events ALTER COLUMN seen_at TYPE timestamp;', files: { [`${DIR}/20240101_events.sql`]: 'CREATE TABLE events (seen_at timestamptz);' }, errors: [{ messageId: 'typeFromFile', range: [0, 19, 0, 54] }] },
    { sql: `${ADDED('char(10)')}ALTER TABLE t ALTER COLUMN a TYPE char(20);`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 42] }] },
    // USING or a new collation rewrites or reindexes even a widening.
    { sql: `${ADDED('varchar(10)')}ALTER TABLE t ALTER COLUMN a TYPE varchar(20) USING a::varchar(20);`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 66] }] },
    { sql: `${ADDED('varchar(10)')}ALTER TABLE t ALTER COLUMN a TYPE text COLLATE "C";`, errors: [{ messageId: 'knownType', range: [1, 14, 1, 50] }] },
    {
      name: 'several actions in one ALTER TABLE, qualified quoted name',
      sql: 'ALTER TABLE ONLY "my app".t ALTER COLUMN a TYPE numeric(10, 2) USING (a::numeric(10, 2)), ADD CONSTRAINT c CHECK (a IN (1, 2)), ALTER b TYPE int8;',
      errors: [{ messageId: 'unknownType', range: [0, 28, 0, 88] }, { messageId: 'unknownType', range: [0, 128, 0, 145] }],
    },
    { path: GOOSE_PATH, sql: '-- +goose Up\nALTER TABLE t ALTER COLUMN a TYPE bigint;\n-- +goose Down\nALTER TABLE t ALTER COLUMN a TYPE integer;\n', errors: [{ messageId: 'unknownType', range: [1, 14, 1, 40] }] },
    { path: SUPABASE_PATH, sql: 'ALTER TABLE t ALTER COLUMN a TYPE bigint;\n', errors: [{ messageId: 'unknownType', range: [0, 14, 0, 40] }] },
    { sql: "SELECT 'é 日本語 😀'; ALTER TABLE \"données\" ALTER \"😀\" TYPE bigint;", errors: [{ messageId: 'unknownType', range: [0, 41, 0, 63] }] },
    { sql: '-- 😀 é\r\nALTER TABLE t\r\n  ALTER COLUMN a\r\n  TYPE bigint;\r\n', errors: [{ messageId: 'unknownType', range: [2, 2, 3, 13] }] },
    // Known from history and not a widening: the message says from what.
    { sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(20);', files: CREATE_USERS, errors: [{ messageId: 'typeFromFile', range: [0, 18, 0, 52], message: 'Changing the type of users.name from varchar(50) (as 20240101_create_users.sql left it) to varchar(20) rewrites the table under an ACCESS EXCLUSIVE lock and can break code that reads the old type.' }] },
    // Only earlier migrations count: not a later one, not another folder, not a DOWN part.
    { sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(100);', files: { [`${DIR}/20260101_create_users.sql`]: CREATE_USERS[`${DIR}/20240101_create_users.sql`] }, errors: [{ messageId: 'unknownType', range: [0, 18, 0, 53] }] },
    { sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(100);', files: { [`/project/other/20240101_create_users.sql`]: CREATE_USERS[`${DIR}/20240101_create_users.sql`] }, errors: [{ messageId: 'unknownType', range: [0, 18, 0, 53] }] },
    {
      sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(100);',
      files: { [`${DIR}/20240101_x.sql`]: '-- UP Migration\nSELECT 1;\n-- DOWN Migration (Rollback)\nCREATE TABLE users (name varchar(50));\n' },
      errors: [{ messageId: 'unknownType', range: [0, 18, 0, 53] }],
    },
    // Copied from two tables: which one gave the column is not known.
    { sql: 'ALTER TABLE both_t ALTER COLUMN name TYPE varchar(100);', files: { ...CREATE_USERS, [`${DIR}/20240201_both.sql`]: 'CREATE TABLE both_t (LIKE users, LIKE accounts);' }, errors: [{ messageId: 'unknownType', range: [0, 19, 0, 54] }] },
    // Copied from a table whose column is a narrower type than the new one is not.
    { sql: 'ALTER TABLE archived ALTER COLUMN name TYPE varchar(20);', files: { ...CREATE_USERS, [`${DIR}/20240201_archive.sql`]: 'CREATE TABLE archived (LIKE users);' }, errors: [{ messageId: 'typeFromFile', range: [0, 21, 0, 55] }] },
    // Dropped and not added again: unknown.
    { sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(100);', files: { ...CREATE_USERS, [`${DIR}/20240301_drop.sql`]: 'ALTER TABLE users DROP COLUMN name;' }, errors: [{ messageId: 'unknownType', range: [0, 18, 0, 53] }] },
  ],
});

test('the message says "can" when the old type is unknown, and names types as they are written', () => {
  const [unknown] = lintSql('ALTER TABLE t ALTER COLUMN a TYPE bigint;').findings.filter((f) => f.rule === 'change-column-type');
  assert.match(unknown.message, /^Changing the type of t\.a to bigint can rewrite the table under an ACCESS EXCLUSIVE lock/);
  const [known] = lintSql(`${ADDED('int')}ALTER TABLE t ALTER COLUMN a TYPE double precision;`).findings.filter((f) => f.rule === 'change-column-type');
  assert.match(known.message, /^Changing the type of t\.a from integer to double precision rewrites the table/);
});

test('the message names the earlier migration that gave the column its type', () => {
  const [finding] = lintSql('ALTER TABLE users ALTER COLUMN name TYPE varchar(20);', { files: CREATE_USERS }).findings.filter((f) => f.rule === 'change-column-type');
  assert.match(finding.message, /^Changing the type of users\.name from varchar\(50\) \(as 20240101_create_users\.sql left it\) to varchar\(20\) rewrites the table/);
  // A migration folder is named by its folder; arrays say so.
  const diesel = '/project/migrations/2024-02-01-000000_features/up.sql';
  const files = { '/project/migrations/2024-01-01-000000_create/up.sql': 'CREATE TABLE deps (features varchar);', '/project/migrations/2024-01-01-000000_create/down.sql': 'DROP TABLE deps;' };
  const [folder] = lintSql("ALTER TABLE deps ALTER COLUMN features TYPE text[] USING string_to_array(features, ',');", { path: diesel, files }).findings.filter((f) => f.rule === 'change-column-type');
  assert.match(folder.message, /from varchar \(as 2024-01-01-000000_create\/up\.sql left it\) to text\[\] rewrites/);
});
