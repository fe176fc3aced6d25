import type { Migration, Statement } from '../migration/migration';
import { blockedBy, locksOf, mayBlockWrites, TableLock } from '../analysis/locks';
import { insertFix } from './helpers/fix';
import type { Facts } from '../analysis/facts';
import type { Fix, Rule } from './rule';

const WAITS = '{{action}} takes {{lock}} lock on {{target}} with no lock_timeout set: if another transaction holds a conflicting lock, this statement waits for it, and ';
const QUEUES = 'queues behind this statement for as long.';
const HELP = 'Set lock_timeout first (and retry the migration if it times out).';

/**
 * A lock request waits in a queue behind the transactions that hold a conflicting lock, and
 * every later request that conflicts with it waits behind it. Without lock_timeout, a migration
 * stuck behind one long transaction blocks all traffic on the table for as long as it waits.
 * Judged for locks that block writes (SHARE and stronger), on tables the migration did not create.
 */
export const requireLockTimeout: Rule = {
  id: 'require-lock-timeout',
  defaultSeverity: 'info',
  description: 'A statement that takes a lock blocking writes (SHARE … ACCESS EXCLUSIVE) on an existing table, with no lock_timeout set before it.',
  messages: {
    blocksReads: `${WAITS}every query on it, reads included, ${QUEUES}`,
    blocksWrites: `${WAITS}every write to it ${QUEUES}`,
  },
  help: {
    blocksReads: HELP,
    blocksWrites: HELP,
  },
  fixable: true,
  check({ migration, config, facts, report }) {
    for (const statement of migration.up) {
      if (!mayBlockWrites(statement) || facts.lockTimeoutSet(statement)) continue;
      const locks = locksOf(statement, facts.lockOptions);
      const blocking = locks.filter((l) => blockedBy(l.mode).writes && onExisting(l, facts));
      if (blocking.length === 0) continue;
      const first = blocking.reduce((a, b) => (b.mode === 'ACCESS EXCLUSIVE' && a.mode !== 'ACCESS EXCLUSIVE' ? b : a));
      const target = first.ofIndex ? `the table of index ${first.target}` : first.targetKind === 'table' ? first.target : `${first.targetKind} ${first.target}`;
      report({
        statement,
        messageId: blockedBy(first.mode).reads ? 'blocksReads' : 'blocksWrites',
        data: { action: first.action, lock: `${article(first.mode)} ${first.mode}`, target },
        fixes: () => [lockTimeoutFix(migration, statement, config.database.lockTimeout)],
      });
    }
  },
};

function article(mode: string): string {
  return /^[AEIOU]/.test(mode) ? 'an' : 'a';
}

/** The lock is on a relation this migration did not create (an index's table is unknown: assumed existing). */
function onExisting(lock: TableLock, facts: Facts): boolean {
  if (lock.relation) return facts.isExisting(lock.relation);
  return !facts.createdIndexes.has(lock.target.split('.').pop() ?? '');
}

/** An earlier statement that sets or resets lock_timeout (or every setting) would undo a SET at the top of the part. */
const CHANGES_LOCK_TIMEOUT = /\block_timeout\b|\b(?:reset|discard)\s+all\b/i;

/**
 * `SET lock_timeout = '5s';` as the first statement of the UP part: on the line of its first
 * statement, or right after the part's marker when a goose annotation comes first. When an
 * earlier statement of the part changes lock_timeout itself (turns it off, resets it), right
 * before the statement instead, where nothing can undo it.
 */
function lockTimeoutFix(migration: Migration, statement: Statement, timeout: string): Fix {
  const { text, lines } = migration;
  const { part } = statement;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const value = timeout.replace(/'/g, "''");
  const set = `SET lock_timeout = '${value}';`;
  if (!part.commentedOut && part.statements.some((s) => s.start < statement.start && CHANGES_LOCK_TIMEOUT.test(s.text))) {
    const indent = text.slice(lines.lineStart(lines.positionAt(statement.start).line), statement.start);
    // On a line of its own, indented like the statement, unless other SQL precedes it on its line.
    return insertFix(migration, `Set lock_timeout = '${value}' before this statement`, statement.start, /^[ \t]*$/.test(indent) ? `${set}${eol}${indent}` : `${set} `);
  }
  const first = part.statements[0];
  let at = part.start;
  if (first && !/^[ \t]*--\s*\+goose/m.test(text.slice(part.start, first.start))) at = lines.lineStart(lines.positionAt(first.start).line);
  const prefix = at > 0 && at === text.length && !/\n$/.test(text) ? eol : '';
  const line = part.commentedOut ? `-- ${set}` : set;
  return insertFix(migration, `Set lock_timeout = '${value}' at the top of the UP part`, at, `${prefix}${line}${eol}`);
}
