/**
 * Hover on a statement of the UP part: what it does to production. The lock it takes and on
 * which table, what that lock blocks, whether it rewrites or scans the table, and the safer way
 * when there is one, all from the lock table (analysis/locks.ts) that require-lock-timeout uses.
 * With the shadow's results for the document, also what the statement did there: the locks
 * PostgreSQL took and whether it rewrote a table (shadow/observe.ts).
 */
import type { Config } from '../config/config';
import type { LintResult } from '../lint/lint';
import type { Migration, Statement } from '../migration/migration';
import type { FileSystem } from '../migration/model';
import { computeFacts, Facts } from '../analysis/facts';
import { blockedBy, locksOf, TableLock } from '../analysis/locks';
import type { ObservedStatement } from '../shadow/findings';
import type { Position, Range } from '../sql/positions';

export interface HoverContent {
  markdown: string;
  range: Range;
}

/**
 * The hover at a position of a linted document: what to do instead for each finding there, then
 * the locks of the UP statement there. Undefined when there is neither. The finding's problem is
 * not repeated: the editor shows the diagnostic's message in the same hover. `fs`: the document's
 * folder, for what earlier migrations declared (the lock table's facts).
 */
export function hoverAt(result: LintResult, config: Config, position: Position, fs?: FileSystem): HoverContent | undefined {
  const { migration, shadow } = result;
  const offset = migration.lines.offsetAt(position);
  const helped = result.findings.filter((f) => f.help !== undefined && f.start <= offset && offset <= f.end);
  const sections = helped.map((f) => `**${f.rule}**: ${f.help}`);
  const statement = migration.up.find((s) => s.node && s.start <= offset && offset <= s.end);
  // The shadow's observation of this very text: its offsets are the statement's.
  const observed = statement && shadow?.observed?.find((o) => o.start === statement.start && o.end === statement.end);
  const seen = observed && observedLocksHover(observed);
  const locks = statement && [statementHover(migration, statement, config, offset, fs), seen].filter((s) => s !== undefined).join('\n\n---\n\n');
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
export function statementHover(migration: Migration, statement: Statement, config: Config, offset?: number, fs?: FileSystem): string | undefined {
  let facts = factsCache.get(migration);
  if (!facts) factsCache.set(migration, (facts = computeFacts(migration, config, undefined, fs)));
  const all = locksOf(statement, facts.lockOptions);
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

/**
 * What the shadow saw a statement do (run against the schema before its migration, in the
 * migration's transaction): the locks it took, those its transaction already held, the tables it
 * rewrote. Undefined when it locked nothing there, or ran it without its CONCURRENTLY.
 */
export function observedLocksHover(observed: ObservedStatement): string | undefined {
  // The shadow ran it without CONCURRENTLY: what it saw is not what this statement takes.
  if (observed.plainForm) return undefined;
  const lines: string[] = [];
  for (const lock of observed.locks) {
    if (lock.created) continue;
    const what = `**${lock.mode}** on ${lock.kind} \`${lock.relation}\`${lock.dropped ? ' (dropped)' : ''}`;
    if (lock.taken) lines.push(`- takes ${what}`);
    else if (lock.kind === 'table') lines.push(`- holds ${what}, taken earlier in the transaction`);
  }
  const created = observed.locks.filter((l) => l.created && l.taken).map((l) => `${l.kind} \`${l.relation}\``);
  if (created.length > 0) lines.push(`- creates ${created.join(', ')}`);
  for (const table of observed.rewritten) lines.push(`- **rewrote** table \`${table}\`: every row was written to a new file`);
  if (observed.rewritten.length === 0 && observed.locks.some((l) => l.taken && l.kind === 'table' && l.mode === 'ACCESS EXCLUSIVE' && !l.created && !l.dropped)) lines.push('- no table rewritten');
  if (lines.length === 0) return undefined;
  return ['**Observed in the shadow schema** (run against the schema before this migration):', '', ...lines].join('\n');
}

function blocksText(lock: TableLock): string {
  const blocked = blockedBy(lock.mode);
  if (blocked.reads) return 'reads, writes and DDL: every other query on it waits';
  const goes = lock.mode === 'EXCLUSIVE' ? 'plain reads go on (SELECT … FOR UPDATE / SHARE waits)' : blocked.writes ? 'reads go on' : 'reads and writes go on';
  const list = [blocked.writes ? 'writes (INSERT, UPDATE, DELETE)' : '', blocked.ddl ? 'DDL, VACUUM and ANALYZE' : 'CREATE INDEX and stronger locks'].filter((x) => x !== '');
  return `${list.join(' and ')}; ${goes}`;
}
