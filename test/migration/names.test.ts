import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareVersions,
  joinPath,
  parseMigrationName,
  sameVersion,
  splitMigrationFileName,
  splitPath,
  swapDirection,
  versionKey,
} from '../../server/src/migration/names';

describe('parseMigrationName', () => {
  const cases: [string, ReturnType<typeof parseMigrationName>][] = [
    ['001_add_retry_columns.sql', { version: '001', versionStyle: 'sequential', description: 'add_retry_columns' }],
    ['001-add-conversation-tracking.sql', { version: '001', versionStyle: 'sequential', description: 'add-conversation-tracking' }],
    ['00001_users_table.sql', { version: '00001', versionStyle: 'sequential', description: 'users_table' }],
    ['11_session_tracking.sql', { version: '11', versionStyle: 'sequential', description: 'session_tracking' }],
    ['20251122_track_agent_architecture.sql', { version: '20251122', versionStyle: 'date', description: 'track_agent_architecture' }],
    ['20251122093000_add_x.sql', { version: '20251122093000', versionStyle: 'timestamp', description: 'add_x' }],
    ['20251122093000_add_x.up.sql', { version: '20251122093000', versionStyle: 'timestamp', description: 'add_x' }],
    ['20251122093000_add_x.down.sql', { version: '20251122093000', versionStyle: 'timestamp', description: 'add_x' }],
    ['2019-02-26-002946_create_user', { version: '2019-02-26-002946', versionStyle: 'timestamp', description: 'create_user' }],
    ['2025-11-19-091444-0000_add_trustpub', { version: '2025-11-19-091444-0000', versionStyle: 'timestamp', description: 'add_trustpub' }],
    ['00000000000000_diesel_initial_setup', { version: '00000000000000', versionStyle: 'timestamp', description: 'diesel_initial_setup' }],
    ['V1.1__add_index.sql', { version: '1.1', versionStyle: 'flyway', description: 'add_index' }],
    ['V1_6__multitenant.sql', { version: '1.6', versionStyle: 'flyway', description: 'multitenant' }],
    ['U1__drop.sql', { version: '1', versionStyle: 'flyway', description: 'drop' }],
    ['R__Datasets_view.sql', { version: '', versionStyle: 'flyway', description: 'Datasets_view' }],
    ['rollback_001_webhook_inbox.sql', { version: '001', versionStyle: 'sequential', description: 'webhook_inbox' }],
    ['rollback-004-alter.sql', { version: '004', versionStyle: 'sequential', description: 'alter' }],
    ['004_alter_messages.rollback.sql', { version: '004', versionStyle: 'sequential', description: 'alter_messages' }],
    ['20191100000008000000_selfservice_verification.postgres.down.sql', { version: '20191100000008000000', versionStyle: 'timestamp', description: 'selfservice_verification' }],
    ['20241609000001000000_device_flow.autocommit.up.sql', { version: '20241609000001000000', versionStyle: 'timestamp', description: 'device_flow' }],
    ['1085649617_create_users_table.up.sql', { version: '1085649617', versionStyle: 'timestamp', description: 'create_users_table' }],
    ['V0024.WebAuthnAttestationType.down.sql', { version: '0024', versionStyle: 'sequential', description: 'WebAuthnAttestationType' }],
    ['90COMMENTS_destinations.sql.postgres', { version: '90', versionStyle: 'sequential', description: 'COMMENTS_destinations' }],
    ['1.16.0', { version: '1.16.0', versionStyle: 'other', description: '' }],
    ['v1.7', { version: '1.7', versionStyle: 'other', description: '' }],
    ['20240829182243_billing.reporter_watermark.sql', { version: '20240829182243', versionStyle: 'timestamp', description: 'billing.reporter_watermark' }],
  ];
  for (const [input, expected] of cases) {
    test(input, () => assert.deepEqual(parseMigrationName(input), expected));
  }

  test('names without a version', () => {
    for (const name of ['schema.sql', 'up.sql', 'migration.sql', 'data_oauth_github.sql', 'README.md', '', 'rollback_.sql']) {
      assert.equal(parseMigrationName(name), undefined, name);
    }
  });
});

