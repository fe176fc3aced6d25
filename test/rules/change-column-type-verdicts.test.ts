/**
 * change-column-type's verdicts for an old type the shadow schema or the migrations give (isFreeChange), one row per
 * type change, each held against a real PostgreSQL (PGlite): a change called free must replace
 * neither the table's file nor its index's (pg_class.relfilenode); one reported must replace one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import type { TypeName } from 'libpg-query';
import { isFreeChange } from '../../server/src/rules/change-column-type';
import { nodeOf, treeOf } from '../../server/src/sql/ast';
import { parseSql } from '../../server/src/sql/parse';
import { initParser } from '../../server/src/sql/pg';

/** [old type, new type, free]. */
const VERDICTS: [string, string, boolean][] = [
  ['varchar(50)', 'varchar(120)', true],
  ['varchar(50)', 'varchar(50)', true],
  ['varchar(120)', 'varchar(50)', false],
  ['varchar(50)', 'varchar', true],
  ['character varying(50)', 'text', true],
  ['varchar', 'text', true],
  ['text', 'varchar', true],
  ['text', 'varchar(10)', false],
  ['varchar', 'varchar(10)', false],
  ['integer', 'bigint', false],
  ['smallint', 'integer', false],
  ['bigint', 'integer', false],
  ['integer', 'int4', true],
  ['int', 'numeric', false],
  ['real', 'double precision', false],
  ['numeric(10,2)', 'numeric(12,2)', true],
  ['numeric(10,0)', 'numeric(12,0)', true],
  ['numeric(10)', 'numeric(12)', true],
  ['numeric(10,2)', 'numeric(12,3)', false],
  ['numeric(10,2)', 'numeric(8,2)', false],
  ['numeric(10,2)', 'numeric', true],
  ['numeric', 'numeric(10,2)', false],
  ['decimal(10,2)', 'numeric(14,2)', true],
  ['timestamp(3)', 'timestamp(6)', true],
  ['timestamp(3)', 'timestamp', true],
  ['timestamptz', 'timestamptz(6)', true],
  ['timestamptz(6)', 'timestamptz(3)', false],
  ['uuid', 'uuid', true],
  ['jsonb', 'jsonb', true],
  ['integer', 'integer', true],
  ['interval(3)', 'interval', true],
  ['varbit(5)', 'varbit(10)', true],
  ['timestamp(3)', 'timestamp', true],
  ['timestamp', 'timestamp(6)', true],
  ['timestamp', 'timestamp(3)', false],
  ['timestamp(6)', 'timestamp(0)', false],
  ['timestamp(0)', 'timestamp(3)', true],
  ['timestamptz(3)', 'timestamp with time zone', true],
  ['timestamp', 'timestamptz', false],
  ['timestamptz', 'timestamp', false],
  ['time(3)', 'time', true],
  ['timetz(3)', 'time(6) with time zone', true],
  ['interval(3)', 'interval', true],
  ['interval day', 'interval', true],
  ['interval', 'interval(3)', false],
  ['varbit(5)', 'bit varying(10)', true],
  ['bit varying(10)', 'varbit(5)', false],
  ['bit(5)', 'bit(10)', false],
  ['bit(5)', 'varbit', false],
  ['char(5)', 'char(10)', false],
  ['char(5)', 'text', false],
  ['char(5)', 'varchar(5)', false],
  ['varchar(5)', 'char(5)', false],
  ['cidr', 'inet', true],
  ['inet', 'cidr', false],
  ['uuid', 'text', false],
  ['date', 'timestamp', false],
  ['text', 'name', false],
  ['integer', 'oid', false],
  ['varchar(50)[]', 'varchar(50)[]', false],
  ['integer[]', 'integer[]', false],
  ['varchar(50)[]', 'varchar(100)[]', false],
  ['varchar[]', 'text[]', false],
  ['integer[]', 'bigint[]', false],
];

function typeOf(text: string): TypeName {
  const select = treeOf(parseSql(`SELECT NULL::${text}`).statements[0], 'SelectStmt');
  const type = nodeOf(nodeOf(select?.targetList?.[0], 'ResTarget')?.val, 'TypeCast')?.typeName;
  assert.ok(type, text);
  return type;
}

describe('change-column-type: which type changes are free, against PostgreSQL (PGlite)', () => {
  let db: PGlite;
  before(async () => {
    await initParser();
    db = new PGlite();
    // timestamp ↔ timestamptz is free only where the server's time zone is UTC: not something a migration can count on.
    await db.exec("SET TimeZone = 'Europe/Berlin'");
  });
  after(() => db.close());

  for (const [from, to, free] of VERDICTS) {
    test(`${from} → ${to}: ${free ? 'free' : 'reported'}`, async () => {
      assert.equal(isFreeChange(typeOf(from), typeOf(to)), free, 'verdict');
      const files = "SELECT relname, relfilenode::int AS file FROM pg_class WHERE relname IN ('t', 't_c_idx') ORDER BY relname";
      await db.exec('BEGIN');
      try {
        await db.exec(`CREATE TABLE t (c ${from}); INSERT INTO t VALUES (NULL); CREATE INDEX t_c_idx ON t ${from.endsWith(']') ? 'USING gin' : ''} (c)`);
        const beforeFiles = (await db.query<{ relname: string; file: number }>(files)).rows;
        await db.exec(`ALTER TABLE t ALTER COLUMN c TYPE ${to}`);
        const afterFiles = (await db.query<{ relname: string; file: number }>(files)).rows;
        assert.equal(beforeFiles.length, 2, 'the table and its index');
        const replaced = beforeFiles.filter((f, i) => afterFiles[i]?.file !== f.file).map((f) => f.relname);
        if (free) assert.deepEqual(replaced, [], 'a free change replaces no file');
        else assert.notDeepEqual(replaced, [], 'a reported change replaces the table or its index');
      } finally {
        await db.exec('ROLLBACK');
      }
    });
  }
});
