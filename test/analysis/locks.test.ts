/**
 * The lock table (server/src/analysis/locks.ts) against a real PostgreSQL (PGlite, PostgreSQL 18):
 * each statement runs inside a transaction, and the locks the backend then holds (pg_locks) and
 * whether the table's file was replaced (pg_class.relfilenode) must be what the table says.
 * CONCURRENTLY forms cannot run in a transaction, so they are checked against the docs only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { blockedBy, conflicts, LOCK_MODES, locksOf, mayBlockWrites, PG_LOCKS_MODE } from '../../server/src/analysis/locks';
import { parseSql } from '../../server/src/sql/parse';
import { initParser } from '../../server/src/sql/pg';

const FIXTURE = `
CREATE TABLE parent (id int PRIMARY KEY, a int, b text);
CREATE TABLE child (id int PRIMARY KEY, pid int, x int);
CREATE INDEX child_x ON child (x);
CREATE UNIQUE INDEX child_id_u ON child (id);
INSERT INTO parent SELECT g, g, 'x' FROM generate_series(1, 50) g;
INSERT INTO child SELECT g, g, g FROM generate_series(1, 50) g;
CREATE TABLE part (id int, k int) PARTITION BY RANGE (k);
CREATE TABLE part1 PARTITION OF part FOR VALUES FROM (0) TO (10);
CREATE TABLE loose (id int, k int);
ALTER TABLE child ADD CONSTRAINT chk CHECK (x > 0);
ALTER TABLE child ADD CONSTRAINT fk FOREIGN KEY (pid) REFERENCES parent (id);
CREATE VIEW v AS SELECT * FROM parent;
CREATE MATERIALIZED VIEW mv AS SELECT id FROM parent;
CREATE UNIQUE INDEX mv_id ON mv (id);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t1 BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION trg();
CREATE POLICY p1 ON parent USING (true);
`;

/** One statement of each kind the lock table knows. */
const STATEMENTS = [
  'CREATE INDEX ON child (pid)',
  'CREATE UNIQUE INDEX child_pid_u ON child (pid)',
  'CREATE INDEX ON ONLY part (k)',
  'DROP INDEX child_x',
  'DROP TABLE loose',
  'DROP VIEW v',
  'DROP MATERIALIZED VIEW mv',
  'DROP TRIGGER t1 ON child',
  'DROP POLICY p1 ON parent',
  'REINDEX TABLE child',
  'REINDEX INDEX child_x',
  'ALTER TABLE child ADD COLUMN z int DEFAULT 1',
  'ALTER TABLE child ADD COLUMN z timestamptz DEFAULT now()',
  'ALTER TABLE child ADD COLUMN z uuid DEFAULT gen_random_uuid()',
  'ALTER TABLE child ADD COLUMN z float8 DEFAULT random()',
  'ALTER TABLE child ADD COLUMN z bigserial',
  'ALTER TABLE child ADD COLUMN z int GENERATED ALWAYS AS IDENTITY',
  'ALTER TABLE child ADD COLUMN z int GENERATED ALWAYS AS (x * 2) STORED',
  'ALTER TABLE child ADD COLUMN z int GENERATED ALWAYS AS (x * 2) VIRTUAL',
  'ALTER TABLE child ADD COLUMN z int REFERENCES parent (id)',
  'ALTER TABLE child ADD COLUMN z int UNIQUE',
  'ALTER TABLE child ADD CONSTRAINT c2 CHECK (x > 0)',
  'ALTER TABLE child ADD CONSTRAINT c2 CHECK (x > 1) NOT VALID',
  'ALTER TABLE child ADD CONSTRAINT fk2 FOREIGN KEY (pid) REFERENCES parent (id)',
  'ALTER TABLE child ADD CONSTRAINT fk2 FOREIGN KEY (pid) REFERENCES parent (id) NOT VALID',
  'ALTER TABLE child ADD CONSTRAINT u UNIQUE (x)',
  'ALTER TABLE child ADD CONSTRAINT u UNIQUE USING INDEX child_id_u',
  'ALTER TABLE child VALIDATE CONSTRAINT chk',
  'ALTER TABLE child DROP CONSTRAINT chk',
  'ALTER TABLE child DROP COLUMN x',
  'ALTER TABLE child ALTER COLUMN x TYPE bigint',
  'ALTER TABLE child ALTER COLUMN x SET NOT NULL',
  'ALTER TABLE child ALTER COLUMN x DROP NOT NULL',
  'ALTER TABLE child ALTER COLUMN x SET DEFAULT 5',
  'ALTER TABLE child ALTER COLUMN x DROP DEFAULT',
  'ALTER TABLE child ALTER COLUMN x SET STATISTICS 100',
  'ALTER TABLE child SET (fillfactor = 70)',
  'ALTER TABLE child SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)',
  'ALTER TABLE child SET (user_catalog_table = false)',
  'ALTER TABLE child CLUSTER ON child_x',
  'ALTER TABLE child DISABLE TRIGGER t1',
  'ALTER TABLE child ENABLE ROW LEVEL SECURITY',
  'ALTER TABLE child REPLICA IDENTITY FULL',
  'ALTER TABLE part ATTACH PARTITION loose FOR VALUES FROM (10) TO (20)',
  'ALTER TABLE part DETACH PARTITION part1',
  'ALTER TABLE child SET UNLOGGED',
  'ALTER TABLE child RENAME TO child2',
  'ALTER TABLE child RENAME COLUMN x TO y',
  'ALTER TABLE child RENAME CONSTRAINT chk TO chk2',
  'ALTER INDEX child_x RENAME TO child_x2',
  'ALTER TRIGGER t1 ON child RENAME TO t2',
  'TRUNCATE child',
  'CREATE TRIGGER t3 AFTER INSERT ON child FOR EACH ROW EXECUTE FUNCTION trg()',
  'CREATE OR REPLACE TRIGGER t1 BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION trg()',
  'ANALYZE child',
  'CLUSTER child USING child_x',
  'REFRESH MATERIALIZED VIEW mv',
  'REFRESH MATERIALIZED VIEW CONCURRENTLY mv',
  'LOCK TABLE child IN SHARE MODE',
  'LOCK TABLE child',
  "COMMENT ON TABLE child IS 'x'",
  "COMMENT ON COLUMN child.x IS 'x'",
  'CREATE STATISTICS s1 ON x, pid FROM child',
  'CREATE POLICY p2 ON child USING (true)',
  'ALTER POLICY p1 ON parent USING (false)',
  'CREATE TABLE n (id int REFERENCES parent (id))',
  'CREATE TABLE n PARTITION OF part FOR VALUES FROM (10) TO (20)',
  'CREATE TABLE n () INHERITS (parent)',
  'UPDATE child SET x = 1',
  'DELETE FROM child WHERE id = 1',
  'INSERT INTO child VALUES (1000, 1, 1)',
  'MERGE INTO child c USING parent p ON c.id = p.id WHEN MATCHED THEN UPDATE SET x = 2',
];