describe('splitMigrationFileName', () => {
  test('direction, dialect, rollback, autocommit', () => {
    assert.deepEqual(splitMigrationFileName('x.postgres.autocommit.up.sql'), {
      stem: 'x', direction: 'up', rollback: false, rollbackPrefix: false, dialect: 'postgres', sql: true, autocommit: true,
    });
    assert.equal(splitMigrationFileName('x.mysql.down.sql').dialect, 'mysql');
    assert.equal(splitMigrationFileName('x.sql.sqlite').dialect, 'sqlite');
    assert.equal(splitMigrationFileName('x.rollback.sql').rollback, true);
    assert.equal(splitMigrationFileName('x.rollback.sql').rollbackPrefix, false);
    assert.equal(splitMigrationFileName('ROLLBACK_001_x.SQL').rollbackPrefix, true);
    assert.equal(splitMigrationFileName('001_x.ts').sql, false);
    assert.equal(splitMigrationFileName('001_x.sql.bak').sql, false);
  });
});

describe('versions', () => {
  test('numbers compare as numbers', () => {
    assert.ok(compareVersions('9', '10') < 0);
    assert.ok(compareVersions('009', '010') < 0);
    assert.equal(compareVersions('001', '1'), 0);
    assert.ok(sameVersion('001', '1'));
  });
  test('flyway versions compare part by part', () => {
    const sorted = ['2', '1.10', '1', '1.2', '10', '1.1'].sort(compareVersions);
    assert.deepEqual(sorted, ['1', '1.1', '1.2', '1.10', '2', '10']);
    assert.ok(sameVersion('1_1', '1.1'));
  });
  test('dates and timestamps compare as text', () => {
    assert.ok(compareVersions('20231231235959', '20240101') < 0);
    assert.ok(compareVersions('20240101', '20240101000000') < 0);
    assert.ok(compareVersions('00000000000000', '2019-02-26-002946') < 0);
    assert.ok(compareVersions('2019-02-26-002946', '20190301000000') < 0);
    assert.ok(compareVersions('2019-02-26-002946', '2025-11-19-091444-0000') < 0);
    assert.ok(sameVersion('2019-02-26-002946', '20190226002946'));
  });
  test('versionKey agrees with sameVersion', () => {
    const pairs: [string, string][] = [['001', '1'], ['1.1', '1_1'], ['2019-02-26-002946', '20190226002946'], ['0010', '10']];
    for (const [a, b] of pairs) assert.equal(versionKey(a), versionKey(b), `${a} ${b}`);
    assert.notEqual(versionKey('1'), versionKey('1.0.1'));
  });
});

describe('paths', () => {
  test('posix and windows', () => {
    assert.deepEqual(splitPath('/a/b/x.sql'), { dir: '/a/b', base: 'x.sql', sep: '/' });
    assert.deepEqual(splitPath('/x.sql'), { dir: '/', base: 'x.sql', sep: '/' });
    assert.deepEqual(splitPath('C:\\db\\x.sql'), { dir: 'C:\\db', base: 'x.sql', sep: '\\' });
    assert.deepEqual(splitPath('C:\\x.sql'), { dir: 'C:\\', base: 'x.sql', sep: '\\' });
    assert.equal(joinPath('C:\\db', 'rollback', 'x.sql'), 'C:\\db\\rollback\\x.sql');
    assert.equal(joinPath('/', 'x.sql'), '/x.sql');
  });
  test('swapDirection keeps case and separators', () => {
    assert.equal(swapDirection('1_x.up.sql', 'down'), '1_x.down.sql');
    assert.equal(swapDirection('1_x.UP.SQL', 'down'), '1_x.DOWN.SQL');
    assert.equal(swapDirection('1_x.postgres.up.sql', 'down'), '1_x.postgres.down.sql');
    assert.equal(swapDirection('1_x_down.sql', 'up'), '1_x_up.sql');
  });
});
