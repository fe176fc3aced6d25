/**
 * shadow-incomplete: a migration naming a table the folder does not describe is not judged
 * against the shadow (info, once, on the first such statement); typos still are.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkJson, found, project, span } from './helpers';

const OWN = '-- UP Migration\nCREATE TABLE agents (id bigint PRIMARY KEY, name text);\n\n-- DOWN Migration (Rollback)\nDROP TABLE agents;\n';
const SHARED = [
  '-- UP Migration',
  'ALTER TABLE agents ADD COLUMN nick text;',
  'ALTER TABLE documents ADD COLUMN agent_id bigint;',
  'CREATE INDEX idx_chunks_agent ON document_chunks (agent_id);',
  'UPDATE agents SET nick = nmae;',
  '',
].join('\n');
const TYPO = '-- UP Migration\nALTER TABLE agnets ADD COLUMN x int;\n';
const FAILED = '-- UP Migration\nCREATE TABLE runs (id bigint PRIMARY KEY, document_id bigint REFERENCES documents (id));\n';
const AFTER = '-- UP Migration\nCREATE INDEX idx_runs_document ON runs (document_id);\n';

describe('shadow-incomplete', () => {
  const root = project({
    'db/migrations/001_agents.sql': OWN,
    'db/migrations/002_shared.sql': SHARED,
    'db/migrations/003_typo.sql': TYPO,
    'db/migrations/004_failed.sql': FAILED,
    'db/migrations/005_after.sql': AFTER,
  });
  const { files } = checkJson(['--shadow', 'db'], root);

  test('once, on the first statement naming a table no earlier migration creates; the file\'s schema checks are skipped', () => {
    assert.deepEqual(found(files, 'db/migrations/002_shared.sql', 'shadow-incomplete'), [
      `${span(SHARED, 'documents')} The schema checks are skipped for this file: documents is not in the shadow schema (neither the baseline nor an earlier migration of this folder creates it). Add a baseline: write the schema the migrations run on to a file (\`safemig schema dump --db URL --out db/baseline.sql\`) and name it in .safemig.json ("baseline": ["db/baseline.sql"]).`,
    ]);
    // The typo of the last statement is not reported: the file is not judged.
    assert.deepEqual(found(files, 'db/migrations/002_shared.sql', 'schema-error'), []);
  });

  test('a missing name within edit distance 2 of a known table is a schema-error, without a baseline', () => {
    assert.deepEqual(found(files, 'db/migrations/003_typo.sql', 'schema-error'), [`${span(TYPO, 'agnets')} relation "agnets" does not exist: did you mean "agents"?`]);
    assert.deepEqual(found(files, 'db/migrations/003_typo.sql', 'shadow-incomplete'), []);
  });

  test('what an earlier migration failed to make in the shadow is not blamed on a later one', () => {
    assert.equal(found(files, 'db/migrations/004_failed.sql', 'shadow-incomplete').length, 1);
    assert.deepEqual(found(files, 'db/migrations/005_after.sql', 'schema-error'), []);
    assert.deepEqual(found(files, 'db/migrations/005_after.sql', 'shadow-incomplete'), [
      `${span(AFTER, 'runs', 1)} The schema checks are skipped for this file: runs is not in the shadow schema because a statement that makes it failed there (004_failed.sql line 2: relation "documents" does not exist). Fix that statement, or add what it makes to the baseline ("baseline" in .safemig.json).`,
    ]);
  });

  test('severity and suppression as for any rule', () => {
    const quiet = project({
      '.safemig.json': JSON.stringify({ rules: { 'shadow-incomplete': 'off' } }),
      'db/migrations/001_agents.sql': OWN,
      'db/migrations/002_shared.sql': `-- safemig-ignore-file schema-error: shared tables\n${SHARED}`,
    });
    const result = checkJson(['--shadow', 'db'], quiet);
    assert.deepEqual(found(result.files, 'db/migrations/002_shared.sql', 'shadow-incomplete'), []);
  });
});
