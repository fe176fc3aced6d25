import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, fixOf, lintSql, rangesOf } from '../helpers/lint';
import { InvalidCase, ruleTests } from './rule-tester';

const UP_SQL = [
  'CREATE TABLE IF NOT EXISTS webhook_inbox (id bigserial PRIMARY KEY, body jsonb);',
  'CREATE INDEX IF NOT EXISTS webhook_inbox_body_idx ON webhook_inbox USING gin (body);',
  'ALTER TABLE messages ADD COLUMN IF NOT EXISTS is_final boolean NOT NULL DEFAULT false;',
  'UPDATE messages SET is_final = true;',
  'SET lock_timeout = \'5s\';',
  '',
].join('\n');
/** The inverse of each UP statement, last first; a TODO for the data change; nothing for SET. */
const ROLLBACK = [
  '-- TODO: undo the data change of: UPDATE messages SET is_final = true',
  'ALTER TABLE messages DROP COLUMN IF EXISTS is_final;',
  'DROP INDEX IF EXISTS webhook_inbox_body_idx;',
  'DROP TABLE IF EXISTS webhook_inbox;',
  '',
].join('\n');
const COMMENTED_ROLLBACK = ROLLBACK.replace(/^(?!--|$)/gm, '-- ');
const FIRST_LINE = [{ messageId: 'missingRollback', range: [0, 0, 0, UP_SQL.indexOf('\n')] }];

const TEMPLATE = '/project/db/migrations/20250101_create_inbox.sql';
const GOOSE = '/project/migrations/20240101120000_create_inbox.sql';
const DBMATE = '/project/db/migrations/20240101120000_create_inbox.sql';
const GOLANG_UP = '/project/migrate/000002_create_inbox.up.sql';
const GOLANG_DOWN = '/project/migrate/000002_create_inbox.down.sql';
const DIESEL_UP = '/project/migrations/2024-01-01-120000_create_inbox/up.sql';
const DIESEL_DOWN = '/project/migrations/2024-01-01-120000_create_inbox/down.sql';
const FLYWAY_V = '/project/db/migration/V2__create_inbox.sql';
const FLYWAY_U = '/project/db/migration/U2__create_inbox.sql';
const SEEDS = '/project/backend/db/migrations';
/** The seeds' layout: NNN_name.sql with rollback_NNN_other_name.sql beside it. */
const SEED_FILES = { [`${SEEDS}/003_create_sync_state.sql`]: 'SELECT 1;\n', [`${SEEDS}/rollback_003_sync_state.sql`]: 'SELECT 1;\n' };
const SQITCH_DEPLOY = '/project/deploy/create_inbox.sql';
const SQITCH_REVERT = '/project/revert/create_inbox.sql';
const SQITCH_FILES = { '/project/sqitch.plan': '%project=app\ncreate_inbox 2024-01-01T00:00:00Z dev <dev@example.com>\n' };
const SUPABASE = '/project/supabase/migrations/20240101120000_create_inbox.sql';
const PRISMA = '/project/prisma/migrations/20240101120000_create_inbox/migration.sql';

