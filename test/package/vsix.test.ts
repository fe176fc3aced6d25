/** What `npm run package` puts in the .vsix: what the extension runs on, nothing of the sources. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

test('the packaged file list holds the bundles, the WASM, PGlite and metadata, and no sources or tests', () => {
  const run = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'ls'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const files = run.stdout.trim().split('\n').map((f) => f.trim());
  for (const needed of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'images/icon.png', 'dist/client.js', 'dist/server.js', 'dist/cli.js', 'dist/shadow-worker.js', 'dist/libpg-query.wasm', 'node_modules/@electric-sql/pglite/dist/pglite.wasm', 'node_modules/@electric-sql/pglite/dist/pglite.data', 'syntaxes/safemig-markers.tmLanguage.json', 'snippets/sql.json', 'docs/rules/drop-column.md']) {
    assert.ok(files.includes(needed), `${needed} is missing from the package`);
  }
  const leaked = files.filter((f) => /^(server|client|test|scripts|bench|examples|out|\.ci)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts') || f.endsWith('.map') || f.startsWith('node_modules/') && !f.startsWith('node_modules/@electric-sql/pglite/'));
  assert.deepEqual(leaked, []);
});
