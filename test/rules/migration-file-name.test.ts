import { ruleTests } from './rule-tester';

const DIR = '/project/db/migrations';
const SQL = 'SELECT 1;\n';
/** The finding, on the first line; with its exact text when given. */
const onFirstLine = (messageId: string, message?: string) => ({ errors: [{ messageId, range: [0, 0, 0, 9], message }] });
const folder = (...names: string[]) => Object.fromEntries(names.map((n) => [`${DIR}/${n}`, SQL]));
const at = <T extends object>(name: string, files: Record<string, string>, extra = {} as T) => ({ path: `${DIR}/${name}`, files, sql: SQL, noVariant: true, ...extra });

ruleTests('migration-file-name', {
  valid: [
    at('003_c.sql', folder('001_a.sql', '002_b.sql')),
    at('100_c.sql', folder('001_a.sql', '002_b.sql', '099_z.sql')),
    // Rollback files, golang-migrate pairs and Flyway undo / repeatable files are the same naming.
    at('rollback_003_c.sql', folder('001_a.sql', 'rollback_001_a.sql', '002_b.sql', 'rollback_002_b.sql', '003_c.sql')),
    at('003_c.down.sql', folder('001_a.up.sql', '001_a.down.sql', '002_b.up.sql', '002_b.down.sql', '003_c.up.sql')),
    at('R__views.sql', folder('V1__a.sql', 'V2__b.sql', 'U2__b.sql')),
    // Timestamps of any width are one family (diesel changed its format over the years).
    at('20251122093000_c.sql', folder('20251120_a.sql', '20251121_b.sql')),
    {
      path: '/project/migrations/2026-07-30-140000-0000_c/up.sql',
      files: { '/project/migrations/20170708133715_a/up.sql': SQL, '/project/migrations/2018-01-18-172821_b/up.sql': SQL },
      sql: SQL,
      noVariant: true,
    },
    // diesel names its own first migration.
    { path: '/project/migrations/00000000000000_diesel_initial_setup/up.sql', files: { '/project/migrations/2019-02-26-002946_a/up.sql': SQL, '/project/migrations/2019-02-27-002946_b/up.sql': SQL }, sql: SQL, noVariant: true },
    // Too few neighbours to say what the folder's naming is.
    at('seed.sql', folder('001_a.sql')),
    at('seed.sql', folder('schema.sql', 'data.sql')),
    // fileNamePattern decides when it is set.
    at('2025-11-22_add_x.sql', folder('001_a.sql', '002_b.sql'), { config: { fileNamePattern: '^\\d{4}-\\d{2}-\\d{2}_[a-z_]+\\.sql$' } }),
    // sqitch names changes in its plan.
    { path: '/project/deploy/add_users.sql', files: { '/project/sqitch.plan': '%project=x\n', '/project/deploy/001_a.sql': SQL, '/project/deploy/002_b.sql': SQL, '/project/revert/add_users.sql': SQL }, sql: SQL, noVariant: true },
  ],
  invalid: [
    // No version: runners skip it and its order is undefined.
    at('add_users.sql', folder('001_a.sql', '002_b.sql'), onFirstLine('noVersion', 'File name "add_users.sql" does not follow the naming of the other 2 migrations in this folder (like 001_a.sql: NNN_<description>.sql): without a version, runners skip it and its order among the others is undefined.')),
    // Another way of numbering than the folder's.
    at('20251122_c.sql', folder('001_a.sql', '002_b.sql'), onFirstLine('naming', 'File name "20251122_c.sql" does not follow the naming of the other 2 migrations in this folder (like 001_a.sql: NNN_<description>.sql): it does not sort with them, and runners that read this naming skip or reject it.')),
    at('003-c.sql', folder('001_a.sql', '002_b.sql'), onFirstLine('naming')),
    // golang-migrate reads only {version}_{title}.up.sql / .down.sql.
    at('003_c.sql', folder('001_a.up.sql', '001_a.down.sql', '002_b.up.sql', '002_b.down.sql'), onFirstLine('naming')),
    at('V3_c.sql', folder('V1__a.sql', 'V2__b.sql'), onFirstLine('naming')),
    // Zero-padded to three digits: 4 sorts after 039 by name, 0004 before 001.
    at('4_c.sql', folder('001_a.sql', '002_b.sql', '003_c.sql'), onFirstLine('padding', 'The version of "4_c.sql" has 1 digit where this folder pads versions to 3 (like 001_a.sql: NNN_<description>.sql): it sorts out of order by name.')),
    at('0004_d.sql', folder('001_a.sql', '002_b.sql', '003_c.sql'), onFirstLine('padding', 'The version of "0004_d.sql" has 4 digits where this folder pads versions to 3 (like 001_a.sql: NNN_<description>.sql): it sorts out of order by name.')),
    { path: '/project/migrations/add_x/up.sql', files: { '/project/migrations/2019-02-26-002946_a/up.sql': SQL, '/project/migrations/2019-02-27-002946_b/up.sql': SQL }, sql: SQL, noVariant: true, ...onFirstLine('noVersion', 'Migration folder name "add_x" does not follow the naming of the other 2 migrations in this folder (like 2019-02-26-002946_a/: YYYY-MM-DD-HHMMSS_<description>/): without a version, runners skip it and its order among the others is undefined.') },
    at('003_c.sql', folder('001_a.sql', '002_b.sql'), {
      config: { fileNamePattern: '^\\d{14}_[a-z_]+\\.sql$' },
      ...onFirstLine('pattern', 'File name "003_c.sql" does not match fileNamePattern /^\\d{14}_[a-z_]+\\.sql$/ of the configuration.'),
    }),
  ],
});
