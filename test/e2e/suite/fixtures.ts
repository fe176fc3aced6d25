// What the fixture workspace (test/e2e/fixtures/workspace) contains and what the suite expects
// from it. Keep in sync with the .sql files there (lines are 0-based, as in the vscode API).

export const EXTENSION_ID = 'safemig.safemig';
export const SOURCE = 'safemig';

export const fixtures = {
  /** Template sections; CREATE TABLE users (...) without IF NOT EXISTS on line 1. */
  template: {
    path: 'db/migrations/001_create_users.sql',
    rule: 'require-if-not-exists',
    line: 1,
    character: 0,
    /** Where ` IF NOT EXISTS` goes to fix it (right after `CREATE TABLE`). */
    insertAt: { line: 1, character: 'CREATE TABLE'.length },
  },
  /** goose file with `-- +goose Up` and no `-- +goose Down`. */
  gooseNoDown: {
    path: 'migrations/20240101120000_add_email.sql',
    rule: 'missing-rollback',
  },
  /** goose file with ALTER TABLE accounts DROP COLUMN legacy on line 1 (it has a Down section). */
  dropColumn: {
    path: 'migrations/20240102090000_drop_legacy.sql',
    rule: 'drop-column',
    line: 1,
  },
  /** golang-migrate pair, clean: the .up.sql has its .down.sql, so no missing-rollback. */
  golangMigrateUp: {
    path: 'migrate/000001_init.up.sql',
  },
  /** knex migration (TypeScript): CREATE INDEX in a template literal on line 3, not CONCURRENTLY. */
  knexIndex: {
    path: 'knex/migrations/20240103000000_add_index.ts',
    rule: 'non-concurrent-index',
    line: 3,
    /** `CREATE INDEX` starts after "  await knex.raw(`". */
    character: '  await knex.raw(`'.length,
  },
  /** Application TypeScript with SQL in it: never linted. */
  appCode: { path: 'src/users.ts' },
  /** Workspace configuration file the server watches. */
  configFile: '.safemig.json',
} as const;
