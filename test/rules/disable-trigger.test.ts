import { GOOSE_PATH, inEveryDownPart } from './conventions';
import { ruleTests } from './rule-tester';

ruleTests('disable-trigger', {
  valid: [
    // A named or USER trigger enabled again in the same transaction: only the migration's own writes skip it.
    'BEGIN;\nALTER TABLE users DISABLE TRIGGER users_audit;\nUPDATE users SET plan = NULL;\nALTER TABLE users ENABLE TRIGGER users_audit;\nCOMMIT;',
    'BEGIN;\nALTER TABLE users DISABLE TRIGGER USER;\nUPDATE users SET plan = NULL;\nALTER TABLE users ENABLE TRIGGER ALL;\nCOMMIT;',
    { path: GOOSE_PATH, sql: '-- +goose Up\nALTER TABLE users DISABLE TRIGGER USER;\nALTER TABLE users ENABLE TRIGGER USER;\n-- +goose Down\nSELECT 1;\n' },
    // Enabling is fine; a table this migration creates is nobody else's yet.
    'ALTER TABLE users ENABLE TRIGGER ALL;',
    'CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t DISABLE TRIGGER ALL;',
    "-- ALTER TABLE users DISABLE TRIGGER ALL;\nSELECT 'ALTER TABLE users DISABLE TRIGGER ALL', $$ ALTER TABLE users DISABLE TRIGGER ALL $$;",
    ...inEveryDownPart('ALTER TABLE users DISABLE TRIGGER ALL;'),
  ],
  invalid: [
    {
      name: 'ALL, even when enabled again',
      sql: 'BEGIN;\nALTER TABLE users DISABLE TRIGGER ALL;\nUPDATE users SET plan = NULL;\nALTER TABLE users ENABLE TRIGGER ALL;\nCOMMIT;',
      errors: [{
        messageId: 'all',
        range: [1, 18, 1, 37],
        message: 'DISABLE TRIGGER ALL on users also turns off the internal triggers that enforce its foreign keys: rows written while they are off are never checked.',
      }],
    },
    {
      name: 'a named trigger left disabled',
      sql: 'ALTER TABLE app.users DISABLE TRIGGER users_audit;',
      errors: [{ messageId: 'user', range: [0, 22, 0, 49], message: 'DISABLE TRIGGER users_audit on app.users stays in force after this statement: rows written meanwhile, by this migration or the application, skip what the trigger does.' }],
    },
    // Enabled again, but in another transaction (or with no transaction): others' writes skip it meanwhile.
    { sql: 'ALTER TABLE users DISABLE TRIGGER USER;\nUPDATE users SET plan = NULL;\nALTER TABLE users ENABLE TRIGGER USER;', errors: [{ messageId: 'user', range: [0, 18, 0, 38] }] },
    { sql: 'BEGIN;\nALTER TABLE users DISABLE TRIGGER a;\nALTER TABLE users ENABLE TRIGGER b;\nCOMMIT;', errors: [{ messageId: 'user', range: [1, 18, 1, 35] }] },
    { path: GOOSE_PATH, sql: '-- +goose Up\nALTER TABLE users DISABLE TRIGGER ALL;\n-- +goose Down\nALTER TABLE users ENABLE TRIGGER ALL;\n', errors: [{ messageId: 'all', range: [1, 18, 1, 37] }] },
    { sql: "SELECT 'é 日本語 😀'; ALTER TABLE \"données\" DISABLE TRIGGER \"😀\";\r\n", errors: [{ messageId: 'user', range: [0, 41, 0, 61] }] },
  ],
});
