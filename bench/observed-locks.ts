/**
 * The lock table against PostgreSQL on the corpus (../shared/corpus): every migration folder of
 * the named projects (default: all but the parser fixtures) runs in the shadow, and each UP
 * statement's observed locks and rewrites (shadow/observe.ts) are compared with the lock table
 * (analysis/locks.ts). Prints where they disagree, by statement kind, with a count and an example.
 *
 *   node --import tsx bench/observed-locks.ts [project…]
 *
 * Not part of `npm run bench` (long on the whole corpus); test/shadow/observed-locks-corpus.test.ts
 * runs it on four small projects.
 */
import { existsSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compareOnCorpus, CORPUS } from '../test/shadow/corpus-locks';

async function main(): Promise<void> {
  if (!existsSync(CORPUS)) {
    console.log(`no corpus at ${CORPUS}`);
    return;
  }
  const projects = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(CORPUS).filter((p) => p !== 'squawk');
  const t0 = performance.now();
  const { disagreements, statements } = await compareOnCorpus(projects);
  console.log(`${statements} UP statements observed in ${projects.length} project(s), ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log('count\tkind\trelation\tlock table\tobserved\trewrite (table > observed)\texample');
  for (const d of disagreements) console.log([d.count, d.kind, d.relation, d.table, d.observed, d.rewrite ? `${d.rewrite.table} > ${d.rewrite.observed}` : '', d.example].join('\t'));
}

if (require.main === module) void main();
