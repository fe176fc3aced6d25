/**
 * One marker scanner: discovery (a SQL file outside the `migrations` globs is a migration when it
 * opens an UP section) and detection (which splits the file into sections) agree on every line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeConfig } from '../../server/src/config/config';
import { detectConvention } from '../../server/src/migration/recognise';
import { isMigrationFile } from '../../server/src/workspace/settings';
import { MemoryFileSystem } from '../helpers/memory-fs';

const CONFIG = mergeConfig({ migrations: ['migrations/**/*.sql'] });
const PATH = '/p/scripts/0001_x.sql'; // outside the globs: only the markers can make it a migration
const FS = new MemoryFileSystem({});

/** Lines that open an UP section (or read like one), per marker family. */
const FAMILIES: Record<string, { accepted: string[]; rejected: string[] }> = {
  goose: {
    accepted: ['-- +goose Up', '    -- +goose Up', '--+goose up'],
    rejected: ['-- +goose Upgrade', '-- +goose Down', '-- +goose NO TRANSACTION'],
  },
  dbmate: {
    accepted: ['-- migrate:up', '--migrate:up', '-- migrate:up transaction:false'],
    rejected: ['-- migrate:upgrade', '-- migrate:down'],
  },
  template: {
    accepted: ['-- UP Migration', '-- Up Migration', '-- ===== UP MIGRATION =====', '--- up migrations ---', '-- Up Migration: add the column'],
    rejected: ['-- Up migration is not supported', '-- Up migration for users', '-- DOWN Migration (Rollback)', '-- upgrade migration'],
  },
};

for (const [family, { accepted, rejected }] of Object.entries(FAMILIES)) {
  test(`${family}: a file discovery accepts is one detection gives an UP section, and the other way round`, () => {
    for (const line of [...accepted, ...rejected]) {
      const text = `-- header\n${line}\nSELECT 1;\n`;
      const discovered = isMigrationFile(PATH, text, CONFIG, '/p');
      const info = detectConvention(PATH, text, FS);
      const sectioned = info.parts.some((p) => p.kind === 'up' && p.marker !== undefined);
      assert.equal(discovered, sectioned, `${JSON.stringify(line)}: discovery ${discovered}, detection ${sectioned}`);
      assert.equal(discovered, accepted.includes(line), JSON.stringify(line));
      if (sectioned) assert.equal(info.name, family, JSON.stringify(line));
    }
  });
}

test('discovery looks at the top of the file only, as before', () => {
  const text = `${'-- filler\n'.repeat(500)}-- +goose Up\nSELECT 1;\n`;
  assert.equal(isMigrationFile(PATH, text, CONFIG, '/p'), false);
  assert.equal(isMigrationFile('/p/migrations/x.sql', 'SELECT 1;', CONFIG, '/p'), true, 'the globs still decide first');
});
