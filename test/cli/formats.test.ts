/**
 * `safemig check` output for CI, from the built CLI (`node dist/cli.js`, built by `npm test` or
 * `node scripts/build.mjs`) run on a temporary tree: SARIF 2.1.0, GitHub workflow annotations,
 * and `--max-warnings`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RULE_IDS } from '../../server/src/rules';

const CLI = resolve(__dirname, '../../dist/cli.js');

/** Two migrations: one clean, one with a warning on line 3 (after a multi-byte comment line). */
const TREE: Record<string, string> = {
  'db/migrations/001_create_users.sql': '-- UP Migration\nCREATE TABLE IF NOT EXISTS users (id int);\n\n-- DOWN Migration (Rollback)\n-- DROP TABLE IF EXISTS users;\n',
  'db/migrations/002_index.sql': "-- UP Migration: café 😀\nSET lock_timeout = '5s';\nCREATE INDEX IF NOT EXISTS users_id ON users (id);\n\n-- DOWN Migration (Rollback)\n-- DROP INDEX IF EXISTS users_id;\n",
  'broken/db/migrations/001_tx.sql': '-- UP Migration\nBEGIN;\nSELECT 1;\n\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n',
};

let root: string;

function run(args: string[], cwd = root): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run \`node scripts/build.mjs\` first`);
  root = mkdtempSync(join(tmpdir(), 'safemig-formats-'));
  for (const [path, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});

after(() => rmSync(root, { recursive: true, force: true }));

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; helpUri: string; shortDescription: { text: string } }[] } };
    columnKind: string;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
    }[];
  }[];
}

describe('--format sarif', () => {
  test('is SARIF 2.1.0 with every rule, its help URI, and 1-based regions', () => {
    const { code, stdout } = run(['check', 'db', '--format', 'sarif']);
    assert.equal(code, 0, 'warnings alone exit 0');
    const log = JSON.parse(stdout) as SarifLog;
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const [run0] = log.runs;
    assert.equal(run0.tool.driver.name, 'safemig');
    assert.equal(run0.columnKind, 'utf16CodeUnits');
    assert.deepEqual(run0.tool.driver.rules.map((r) => r.id).sort(), [...RULE_IDS].sort());
    for (const rule of run0.tool.driver.rules) {
      assert.equal(rule.helpUri, `https://github.com/safemig/safemig/blob/main/docs/rules/${rule.id}.md`);
      assert.ok(rule.shortDescription.text.length > 0);
    }
    assert.equal(run0.results.length, 1);
    const [result] = run0.results;
    assert.equal(result.ruleId, 'non-concurrent-index');
    assert.equal(run0.tool.driver.rules[result.ruleIndex].id, 'non-concurrent-index');
    assert.equal(result.level, 'warning');
    assert.match(result.message.text, /SHARE lock/);
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    assert.deepEqual(artifactLocation, { uri: 'db/migrations/002_index.sql', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(region, { startLine: 3, startColumn: 1, endLine: 3, endColumn: 50 });
  });

  test('errors are level "error" and fail the run', () => {
    const { code, stdout } = run(['check', 'broken', '--format', 'sarif']);
    assert.equal(code, 1);
    const [result] = (JSON.parse(stdout) as SarifLog).runs[0].results;
    assert.equal(result.ruleId, 'unbalanced-transaction');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 6 });
  });
});

describe('--format github', () => {
  test('prints one workflow annotation line per finding', () => {
    const { code, stdout } = run(['check', 'db', '--format', 'github']);
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^::warning file=db\/migrations\/002_index\.sql,line=3,col=1,endLine=3,endColumn=50,title=safemig non-concurrent-index::CREATE INDEX on users holds a SHARE lock/);
  });

  test('errors are ::error lines; notices for info', () => {
    assert.match(run(['check', 'broken', '--format', 'github']).stdout, /^::error file=broken\/db\/migrations\/001_tx\.sql,line=2,col=1,endLine=2,endColumn=6,title=safemig unbalanced-transaction::/);
    const dir = join(root, 'info');
    mkdirSync(join(dir, 'db/migrations'), { recursive: true });
    writeFileSync(join(dir, 'db/migrations/001_x.sql'), '-- UP Migration\nALTER TABLE t DROP CONSTRAINT IF EXISTS c;\n\n-- DOWN Migration (Rollback)\n-- SELECT 1;\n');
    assert.match(run(['check', 'info', '--format', 'github']).stdout, /^::notice file=info\/db\/migrations\/001_x\.sql,line=2,col=1,endLine=2,endColumn=42,title=safemig require-lock-timeout::/m);
  });
});

describe('--max-warnings', () => {
  test('fails when the warnings are more than N', () => {
    const strict = run(['check', 'db', '--max-warnings', '0']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /1 warnings \(more than --max-warnings 0\)/);
    assert.equal(run(['check', 'db', '--max-warnings', '1']).code, 0);
  });

  test('takes a whole number', () => {
    const bad = run(['check', 'db', '--max-warnings', 'many']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-warnings takes a whole number/);
  });

  test('an unknown format is a usage error naming the formats', () => {
    const bad = run(['check', 'db', '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /text, json, sarif, github/);
  });
});
