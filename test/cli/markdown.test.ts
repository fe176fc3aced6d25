/** `safemig check --format markdown`, as a process: a pull-request comment with a summary and linked rules. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const DOCS = 'https://github.com/safemig/safemig/blob/main/docs/rules/';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'safemig-markdown-'));
  write('db/migrations/001_users.sql', '-- UP Migration\nCREATE TABLE IF NOT EXISTS users (id int);\n\n-- DOWN Migration (Rollback)\nDROP TABLE IF EXISTS users;\n');
  write('db/migrations/002_add.sql', "-- UP Migration\nSET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN IF NOT EXISTS n int NOT NULL;\nALTER TABLE users DROP COLUMN IF EXISTS \"x|[link](http://evil)<b>\";\n\n-- DOWN Migration (Rollback)\nALTER TABLE users DROP COLUMN IF EXISTS n;\n");
  write('clean/db/migrations/001_users.sql', '-- UP Migration\nCREATE TABLE IF NOT EXISTS users (id int);\n\n-- DOWN Migration (Rollback)\nDROP TABLE IF EXISTS users;\n');
});

after(() => rmSync(root, { recursive: true, force: true }));

test('a summary table first, then each file with findings: line, severity, rule linked to its doc, message', () => {
  const run = runCli(['check', 'db', '--format', 'markdown'], root);
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 7), [
    '<!-- safemig -->',
    '## safemig: migrations need changes',
    '',
    '| Files | Errors | Warnings | Info |',
    '| ---: | ---: | ---: | ---: |',
    '| 2 | 1 | 1 | 0 |',
    '',
  ]);
  assert.deepEqual(lines.slice(7, 11), ['### db/migrations/002\\_add.sql', '', '| Line | Severity | Rule | Message |', '| ---: | --- | --- | --- |']);
  assert.match(lines[11], new RegExp(`^\\| 3:\\d+ \\| 🛑 error \\| \\[add-required-column\\]\\(${DOCS}add-required-column\\.md\\) \\| `));
  assert.match(lines[12], new RegExp(`^\\| 4:\\d+ \\| ⚠️ warning \\| \\[drop-column\\]\\(${DOCS}drop-column\\.md\\) \\| `));
  assert.equal(lines.length, 14, 'the clean file has no section');
  // A name from the repository cannot add a link, markup or a table cell.
  assert.ok(lines[12].includes('x\\|\\[link\\]\\(http://evil\\)\\<b\\>'), lines[12]);
  assert.equal(lines[12].split(/(?<!\\)\|/).length, 6);
});

test('a run without findings says so', () => {
  const run = runCli(['check', 'clean', '--format', 'markdown'], root);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '<!-- safemig -->\n## safemig: no problems found\n\n| Files | Errors | Warnings | Info |\n| ---: | ---: | ---: | ---: |\n| 1 | 0 | 0 | 0 |\n');
});