const invalid: InvalidCase[] = ([
  {
    name: 'template without a DOWN section: a commented-out DOWN section is appended',
    path: TEMPLATE,
    sql: `-- UP Migration\n${UP_SQL}`,
    errors: [
      {
        messageId: 'missingRollback',
        range: [0, 0, 0, 15],
        message: 'This migration has no rollback: template migrations keep it in a DOWN section. Without one, a bad deploy can only be fixed forward.',
      },
    ],
    fix: { title: 'Add a DOWN section', output: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n${COMMENTED_ROLLBACK}` },
  },
  {
    name: 'template with an empty DOWN section: the rollback goes under its marker',
    path: TEMPLATE,
    sql: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n\n`,
    errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 15] }],
    fix: { title: 'Add a DOWN section', output: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n\n${COMMENTED_ROLLBACK}` },
  },
  {
    name: 'plain file: UP marker on top, DOWN section at the end',
    path: '/project/db/migrations/001_create_inbox.sql',
    sql: UP_SQL,
    errors: FIRST_LINE,
    fix: { title: 'Add a DOWN section', output: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n${COMMENTED_ROLLBACK}` },
  },
  {
    name: 'goose without a Down section',
    path: GOOSE,
    sql: `-- +goose Up\n${UP_SQL}`,
    errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 12] }],
    fix: { title: 'Add a DOWN section', output: `-- +goose Up\n${UP_SQL}\n-- +goose Down\n${ROLLBACK}` },
  },
  {
    name: 'goose with an empty Down section',
    path: GOOSE,
    sql: `-- +goose Up\n${UP_SQL}-- +goose Down\n`,
    errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 12] }],
    fix: { title: 'Add a DOWN section', output: `-- +goose Up\n${UP_SQL}-- +goose Down\n${ROLLBACK}` },
  },
  {
    name: 'goose with a Down section holding only StatementBegin / StatementEnd',
    path: GOOSE,
    sql: `-- +goose Up\n${UP_SQL}-- +goose Down\n-- +goose StatementBegin\n-- +goose StatementEnd\n`,
    errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 12] }],
    fix: { title: 'Add a DOWN section', output: `-- +goose Up\n${UP_SQL}-- +goose Down\n-- +goose StatementBegin\n-- +goose StatementEnd\n${ROLLBACK}` },
  },
  {
    name: 'template with a DOWN section holding only a comment rule',
    path: TEMPLATE,
    sql: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n-- ==========================\n`,
    errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 15] }],
    fix: { title: 'Add a DOWN section', output: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n-- ==========================\n${COMMENTED_ROLLBACK}` },
  },
  {
    name: 'dbmate without migrate:down',
    path: DBMATE,
    sql: `-- migrate:up\n${UP_SQL}`,
    errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 13] }],
    fix: { title: 'Add a DOWN section', output: `-- migrate:up\n${UP_SQL}\n-- migrate:down\n${ROLLBACK}` },
  },
  {
    name: 'dbmate with an empty migrate:down (no final newline)',
    path: DBMATE,
    sql: `-- migrate:up\n${UP_SQL}\n-- migrate:down`,
    errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 13] }],
    fix: { title: 'Add a DOWN section', output: `-- migrate:up\n${UP_SQL}\n-- migrate:down\n${ROLLBACK}` },
  },
  {
    name: 'golang-migrate without its .down.sql: the fix creates it',
    path: GOLANG_UP,
    sql: UP_SQL,
    errors: FIRST_LINE,
    fix: { title: 'Create the rollback file', output: { [GOLANG_DOWN]: ROLLBACK } },
  },
  {
    name: 'golang-migrate with a blank .down.sql: the fix writes it',
    path: GOLANG_UP,
    files: { [GOLANG_DOWN]: '\n  \n' },
    sql: UP_SQL,
    errors: FIRST_LINE,
    fix: { title: 'Write the rollback file', output: { [GOLANG_DOWN]: `\n  \n${ROLLBACK}` } },
  },
  {
    name: 'diesel up.sql without down.sql',
    path: DIESEL_UP,
    sql: UP_SQL,
    errors: FIRST_LINE,
    fix: { title: 'Create the rollback file', output: { [DIESEL_DOWN]: ROLLBACK } },
  },
  {
    name: 'Flyway V file without its U file',
    path: FLYWAY_V,
    sql: UP_SQL,
    errors: FIRST_LINE,
    fix: { title: 'Create the rollback file', output: { [FLYWAY_U]: ROLLBACK } },
  },
  {
    name: 'rollback_NNN files (the seeds): 004 has none',
    path: `${SEEDS}/004_alter_messages.sql`,
    files: SEED_FILES,
    sql: UP_SQL,
    errors: FIRST_LINE,
    fix: { title: 'Create the rollback file', output: { [`${SEEDS}/rollback_004_alter_messages.sql`]: ROLLBACK } },
  },
  {
    name: 'sqitch deploy without revert',
    path: SQITCH_DEPLOY,
    files: SQITCH_FILES,
    sql: UP_SQL,
    errors: FIRST_LINE,
    fix: { title: 'Create the rollback file', output: { [SQITCH_REVERT]: ROLLBACK } },
  },
  {
    name: 'Supabase with requireRollback: true, a commented-out section (the CLI runs the whole file)',
    path: SUPABASE,
    config: { requireRollback: true },
    sql: UP_SQL,
    errors: FIRST_LINE,
    fix: { title: 'Add a DOWN section', output: `${UP_SQL}\n-- DOWN Migration (Rollback)\n${COMMENTED_ROLLBACK}` },
  },
  {
    name: 'Prisma with requireRollback: true',
    path: PRISMA,
    config: { requireRollback: true },
    sql: UP_SQL,
    errors: FIRST_LINE,
    fix: { title: 'Add a DOWN section', output: `${UP_SQL}\n-- DOWN Migration (Rollback)\n${COMMENTED_ROLLBACK}` },
  },
  {
    name: 'CRLF file with multi-byte text: the rollback keeps CRLF, the range stays on line 0',
    path: TEMPLATE,
    sql: '-- UP Migration: café 日本語 😀\r\nCREATE TABLE IF NOT EXISTS "données" ("😀" text);\r\n',
    errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 28] }],
    fix: { title: 'Add a DOWN section', output: '-- UP Migration: café 日本語 😀\r\nCREATE TABLE IF NOT EXISTS "données" ("😀" text);\r\n\r\n-- DOWN Migration (Rollback)\r\n-- DROP TABLE IF EXISTS "données";\r\n' },
  },
  {
    name: 'a migration that only changes data: the rollback is a TODO',
    path: TEMPLATE,
    sql: "-- UP Migration\nUPDATE users SET plan = 'free' WHERE plan IS NULL;\n",
    errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 15] }],
    fix: { title: 'Add a DOWN section', output: "-- UP Migration\nUPDATE users SET plan = 'free' WHERE plan IS NULL;\n\n-- DOWN Migration (Rollback)\n-- TODO: undo the data change of: UPDATE users SET plan = 'free' WHERE plan IS NULL\n" },
  },
] as InvalidCase[]).map((c) => ({ ...c, noVariant: true }));

