import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../../server/src/lsp/documents';
import { lintSql } from '../helpers/lint';
import { ruleTests } from './rule-tester';

const DIR = '/project/db/migrations';
const SQL = 'SELECT 1;\n';
const FIRST_LINE = [{ messageId: 'duplicateVersion', range: [0, 0, 0, 9] }];
/** A folder holding these files (besides the linted one). */
const folder = (...names: string[]) => Object.fromEntries(names.map((n) => [`${DIR}/${n}`, SQL]));

ruleTests('duplicate-migration-version', {
  valid: [
    { path: `${DIR}/002_b.sql`, files: folder('001_a.sql', '003_c.sql'), sql: SQL, noVariant: true },
    // The files of one migration share its version.
    { path: `${DIR}/002_b.up.sql`, files: folder('001_a.up.sql', '001_a.down.sql', '002_b.down.sql'), sql: SQL, noVariant: true },
    { path: `${DIR}/002_b.sql`, files: folder('001_a.sql', 'rollback_001_a.sql', 'rollback_002_b.sql'), sql: SQL, noVariant: true },
    { path: `${DIR}/V2__b.sql`, files: folder('V1__a.sql', 'U2__b.sql', 'R__views.sql', 'R__grants.sql'), sql: SQL, noVariant: true },
    {
      path: '/project/migrations/2024-01-02-000000_b/up.sql',
      files: { '/project/migrations/2024-01-02-000000_b/down.sql': SQL, '/project/migrations/2024-01-01-000000_a/up.sql': SQL },
      sql: SQL,
      noVariant: true,
    },
    // Hand-run YYYYMMDD_description.sql files: several migrations a day are normal.
    { path: `${DIR}/20251122_b.sql`, files: folder('20251122_a.sql'), sql: SQL, noVariant: true },
    // Several shared versions are the folder's practice: its runner orders by whole file name.
    { path: `${DIR}/0001_b.up.sql`, files: folder('0000_a.up.sql', '0000_b.up.sql', '0001_a.up.sql', '0002_a.up.sql', '0002_b.up.sql'), sql: SQL, noVariant: true },
  ],
  invalid: [
    {
      path: `${DIR}/003_b.sql`,
      files: folder('001_a.sql', '003_a.sql'),
      sql: SQL,
      noVariant: true,
      errors: [
        {
          ...FIRST_LINE[0],
          message: 'Version 003 is also used by 003_a.sql: which one runs first is undefined, and a history keyed by version records only one of them.',
          help: 'Give this migration the next free version.',
        },
      ],
    },
    // 003 and 3 are one version.
    { path: `${DIR}/3_b.sql`, files: folder('001_a.sql', '003_a.sql'), sql: SQL, noVariant: true, errors: FIRST_LINE },
    // Each file of a duplicated migration reports, its rollback twin too.
    { path: `${DIR}/002_b.down.sql`, files: folder('002_b.up.sql', '002_a.up.sql', '002_a.down.sql'), sql: SQL, noVariant: true, errors: FIRST_LINE },
    { path: `${DIR}/rollback_002_b.sql`, files: folder('002_a.sql', '002_b.sql'), sql: SQL, noVariant: true, errors: FIRST_LINE },
    { path: '/project/migrations/20240101120000_b.sql', files: { '/project/migrations/20240101120000_a.sql': '-- +goose Up\n' }, sql: '-- +goose Up\nSELECT 1;\n', noVariant: true, errors: [{ messageId: 'duplicateVersion', range: [0, 0, 0, 12] }] },
    {
      path: '/project/migrations/2024-01-01-000000_b/up.sql',
      files: { '/project/migrations/2024-01-01-000000_a/up.sql': SQL },
      sql: SQL,
      noVariant: true,
      errors: FIRST_LINE,
    },
    { path: `${DIR}/V1.1__b.sql`, files: folder('V1_1__a.sql'), sql: SQL, noVariant: true, errors: FIRST_LINE },
  ],
});

describe('in the editor, folder rules follow files added, renamed and deleted', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'safemig-folder-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** A workspace as the language server has it, and the file-event handler of lsp/main.ts. */
  function editor() {
    const open = new Map<string, TextDocument>();
    const workspace = new Workspace((uri) => open.get(uri), () => [root]);
    return {
      open(path: string): TextDocument {
        const document = TextDocument.create(pathToFileURL(path).toString(), 'sql', 1, readFileSync(path, 'utf8'));
        open.set(document.uri, document);
        return document;
      },
      rules(document: TextDocument, rule: string): string[] {
        return (workspace.stateOf(document, {})?.result?.findings ?? []).filter((f) => f.rule === rule).map((f) => f.message);
      },
      fileEvents(...paths: string[]): void {
        for (const path of paths) workspace.invalidate(path);
      },
    };
  }

  test('a plain migrations folder', () => {
    const dir = join(root, 'plain/db/migrations');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '001_a.sql'), SQL);
    writeFileSync(join(dir, '002_b.sql'), SQL);
    const e = editor();
    const document = e.open(join(dir, '002_b.sql'));
    assert.deepEqual(e.rules(document, 'duplicate-migration-version'), []);

    writeFileSync(join(dir, '002_c.sql'), SQL);
    e.fileEvents(join(dir, '002_c.sql'));
    assert.match(e.rules(document, 'duplicate-migration-version')[0], /Version 002 is also used by 002_c\.sql/);

    renameSync(join(dir, '002_c.sql'), join(dir, '003_c.sql'));
    e.fileEvents(join(dir, '002_c.sql'), join(dir, '003_c.sql'));
    assert.deepEqual(e.rules(document, 'duplicate-migration-version'), []);

    writeFileSync(join(dir, 'notes.sql'), SQL);
    writeFileSync(join(dir, '004_d.sql'), SQL);
    e.fileEvents(join(dir, 'notes.sql'), join(dir, '004_d.sql'));
    assert.equal(e.rules(e.open(join(dir, 'notes.sql')), 'migration-file-name').length, 1);
    unlinkSync(join(dir, 'notes.sql'));
    e.fileEvents(join(dir, 'notes.sql'));
    assert.deepEqual(e.rules(document, 'migration-file-name'), []);
  });

  test('diesel: a migration folder added next to the others', () => {
    const migrations = join(root, 'diesel/migrations');
    for (const name of ['2024-01-01-000000_a', '2024-01-02-000000_b']) {
      mkdirSync(join(migrations, name), { recursive: true });
      writeFileSync(join(migrations, name, 'up.sql'), SQL);
      writeFileSync(join(migrations, name, 'down.sql'), SQL);
    }
    const e = editor();
    const document = e.open(join(migrations, '2024-01-02-000000_b/up.sql'));
    assert.deepEqual(e.rules(document, 'duplicate-migration-version'), []);
    mkdirSync(join(migrations, '2024-01-02-000000_c'));
    writeFileSync(join(migrations, '2024-01-02-000000_c/up.sql'), SQL);
    e.fileEvents(join(migrations, '2024-01-02-000000_c/up.sql'));
    assert.match(e.rules(document, 'duplicate-migration-version')[0], /also used by 2024-01-02-000000_c\//);
  });
});

test('the message names the runner and what it does with the duplicate', () => {
  const { findings } = lintSql('-- +goose Up\nSELECT 1;\n', { path: '/project/migrations/20240101120000_b.sql', files: { '/project/migrations/20240101120000_a.sql': '-- +goose Up\n' } });
  assert.match(findings.find((f) => f.rule === 'duplicate-migration-version')!.message, /Version 20240101120000 is also used by 20240101120000_a\.sql: goose refuses to run/);
});
