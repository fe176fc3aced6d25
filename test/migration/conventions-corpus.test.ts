/**
 * detectConvention over the real corpus (../shared/corpus, read in place, never copied): the
 * detected convention and direction must agree with MANIFEST.tsv.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectConvention } from '../../server/src/migration/recognise';
import { ConventionInfo, ConventionName } from '../../server/src/migration/model';
import { DiskFileSystem } from './helpers';

const CORPUS = process.env.SAFEMIG_CORPUS ?? '/work/shared/corpus';

/**
 * The manifest names conventions after the projects' runners; safemig groups them by layout.
 * - authelia `V0024.Name.up.sql` / `.down.sql`, ory/popx `x.postgres.up.sql`, gotrue's
 *   `x.up.sql`: the golang-migrate up/down file pair.
 * - sqlx: reversible `x.up.sql` / `x.down.sql` pairs are golang-migrate style; simple `x.sql`
 *   files (no sections, run forward only) are plain.
 * - openreplay `init_dbs/…/1.5.0.sql` with `rollback_dbs/…/1.5.0.sql`: rollback files.
 * - supabase/storage (postgres-migrations), synapse deltas, temporal's versioned schema: files
 *   run forward as written, no markers: plain.
 */
function expected(convention: string, path: string): ConventionName | undefined {
  switch (convention) {
    case 'diesel':
    case 'goose':
    case 'dbmate':
    case 'golang-migrate':
    case 'flyway':
    case 'prisma':
      return convention;
    case 'authelia-updown':
    case 'ory-popx':
    case 'gotrue-templated':
      return 'golang-migrate';
    case 'sqlx':
      return /\.(up|down)\.sql$/i.test(path) ? 'golang-migrate' : 'plain';
    case 'plain-upgrade-rollback':
      return 'rollback-files';
    case 'postgres-migrations':
    case 'synapse-delta':
    case 'temporal-versioned':
      return 'plain';
    default:
      return undefined;
  }
}

/** What the file holds, in the manifest's words. */
function direction(info: ConventionInfo): string {
  const kinds = new Set(info.parts.map((p) => p.kind));
  if (kinds.has('up') && kinds.has('down')) return 'up+down';
  return kinds.has('down') ? 'down' : 'up';
}

/**
 * Disagreements that are the manifest's, or a file that is not a migration of its folder's
 * convention; each explained. Any other disagreement fails the test.
 */
const KNOWN: Record<string, string> = {
  // A loose data-fix script at the top of crates.io's diesel migrations folder, outside any
  // `<version>_<name>/` folder: diesel never runs it. It is a plain SQL file.
  'crates-io/migrations/data_oauth_github.sql convention': 'plain',
  // Forward migrations (goose Up and Down sections) whose `-- +goose Down` marker sits after
  // the first ~20 KB of the file (at 21,192 and 24,075): the manifest's direction missed it.
  'hatchet/cmd/hatchet-migrate/migrate/migrations/20260511174313_v1_0_108.sql direction': 'up+down',
  'hatchet/cmd/hatchet-migrate/migrate/migrations/20260722000000_batching_consolidated_v1_0_133.sql direction': 'up+down',
  // A forward migration named "rollback prefix triggers" (it rolls back an earlier feature by
  // migrating forward; postgres-migrations runs it like any other file): not a rollback file.
  'supabase-storage/migrations/tenant/0042-rollback-prefix-triggers.sql direction': 'up',
};

test('detectConvention agrees with the corpus manifest', { skip: !existsSync(join(CORPUS, 'MANIFEST.tsv')) && 'corpus not found' }, () => {
  const rows = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));
  const fs = new DiskFileSystem();
  let total = 0;
  let conventionAgree = 0;
  let directionAgree = 0;
  let adversarial = 0;
  const mismatches: string[] = [];
  const unexplained: string[] = [];
  let detectMs = 0;

  for (const [project, , , path, convention, , set, dir] of rows) {
    const file = join(CORPUS, 'files', project, path);
    const text = readFileSync(file, 'utf8');
    const t0 = performance.now();
    const info = detectConvention(file, text, fs);
    detectMs += performance.now() - t0;
    for (const p of info.parts) assert.ok(p.start >= 0 && p.start <= p.end && p.end <= text.length, file);

    if (set !== 'migration') {
      adversarial++;
      continue;
    }
    total++;
    const key = `${project}/${path}`;
    const want = expected(convention, path);
    assert.ok(want, `unknown manifest convention ${convention}`);
    if (info.name === want) conventionAgree++;
    else {
      mismatches.push(`${key}: convention ${info.name}, manifest ${convention} (${want})`);
      if (KNOWN[`${key} convention`] !== info.name) unexplained.push(mismatches[mismatches.length - 1]);
    }
    const got = direction(info);
    const roleOk = (info.role === 'down') === (dir === 'down');
    if (got === dir && roleOk) directionAgree++;
    else {
      mismatches.push(`${key}: direction ${got} (role ${info.role}), manifest ${dir}`);
      if (KNOWN[`${key} direction`] !== got) unexplained.push(mismatches[mismatches.length - 1]);
    }
  }

  const pct = (n: number) => ((100 * n) / total).toFixed(2);
  console.log(
    `corpus: ${total} migration files; convention agrees ${conventionAgree} (${pct(conventionAgree)}%), ` +
      `direction agrees ${directionAgree} (${pct(directionAgree)}%); ${adversarial} adversarial files did not throw; ` +
      `detection ${detectMs.toFixed(0)} ms total`,
  );
  for (const m of mismatches) console.log(`  mismatch: ${m}`);
  assert.ok(conventionAgree / total >= 0.97, `convention agreement ${pct(conventionAgree)}% < 97%`);
  assert.ok(directionAgree / total >= 0.97, `direction agreement ${pct(directionAgree)}% < 97%`);
  assert.deepEqual(unexplained, [], 'disagreements not explained in KNOWN');
});