ruleTests('missing-rollback', {
  valid: [
    // A DOWN section written as SQL, as comments (the template style), or as a note.
    { path: TEMPLATE, sql: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n${ROLLBACK}` },
    { path: TEMPLATE, sql: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n${COMMENTED_ROLLBACK}` },
    { path: TEMPLATE, sql: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n-- Remove the inbox again (it holds no data yet)\n-- DROP TABLE webhook_inbox;\n` },
    { path: TEMPLATE, sql: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n-- Not reversible: the backfill cannot be undone.\n` },
    { path: TEMPLATE, sql: `-- Up Migration\n${UP_SQL}\n-- Down Migration\n${ROLLBACK}` },
    // SQL first, then the DOWN marker.
    { path: TEMPLATE, sql: `${UP_SQL}\n-- DOWN Migration (Rollback)\n${COMMENTED_ROLLBACK}` },
    { path: GOOSE, sql: `-- +goose Up\n${UP_SQL}\n-- +goose Down\n-- +goose StatementBegin\n${ROLLBACK}-- +goose StatementEnd\n` },
    { path: DBMATE, sql: `-- migrate:up\n${UP_SQL}\n-- migrate:down\n${ROLLBACK}` },
    // Twin files.
    { path: GOLANG_UP, files: { [GOLANG_DOWN]: ROLLBACK }, sql: UP_SQL },
    { path: GOLANG_UP, files: { [GOLANG_DOWN]: '-- Nothing to undo: the index is rebuilt by the next migration.\n' }, sql: UP_SQL },
    { path: DIESEL_UP, files: { [DIESEL_DOWN]: ROLLBACK }, sql: UP_SQL },
    { path: FLYWAY_V, files: { [FLYWAY_U]: ROLLBACK }, sql: UP_SQL },
    { path: `${SEEDS}/004_alter_messages.sql`, files: { ...SEED_FILES, [`${SEEDS}/rollback_004_messages.sql`]: ROLLBACK }, sql: UP_SQL },
    { path: `${SEEDS}/004_alter_messages.sql`, files: { [`${SEEDS}/004_alter_messages.rollback.sql`]: ROLLBACK }, sql: UP_SQL },
    { path: SQITCH_DEPLOY, files: { ...SQITCH_FILES, [SQITCH_REVERT]: ROLLBACK }, sql: UP_SQL },
    // The DOWN files themselves are not asked for a rollback.
    { path: GOLANG_DOWN, files: { [GOLANG_UP]: UP_SQL }, sql: ROLLBACK },
    { path: DIESEL_DOWN, files: { [DIESEL_UP]: UP_SQL }, sql: ROLLBACK },
    // A TS/JS migration's rollback is its down function; a seed-003 script is roll-forward.
    { path: '/project/migrations/1700000000000_create-inbox.js', sql: "exports.up = (pgm) => {\n  pgm.sql('CREATE TABLE IF NOT EXISTS webhook_inbox (id bigserial PRIMARY KEY)');\n};\nexports.down = (pgm) => {\n  pgm.sql('DROP TABLE IF EXISTS webhook_inbox');\n};\n" },
    { path: '/project/scripts/migrations/001-create-inbox.ts', sql: "await sql`CREATE TABLE IF NOT EXISTS webhook_inbox (id bigserial PRIMARY KEY)`\n" },
    // Roll-forward conventions, unless requireRollback is true.
    { path: SUPABASE, sql: UP_SQL },
    { path: PRISMA, sql: UP_SQL },
    { path: '/project/db/migration/R__views.sql', sql: 'CREATE OR REPLACE VIEW v AS SELECT 1;\n' },
    { path: SUPABASE, config: { requireRollback: true }, sql: `${UP_SQL}\n-- DOWN Migration (Rollback)\n${COMMENTED_ROLLBACK}` },
    // requireRollback: false turns it off everywhere.
    { path: TEMPLATE, config: { requireRollback: false }, sql: `-- UP Migration\n${UP_SQL}` },
    { path: GOLANG_UP, config: { requireRollback: false }, sql: UP_SQL },
    // Nothing to undo: settings, queries, maintenance; no SQL at all; only a syntax error.
    { path: TEMPLATE, sql: "-- UP Migration\nSET lock_timeout = '5s';\nSELECT count(*) FROM users;\nANALYZE users;\n" },
    { path: GOLANG_UP, sql: 'VACUUM ANALYZE users;\n' },
    { path: TEMPLATE, sql: '-- UP Migration\n-- nothing yet\n' },
    { path: TEMPLATE, sql: '' },
    { path: TEMPLATE, sql: '-- UP Migration\nCREATE TABLE (;\n' },
    // Trigger words in comments and strings do not make a DOWN section.
    { path: TEMPLATE, sql: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n-- SELECT '-- DOWN Migration';\n` },
  ],
  invalid: [
    ...invalid,
    // node-pg-migrate's `exports.down = false`: irreversible, said where the file says it; no fix of its own.
    {
      name: 'node-pg-migrate down = false',
      path: '/project/migrations/1700000000000_create-inbox.js',
      sql: "exports.up = (pgm) => {\n  pgm.sql('CREATE TABLE IF NOT EXISTS webhook_inbox (id bigserial PRIMARY KEY)');\n};\n\nexports.down = false;\n",
      errors: [{ messageId: 'irreversible', range: [4, 15, 4, 20] }],
      noVariant: true,
    },
    // A "-- DOWN Migration" inside a string or a dollar quote is not a DOWN section.
    {
      path: GOOSE,
      sql: "-- +goose Up\nCREATE TABLE IF NOT EXISTS t (id int);\nCOMMENT ON TABLE t IS '-- +goose Down';\n",
      errors: [{ messageId: 'missingRollback', range: [0, 0, 0, 12] }],
      fix: {
        title: 'Add a DOWN section',
        output: "-- +goose Up\nCREATE TABLE IF NOT EXISTS t (id int);\nCOMMENT ON TABLE t IS '-- +goose Down';\n\n-- +goose Down\nCOMMENT ON TABLE t IS NULL;\nDROP TABLE IF EXISTS t;\n",
      },
      noVariant: true,
    },
  ],
});

test('the generated rollback file parses and re-linting the pair has no missing-rollback', () => {
  for (const c of invalid.filter((x) => x.fix && typeof x.fix.output !== 'string')) {
    const path = c.path!;
    const result = lintSql(c.sql, c);
    const fix = fixOf(result.findings.find((f) => f.rule === 'missing-rollback'), c.fix!.title);
    const files = applyFix(fix, { ...c.files, [path]: c.sql });
    const [created] = Object.keys(c.fix!.output as Record<string, string>);
    const { [created]: downText, ...others } = files;
    const down = lintSql(downText, { path: created, files: others, config: c.config });
    assert.deepEqual(rangesOf(down.findings, 'syntax-error'), [], `${created} parses`);
    assert.equal(down.migration.convention.role, 'down', `${created} is read as the DOWN file`);
    assert.deepEqual(rangesOf(lintSql(c.sql, { path, files: { ...others, [created]: downText }, config: c.config }).findings, 'missing-rollback'), []);
  }
});

test('the commented-out DOWN section the fix writes is read back as the inverse statements', () => {
  const sql = `-- UP Migration\n${UP_SQL}`;
  const fix = fixOf(lintSql(sql, { path: TEMPLATE }).findings.find((f) => f.rule === 'missing-rollback'), 'Add a DOWN section');
  const fixed = applyFix(fix, { [TEMPLATE]: sql })[TEMPLATE];
  const { migration } = lintSql(fixed, { path: TEMPLATE });
  assert.deepEqual(migration.down.map((s) => s.kind), ['AlterTableStmt', 'DropStmt', 'DropStmt']);
  assert.equal(migration.parts.find((p) => p.kind === 'down')?.commentedOut, true);
});

test('the message names where the convention keeps the rollback', () => {
  const golang = lintSql(UP_SQL, { path: GOLANG_UP }).findings.find((f) => f.rule === 'missing-rollback');
  assert.match(golang?.message ?? '', /000002_create_inbox\.down\.sql/);
  const goose = lintSql(`-- +goose Up\n${UP_SQL}`, { path: GOOSE }).findings.find((f) => f.rule === 'missing-rollback');
  assert.match(goose?.message ?? '', /DOWN section/);
  assert.equal(goose?.severity, 'warning');
});
