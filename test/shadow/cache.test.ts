/**
 * The shadow cache (`check --shadow` keeps each migration's findings under a hash of everything
 * before it, and the state before the newest migration): a re-run reports what a cold run does;
 * an edit of an earlier migration changes the findings of the ones after it; an edit of the
 * newest is checked against the kept state. As processes, on real PGlite.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkJson, found, project, span } from './helpers';

const CACHE = join('node_modules', '.cache', 'safemig', 'shadow');
const USES = '-- UP Migration\nUPDATE a SET b = 1 WHERE id = 1;\n\n-- DOWN Migration (Rollback)\nSELECT 1;\n';

describe('the shadow cache', () => {
  const root = project({
    'db/migrations/001_a.sql': '-- UP Migration\nCREATE TABLE a (id int);\n\n-- DOWN Migration (Rollback)\nDROP TABLE a;\n',
    'db/migrations/002_c.sql': '-- UP Migration\nALTER TABLE a ADD COLUMN c int;\n\n-- DOWN Migration (Rollback)\nALTER TABLE a DROP COLUMN c;\n',
    'db/migrations/003_uses.sql': USES,
  });
  const errors = () => found(checkJson(['--shadow', 'db'], root).files, 'db/migrations/003_uses.sql', 'schema-error');
  const missing = [`${span(USES, 'b')} column "b" of relation "a" does not exist`];

  test('a cold run keeps findings and the state before the newest migration; a re-run reports the same', () => {
    assert.deepEqual(errors(), missing);
    const [folder] = readdirSync(join(root, CACHE));
    assert.ok(existsSync(join(root, CACHE, folder, 'cache.json')));
    assert.equal(readdirSync(join(root, CACHE, folder)).filter((name) => name.startsWith('state-')).length, 1);
    assert.deepEqual(errors(), missing);
  });

  test('an edit of an earlier migration invalidates the findings after it', () => {
    writeFileSync(join(root, 'db/migrations/001_a.sql'), '-- UP Migration\nCREATE TABLE a (id int, b int);\n\n-- DOWN Migration (Rollback)\nDROP TABLE a;\n');
    assert.deepEqual(errors(), []);
    writeFileSync(join(root, 'db/migrations/001_a.sql'), '-- UP Migration\nCREATE TABLE a (id int);\n\n-- DOWN Migration (Rollback)\nDROP TABLE a;\n');
    assert.deepEqual(errors(), missing);
  });

  test('an edit of the newest migration is checked against the kept state', () => {
    const typo = '-- UP Migration\nUPDATE a SET cc = 1 WHERE id = 1;\n\n-- DOWN Migration (Rollback)\nSELECT 1;\n';
    writeFileSync(join(root, 'db/migrations/003_uses.sql'), typo);
    assert.deepEqual(errors(), [`${span(typo, 'cc')} column "cc" of relation "a" does not exist`]);
    writeFileSync(join(root, 'db/migrations/003_uses.sql'), '-- UP Migration\nUPDATE a SET c = 1 WHERE id = 1;\n\n-- DOWN Migration (Rollback)\nSELECT 1;\n');
    assert.deepEqual(errors(), []);
  });
});
