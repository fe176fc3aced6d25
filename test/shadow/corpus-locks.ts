/**
 * The lock table (analysis/locks.ts) against the shadow's observations (shadow/observe.ts) on
 * projects of the corpus (../shared/corpus): where they disagree, by statement kind, with a count
 * and an example. Used by test/shadow/observed-locks-corpus.test.ts and bench/observed-locks.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeFacts } from '../../server/src/analysis/facts';
import { readMigration } from '../../server/src/migration/migration';
import { LockDisagreement, lockDisagreements } from '../../server/src/shadow/observe';
import { runShadows } from '../../server/src/shadow/run';
import { initParser } from '../../server/src/sql/pg';
import { DiskFileSystem } from '../../server/src/workspace/node-fs';
import { ConfigResolver } from '../../server/src/workspace/settings';

export const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'files');

export interface Disagreement extends LockDisagreement {
  /** `project/path:line` of the first statement seen. */
  example: string;
  count: number;
}

function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sqlFiles(path));
    else if (name.endsWith('.sql')) out.push(path);
  }
  return out;
}

/** The disagreements of the lock table with the shadow's observations on `projects`, by statement kind. */
export async function compareOnCorpus(projects: string[], cacheDir?: string): Promise<{ disagreements: Disagreement[]; statements: number }> {
  await initParser();
  const work = mkdtempSync(join(tmpdir(), 'safemig-observed-'));
  const config = join(work, '.safemig.json');
  writeFileSync(config, JSON.stringify({ migrations: ['**/*.sql'] }));
  const fs = new DiskFileSystem();
  const byKey = new Map<string, Disagreement>();
  let statements = 0;
  try {
    for (const project of projects) {
      const paths = sqlFiles(join(CORPUS, project)).sort();
      const resolver = new ConfigResolver(fs, {}, config);
      const results = await runShadows(paths, fs, resolver, { all: true, ...(cacheDir ? { cacheDir } : {}) });
      for (const [path, file] of results ?? []) {
        if (!file.observed?.length) continue;
        const text = readFileSync(path, 'utf8');
        const migration = readMigration(path, text, fs);
        // What the engine knows of the statements, its folder's earlier migrations included.
        const { lockOptions } = computeFacts(migration, resolver.resolve(path).config, undefined, fs);
        for (const observed of file.observed) {
          const statement = migration.up.find((s) => s.start === observed.start);
          if (!statement?.node) continue;
          statements++;
          for (const d of lockDisagreements(statement, observed, { ...lockOptions, pgVersion: 18 })) {
            const key = `${d.kind}|${d.table}|${d.observed}|${d.rewrite ? `${d.rewrite.table}>${d.rewrite.observed}` : ''}`;
            const seen = byKey.get(key);
            if (seen) seen.count++;
            else byKey.set(key, { ...d, example: `${path.slice(CORPUS.length + 1)}:${migration.lines.positionAt(statement.start).line + 1}`, count: 1 });
          }
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { disagreements: [...byKey.values()].sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1)), statements };
}
