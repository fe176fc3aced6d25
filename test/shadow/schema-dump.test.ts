/**
 * `safemig schema dump` as a process against this machine's PostgreSQL (SAFEMIG_TEST_DATABASE_URL;
 * skipped when unset): a varied schema is dumped, the dump loaded into the embedded database, and
 * the two catalogs compared.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openThrowawayEmbedded } from '../../server/src/database/embedded';
import { diffSnapshots, formatChange, SchemaChange, snapshot } from '../../server/src/database/schema';
import { initParser } from '../../server/src/sql/pg';
import { baselineStatements } from '../../server/src/shadow/statements';
import { SERVER_URL, serverTestTarget, TEST_CACHE_DIR, TestTarget, writeTree } from '../database/helpers';
import { cli } from './helpers';

const SCHEMA = `
CREATE SCHEMA auth;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (a integer, b text);
CREATE SEQUENCE ticket_seq START 100;
CREATE TABLE auth.users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL UNIQUE);
CREATE TABLE documents (
  id bigserial PRIMARY KEY, owner uuid REFERENCES auth.users (id) ON DELETE CASCADE, title varchar(200) NOT NULL,
  m mood DEFAULT 'ok', n positive, ticket integer DEFAULT nextval('ticket_seq'), body text,
  words int GENERATED ALWAYS AS (length(body)) STORED, price numeric(10, 2), tags text[],
  CHECK (length(title) > 0)
);
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE UNLOGGED TABLE scratch (k text);
CREATE INDEX idx_documents_title ON documents (lower(title)) WHERE body IS NOT NULL;
CREATE UNIQUE INDEX idx_documents_ticket ON documents (ticket);
CREATE INDEX idx_events_at ON events (at);
CREATE FUNCTION doc_count(u uuid) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM public.documents WHERE owner = u $$;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.title := trim(NEW.title); RETURN NEW; END $$;
CREATE PROCEDURE noop() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TRIGGER trg_touch BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW titled AS SELECT id, title FROM documents WHERE body IS NOT NULL;
CREATE VIEW titled2 AS SELECT * FROM titled;
CREATE MATERIALIZED VIEW doc_stats AS SELECT owner, count(*) AS n FROM documents GROUP BY owner;
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_docs ON documents FOR SELECT USING (owner IS NOT NULL);
`;

/**
 * What differs only because the embedded PostgreSQL is another major version than the server:
 * its extension versions, PostgreSQL 16+ writing view columns without their table's name, and
 * 17+ showing a partition's identity column as identity.
 */
function versionDifference(change: SchemaChange): boolean {
  if (change.change !== 'altered') return false;
  if (change.kind === 'extension') return change.details.every((d) => d.startsWith('version:'));
  if (change.kind === 'view' || change.kind === 'materialized view') {
    return change.details.every((d) => {
      const [before, after] = d.replace(/^definition: /, '').split(' → ');
      return after !== undefined && before.replace(/\b\w+\.(\w+)/g, '$1') === after;
    });
  }
  return change.kind === 'column' && change.name.startsWith('events_2025.') && change.details.every((d) => d === 'identity ALWAYS added');
}

describe('schema dump', { skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set' }, () => {
  let server: TestTarget;
  const dir = writeTree({});
  before(async () => {
    await initParser();
    server = await serverTestTarget();
    await server.target.run(SCHEMA);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the dump of a varied schema loads into the embedded database and gives the same catalog', async () => {
    const run = cli(['schema', 'dump', '--db', server.url!, '--out', 'baseline.sql'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /wrote the schema of PostgreSQL [\d.]+ at .* to baseline\.sql/);
    const sql = readFileSync(join(dir, 'baseline.sql'), 'utf8');
    const embedded = await openThrowawayEmbedded({ cacheDir: TEST_CACHE_DIR });
    try {
      for (const statement of baselineStatements('baseline.sql', sql)) {
        await embedded.run(statement.sql).catch((error: Error) => assert.fail(`${statement.where}: ${error.message}\n${statement.sql}`));
      }
      const differences = diffSnapshots(await snapshot(server.target), await snapshot(embedded)).filter((c) => !versionDifference(c)).map(formatChange);
      assert.deepEqual(differences, []);
    } finally {
      await embedded.close();
    }
  });

  test('--schema keeps to the schemas named; without --out the SQL goes to stdout', () => {
    const run = cli(['schema', 'dump', '--db', server.url!, '--schema', 'auth'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /CREATE TABLE auth\.users \(/);
    assert.doesNotMatch(run.stdout, /public\.documents/);
  });

  test('the dev-database guard applies', () => {
    const url = server.url!.replace(/\/[^/?]+(\?|$)/, '/production$1');
    const run = cli(['schema', 'dump', '--db', url], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /refusing to run on it: .* does not look like a dev database: database name "production" matches/);
  });
});