const RELATIONS = "SELECT c.relname, c.oid::int AS oid, c.relfilenode::int AS relfilenode, i.indrelid::regclass::text AS indexed FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relnamespace = 'public'::regnamespace";

describe('lock table against PostgreSQL 18 (PGlite)', () => {
  let db: PGlite;
  before(async () => {
    await initParser();
    db = new PGlite();
    await db.exec(FIXTURE);
  });
  after(() => db.close());

  for (const sql of STATEMENTS) {
    test(sql, async () => {
      const [statement] = parseSql(sql).statements;
      const locks = locksOf(statement, { pgVersion: 18, functions: new Map() });
      assert.ok(locks.length > 0, 'the lock table knows this statement');

      type Relation = { relname: string; oid: number; relfilenode: number; indexed: string | null };
      const beforeRows = (await db.query<Relation>(RELATIONS)).rows;
      await db.exec('BEGIN');
      try {
        await db.exec(sql);
        const held = (await db.query<{ oid: number; mode: string }>("SELECT relation::int AS oid, mode FROM pg_locks WHERE locktype = 'relation' AND pid = pg_backend_pid()")).rows;
        const afterRows = (await db.query<Relation>(RELATIONS)).rows;
        for (const lock of locks) {
          // DROP INDEX locks the index's table; the table says which index.
          const named = beforeRows.find((r) => r.relname === lock.target);
          assert.ok(named, `${lock.target} is in the fixture`);
          const table = lock.ofIndex ? beforeRows.find((r) => r.relname === named.indexed) : named;
          const modes = held.filter((h) => h.oid === table!.oid).map((h) => PG_LOCKS_MODE[h.mode]);
          const strongest = modes.sort((a, b) => LOCK_MODES.indexOf(b) - LOCK_MODES.indexOf(a))[0];
          assert.equal(strongest, lock.mode, `${lock.action}: lock on ${table!.relname}`);
          const now = afterRows.find((r) => r.oid === table!.oid);
          const rewritten = now !== undefined && now.relfilenode !== table!.relfilenode;
          if (now) assert.equal(rewritten, lock.rewrite !== undefined, `${lock.action}: rewrite of ${table!.relname}${lock.rewrite ? ` (${lock.rewrite})` : ''}`);
        }
      } finally {
        await db.exec('ROLLBACK');
      }
    });
  }
});

