/**
 * The lock table against what PostgreSQL does, on real migrations (../shared/corpus, skipped
 * when absent): the statement kinds where the lock table and the shadow's observation disagree
 * are listed, and each must be one explained below. bench/observed-locks.ts runs the whole corpus.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { compareOnCorpus, CORPUS } from './corpus-locks';
import { TEST_CACHE_DIR } from '../database/helpers';

/** Small projects with varied DDL (goose's and golang-migrate's own test migrations, OpenFGA, dbmate). */
const PROJECTS = ['goose', 'golang-migrate', 'openfga', 'dbmate'];

/**
 * Disagreements that are not errors of the lock table, by `kind|lock table|observed|rewrite`:
 * the lock table says what may happen, the shadow what did on its schema.
 */
const EXPLAINED: Record<string, string> = {
  // "rewrites every row …, unless the new type is binary-compatible": the observed change was.
  'AlterTableStmt AT_AlterColumnType|ACCESS EXCLUSIVE|ACCESS EXCLUSIVE|true>false': 'a binary-compatible type change (varchar widening, varchar → text)',
};

describe('lock table against the shadow on the corpus', { skip: !existsSync(CORPUS) && 'no ../shared/corpus' }, () => {
  test(`${PROJECTS.join(', ')}: every disagreement is explained`, async (t) => {
    const { disagreements, statements } = await compareOnCorpus(PROJECTS, TEST_CACHE_DIR);
    assert.ok(statements > 30, `observed ${statements} statements`);
    for (const d of disagreements) t.diagnostic(`${d.count}× ${d.kind} on ${d.relation}: lock table ${d.table}, observed ${d.observed}${d.rewrite ? `, rewrite ${d.rewrite.table} > ${d.rewrite.observed}` : ''} (${d.example})`);
    const unexplained = disagreements.filter((d) => !EXPLAINED[`${d.kind}|${d.table}|${d.observed}|${d.rewrite ? `${d.rewrite.table}>${d.rewrite.observed}` : ''}`]);
    assert.deepEqual(unexplained.map((d) => `${d.kind}: lock table ${d.table}, observed ${d.observed} (${d.example})`), []);
  });
});
