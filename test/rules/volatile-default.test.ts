import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintSql } from '../helpers/lint';
import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

const DIR = '/project/db/migrations';
/** ente's now_utc_micro_seconds(): a SQL function of now(), inlined. */
const NOW_MICROS = "CREATE OR REPLACE FUNCTION now_micros() RETURNS bigint AS $$ SELECT CAST(extract(EPOCH FROM now() AT TIME ZONE 'utc') * 1000000 AS bigint) $$ LANGUAGE sql;";
const MAKE_CODE = 'CREATE FUNCTION make_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;';
const add = (column: string) => `ALTER TABLE t ADD COLUMN IF NOT EXISTS ${column};`;
/** The finding on the ADD COLUMN clause of `add(column)` on line `line`. */
const clause = (column: string, line = 0) => ({ messageId: 'rewritingDefault', range: [line, 14, line, 14 + `ADD COLUMN IF NOT EXISTS ${column}`.length] });

ruleTests('volatile-default', {
  valid: [
    // Since PostgreSQL 11 constants and stable functions are stored once in the catalog.
    add('created_at timestamptz NOT NULL DEFAULT now()'),
    add('created_at timestamptz DEFAULT CURRENT_TIMESTAMP'),
    add('created_on date DEFAULT now()::date'),
    add("started_at timestamptz DEFAULT statement_timestamp()"),
    add("kind text NOT NULL DEFAULT 'agent'"),
    add('n int DEFAULT 0'),
    add('flag boolean DEFAULT true'),
    add('note text DEFAULT NULL'),
    { sql: add('note text DEFAULT NULL::text'), config: { pgVersion: 10 } },
    // PostgreSQL 18's virtual generated columns are computed on read.
    add('doubled int GENERATED ALWAYS AS (a * 2) VIRTUAL'),
    // A function the migration declares STABLE; a function declared elsewhere is not judged.
    "CREATE OR REPLACE FUNCTION tenant() RETURNS text STABLE LANGUAGE sql AS $$ SELECT current_setting('app.tenant') $$;\n" + add('tenant text DEFAULT tenant()'),
    add('code text DEFAULT my_schema.make_code()'),
    // An earlier migration of the folder declares it STABLE (its newest declaration counts); one
    // that only its DOWN part or a comment creates, or one dropped since, is not judged.
    {
      sql: add('tenant text DEFAULT tenant()'),
      files: {
        [`${DIR}/20240101_fn.sql`]: 'CREATE FUNCTION tenant() RETURNS text LANGUAGE sql AS $$ SELECT 1::text $$;',
        [`${DIR}/20240201_fn.sql`]: "CREATE OR REPLACE FUNCTION tenant() RETURNS text STABLE LANGUAGE sql AS $$ SELECT current_setting('app.tenant') $$;",
      },
    },
    { sql: add('code text DEFAULT make_code()'), files: { [`${DIR}/20240101_fn.sql`]: `-- UP Migration\nSELECT 1;\n-- DOWN Migration\n${MAKE_CODE}` } },
    { sql: add('code text DEFAULT make_code()'), files: { [`${DIR}/20240101_fn.sql`]: `-- ${MAKE_CODE}\nSELECT $$ ${MAKE_CODE} $$;` } },
    { sql: add('code text DEFAULT make_code()'), files: { [`${DIR}/20240101_fn.sql`]: MAKE_CODE, [`${DIR}/20240201_drop.sql`]: 'DROP FUNCTION make_code();' } },
    // A SQL function PostgreSQL inlines (one SELECT of one expression) is as volatile as its expression: now() is not.
    { sql: add('at bigint DEFAULT now_micros()'), files: { [`${DIR}/20240101_fn.sql`]: NOW_MICROS } },
    `${NOW_MICROS}\n${add('at bigint DEFAULT now_micros()')}`,
    // A later migration's declaration is not this one's.
    { sql: add('code text DEFAULT make_code()'), files: { [`${DIR}/20990101_fn.sql`]: MAKE_CODE } },
    // SET DEFAULT only changes future inserts.
    'ALTER TABLE t ALTER COLUMN id SET DEFAULT gen_random_uuid();',
    // Tables this migration creates are empty.
    `CREATE TABLE IF NOT EXISTS t (a int);\n${add('id uuid DEFAULT gen_random_uuid()')}\n${add('n bigserial')}`,
    `-- ${add('id uuid DEFAULT gen_random_uuid()')}\nSELECT $$ ${add('id uuid DEFAULT gen_random_uuid()')} $$;`,
    ...inEveryDownPart(add('id uuid DEFAULT gen_random_uuid()')),
  ],
  invalid: [
    {
      sql: add('id uuid NOT NULL DEFAULT gen_random_uuid()'),
      errors: [
        {
          ...clause('id uuid NOT NULL DEFAULT gen_random_uuid()'),
          message:
            'Adding column id rewrites all of t and its indexes under an ACCESS EXCLUSIVE lock, because gen_random_uuid() is volatile, so PostgreSQL must compute it for every existing row: every query on the table waits for the rewrite.',
          help: 'Add the column without that default (or with a constant one), backfill existing rows in batches, then SET DEFAULT for new rows.',
        },
      ],
    },
    { sql: add('r float8 DEFAULT random()'), errors: [clause('r float8 DEFAULT random()')] },
    { sql: add('bucket int DEFAULT (random() * 10)::int'), errors: [clause('bucket int DEFAULT (random() * 10)::int')] },
    { sql: add('r float8 DEFAULT pg_catalog.random()'), errors: [clause('r float8 DEFAULT pg_catalog.random()')] },
    { sql: add('seen_at timestamptz DEFAULT clock_timestamp()'), errors: [clause('seen_at timestamptz DEFAULT clock_timestamp()')] },
    { sql: add('t text DEFAULT timeofday()'), errors: [clause('t text DEFAULT timeofday()')] },
    { sql: add("n bigint DEFAULT nextval('t_n_seq')"), errors: [clause("n bigint DEFAULT nextval('t_n_seq')")] },
    { sql: add('id uuid DEFAULT uuid_generate_v4()'), errors: [clause('id uuid DEFAULT uuid_generate_v4()')] },
    { sql: add('n serial'), errors: [clause('n serial')] },
    { sql: add('n bigserial PRIMARY KEY'), errors: [clause('n bigserial PRIMARY KEY')] },
    { sql: add('n bigint GENERATED ALWAYS AS IDENTITY'), errors: [clause('n bigint GENERATED ALWAYS AS IDENTITY')] },
    { sql: add('doubled int GENERATED ALWAYS AS (a * 2) STORED'), errors: [clause('doubled int GENERATED ALWAYS AS (a * 2) STORED')] },
    // A function this migration creates without a volatility is VOLATILE.
    {
      sql: `CREATE OR REPLACE FUNCTION make_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;\n${add('code text DEFAULT make_code()')}`,
      errors: [clause('code text DEFAULT make_code()', 1)],
    },
    // An earlier migration of the folder created it without a volatility: VOLATILE (lemmy's generate_unique_changeme()).
    { sql: add('code text DEFAULT make_code()'), files: { [`${DIR}/20240101_fn.sql`]: MAKE_CODE }, errors: [clause('code text DEFAULT make_code()')] },
    { sql: add('code text DEFAULT app.make_code()'), files: { [`${DIR}/20240101_fn.sql`]: MAKE_CODE.replace('make_code', 'app.make_code') }, errors: [clause('code text DEFAULT app.make_code()')] },
    // Not inlined (a FROM, PL/pgSQL): VOLATILE as declared, whatever the body calls.
    { sql: add('at bigint DEFAULT now_micros()'), files: { [`${DIR}/20240101_fn.sql`]: NOW_MICROS.replace(' AS bigint)', ' AS bigint) FROM pg_class LIMIT 1') }, errors: [clause('at bigint DEFAULT now_micros()')] },
    { sql: add('at bigint DEFAULT now_micros()'), files: { [`${DIR}/20240101_fn.sql`]: 'CREATE FUNCTION now_micros() RETURNS bigint AS $$ BEGIN RETURN extract(epoch FROM now())::bigint; END $$ LANGUAGE plpgsql;' }, errors: [clause('at bigint DEFAULT now_micros()')] },
    // Before PostgreSQL 11 every non-NULL default is written into every row.
    { sql: add('n int DEFAULT 0'), config: { pgVersion: 10 }, errors: [clause('n int DEFAULT 0')] },
    { sql: 'ALTER TABLE "App"."T" ADD "Id" uuid DEFAULT gen_random_uuid(), ADD b int DEFAULT 1;', errors: [{ messageId: 'rewritingDefault', range: [0, 22, 0, 61] }] },
    { path: GOOSE_PATH, sql: `-- +goose Up\n${add('id uuid DEFAULT gen_random_uuid()')}\n-- +goose Down\nALTER TABLE t DROP COLUMN IF EXISTS id;\n`, errors: [clause('id uuid DEFAULT gen_random_uuid()', 1)] },
    { sql: `SELECT 'é 😀';\r\n  ${add('id uuid DEFAULT gen_random_uuid()')}`, errors: [{ messageId: 'rewritingDefault', range: [1, 16, 1, 16 + 'ADD COLUMN IF NOT EXISTS id uuid DEFAULT gen_random_uuid()'.length] }] },
  ],
});

test('an expression thousands of levels deep (PostgreSQL accepts it) is read to its bottom', () => {
  // Left-deep: random() is the innermost operand, 3,000 levels down; a recursive walk ran out of stack.
  const { findings } = lintSql(`ALTER TABLE t ADD COLUMN IF NOT EXISTS a float8 DEFAULT random()${' + 1'.repeat(3000)};`);
  assert.deepEqual(findings.filter((f) => f.rule === 'volatile-default' || f.rule === 'internal-error').map((f) => f.rule), ['volatile-default']);
});
