import type { Statement } from '../migration/migration';
import { findWords, keyOfNames, names, nodeOf, tableKey, treeOf } from '../sql/ast';
import { insertFix } from './helpers/fix';
import type { Fix, Rule, RuleContext } from './rule';
import { isConcurrentReindex } from '../analysis/session';

const FIX_TITLE = 'Add CONCURRENTLY (the statement must then run outside a transaction)';

const DROP_LOCKS = "DROP INDEX {{indexes}} takes an ACCESS EXCLUSIVE lock on the index's table: every query on the table, reads included, waits until it is done, and queues behind any long transaction already using the table.";
const REINDEX_LOCKS = 'REINDEX of {{target}} locks out writes to the table and takes an ACCESS EXCLUSIVE lock on each index it rebuilds, which stops every query that plans with that table.';

/**
 * Building or dropping an index without CONCURRENTLY locks its table for the whole operation.
 * Indexes of tables (and indexes) this migration creates are nobody else's yet.
 */
export const nonConcurrentIndex: Rule = {
  id: 'non-concurrent-index',
  defaultSeverity: 'warning',
  description: 'CREATE INDEX on an existing table, DROP INDEX or REINDEX without CONCURRENTLY: writes (or all queries) wait for the whole operation.',
  messages: {
    createIndex: 'CREATE INDEX on {{table}} holds a SHARE lock while it reads the whole table: every INSERT, UPDATE and DELETE on it waits until the index is built.',
    dropIndex: DROP_LOCKS,
    dropIndexes: DROP_LOCKS,
    reindex: REINDEX_LOCKS,
    reindexBefore12: REINDEX_LOCKS,
  },
  help: {
    createIndex: 'Use CREATE INDEX CONCURRENTLY, outside a transaction.',
    dropIndex: 'Use DROP INDEX CONCURRENTLY, outside a transaction.',
    dropIndexes: 'Use DROP INDEX CONCURRENTLY, outside a transaction (one index per statement, without CASCADE).',
    reindex: 'Use REINDEX … CONCURRENTLY, outside a transaction.',
    reindexBefore12: 'REINDEX CONCURRENTLY needs PostgreSQL 12 (pgVersion is {{pgVersion}}): build a new index CONCURRENTLY, drop the old one CONCURRENTLY and rename the new one.',
  },
  fixable: true,
  check(context) {
    for (const statement of context.migration.up) {
      const index = treeOf(statement, 'IndexStmt');
      // ON ONLY a partitioned table builds nothing (the partitions' indexes are attached later).
      if (index && !index.concurrent && !!index.relation?.inh && context.facts.isExisting(index.relation)) {
        context.report({
          statement,
          messageId: 'createIndex',
          data: { table: tableKey(index.relation) },
          fixes: () => concurrentlyFix(context, statement, ['INDEX']),
        });
      }
      const drop = treeOf(statement, 'DropStmt');
      if (drop?.removeType === 'OBJECT_INDEX' && !drop.concurrent) checkDrop(context, statement, drop);
      const reindex = treeOf(statement, 'ReindexStmt');
      if (reindex && !isConcurrentReindex(reindex)) checkReindex(context, statement, reindex);
    }
  },
};

function checkDrop(context: RuleContext, statement: Statement, drop: NonNullable<ReturnType<typeof nodeOf<'DropStmt'>>>): void {
  const indexes = (drop.objects ?? []).map((o) => names(nodeOf(o, 'List')?.items));
  const existing = indexes.filter((parts) => context.facts.isExistingIndex(parts[parts.length - 1] ?? '', statement));
  if (existing.length === 0) return;
  // DROP INDEX CONCURRENTLY takes one index and no CASCADE.
  const canFix = indexes.length === 1 && drop.behavior !== 'DROP_CASCADE';
  context.report({
    statement,
    messageId: canFix ? 'dropIndex' : 'dropIndexes',
    data: { indexes: existing.map(keyOfNames).join(', ') },
    fixes: () => canFix ? concurrentlyFix(context, statement, ['INDEX']) : [],
  });
}

const REINDEX_TARGETS = ['INDEX', 'TABLE', 'SCHEMA', 'DATABASE'];

function checkReindex(context: RuleContext, statement: Statement, reindex: NonNullable<ReturnType<typeof nodeOf<'ReindexStmt'>>>): void {
  // REINDEX SYSTEM cannot run concurrently, and rebuilds only the catalogs.
  if (reindex.kind === 'REINDEX_OBJECT_SYSTEM') return;
  const name = reindex.relation ? tableKey(reindex.relation) : reindex.name ?? '';
  if (reindex.kind === 'REINDEX_OBJECT_INDEX' && !context.facts.isExistingIndex(reindex.relation?.relname ?? '', statement)) return;
  if (reindex.kind === 'REINDEX_OBJECT_TABLE' && !context.facts.isExisting(reindex.relation)) return;
  const modern = context.config.pgVersion >= 12;
  context.report({
    statement,
    messageId: modern ? 'reindex' : 'reindexBefore12',
    data: { target: reindex.kind === 'REINDEX_OBJECT_INDEX' ? name : name || 'every index', pgVersion: context.config.pgVersion },
    fixes: () => modern ? concurrentlyFix(context, statement, REINDEX_TARGETS) : [],
  });
}

/** Inserts ` CONCURRENTLY` after the first of `words` (`CREATE UNIQUE INDEX`, `DROP INDEX`, `REINDEX (…) TABLE`). */
function concurrentlyFix(context: RuleContext, statement: Statement, words: string[]): Fix[] {
  const tokens = statement.sqlTokens;
  const at = words.map((w) => findWords(tokens, [w])).filter((i) => i >= 0).sort((a, b) => a - b)[0];
  if (at === undefined) return [];
  return [insertFix(context.migration, FIX_TITLE, tokens[at].end, ' CONCURRENTLY')];
}
