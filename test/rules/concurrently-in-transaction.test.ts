import { DBMATE_PATH, GOLANG_UP_PATH, GOOSE_PATH, SUPABASE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

const CIC = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);';
const DIC = 'DROP INDEX CONCURRENTLY IF EXISTS i;';
const DIESEL_DIR = '/project/migrations/2024-01-01-120000_add_index';
const FLYWAY_PATH = '/project/db/migration/V2__add_index.sql';

ruleTests('concurrently-in-transaction', {
  valid: [
    // A plain file runs statement by statement (psql, or a runner without a transaction).
    CIC,
    `BEGIN;\nCREATE TABLE IF NOT EXISTS x (a int);\nCOMMIT;\n${CIC}`,
    // The runners' own opt-outs.
    { path: GOOSE_PATH, sql: `-- +goose NO TRANSACTION\n-- +goose Up\n${CIC}\n-- +goose Down\n${DIC}\n` },
    { path: GOOSE_PATH, sql: `-- +goose Up\n-- +goose NO TRANSACTION\n${CIC}\n` },
    { path: DBMATE_PATH, sql: `-- migrate:up transaction:false\n${CIC}\n-- migrate:down transaction:false\n${DIC}\n` },
    { path: `${DIESEL_DIR}/up.sql`, files: { [`${DIESEL_DIR}/down.sql`]: DIC, [`${DIESEL_DIR}/metadata.toml`]: 'run_in_transaction = false\n' }, sql: CIC },
    // golang-migrate sends one statement alone: no transaction block.
    { path: GOLANG_UP_PATH, sql: `-- the index alone in its file\n${CIC}\n` },
    // Flyway runs a script of non-transactional statements without its transaction.
    { path: FLYWAY_PATH, sql: `${CIC}\n${CIC.replace(' i ', ' j ')}` },
    // dbmate before transaction:false: end the runner's transaction, build, open a new one.
    { path: DBMATE_PATH, sql: `-- migrate:up\nCOMMIT;\n${CIC}\nBEGIN;\n-- migrate:down\nDROP INDEX IF EXISTS i;\n` },
    // REFRESH MATERIALIZED VIEW CONCURRENTLY may run in a transaction.
    'BEGIN;\nREFRESH MATERIALIZED VIEW CONCURRENTLY m;\nCOMMIT;',
    `BEGIN;\n-- ${CIC}\nSELECT '${CIC}', $$ ${DIC} $$;\nCOMMIT;`,
  ],
  invalid: [
    {
      path: GOOSE_PATH,
      sql: `-- +goose Up\n${CIC}\n-- +goose Down\nDROP INDEX IF EXISTS i;\n`,
      errors: [
        {
          messageId: 'runner',
          range: [1, 0, 1, 50],
          message: 'CREATE INDEX CONCURRENTLY runs inside a transaction, where PostgreSQL rejects it (ERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction block).',
          help: 'goose runs the file in a transaction unless it says -- +goose NO TRANSACTION.',
        },
      ],
      fix: { title: 'NO TRANSACTION', output: `-- +goose NO TRANSACTION\n-- +goose Up\n${CIC}\n-- +goose Down\nDROP INDEX IF EXISTS i;\n` },
    },
    // DOWN parts too: a rollback that fails when it is needed.
    {
      path: GOOSE_PATH,
      sql: `-- +goose Up\n${CIC}\n-- +goose Down\n${DIC}\n`,
      errors: [{ messageId: 'runner', range: [1, 0, 1, 50] }, { messageId: 'runner', range: [3, 0, 3, 35] }],
      // goose's opt-out is for the whole file: both parts.
      fix: { title: 'NO TRANSACTION', output: `-- +goose NO TRANSACTION\n-- +goose Up\n${CIC}\n-- +goose Down\n${DIC}\n`, remaining: 0 },
    },
    {
      path: DBMATE_PATH,
      sql: `-- migrate:up\n${CIC}\n-- migrate:down\nDROP INDEX IF EXISTS i;\n`,
      errors: [{ messageId: 'runner', range: [1, 0, 1, 50], help: 'dbmate runs each part in a transaction unless its marker says transaction:false.' }],
      fix: { title: 'transaction:false', output: `-- migrate:up transaction:false\n${CIC}\n-- migrate:down\nDROP INDEX IF EXISTS i;\n` },
    },
    {
      name: 'dbmate: the opt-out goes on the marker of the part that needs it',
      path: DBMATE_PATH,
      sql: `-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\n${DIC}\n`,
      errors: [{ messageId: 'runner', range: [3, 0, 3, 35] }],
      fix: { title: 'transaction:false', output: `-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down transaction:false\n${DIC}\n` },
    },
    {
      name: 'diesel: creates metadata.toml',
      path: `${DIESEL_DIR}/up.sql`,
      files: { [`${DIESEL_DIR}/down.sql`]: DIC },
      sql: CIC,
      errors: [{ messageId: 'runner', range: [0, 0, 0, 50], help: 'diesel runs the migration in a transaction unless its metadata.toml says run_in_transaction = false.' }],
      fix: { title: 'run_in_transaction = false', output: { [`${DIESEL_DIR}/up.sql`]: CIC, [`${DIESEL_DIR}/metadata.toml`]: 'run_in_transaction = false\n' } },
    },
    {
      name: 'diesel: extends metadata.toml',
      path: `${DIESEL_DIR}/up.sql`,
      files: { [`${DIESEL_DIR}/down.sql`]: DIC, [`${DIESEL_DIR}/metadata.toml`]: '# run by hand' },
      sql: CIC,
      errors: [{ messageId: 'runner', range: [0, 0, 0, 50] }],
      fix: { title: 'run_in_transaction = false', output: { [`${DIESEL_DIR}/metadata.toml`]: '# run by hand\nrun_in_transaction = false\n' } },
    },
    // golang-migrate sends several statements as one query string: one implicit transaction.
    {
      path: GOLANG_UP_PATH,
      sql: `SET lock_timeout = '5s';\n${CIC}`,
      errors: [
        {
          messageId: 'implicitBlock',
          range: [1, 0, 1, 50],
          message: 'CREATE INDEX CONCURRENTLY runs inside a transaction, where PostgreSQL rejects it (ERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction block).',
          help: 'golang-migrate sends the whole file as one query string, which PostgreSQL runs as a single transaction block: put this statement in a migration file of its own.',
        },
      ],
    },
    {
      path: SUPABASE_PATH,
      sql: CIC,
      errors: [{ messageId: 'runner', range: [0, 0, 0, 50], help: 'The Supabase CLI runs each migration file in one transaction and has no opt-out: run this statement outside the migration tool.' }],
    },
    // Flyway with a transactional statement beside it runs the script in a transaction (or fails on the mix).
    {
      path: FLYWAY_PATH,
      sql: `ALTER TABLE t ADD COLUMN IF NOT EXISTS a int;\n${CIC}`,
      errors: [
        {
          messageId: 'runner',
          range: [1, 0, 1, 50],
          help: 'Flyway runs a script outside a transaction only when every statement in it needs that (and fails on a mix unless `mixed` is enabled): put this statement in a migration of its own.',
        },
      ],
    },
    { sql: `BEGIN;\n${CIC}\nCOMMIT;`, errors: [{ messageId: 'explicit', range: [1, 0, 1, 50], help: 'Move it out of the BEGIN … COMMIT block.' }] },
    {
      sql: 'START TRANSACTION;\nREINDEX INDEX CONCURRENTLY i;\nALTER TABLE p DETACH PARTITION c CONCURRENTLY;\nEND;',
      errors: [
        { messageId: 'explicit', range: [1, 0, 1, 28] },
        // PostgreSQL's own wording of the error for DETACH.
        {
          messageId: 'explicit',
          range: [2, 0, 2, 45],
          message: 'DETACH PARTITION CONCURRENTLY runs inside a transaction, where PostgreSQL rejects it (ERROR: ALTER TABLE ... DETACH CONCURRENTLY cannot run inside a transaction block).',
        },
      ],
    },
    {
      sql: CIC,
      config: { assumeInTransaction: true },
      errors: [{ messageId: 'assumed', range: [0, 0, 0, 50], message: 'CREATE INDEX CONCURRENTLY runs inside a transaction, where PostgreSQL rejects it (ERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction block).', help: 'assumeInTransaction is set: run this migration without a transaction.' }],
    },
    // A template file's DOWN section written as comments is still SQL someone runs.
    { sql: `-- UP Migration\nSELECT 1;\n\n-- DOWN Migration (Rollback)\n-- BEGIN;\n-- ${DIC}\n-- COMMIT;\n`, errors: [{ messageId: 'explicit', range: [5, 3, 5, 38] }] },
    { sql: `BEGIN; SELECT 'é 😀'; ${CIC} COMMIT;`, errors: [{ messageId: 'explicit', range: [0, 22, 0, 72] }] },
  ],
});
