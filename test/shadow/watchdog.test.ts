/**
 * A migration whose statement never ends (a loop, a long sleep, a recursive CTE without end)
 * cannot hang `check --shadow`: PGlite cannot cancel it, so the shadow's worker is ended after
 * `shadowTimeout` seconds, the migration gets shadow-incomplete there, and the rest of the folder
 * is still checked. Run as a process with a generous limit: the test fails if the run does not end.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { CLI } from '../helpers/cli';
import { TEST_CACHE_DIR } from '../database/helpers';
import { Diagnostic, found, project, span } from './helpers';

const LOOP = '-- UP Migration\nDO $$ BEGIN LOOP END LOOP; END $$;\n';
const SLEEP = '-- UP Migration\nALTER TABLE a ADD COLUMN slept int;\nSELECT pg_sleep(1e6);\n';
const CTE = '-- UP Migration\nWITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;\n';
const AFTER = '-- UP Migration\nALTER TABLE a ADD COLUMN b int;\nUPDATE a SET zz = 1 WHERE id = 1;\n';

describe('check --shadow on migrations that never end', () => {
  const root = project({
    '.safemig.json': '{ "shadowTimeout": 1 }',
    'db/migrations/001_a.sql': '-- UP Migration\nCREATE TABLE a (id int);\n',
    'db/migrations/002_loop.sql': LOOP,
    'db/migrations/003_sleep.sql': SLEEP,
    'db/migrations/004_cte.sql': CTE,
    'db/migrations/005_after.sql': AFTER,
  });
  const run = spawnSync(process.execPath, [CLI, 'check', '--shadow', '--format', 'json', 'db'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SAFEMIG_CACHE_DIR: TEST_CACHE_DIR },
    timeout: 240_000,
  });

  test('the run ends, by itself', () => {
    assert.equal(run.signal, null, `killed after 240 s: ${run.stderr}`);
    assert.equal(run.status, 1, run.stderr);
  });

  const files = new Map((JSON.parse(run.stdout || '{"files":[]}') as { files: { path: string; diagnostics: Diagnostic[] }[] }).files.map((f) => [f.path, f.diagnostics]));
  const stopped = (text: string, statement: string) => [
    `${span(text, statement)} The schema checks stopped for this file: this statement ran longer than 1 s in the shadow schema and was stopped (a loop that never ends?). The shadow schema holds no data, so a statement that runs this long there will likely run long or forever on the database too. PGlite cannot cancel a statement: the shadow was stopped and rebuilt without this migration. The bound is "shadowTimeout" in .safemig.json (seconds, 1 to 60, default 10).`,
  ];

  test('each such migration says so, on its statement', () => {
    assert.deepEqual(found(files, 'db/migrations/002_loop.sql', 'shadow-incomplete'), stopped(LOOP, 'DO $$ BEGIN LOOP END LOOP; END $$'));
    // The part runs in one call first: the span is the part's when the statement is not known alone.
    const sleep = found(files, 'db/migrations/003_sleep.sql', 'shadow-incomplete');
    assert.equal(sleep.length, 1);
    assert.match(sleep[0], /ran longer than 1 s/);
    assert.deepEqual(found(files, 'db/migrations/004_cte.sql', 'shadow-incomplete'), stopped(CTE, 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r'));
  });

  test('the migrations after them are still checked against the schema', () => {
    assert.deepEqual(found(files, 'db/migrations/005_after.sql', 'schema-error'), [`${span(AFTER, 'zz')} column "zz" of relation "a" does not exist`]);
  });
});
