/**
 * `npm run bench` (after bench/run.ts): `safemig check --shadow` on a generated folder of 300
 * migrations (tables, columns, indexes, each with its DOWN part; migration 200 drops a column
 * that migration 250 still uses), as a process. Cold: a fresh cache folder, so the embedded
 * database's template is made first; warm: again, with the template there. Targets (issue 17):
 * cold ≤ 15 s, warm ≤ 3 s (the warm target needs the on-disk shadow cache, a later step).
 * The run must report exactly the one schema-error it is built with.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const MIGRATIONS = Number(process.env.BENCH_SHADOW_MIGRATIONS ?? 300);
/** Not a table-making migration (i % 3 === 1), so nothing else depends on what it replaces. */
const notTable = (i: number) => (i % 3 === 1 ? i + 1 : i);
const DROPPED_AT = notTable(Math.round(MIGRATIONS * (2 / 3)));
const USED_AT = notTable(Math.round(MIGRATIONS * (5 / 6)));

/** Migration i (1-based): a table every third, else a column or an index on an earlier table. */
function migration(i: number): string {
  const table = `t${3 * Math.floor((i - 1) / 3) + 1}`;
  if (i === DROPPED_AT) return `-- UP Migration\nALTER TABLE t1 DROP COLUMN IF EXISTS note;\n\n-- DOWN Migration (Rollback)\nALTER TABLE t1 ADD COLUMN IF NOT EXISTS note text;\n`;
  if (i === USED_AT) return `-- UP Migration\nUPDATE t1 SET note = 'x' WHERE id = 1;\n\n-- DOWN Migration (Rollback)\nSELECT 1;\n`;
  switch (i % 3) {
    case 1:
      return `-- UP Migration\nCREATE TABLE IF NOT EXISTS t${i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n\n-- DOWN Migration (Rollback)\nDROP TABLE IF EXISTS t${i};\n`;
    case 2:
      return `-- UP Migration\nALTER TABLE ${table} ADD COLUMN IF NOT EXISTS note text;\n\n-- DOWN Migration (Rollback)\nALTER TABLE ${table} DROP COLUMN IF EXISTS note;\n`;
    default:
      return `-- UP Migration\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_${table}_name ON ${table} (name);\n\n-- DOWN Migration (Rollback)\nDROP INDEX CONCURRENTLY IF EXISTS idx_${table}_name;\n`;
  }
}

function run(root: string, cacheDir: string): { ms: number; errors: number } {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, [CLI, 'check', '--shadow', '--format', 'json', 'db'], { cwd: root, encoding: 'utf8', env: { ...process.env, SAFEMIG_CACHE_DIR: cacheDir }, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (!result.stdout) throw new Error(`check --shadow failed (exit ${result.status}): ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { files: { diagnostics: { rule: string }[] }[] };
  return { ms, errors: report.files.flatMap((f) => f.diagnostics).filter((d) => d.rule === 'schema-error').length };
}

export function benchShadow(): void {
  const root = mkdtempSync(join(tmpdir(), 'safemig-bench-shadow-'));
  const cacheDir = join(root, 'cache');
  try {
    mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
    for (let i = 1; i <= MIGRATIONS; i++) writeFileSync(join(root, 'db', 'migrations', `${String(i).padStart(4, '0')}_m${i}.sql`), migration(i));
    const cold = run(root, cacheDir);
    const warm = run(root, cacheDir);
    console.log(`\nCLI, check --shadow on ${MIGRATIONS} generated migrations (one schema-error expected)`);
    console.log('| run | wall ms | schema-error findings | target ms |');
    console.log('|---|---|---|---|');
    console.log(`| cold (template made) | ${cold.ms.toFixed(0)} | ${cold.errors} | 15000 |`);
    console.log(`| warm | ${warm.ms.toFixed(0)} | ${warm.errors} | 3000 (needs the on-disk shadow cache) |`);
    if (cold.errors !== 1 || warm.errors !== 1) throw new Error('check --shadow did not report exactly the one schema-error the folder is built with');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) benchShadow();
