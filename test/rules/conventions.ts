/**
 * The same SQL placed in the DOWN part of every convention: breaking-change and locking rules
 * judge the UP part only, so none of these may report.
 */
import type { ValidCase } from './rule-tester';

const UP_SQL = 'SELECT 1;\n';

export function inEveryDownPart(sql: string): ValidCase[] {
  const commented = sql.split('\n').map((line) => (line.trim() === '' ? line : `-- ${line}`)).join('\n');
  return [
    { name: 'template DOWN section', sql: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n${sql}\n` },
    { name: 'template DOWN section, commented out, with prose', sql: `-- UP Migration\n${UP_SQL}\n-- DOWN Migration (Rollback)\n-- Undo the change (run by hand)\n${commented}\n` },
    { name: 'node-pg-migrate SQL DOWN section', sql: `-- Up Migration\n${UP_SQL}\n-- Down Migration\n${sql}\n` },
    { name: 'goose DOWN section', path: '/project/migrations/20240101120000_change.sql', sql: `-- +goose Up\n${UP_SQL}\n-- +goose Down\n-- +goose StatementBegin\n${sql}\n-- +goose StatementEnd\n` },
    { name: 'dbmate DOWN section', path: '/project/db/migrations/20240101120000_change.sql', sql: `-- migrate:up\n${UP_SQL}\n-- migrate:down\n${sql}\n` },
    { name: 'golang-migrate .down.sql', path: '/project/migrate/000002_change.down.sql', files: { '/project/migrate/000002_change.up.sql': UP_SQL }, sql },
    { name: 'diesel down.sql', path: '/project/migrations/2024-01-01-120000_change/down.sql', files: { '/project/migrations/2024-01-01-120000_change/up.sql': UP_SQL }, sql },
    { name: 'Flyway undo file', path: '/project/db/migration/U2__change.sql', files: { '/project/db/migration/V2__change.sql': UP_SQL }, sql },
    {
      name: 'rollback_NNN file',
      path: '/project/backend/db/migrations/rollback_004_alter_messages.sql',
      files: { '/project/backend/db/migrations/004_alter_messages.sql': UP_SQL, '/project/backend/db/migrations/003_sync_state.sql': UP_SQL, '/project/backend/db/migrations/rollback_003_sync_state.sql': UP_SQL },
      sql,
    },
    { name: 'sqitch revert file', path: '/project/revert/change.sql', files: { '/project/deploy/change.sql': UP_SQL, '/project/sqitch.plan': '%project=x\n' }, sql },
  ];
}

/** Paths of conventions whose UP part is the whole file (or the UP section), for invalid cases. */
export const GOOSE_PATH = '/project/migrations/20240101120000_change.sql';
export const DBMATE_PATH = '/project/db/migrations/20240101120000_change.sql';
export const GOLANG_UP_PATH = '/project/migrate/000002_change.up.sql';
export const SUPABASE_PATH = '/project/supabase/migrations/20240101120000_change.sql';
