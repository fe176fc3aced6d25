import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

ruleTests('drop-primary-key', {
  valid: [
    // Other constraints.
    'ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key;',
    'ALTER TABLE users DROP CONSTRAINT IF EXISTS users_pkey_old_check;',
    // Replaced by a new primary key in the same migration.
    'ALTER TABLE users DROP CONSTRAINT users_pkey, ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_new;',
    'ALTER TABLE users DROP CONSTRAINT users_pkey;\nALTER TABLE users ADD PRIMARY KEY USING INDEX users_id_new;',
    // A table this migration creates.
    'CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY);\nALTER TABLE t DROP CONSTRAINT t_pkey;',
    "-- ALTER TABLE users DROP CONSTRAINT users_pkey;\nSELECT 'ALTER TABLE users DROP CONSTRAINT users_pkey', $$ ALTER TABLE users DROP CONSTRAINT users_pkey $$;",
    ...inEveryDownPart('ALTER TABLE users DROP CONSTRAINT IF EXISTS users_pkey;'),
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users DROP CONSTRAINT users_pkey;',
      errors: [{
        messageId: 'dropPrimaryKey',
        range: [0, 18, 0, 44],
        message: 'Dropping users_pkey, the primary key of users: logical replication of its UPDATEs and DELETEs stops (no replica identity), foreign keys that reference it block the drop or go with CASCADE, and lookups by key lose their index.',
      }],
    },
    // Any `…_pkey` name; a PRIMARY KEY this migration added under another name.
    { sql: 'ALTER TABLE ONLY app.accounts DROP CONSTRAINT IF EXISTS accounts_id_pkey CASCADE;', errors: [{ messageId: 'dropPrimaryKey', range: [0, 30, 0, 80] }] },
    { path: GOOSE_PATH, sql: '-- +goose Up\nALTER TABLE a ADD CONSTRAINT pk_a PRIMARY KEY (id);\nALTER TABLE a DROP CONSTRAINT pk_a;\n-- +goose Down\nSELECT 1;\n', errors: [{ messageId: 'dropPrimaryKey', range: [2, 14, 2, 34] }] },
    // PostgreSQL's own name for a 63-byte table name: the table's name cut to 58.
    { sql: `ALTER TABLE ${'t'.repeat(63)} DROP CONSTRAINT ${'t'.repeat(58)}_pkey;`, errors: [{ messageId: 'dropPrimaryKey', range: [0, 76, 0, 155] }] },
    { sql: "SELECT 'é 日本語 😀'; ALTER TABLE \"données\" DROP CONSTRAINT \"données_pkey\";\r\n", errors: [{ messageId: 'dropPrimaryKey', range: [0, 41, 0, 71] }] },
  ],
});
