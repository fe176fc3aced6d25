/**
 * Every file of the shared corpus of real migrations through the CLI: a result for each, no
 * crash, and no syntax error on any file PostgreSQL's own parser accepts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');

test('the corpus: a result for every file, no crash, no false syntax error', { skip: !existsSync(CORPUS) && 'no ../shared/corpus here' }, () => {
  const rows = readFileSync(join(CORPUS, 'postgres-accepts.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
  const accepted = new Map(rows.map(([project, path, accepts]) => [`files/${project}/${path}`, accepts === 'true']));
  const paths = [...accepted.keys()];
  const run = runCli(['check', '--format', 'json', ...paths], CORPUS);
  assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
  const files: { path: string; diagnostics: { rule: string; message: string }[] }[] = JSON.parse(run.stdout).files;
  assert.equal(files.length, paths.length, 'one result per file');
  assert.deepEqual(files.map((f) => f.path), paths);
  const falseSyntaxErrors = files.filter((f) => accepted.get(f.path) && f.diagnostics.some((d) => d.rule === 'syntax-error'));
  assert.deepEqual(falseSyntaxErrors.map((f) => `${f.path}: ${f.diagnostics.find((d) => d.rule === 'syntax-error')!.message}`), []);
  const unreadable = files.filter((f) => f.diagnostics.some((d) => d.rule === 'unreadable-file' || d.rule === 'file-too-large'));
  assert.deepEqual(unreadable.map((f) => f.path), []);
  // The parser is the authority: a file it rejects gets at least one syntax error.
  const missed = files.filter((f) => accepted.get(f.path) === false && !f.diagnostics.some((d) => d.rule === 'syntax-error'));
  assert.ok(missed.length <= files.length * 0.01, `${missed.length} rejected files without a syntax error: ${missed.slice(0, 5).map((f) => f.path).join(', ')}`);
});
