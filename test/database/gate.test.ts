/** What Apply All Pending asks about before it runs: the UP statements that destroy data, by line; nothing for a file apply refuses anyway. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../server/src/config/config';
import { destructiveUp } from '../../server/src/database/gate';
import { initParser } from '../../server/src/sql/pg';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';

const ROOT = mkdtempSync(join(tmpdir(), 'safemig-gate-'));
const PATH = join(ROOT, 'db', 'migrations', '002_x.sql');
before(() => initParser());
after(() => rmSync(ROOT, { recursive: true, force: true }));

function ask(text: string | undefined): string[] {
  mkdirSync(join(ROOT, 'db', 'migrations'), { recursive: true });
  if (text === undefined) rmSync(PATH, { force: true });
  else writeFileSync(PATH, text);
  return destructiveUp({ fs: new DiskFileSystem(), config: defaultConfig(), path: PATH });
}

test('the UP part\'s drops, truncates and unfiltered deletes, with their lines; not the DOWN part\'s', () => {
  const text = '-- UP Migration\nCREATE TABLE b (id int);\nDROP TABLE a;\nALTER TABLE b DROP COLUMN id;\nDELETE FROM b WHERE id = 1;\nTRUNCATE b;\n\n-- DOWN Migration\nDROP TABLE b;\n';
  assert.deepEqual(ask(text), ['DROP TABLE a (line 3)', 'DROP COLUMN b.id (line 4)', 'TRUNCATE b (line 6)']);
});

test('nothing for a migration that destroys nothing, or that cannot be planned (apply refuses it, saying why)', () => {
  assert.deepEqual(ask('-- UP Migration\nCREATE VIEW v AS SELECT 1;\n\n-- DOWN Migration\nDROP VIEW v;\n'), []);
  assert.deepEqual(ask('-- UP Migration\nCREATE TABLE (;\n'), []);
  assert.deepEqual(ask(undefined), []);
});
