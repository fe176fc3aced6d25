import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, fixOf, lintSql, rangesOf } from '../helpers/lint';
import { readSuppressions, suppressionMatcher } from '../../server/src/lint/suppressions';

const UP = '-- UP Migration\n';
const DOWN = '\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n';

test('an own-line safemig-ignore silences the next statement only', () => {
  const sql = `${UP}-- safemig-ignore drop-column: done in two steps\nALTER TABLE t DROP COLUMN IF EXISTS a;\nALTER TABLE t DROP COLUMN IF EXISTS b;\n${DOWN}`;
  const { findings } = lintSql(sql);
  assert.deepEqual(rangesOf(findings, 'drop-column'), [[3, 14, 3, 37]]);
  assert.deepEqual(rangesOf(findings, 'unused-suppression'), []);
});

test('a trailing safemig-ignore silences its own line', () => {
  const sql = `${UP}ALTER TABLE t DROP COLUMN IF EXISTS a; -- safemig-ignore drop-column\nALTER TABLE t DROP COLUMN IF EXISTS b;\n${DOWN}`;
  assert.deepEqual(rangesOf(lintSql(sql).findings, 'drop-column'), [[2, 14, 2, 37]]);
});

test('safemig-ignore-file silences the whole file', () => {
  const sql = `-- safemig-ignore-file drop-column, drop-table: legacy cleanup\n${UP}ALTER TABLE t DROP COLUMN IF EXISTS a;\nDROP TABLE IF EXISTS old;\n${DOWN}`;
  const { findings } = lintSql(sql);
  assert.equal(findings.filter((f) => f.rule === 'drop-column' || f.rule === 'drop-table').length, 0);
});

test('unknown rule IDs and unused suppressions are reported as info', () => {
  const sql = `${UP}-- safemig-ignore no-such-rule, drop-table\nALTER TABLE t ADD COLUMN IF NOT EXISTS a int;\n${DOWN}`;
  const { findings } = lintSql(sql);
  assert.deepEqual(rangesOf(findings, 'unknown-suppression-rule'), [[1, 18, 1, 30]]);
  assert.deepEqual(rangesOf(findings, 'unused-suppression'), [[1, 32, 1, 42]]);
  assert.ok(findings.filter((f) => f.rule.includes('suppression')).every((f) => f.severity === 'info'));
});

test('a suppression inside a string or dollar quote is not a suppression', () => {
  const sql = `${UP}SELECT '-- safemig-ignore drop-column';\nALTER TABLE t DROP COLUMN IF EXISTS a;\nSELECT $$ -- safemig-ignore drop-table $$;\n${DOWN}`;
  const { findings } = lintSql(sql);
  assert.equal(rangesOf(findings, 'drop-column').length, 1);
  assert.equal(rangesOf(findings, 'unused-suppression').length, 0);
});

test('the "ignore for this statement" fix silences the finding', () => {
  const sql = `${UP}  ALTER TABLE t DROP COLUMN IF EXISTS a;\n${DOWN}`;
  const { findings } = lintSql(sql);
  const fix = fixOf(findings.find((f) => f.rule === 'drop-column'), 'for this statement');
  const fixed = applyFix(fix, { '/project/db/migrations/20250101_test.sql': sql })['/project/db/migrations/20250101_test.sql'];
  assert.equal(fixed.split('\n')[1], '  -- safemig-ignore drop-column: <reason>');
  assert.equal(rangesOf(lintSql(fixed).findings, 'drop-column').length, 0);
});

test('the "ignore for this file" fix extends an existing file suppression', () => {
  const sql = `-- safemig-ignore-file drop-table: legacy\n${UP}DROP TABLE IF EXISTS old;\nALTER TABLE t DROP COLUMN IF EXISTS a;\n${DOWN}`;
  const { findings } = lintSql(sql);
  const fix = fixOf(findings.find((f) => f.rule === 'drop-column'), 'for this file');
  const fixed = applyFix(fix, { '/project/db/migrations/20250101_test.sql': sql })['/project/db/migrations/20250101_test.sql'];
  assert.equal(fixed.split('\n')[0], '-- safemig-ignore-file drop-table, drop-column: legacy');
  assert.equal(lintSql(fixed).findings.filter((f) => f.rule.startsWith('drop-')).length, 0);
});

test('thousands of suppressions: each silences its own statement, and the one that silences nothing is found', () => {
  const lines = Array.from({ length: 2000 }, (_, i) => `-- safemig-ignore require-if-not-exists: made by a generator\nCREATE TABLE t${i} (id int);`);
  // Line 2 × 1500 holds this one: drop-table has nothing to silence on its statement.
  lines[1500] = `-- safemig-ignore drop-table, require-if-not-exists\nCREATE TABLE t1500 (id int);`;
  lines[1800] = `CREATE TABLE t1800 (id int); -- safemig-ignore require-if-not-exists`;
  const { findings } = lintSql(`-- safemig-ignore-file missing-rollback\n${lines.join('\n')}\n`);
  assert.deepEqual(findings.map((f) => [f.rule, f.range.start.line, f.range.start.character]), [['unused-suppression', 3001, 18]]);
});

test('a finding placed by its start alone is silenced by the suppression of the statement holding it', () => {
  const { migration } = lintSql(`${UP}-- safemig-ignore drop-column\nALTER TABLE t DROP COLUMN IF EXISTS a;\nSELECT 1;\n${DOWN}`);
  const suppressions = readSuppressions(migration.text, migration.statements);
  const matcher = suppressionMatcher(suppressions, migration.statements);
  const [alter, select] = migration.statements;
  const key = `${suppressions[0].start}:drop-column`;
  assert.equal(matcher('drop-column', { start: alter.start + 14 }), key);
  assert.equal(matcher('drop-column', { statement: select, start: alter.end }), key);
  assert.equal(matcher('drop-column', { start: select.start }), undefined);
  assert.equal(matcher('drop-table', { statement: alter }), undefined);
});
