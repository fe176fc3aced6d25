/**
 * The injection grammar (syntaxes/safemig-markers.tmLanguage.json): the grammar test cases of
 * test/grammar/*.sql run by vscode-tmgrammar-test (over a minimal base SQL grammar, the fixture,
 * and the grammar as package.json contributes it), and the grammar agrees with the engine on which
 * lines are markers, over every comment line of the shared corpus that mentions one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanMarkers } from '../../server/src/migration/conventions/markers';

const ROOT = join(__dirname, '..', '..');
const BASE = 'test/grammar/fixtures/sql.tmLanguage.json';
const GRAMMAR = 'syntaxes/safemig-markers.tmLanguage.json';
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'files');

function runGrammarTests(...cases: string[]) {
  // package.json is read for the injection grammar (contributes.grammars); -g adds the base.
  return spawnSync('npx', ['--no-install', 'vscode-tmgrammar-test', '-g', BASE, ...cases], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

test('package.json injects the grammar into SQL', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.grammars, [{ scopeName: 'safemig.markers.injection', path: './syntaxes/safemig-markers.tmLanguage.json', injectTo: ['source.sql'] }]);
  const grammar = JSON.parse(readFileSync(join(ROOT, GRAMMAR), 'utf8'));
  assert.equal(grammar.scopeName, 'safemig.markers.injection');
  assert.equal(grammar.injectionSelector, 'L:source.sql -string -comment');
});

test('the grammar test cases pass', () => {
  const cases = readdirSync(join(ROOT, 'test', 'grammar')).filter((f) => f.endsWith('.sql'));
  assert.deepEqual(cases.sort(), ['markers.sql', 'sqitch.sql', 'suppressions.sql']);
  const run = runGrammarTests('test/grammar/*.sql');
  assert.equal(run.status, 0, run.stdout + run.stderr);
  for (const name of cases) assert.match(run.stdout, new RegExp(`✓ test/grammar/${name.replace('.', '\\.')} run successfuly`));
});

test('a wrong assertion fails the run (the runner really checks scopes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safemig-grammar-'));
  try {
    const wrong = readFileSync(join(ROOT, 'test', 'grammar', 'markers.sql'), 'utf8').replace('-- ^^^^^^^^^ keyword.control.marker.safemig', '-- ^^^^^^^^^ keyword.control.directive.safemig');
    writeFileSync(join(dir, 'wrong.sql'), wrong);
    const run = runGrammarTests(join(dir, 'wrong.sql'));
    assert.notEqual(run.status, 0);
    assert.match(run.stdout, /missing required scopes: keyword\.control\.directive\.safemig/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface Token {
  startIndex: number;
  endIndex: number;
  scopes: string[];
}
interface Grammar {
  tokenizeLine(line: string, stack: unknown): { tokens: Token[]; ruleStack: unknown };
}

/** The base fixture and the injection, loaded by the library vscode-tmgrammar-test runs on. */
async function loadGrammar(): Promise<Grammar> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createRegistryFromGrammars } = require('vscode-tmgrammar-test/dist/common/index.js');
  const registry = createRegistryFromGrammars([
    { grammar: { path: join(ROOT, BASE), scopeName: 'source.sql' }, content: readFileSync(join(ROOT, BASE), 'utf8') },
    { grammar: { path: join(ROOT, GRAMMAR), scopeName: 'safemig.markers.injection', injectTo: ['source.sql'] }, content: readFileSync(join(ROOT, GRAMMAR), 'utf8') },
  ]);
  return registry.loadGrammar('source.sql');
}

function* sqlFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sqlFiles(path);
    else if (name.endsWith('.sql')) yield path;
  }
}

test('the grammar highlights exactly the lines the engine reads as UP / DOWN markers', async () => {
  const grammar = await loadGrammar();
  const lines = new Set<string>([
    '-- UP Migration',
    '-- DOWN Migration (Rollback)',
    '-- Up Migration',
    '--- down migrations ---',
    '-- ===== DOWN MIGRATION =====',
    '-- Down Migration: drop the column',
    '-- Down migration is not supported',
    '-- Up migration for users',
    '    -- +goose Up',
    '-- +goose Down',
    '-- +goose Upgrade',
    '-- +goose NO TRANSACTION',
    '-- +goose StatementBegin',
    '-- migrate:up transaction:false',
    '-- migrate:down',
    '-- migrate:upgrade',
    '--migrate:up',
  ]);
  if (existsSync(CORPUS)) {
    for (const file of sqlFiles(CORPUS)) {
      for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
        if (/^\s*--/.test(line) && /\b(up|down)\b|goose|migrate:/i.test(line) && line.length < 200) lines.add(line);
      }
    }
  }
  // With the corpus beside the repository, its marker-like lines too (without it, the list above).
  assert.ok(lines.size > (existsSync(CORPUS) ? 100 : 15), `${lines.size} lines`);
  const disagreements: string[] = [];
  for (const line of lines) {
    const scan = scanMarkers(`${line}\n`);
    const engine = scan.markers.length > 0 || scan.gooseNoTransaction;
    const { tokens } = grammar.tokenizeLine(line, null);
    const highlighted = tokens.some((t) => t.scopes.includes('keyword.control.marker.safemig') || (t.scopes.includes('keyword.control.directive.safemig') && /no\s+transaction/i.test(line)));
    if (engine !== highlighted) disagreements.push(`${engine ? 'engine only' : 'grammar only'}: ${JSON.stringify(line)}`);
  }
  assert.deepEqual(disagreements, []);
});
