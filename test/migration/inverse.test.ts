import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { inversesOf, rollbackFor } from '../../server/src/migration/inverse';
import { parseSql } from '../../server/src/sql/parse';
import { initParser } from '../../server/src/sql/pg';

before(() => initParser());

/** The rollback lines of one SQL text, as the quick fix writes them. */
function rollbackOf(sql: string): string[] {
  return rollbackFor(parseSql(sql).statements, sql);
}

const CASES: [string, string, string[]][] = [
  // [name, UP SQL, rollback lines]
  ['CREATE TABLE', 'CREATE TABLE app."Users" (id int);', ['DROP TABLE IF EXISTS app."Users";']],
  ['CREATE TABLE, public schema and a reserved name', 'CREATE TABLE IF NOT EXISTS public."user" (id int);', ['DROP TABLE IF EXISTS public."user";']],
  ['CREATE TABLE AS', 'CREATE TABLE t2 AS SELECT 1 AS a;', ['DROP TABLE IF EXISTS t2;']],
  ['CREATE MATERIALIZED VIEW', 'CREATE MATERIALIZED VIEW app.mv AS SELECT 1;', ['DROP MATERIALIZED VIEW IF EXISTS app.mv;']],
  ['temporary objects need no rollback', 'CREATE TEMP TABLE tmp (a int);\nCREATE TEMP VIEW tv AS SELECT 1;\nCREATE TEMP SEQUENCE ts;', []],
  ['CREATE INDEX', 'CREATE UNIQUE INDEX users_email_key ON app.users (email);', ['DROP INDEX IF EXISTS app.users_email_key;']],
  ['CREATE INDEX CONCURRENTLY', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "Idx" ON t (a);', ['DROP INDEX CONCURRENTLY IF EXISTS "Idx";']],
  ['unnamed index', 'CREATE INDEX ON t (a);', ['-- TODO: drop the unnamed index created by: CREATE INDEX ON t (a)']],
  ['CREATE SEQUENCE', 'CREATE SEQUENCE app.s START 1;', ['DROP SEQUENCE IF EXISTS app.s;']],
  ['CREATE SCHEMA', 'CREATE SCHEMA IF NOT EXISTS "Billing";', ['DROP SCHEMA IF EXISTS "Billing";']],
  ['CREATE EXTENSION', 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";', ['DROP EXTENSION IF EXISTS "uuid-ossp";']],
  ['CREATE VIEW', 'CREATE OR REPLACE VIEW app.v AS SELECT 1;', ['DROP VIEW IF EXISTS app.v;']],
  [
    'CREATE FUNCTION: input argument types only, pg_catalog dropped, arrays kept',
    'CREATE FUNCTION app.f(a integer, b text[], OUT c int, INOUT d double precision) LANGUAGE sql AS $$ SELECT 1, 2.0 $$;',
    ['DROP FUNCTION IF EXISTS app.f(int4, text[], float8);'],
  ],
  ['CREATE FUNCTION RETURNS TABLE', 'CREATE FUNCTION g(x int) RETURNS TABLE (y int) LANGUAGE sql AS $$ SELECT x $$;', ['DROP FUNCTION IF EXISTS g(int4);']],
  ['CREATE PROCEDURE', 'CREATE PROCEDURE p(n bigint) LANGUAGE sql AS $$ SELECT n $$;', ['DROP PROCEDURE IF EXISTS p(int8);']],
  ['CREATE TRIGGER', 'CREATE TRIGGER touch BEFORE UPDATE ON app.t FOR EACH ROW EXECUTE FUNCTION f();', ['DROP TRIGGER IF EXISTS touch ON app.t;']],
  ['CREATE TYPE … AS ENUM', "CREATE TYPE app.mood AS ENUM ('sad', 'ok');", ['DROP TYPE IF EXISTS app.mood;']],
  ['CREATE TYPE (composite)', 'CREATE TYPE pair AS (a int, b int);', ['DROP TYPE IF EXISTS pair;']],
  ['CREATE TYPE … AS RANGE', 'CREATE TYPE floatrange AS RANGE (subtype = float8);', ['DROP TYPE IF EXISTS floatrange;']],
  ['CREATE DOMAIN', 'CREATE DOMAIN posint AS int CHECK (VALUE > 0);', ['DROP DOMAIN IF EXISTS posint;']],
  ['CREATE POLICY', 'CREATE POLICY own_rows ON app.docs USING (owner = current_user);', ['DROP POLICY IF EXISTS own_rows ON app.docs;']],
  ['RENAME TABLE', 'ALTER TABLE app.users RENAME TO accounts;', ['ALTER TABLE app.accounts RENAME TO users;']],
  ['RENAME COLUMN', 'ALTER TABLE users RENAME COLUMN name TO "Full Name";', ['ALTER TABLE users RENAME COLUMN "Full Name" TO name;']],
  ['RENAME INDEX', 'ALTER INDEX app.i1 RENAME TO i2;', ['ALTER INDEX app.i2 RENAME TO i1;']],
  ['RENAME CONSTRAINT', 'ALTER TABLE t RENAME CONSTRAINT c1 TO c2;', ['ALTER TABLE t RENAME CONSTRAINT c2 TO c1;']],
  ['RENAME VIEW', 'ALTER VIEW v1 RENAME TO v2;', ['ALTER VIEW v2 RENAME TO v1;']],
  ['RENAME MATERIALIZED VIEW', 'ALTER MATERIALIZED VIEW app.m1 RENAME TO m2;', ['ALTER MATERIALIZED VIEW app.m2 RENAME TO m1;']],
  ['RENAME SEQUENCE', 'ALTER SEQUENCE s1 RENAME TO s2;', ['ALTER SEQUENCE s2 RENAME TO s1;']],
  ['RENAME SCHEMA', 'ALTER SCHEMA a RENAME TO b;', ['ALTER SCHEMA b RENAME TO a;']],
  ['RENAME TYPE', 'ALTER TYPE app.e1 RENAME TO e2;', ['ALTER TYPE app.e2 RENAME TO e1;']],
  ['other renames', 'ALTER FUNCTION f(int) RENAME TO g;', ['-- TODO: rename g back']],
  ['ADD COLUMN', 'ALTER TABLE ONLY app.t ADD COLUMN IF NOT EXISTS "A" int;', ['ALTER TABLE app.t DROP COLUMN IF EXISTS "A";']],
  ['ADD CONSTRAINT', 'ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;', ['ALTER TABLE t DROP CONSTRAINT IF EXISTS t_a_check;']],
  ['unnamed constraint', 'ALTER TABLE t ADD CHECK (a > 0);', ['-- TODO: drop the unnamed constraint added by: ALTER TABLE t ADD CHECK (a > 0)']],
  ['SET NOT NULL', 'ALTER TABLE t ALTER COLUMN a SET NOT NULL;', ['ALTER TABLE t ALTER COLUMN a DROP NOT NULL;']],
  ['DROP NOT NULL', 'ALTER TABLE t ALTER COLUMN a DROP NOT NULL;', ['ALTER TABLE t ALTER COLUMN a SET NOT NULL;']],
  ['SET DEFAULT', 'ALTER TABLE t ALTER COLUMN a SET DEFAULT 0;', ['ALTER TABLE t ALTER COLUMN a DROP DEFAULT;']],
  ['DROP DEFAULT', 'ALTER TABLE t ALTER COLUMN a DROP DEFAULT;', ['-- TODO: restore the default of t.a']],
  ['VALIDATE CONSTRAINT needs nothing', 'ALTER TABLE t VALIDATE CONSTRAINT c;', []],
  ['DROP COLUMN', 'ALTER TABLE t DROP COLUMN a;', ['-- TODO: recreate column t.a (its data is gone)']],
  ['DROP CONSTRAINT', 'ALTER TABLE t DROP CONSTRAINT c;', ['-- TODO: recreate constraint c on t']],
  ['ALTER COLUMN TYPE', 'ALTER TABLE t ALTER COLUMN a TYPE bigint;', ['-- TODO: change t.a back to its previous type']],
  ['ENABLE ROW LEVEL SECURITY', 'ALTER TABLE docs ENABLE ROW LEVEL SECURITY;', ['ALTER TABLE docs DISABLE ROW LEVEL SECURITY;']],
  ['DISABLE ROW LEVEL SECURITY', 'ALTER TABLE docs DISABLE ROW LEVEL SECURITY;', ['ALTER TABLE docs ENABLE ROW LEVEL SECURITY;']],
  ['FORCE ROW LEVEL SECURITY', 'ALTER TABLE docs FORCE ROW LEVEL SECURITY;', ['ALTER TABLE docs NO FORCE ROW LEVEL SECURITY;']],
  ['other ALTER TABLE actions', 'ALTER TABLE t SET (fillfactor = 70);', ['-- TODO: undo: ALTER TABLE t SET (fillfactor = 70)']],
  [
    'several actions: undone last first',
    'ALTER TABLE t ADD COLUMN a int, ADD CONSTRAINT t_a_check CHECK (a > 0), ALTER COLUMN b SET NOT NULL;',
    ['ALTER TABLE t ALTER COLUMN b DROP NOT NULL;', 'ALTER TABLE t DROP CONSTRAINT IF EXISTS t_a_check;', 'ALTER TABLE t DROP COLUMN IF EXISTS a;'],
  ],
  ['COMMENT ON', "COMMENT ON COLUMN t.a IS 'the a';", ['COMMENT ON COLUMN t.a IS NULL;']],
  ['INSERT', "INSERT INTO plans (name) VALUES ('free');", ["-- TODO: undo the data change of: INSERT INTO plans (name) VALUES ('free')"]],
  ['UPDATE / DELETE / TRUNCATE', 'UPDATE t SET a = 1;\nDELETE FROM t;\nTRUNCATE t;', ['-- TODO: undo the data change of: TRUNCATE t', '-- TODO: undo the data change of: DELETE FROM t', '-- TODO: undo the data change of: UPDATE t SET a = 1']],
  ['DROP', 'DROP TABLE IF EXISTS legacy;', ['-- TODO: recreate what this drops: DROP TABLE IF EXISTS legacy']],
  ['ALTER TYPE … ADD VALUE', "ALTER TYPE mood ADD VALUE 'happy';", ["-- TODO: enum values cannot be removed; undo by hand if needed: ALTER TYPE mood ADD VALUE 'happy'"]],
  ['GRANT', 'GRANT SELECT ON t TO reader;', ['-- TODO: revoke what this grants: GRANT SELECT ON t TO reader']],
  [
    'settings, transactions, queries and maintenance need nothing',
    "BEGIN;\nSET lock_timeout = '5s';\nSELECT 1;\nANALYZE t;\nVACUUM t;\nDO $$ BEGIN NULL; END $$;\nREFRESH MATERIALIZED VIEW mv;\nCOMMIT;",
    [],
  ],
  ['a statement PostgreSQL rejects has no inverse', 'CREATE TABLE (;', []],
];

describe('inverse of each statement kind', () => {
  for (const [name, sql, expected] of CASES) {
    test(name, () => assert.deepEqual(rollbackOf(sql), expected));
  }
});

test('rollbackFor: inverses in reverse order, TODO lines in place', () => {
  const up = 'CREATE TABLE IF NOT EXISTS a (id int);\nINSERT INTO a VALUES (1);\nALTER TABLE b ADD COLUMN IF NOT EXISTS c int;\nCREATE INDEX IF NOT EXISTS b_c ON b (c);';
  assert.deepEqual(rollbackOf(up), [
    'DROP INDEX IF EXISTS b_c;',
    'ALTER TABLE b DROP COLUMN IF EXISTS c;',
    '-- TODO: undo the data change of: INSERT INTO a VALUES (1)',
    'DROP TABLE IF EXISTS a;',
  ]);
});

test('TODO summaries are one line, cut at 60 characters, never in the middle of an emoji', () => {
  const sql = `UPDATE t\r\n   SET note = '${'x'.repeat(36)}😀😀' WHERE id = 1;`;
  const [line] = rollbackOf(sql);
  // 60 characters of the source (the CRLF and indent count), then whitespace folded.
  assert.equal(line, `-- TODO: undo the data change of: UPDATE t SET note = '${'x'.repeat(35)}…`);
  const emoji = `UPDATE t SET note = '${'x'.repeat(38)}😀 and more text';`;
  assert.equal(rollbackOf(emoji)[0], `-- TODO: undo the data change of: UPDATE t SET note = '${'x'.repeat(38)}…`);
});

test('inversesOf carries what each inverse undoes, for matching a written DOWN part', () => {
  const sql = 'CREATE TABLE app.t (id int);';
  assert.deepEqual(inversesOf(parseSql(sql).statements[0], sql), [{ sql: 'DROP TABLE IF EXISTS app.t;', effect: 'table:app.t' }]);
});

/**
 * Round trip on a real PostgreSQL (PGlite): apply the UP part to a schema, run the generated
 * rollback, and the catalog is as it was.
 */
describe('the generated rollback restores the schema (PGlite)', () => {
  let db: PGlite;
  before(async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    db = new PGlite();
    await db.exec(`
      CREATE SCHEMA app;
      CREATE TABLE app.users (id int PRIMARY KEY, name text, email text);
      CREATE TABLE app.docs (id int PRIMARY KEY, owner text);
      CREATE TYPE app.mood AS ENUM ('sad', 'ok');
      CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
    `);
  });
  after(async () => db?.close());

  const snapshot = async () => {
    const user = `NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`;
    const queries = [
      `SELECT nspname FROM pg_namespace WHERE nspname ${user} AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast%' ORDER BY 1`,
      `SELECT n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname ${user} ORDER BY 1, 2`,
      `SELECT table_schema, table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema ${user} ORDER BY 1, 2, 3`,
      `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace::regnamespace::text ${user} ORDER BY 1, 2`,
      `SELECT schemaname, indexname, indexdef FROM pg_indexes WHERE schemaname ${user} ORDER BY 1, 2`,
      `SELECT t.typnamespace::regnamespace::text, t.typname, t.typtype FROM pg_type t WHERE t.typnamespace::regnamespace::text ${user} AND t.typtype IN ('e', 'd', 'r', 'c') AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c') ORDER BY 1, 2`,
      `SELECT p.pronamespace::regnamespace::text, p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p WHERE p.pronamespace::regnamespace::text ${user} ORDER BY 1, 2, 3`,
      `SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`,
      `SELECT schemaname, tablename, policyname FROM pg_policies ORDER BY 1, 2, 3`,
      `SELECT objoid::regclass::text, objsubid, description FROM pg_description WHERE classoid = 'pg_class'::regclass ORDER BY 1, 2`,
    ];
    const out: unknown[] = [];
    for (const q of queries) out.push((await db.query(q)).rows);
    return out;
  };

  const ROUND_TRIPS: [string, string][] = [
    ['tables, indexes, sequences, views', `
      CREATE TABLE app.webhook_inbox (id bigserial PRIMARY KEY, body jsonb NOT NULL);
      CREATE UNIQUE INDEX webhook_inbox_body_key ON app.webhook_inbox ((body->>'id'));
      CREATE SEQUENCE app.ticket_seq;
      CREATE VIEW app.recent AS SELECT id FROM app.webhook_inbox;
      CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) AS n FROM app.users;
      CREATE TABLE app.snapshot AS SELECT id FROM app.users;`],
    ['columns, constraints, defaults, nullability', `
      ALTER TABLE app.users ADD COLUMN plan text DEFAULT 'free', ADD CONSTRAINT users_plan_check CHECK (plan <> '') NOT VALID;
      ALTER TABLE app.users VALIDATE CONSTRAINT users_plan_check;
      ALTER TABLE app.users ALTER COLUMN email SET NOT NULL, ALTER COLUMN name SET DEFAULT 'anonymous';
      COMMENT ON TABLE app.users IS 'people';`],
    ['renames', `
      ALTER TABLE app.users RENAME COLUMN name TO full_name;
      ALTER TABLE app.users RENAME TO accounts;
      ALTER INDEX app.users_pkey RENAME TO accounts_pkey;
      ALTER TABLE app.accounts RENAME CONSTRAINT accounts_pkey TO accounts_pk;
      ALTER TYPE app.mood RENAME TO feeling;
      ALTER SCHEMA app RENAME TO application;
      ALTER SCHEMA application RENAME TO app;`],
    ['types, functions, triggers, policies, row level security', `
      CREATE SCHEMA billing;
      CREATE TYPE billing.state AS ENUM ('open', 'paid');
      CREATE TYPE billing.money_pair AS (a numeric, b numeric);
      CREATE TYPE billing.span AS RANGE (subtype = float8);
      CREATE DOMAIN billing.cents AS bigint CHECK (VALUE >= 0);
      CREATE FUNCTION billing.total(a int, b int[], OUT s int) LANGUAGE sql AS $$ SELECT a $$;
      CREATE PROCEDURE billing.settle(n bigint) LANGUAGE sql AS $$ SELECT n $$;
      CREATE TRIGGER docs_touch BEFORE UPDATE ON app.docs FOR EACH ROW EXECUTE FUNCTION app.touch();
      ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY own_docs ON app.docs USING (owner = current_user);`],
  ];

  for (const [name, up] of ROUND_TRIPS) {
    test(name, async () => {
      const before = await snapshot();
      await db.exec(up);
      assert.notDeepEqual(await snapshot(), before, 'the UP part changed the schema');
      const rollback = rollbackOf(up);
      assert.ok(rollback.every((line) => !line.startsWith('-- TODO')), `no TODO expected:\n${rollback.join('\n')}`);
      await db.exec(rollback.join('\n'));
      assert.deepEqual(await snapshot(), before);
    });
  }
});
