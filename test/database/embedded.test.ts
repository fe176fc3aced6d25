/** The database cases on the embedded database (PGlite): run in every test run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openThrowawayEmbedded } from '../../server/src/database/embedded';
import { targetCases } from './cases';
import { embeddedTestTarget, TEST_CACHE_DIR } from './helpers';

targetCases('embedded PGlite', embeddedTestTarget);

test('an embedded database starts with 16 MB of shared buffers (128 MB cost each shadow about 120 MB more memory), the rest of its settings as initdb made them', async () => {
  const db = await openThrowawayEmbedded({ cacheDir: TEST_CACHE_DIR });
  try {
    const [row] = await db.query<{ buffers: string; zone: string; search: string }>(
      `SELECT current_setting('shared_buffers') AS buffers, current_setting('TimeZone') AS zone, current_setting('default_text_search_config') AS search`,
    );
    assert.deepEqual(row, { buffers: '16MB', zone: 'UTC', search: 'pg_catalog.english' });
  } finally {
    await db.close();
  }
});
