import { locksOf } from '../analysis/locks';
import { isFalse } from '../analysis/session';
import type { Statement } from '../migration/migration';
import { nodeOf, treeOf } from '../sql/ast';
import type { Rule } from './rule';

/** The commands that rebuild a whole table (or materialized view) under ACCESS EXCLUSIVE, and what to do instead. */
const INSTEAD: Record<string, string> = {
  'VACUUM FULL': 'Use plain VACUUM (reads and writes go on), or pg_repack / pg_squeeze to reclaim the space online.',
  CLUSTER: 'Leave the order to a later maintenance window, or use pg_repack --order-by, which rewrites the table online.',
  'SET TABLESPACE': 'Move the table with a tool that copies it online (pg_repack --tablespace), or at a maintenance window.',
  'SET LOGGED': 'Create the table with the persistence it needs, or change it at a maintenance window: the whole table is written anew.',
  'SET UNLOGGED': 'Create the table with the persistence it needs, or change it at a maintenance window: the whole table is written anew.',
  'REFRESH MATERIALIZED VIEW': 'Use REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view): reads go on while it runs.',
};

/**
 * VACUUM FULL, CLUSTER, SET TABLESPACE, SET LOGGED / UNLOGGED and REFRESH MATERIALIZED VIEW
 * without CONCURRENTLY rewrite an existing table (or rebuild a view) while every read and write
 * of it waits. The lock facts come from the lock table (analysis/locks.ts).
 */
export const blockingRewrite: Rule = {
  id: 'blocking-rewrite',
  defaultSeverity: 'warning',
  description: 'VACUUM FULL, CLUSTER, SET TABLESPACE, SET LOGGED / UNLOGGED or REFRESH MATERIALIZED VIEW without CONCURRENTLY on an existing table: rewritten under ACCESS EXCLUSIVE.',
  messages: {
    rewrite: '{{action}} {{how}} {{table}} under an ACCESS EXCLUSIVE lock: every read and write of it waits until it is done.',
    everyTable: '{{action}} without a table {{how}} every table it may, one after the other, each under an ACCESS EXCLUSIVE lock: every read and write of each waits until it is done.',
  },
  help: {
    rewrite: '{{instead}}',
    everyTable: '{{instead}}',
  },
  check(context) {
    const { facts } = context;
    const options = facts.lockOptions;
    for (const statement of context.migration.up) {
      if (statement.kind !== 'VacuumStmt' && statement.kind !== 'ClusterStmt' && statement.kind !== 'AlterTableStmt' && statement.kind !== 'RefreshMatViewStmt') continue;
      // REFRESH … WITH NO DATA only empties the view.
      if (treeOf(statement, 'RefreshMatViewStmt')?.skipData) continue;
      const wholeDatabase = wholeDatabaseCommand(statement);
      if (wholeDatabase) {
        context.report({ statement, messageId: 'everyTable', data: { action: wholeDatabase, how: HOW[wholeDatabase], instead: INSTEAD[wholeDatabase] } });
        continue;
      }
      for (const lock of locksOf(statement, options)) {
        const instead = INSTEAD[lock.action];
        if (!instead || lock.mode !== 'ACCESS EXCLUSIVE' || !facts.isExisting(lock.relation, statement)) continue;
        context.report({ statement, start: lock.start, end: lock.end, messageId: 'rewrite', data: { action: lock.action, how: HOW[lock.action], table: lock.target, instead } });
      }
    }
  },
};

const HOW: Record<string, string> = {
  'VACUUM FULL': 'writes a new copy of',
  CLUSTER: 'writes a new copy, in index order, of',
  'SET TABLESPACE': 'copies every file of',
  'SET LOGGED': 'writes a new copy of',
  'SET UNLOGGED': 'writes a new copy of',
  'REFRESH MATERIALIZED VIEW': 'runs its query again and replaces the contents of',
};

/** `VACUUM FULL` or `CLUSTER` without a table: every table of the database (CLUSTER: every one clustered before). */
function wholeDatabaseCommand(statement: Statement): string | undefined {
  const vacuum = treeOf(statement, 'VacuumStmt');
  if (vacuum?.is_vacuumcmd && !vacuum.rels?.length && (vacuum.options ?? []).some((o) => nodeOf(o, 'DefElem')?.defname === 'full' && !isFalse(nodeOf(o, 'DefElem')?.arg))) return 'VACUUM FULL';
  const cluster = treeOf(statement, 'ClusterStmt');
  if (cluster && !cluster.relation) return 'CLUSTER';
  return undefined;
}
