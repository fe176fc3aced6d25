/**
 * The seeds' layouts (test/fixtures/seeds, modelled on ../shared/seeds 000, 001, 002 and 004):
 * migrations that alter tables their folder does not create. `safemig verify` (a process, on a
 * throwaway embedded database) starts from the configured baseline and passes on each; a new
 * embedded database for `safemig apply` starts from it too.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli';
import { TEST_CACHE_DIR } from './helpers';

const SEEDS = join(__dirname, '..', 'fixtures', 'seeds');

/** [seed folder, migration file in it]: every migration that alters a table its folder does not create. */
const CASES: [string, string][] = [
  ['000-safety-analysis', 'database/migrations/20251122_track_agent_architecture.sql'],
  ['001-execution-steps', 'docs/schema_updates/10_conversation_archive.sql'],
  ['001-execution-steps', 'docs/schema_updates/11_session_tracking.sql'],
  ['002-shared-tables', 'migrations/agent/20251018_agent_tables.sql'],
  ['002-shared-tables', 'migrations/agent/20251019_add_retry_columns.sql'],
  ['002-shared-tables', 'migrations/shared/20251125_document_chunks_embedding_model.sql'],
  ['004-rollback-files', 'backend/db/migrations/002_create_call_events.sql'],
  ['004-rollback-files', 'backend/db/migrations/004_alter_messages.sql'],
];

const env = { SAFEMIG_CACHE_DIR: TEST_CACHE_DIR };

describe('verify on the seeds\' layouts starts from the baseline', () => {
  for (const [seed, file] of CASES) {
    test(`${seed}: safemig verify ${file}`, () => {
      // Run from the migration's own folder, as a user would: the config is found upwards.
      const path = join(SEEDS, seed, file);
      const run = runCli(['verify', path.slice(dirname(path).length + 1), '--format', 'json'], dirname(path), env);
      const report = JSON.parse(run.stdout) as { ok: boolean; steps: { name: string; ok: boolean; lines: string[] }[] };
      assert.equal(run.code, 0, `${run.stderr}\n${JSON.stringify(report.steps, null, 2)}`);
      assert.equal(report.ok, true);
      assert.match(report.steps[0].lines[0], /^applied the baseline \(/);
      // 001's schema updates have no DOWN part (the rollback is in the document): its step says so.
      const rollback = !file.includes('schema_updates');
      assert.deepEqual(report.steps.map((s) => s.name), rollback ? ['prepare', 'up', 'down', 'up again', 'up twice'] : ['prepare', 'up', 'down', 'up twice']);
    });
  }

  test('the baseline statements the database rejects are skipped and named (a dump\'s OWNER TO, a policy on a platform schema)', () => {
    const run = runCli(['verify', 'database/migrations/20251122_track_agent_architecture.sql'], join(SEEDS, '000-safety-analysis'), env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /1\. prepare: apply the baseline\n {4}applied the baseline \(baseline\.sql\), skipping 1 statement it rejects:\n {6}baseline\.sql line 9: role "signalwire_app" does not exist\n/);
  });

  test('without the baseline, verify cannot start on them (what it said before)', () => {
    const root = mkdtempSync(join(tmpdir(), 'safemig-seed-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    cpSync(join(SEEDS, '004-rollback-files'), root, { recursive: true });
    rmSync(join(root, '.safemig.json'));
    const run = runCli(['verify', 'backend/db/migrations/004_alter_messages.sql'], root, env);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /relation "messages" does not exist/);
  });
});

describe('apply on a new embedded database starts from the baseline', () => {
  test('002: the agent migrations apply on the shared tables; the database is made once', () => {
    const root = mkdtempSync(join(tmpdir(), 'safemig-seed-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    cpSync(join(SEEDS, '002-shared-tables'), root, { recursive: true });
    const first = runCli(['apply', 'migrations/agent/20251018_agent_tables.sql'], root, env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /new embedded database: applied the baseline \(shared-tables\.sql\)\n/);
    const second = runCli(['apply', 'migrations/agent/20251019_add_retry_columns.sql'], root, env);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.doesNotMatch(second.stdout, /applied the baseline/);
    const shared = runCli(['apply', '--force', 'migrations/shared/20251125_document_chunks_embedding_model.sql'], root, env);
    assert.equal(shared.code, 0, shared.stdout + shared.stderr);
  });
});
