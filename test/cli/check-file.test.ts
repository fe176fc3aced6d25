/** One file of `safemig check` in-process: what is reported when the engine fails on a file. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFile } from '../../server/src/cli/check-file';
import { initParser } from '../../server/src/sql/pg';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { ConfigResolver } from '../../server/src/workspace/settings';

let root: string;
before(async () => {
  await initParser();
  root = mkdtempSync(join(tmpdir(), 'safemig-check-file-'));
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
  writeFileSync(join(root, 'db', 'migrations', '001_users.sql'), 'CREATE TABLE users (id int);\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A file system that fails where the engine does not expect it to: its cache. */
class FailingCache extends DiskFileSystem {
  override memo<T>(): T {
    throw new Error('cache failed');
  }
}

test('a file the engine fails on is reported on that file as internal-error, and the check goes on', () => {
  const fs = new FailingCache();
  const path = join(root, 'db', 'migrations', '001_users.sql');
  const report = checkFile(path, 'db/migrations/001_users.sql', fs, new ConfigResolver(fs));
  assert.equal(report.path, 'db/migrations/001_users.sql');
  assert.deepEqual(report.findings.map((f) => [f.rule, f.severity, f.range.start.line, f.range.start.character]), [['internal-error', 'error', 0, 0]]);
  assert.match(report.findings[0].message, /^Not checked: safemig failed on this file \(cache failed\)\. This is a bug in safemig/);
  // Its severity is a setting like any rule's.
  const lowered = checkFile(path, 'x.sql', fs, new ConfigResolver(fs, { rules: { 'internal-error': 'warning' } }));
  assert.equal(lowered.findings[0].severity, 'warning');
  assert.deepEqual(checkFile(path, 'x.sql', fs, new ConfigResolver(fs, { rules: { 'internal-error': 'off' } })).findings, []);
  // The same file on a working file system is checked.
  const disk = new DiskFileSystem();
  assert.deepEqual(checkFile(path, 'x.sql', disk, new ConfigResolver(disk)).findings.map((f) => f.rule), ['missing-rollback', 'require-if-not-exists']);
});
