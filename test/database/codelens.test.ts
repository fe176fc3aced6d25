/** CodeLens above the UP and DOWN parts: where they sit and which command they run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLensesOf } from '../../server/src/lsp/codelens';
import type { DocumentState } from '../../server/src/lsp/documents';
import { lintSql } from '../helpers/lint';

function lenses(sql: string, path?: string, files?: Record<string, string>) {
  const result = lintSql(sql, { path, files });
  const state = { uri: 'file:///p/x.sql', path: path ?? '', version: 1, resolved: { config: {} }, result } as unknown as DocumentState;
  return codeLensesOf(state).map((l) => `${l.range.start.line} ${l.command?.title} ${l.command?.command} ${JSON.stringify(l.command?.arguments)}`);
}

test('template sections: Apply and Verify on the UP marker, Roll back on the DOWN marker (commented out: uncommented)', () => {
  const sql = '-- Migration: x\n\n-- UP Migration\nCREATE TABLE a (id int);\n\n-- DOWN Migration (Rollback)\n-- DROP TABLE a;\n';
  assert.deepEqual(lenses(sql), [
    '2 Apply UP safemig.apply ["file:///p/x.sql"]',
    '2 Verify round trip safemig.verify ["file:///p/x.sql"]',
    '5 Roll back (DOWN, uncommented) safemig.rollback ["file:///p/x.sql"]',
  ]);
});

test('goose markers; a file without markers gets its lens on its first statement; empty parts get none', () => {
  const goose = '/p/migrations/20240101000000_x.sql';
  assert.deepEqual(lenses('-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\n', goose), [
    '0 Apply UP safemig.apply ["file:///p/x.sql"]',
    '0 Verify round trip safemig.verify ["file:///p/x.sql"]',
  ]);
  assert.deepEqual(lenses('-- creates a\n\nCREATE TABLE a (id int);\n', '/p/db/migrations/001_a.sql'), [
    '2 Apply UP safemig.apply ["file:///p/x.sql"]',
    '2 Verify round trip safemig.verify ["file:///p/x.sql"]',
  ]);
});

test('a down file gets Roll back only', () => {
  const down = '/p/migrate/0001_x.down.sql';
  assert.deepEqual(lenses('DROP TABLE x;\n', down, { '/p/migrate/0001_x.up.sql': 'CREATE TABLE x (id int);\n' }), ['0 Roll back (DOWN) safemig.rollback ["file:///p/x.sql"]']);
});
