/**
 * The hover with the shadow's results (real PGlite): next to the lock table's explanation, the
 * locks PostgreSQL took for the statement and whether it rewrote the table. A statement whose
 * text no longer matches the observation gets the static explanation only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { mergeConfig } from '../../server/src/config/config';
import { lint } from '../../server/src/lint/lint';
import { hoverAt, observedLocksHover } from '../../server/src/lsp/hover';
import type { ShadowFile } from '../../server/src/shadow/findings';
import { runShadows } from '../../server/src/shadow/run';
import { initParser } from '../../server/src/sql/pg';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { ConfigResolver } from '../../server/src/workspace/settings';
import { TEST_CACHE_DIR } from '../database/helpers';
import { project } from '../shadow/helpers';

const MIGRATION = [
  '-- UP Migration',
  'ALTER TABLE accounts ALTER COLUMN name TYPE varchar(80);',
  'ALTER TABLE accounts ALTER COLUMN age TYPE bigint;',
  'CREATE INDEX idx_accounts_name ON accounts (name);',
  '',
].join('\n');

describe('hover: observed locks and rewrites next to the static explanation', () => {
  let shadow: ShadowFile;
  const root = project({
    '.safemig.json': JSON.stringify({ baseline: ['db/baseline.sql'] }),
    'db/baseline.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, name varchar(50), age integer);\n',
    'db/migrations/001_accounts.sql': MIGRATION,
  });
  const path = join(root, 'db/migrations/001_accounts.sql');
  const config = mergeConfig({ baseline: ['db/baseline.sql'] });
  before(async () => {
    await initParser();
    const fs = new DiskFileSystem();
    const results = await runShadows([path], fs, new ConfigResolver(fs, {}), { all: true, cacheDir: TEST_CACHE_DIR });
    shadow = results!.get(path)!;
  });
  const hover = (text: string, line: number, file = shadow) => hoverAt(lint(path, text, new DiskFileSystem(), config, { shadow: file }), config, { line, character: 14 })?.markdown ?? '';

  test('a free type change: ACCESS EXCLUSIVE taken, no table rewritten', () => {
    const text = hover(readFileSync(path, 'utf8'), 1);
    assert.ok(text.includes('**ALTER COLUMN name TYPE** takes **ACCESS EXCLUSIVE** on table `accounts`'), text);
    assert.ok(text.includes('**Observed in the shadow schema** (run against the schema before this migration):\n\n- takes **ACCESS EXCLUSIVE** on table `accounts`\n- no table rewritten'), text);
  });

  test('integer → bigint: the table was rewritten', () => {
    const text = hover(MIGRATION, 2);
    assert.ok(text.includes('- holds **ACCESS EXCLUSIVE** on table `accounts`, taken earlier in the transaction'), text);
    assert.ok(text.includes('- **rewrote** table `accounts`: every row was written to a new file'), text);
  });

  test('CREATE INDEX: SHARE would be taken, but the transaction already holds more; the index is created', () => {
    const text = hover(MIGRATION, 3);
    assert.ok(text.includes('- creates index `idx_accounts_name`'), text);
  });

  test('an edited statement (other offsets) gets the static explanation only', () => {
    const edited = MIGRATION.replace('varchar(80)', 'varchar(100)');
    const text = hover(edited, 2);
    assert.ok(text.includes('takes **ACCESS EXCLUSIVE** on table `accounts`'));
    assert.ok(!text.includes('Observed in the shadow schema'), text);
  });

  test('observedLocksHover: nothing to say for a statement that locked nothing, or ran without its CONCURRENTLY', () => {
    assert.equal(observedLocksHover({ start: 0, end: 1, locks: [], rewritten: [] }), undefined);
    const share = { relation: 'accounts', kind: 'table' as const, mode: 'SHARE' as const, taken: true };
    assert.match(observedLocksHover({ start: 0, end: 1, locks: [share], rewritten: [] }) ?? '', /takes \*\*SHARE\*\* on table `accounts`/);
    assert.equal(observedLocksHover({ start: 0, end: 1, locks: [share], rewritten: [], plainForm: true }), undefined);
  });
});
