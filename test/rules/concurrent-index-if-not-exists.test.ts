import { GOOSE_PATH } from './conventions';
import { ruleTests } from './rule-tester';

const GOOSE = '-- +goose Up\n-- +goose NO TRANSACTION\n';

ruleTests('concurrent-index-if-not-exists', {
  valid: [
    // The re-runnable form: the drop first, then the build.
    'DROP INDEX CONCURRENTLY IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY users_email ON users (email);',
    'DROP INDEX CONCURRENTLY IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);',
    'DROP INDEX CONCURRENTLY IF EXISTS app.users_email;\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON app.users (email);',
    'DROP INDEX IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);',
    // Not a concurrent build, or no IF NOT EXISTS: other rules' concern.
    'CREATE INDEX IF NOT EXISTS users_email ON users (email);',
    'CREATE INDEX CONCURRENTLY users_email ON users (email);',
    // Comments, strings, dollar quotes.
    "-- CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nSELECT 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)', $q$ CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a) $q$;",
  ],
  invalid: [
    {
      sql: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);',
      errors: [{
        messageId: 'ifNotExists',
        range: [0, 26, 0, 39],
        message: 'A failed CREATE INDEX CONCURRENTLY leaves the INVALID index users_email behind; when the migration is re-run, IF NOT EXISTS skips the build and the invalid index stays, never used by queries and slowing every write.',
      }],
      fix: { title: 'DROP INDEX CONCURRENTLY IF EXISTS', output: 'DROP INDEX CONCURRENTLY IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY users_email ON users (email);' },
    },
    {
      name: 'goose without a transaction, indented, schema-qualified table: the drop names the index in its schema',
      path: GOOSE_PATH,
      sql: `${GOOSE}  CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Users_email" ON app.users (lower(email));\n-- +goose Down\nDROP INDEX CONCURRENTLY IF EXISTS app."Users_email";\n`,
      errors: [{ messageId: 'ifNotExists', range: [2, 35, 2, 48] }],
      fix: {
        title: 'DROP INDEX CONCURRENTLY IF EXISTS',
        output: `${GOOSE}  DROP INDEX CONCURRENTLY IF EXISTS app."Users_email";\n  CREATE UNIQUE INDEX CONCURRENTLY "Users_email" ON app.users (lower(email));\n-- +goose Down\nDROP INDEX CONCURRENTLY IF EXISTS app."Users_email";\n`,
      },
    },
    // The drop of another index, or one after the build, does not help; neither does one in the other part.
    {
      sql: 'DROP INDEX CONCURRENTLY IF EXISTS users_name;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);\nDROP INDEX CONCURRENTLY IF EXISTS users_email;',
      errors: [{ messageId: 'ifNotExists', range: [1, 26, 1, 39] }],
      fix: { title: 'DROP INDEX', output: 'DROP INDEX CONCURRENTLY IF EXISTS users_name;\nDROP INDEX CONCURRENTLY IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY users_email ON users (email);\nDROP INDEX CONCURRENTLY IF EXISTS users_email;' },
    },
    {
      name: 'a DOWN part is judged too (idempotency)',
      sql: '-- UP Migration\nDROP INDEX CONCURRENTLY IF EXISTS users_email;\n-- DOWN Migration (Rollback)\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);\n',
      errors: [{ messageId: 'ifNotExists', range: [3, 26, 3, 39] }],
      fix: { title: 'DROP INDEX', output: '-- UP Migration\nDROP INDEX CONCURRENTLY IF EXISTS users_email;\n-- DOWN Migration (Rollback)\nDROP INDEX CONCURRENTLY IF EXISTS users_email;\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n' },
    },
    {
      name: 'multi-byte text before it on its line, the words on several lines',
      sql: "SELECT 'é 日本語 😀'; CREATE INDEX CONCURRENTLY IF\n  NOT EXISTS \"données_😀\" ON \"données\" (a);",
      errors: [{ messageId: 'ifNotExists', range: [0, 45, 1, 12] }],
      fix: { title: 'DROP INDEX', output: "SELECT 'é 日本語 😀'; DROP INDEX CONCURRENTLY IF EXISTS \"données_😀\"; CREATE INDEX CONCURRENTLY \"données_😀\" ON \"données\" (a);" },
    },
  ],
});
