/**
 * Hover on a statement of the UP part: what it does to production. The lock it takes and on
 * which table, what that lock blocks, whether it rewrites or scans the table, and the safer way
 * when there is one, all from the lock table (analysis/locks.ts) that require-lock-timeout uses.
 */
import type { Config } from '../config/config';
import type { LintResult } from '../lint/lint';
import type { Migration, Statement } from '../migration/migration';
import { computeFacts, Facts } from '../analysis/facts';
import { blockedBy, locksOf, TableLock } from '../analysis/locks';
import type { Position, Range } from '../sql/positions';

export interface HoverContent {
  markdown: string;
  range: Range;
}

/**
 * The hover at a position of a linted document: what to do instead for each finding there, then
 * the locks of the UP statement there. Undefined when there is neither.
 */
export function hoverAt(result: LintResult, config: Config, position: Position): HoverContent | undefined {
  const { migration } = result;
  const offset = migration.lines.offsetAt(position);
  const helped = result.findings.filter((f) => f.help !== undefined && f.start <= offset && offset <= f.end);
  const sections = helped.map((f) => `**${f.rule}**: ${f.message}\n\n${f.help}`);
  const statement = migration.up.find((s) => s.node && s.start <= offset && offset <= s.end);
  const locks = statement && statementHover(migration, statement, config, offset);
  if (locks) sections.push(locks);
  if (sections.length === 0) return undefined;
  const start = Math.min(...helped.map((f) => f.start), ...(locks ? [statement!.start] : []));
  const end = Math.max(...helped.map((f) => f.end), ...(locks ? [statement!.end] : []));
  return { markdown: sections.join('\n\n---\n\n'), range: migration.lines.rangeOf(start, end) };
}

const factsCache = new WeakMap<Migration, Facts>();

/**
 * The hover text of one statement; with `offset` inside one action of an ALTER TABLE, that
 * action's lock only. Undefined when the statement takes no table lock worth telling.
 */
export function statementHover(migration: Migration, statement: Statement, config: Config, offset?: number): string | undefined {
  let facts = factsCache.get(migration);
  if (!facts) factsCache.set(migration, (facts = computeFacts(migration, config)));
  const all = locksOf(statement, { pgVersion: config.pgVersion, createdFunctions: facts.createdFunctions });
  if (all.length === 0) return undefined;
  const here = offset === undefined ? [] : all.filter((l) => l.start <= offset && offset <= l.end && (l.start !== statement.start || l.end !== statement.end));
  const locks = here.length > 0 ? here : all;
  const sections = locks.map((lock) => lockSection(lock, facts!));
  if (!facts.lockTimeoutSet(statement) && locks.some((l) => blockedBy(l.mode).writes)) {
    sections.push("No `lock_timeout` is set before this statement: while it waits for its lock, the queries it blocks queue behind it. `SET lock_timeout = '5s'` first.");
  }
  return sections.join('\n\n---\n\n');
}

function lockSection(lock: TableLock, facts: Facts): string {
  const what = lock.ofIndex ? `the table of index \`${lock.target}\`` : `${lock.targetKind} \`${lock.target}\``;
  const lines = [`**${lock.action}** takes **${lock.mode}** on ${what}.`, '', `- **Blocks:** ${blocksText(lock)}`];
  if (lock.rewrite) lines.push(`- **Rewrites the ${lock.targetKind}:** ${lock.rewrite}.`);
  else if (lock.scan) lines.push(`- **Scans the table:** ${lock.scan}.`);
  else lines.push('- **No rewrite, no scan:** once granted, the lock is held only for a catalog change.');
  if (lock.alternative) lines.push(`- **Safer:** ${lock.alternative}.`);
  const created = lock.relation ? !facts.isExisting(lock.relation) : facts.createdIndexes.has(lock.target.split('.').pop() ?? '');
  if (created) lines.push(`- This migration creates \`${lock.target}\`: no other session uses it yet.`);
  lines.push('', `Sources: ${lock.sources.map((s) => `[${s.title}](${s.url})`).join(', ')}`);
  return lines.join('\n');
}

function blocksText(lock: TableLock): string {
  const blocked = blockedBy(lock.mode);
  if (blocked.reads) return 'reads, writes and DDL: every other query on it waits';
  const goes = lock.mode === 'EXCLUSIVE' ? 'plain reads go on (SELECT … FOR UPDATE / SHARE waits)' : blocked.writes ? 'reads go on' : 'reads and writes go on';
  const list = [blocked.writes ? 'writes (INSERT, UPDATE, DELETE)' : '', blocked.ddl ? 'DDL, VACUUM and ANALYZE' : 'CREATE INDEX and stronger locks'].filter((x) => x !== '');
  return `${list.join(' and ')}; ${goes}`;
}