describe('lock table: forms that cannot run in a transaction (from the docs)', () => {
  before(() => initParser());
  const modeOf = (sql: string) => locksOf(parseSql(sql).statements[0], { pgVersion: 16, functions: new Map() }).map((l) => l.mode);
  test('CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which lets reads and writes go on', () => {
    assert.deepEqual(modeOf('CREATE INDEX CONCURRENTLY i ON t (a)'), ['SHARE UPDATE EXCLUSIVE']);
    assert.deepEqual(modeOf('DROP INDEX CONCURRENTLY i'), ['SHARE UPDATE EXCLUSIVE']);
    assert.deepEqual(modeOf('REINDEX TABLE CONCURRENTLY t'), ['SHARE UPDATE EXCLUSIVE']);
    assert.deepEqual(modeOf('ALTER TABLE p DETACH PARTITION c CONCURRENTLY'), ['SHARE UPDATE EXCLUSIVE']);
    assert.deepEqual(blockedBy('SHARE UPDATE EXCLUSIVE'), { reads: false, writes: false, ddl: true });
  });
  test('VACUUM, VACUUM FULL', () => {
    assert.deepEqual(modeOf('VACUUM t'), ['SHARE UPDATE EXCLUSIVE']);
    assert.deepEqual(modeOf('VACUUM (FULL) t'), ['ACCESS EXCLUSIVE']);
  });
  test('older servers: ATTACH PARTITION and ALTER INDEX RENAME took ACCESS EXCLUSIVE before PostgreSQL 12', () => {
    const at = (sql: string, pgVersion: number) => locksOf(parseSql(sql).statements[0], { pgVersion, functions: new Map() }).map((l) => l.mode);
    assert.deepEqual(at('ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)', 11), ['ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE']);
    assert.deepEqual(at('ALTER INDEX i RENAME TO j', 11), ['ACCESS EXCLUSIVE']);
    // Before 11 any non-NULL default rewrites.
    assert.ok(locksOf(parseSql('ALTER TABLE t ADD COLUMN a int DEFAULT 0').statements[0], { pgVersion: 10, functions: new Map() })[0].rewrite);
  });
  test('the conflict table is symmetric, as in "Conflicting Lock Modes"', () => {
    for (const a of LOCK_MODES) for (const b of LOCK_MODES) assert.equal(conflicts(a, b), conflicts(b, a), `${a} / ${b}`);
  });

  test('mayBlockWrites is false only where locksOf has no lock that blocks writes', () => {
    const others = ['SELECT 1', "SET lock_timeout = '5s'", 'BEGIN', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$', 'MERGE INTO parent p USING child c ON p.id = c.id WHEN MATCHED THEN DELETE'];
    for (const sql of [...STATEMENTS, ...others]) {
      for (const statement of parseSql(sql).statements) {
        const blocking = locksOf(statement, { pgVersion: 18, functions: new Map() }).filter((l) => blockedBy(l.mode).writes);
        if (!mayBlockWrites(statement)) assert.deepEqual(blocking, [], sql);
      }
    }
    assert.equal(mayBlockWrites(parseSql('UPDATE parent SET a = 1').statements[0]), false);
    assert.equal(mayBlockWrites(parseSql('ALTER TABLE parent ADD COLUMN c int').statements[0]), true);
  });
});
