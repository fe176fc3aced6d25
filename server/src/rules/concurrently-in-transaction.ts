import type { Migration, Statement } from '../migration/migration';
import { joinPath, splitPath } from '../migration/names';
import { LineIndex } from '../sql/positions';
import { insertFix } from './helpers/fix';
import type { Fix, Rule, RuleContext } from './rule';
import { concurrentlyClause, TransactionKind } from '../analysis/session';

/** PostgreSQL's own wording of the error, by statement. */
const SERVER_ERROR: Record<string, string> = {
  'DETACH PARTITION CONCURRENTLY': 'ALTER TABLE ... DETACH CONCURRENTLY',
};

/** Runner names for messages. */
const RUNNER: Record<string, string> = {
  goose: 'goose',
  dbmate: 'dbmate',
  diesel: 'diesel',
  flyway: 'Flyway',
  supabase: 'The Supabase CLI',
  'golang-migrate': 'golang-migrate',
};

/** How to run a statement outside the transaction each runner wraps a file in. */
const RUNNER_ADVICE: Record<string, string> = {
  goose: 'goose runs the file in a transaction unless it says -- +goose NO TRANSACTION.',
  dbmate: 'dbmate runs each part in a transaction unless its marker says transaction:false.',
  diesel: 'diesel runs the migration in a transaction unless its metadata.toml says run_in_transaction = false.',
  flyway: 'Flyway runs a script outside a transaction only when every statement in it needs that (and fails on a mix unless `mixed` is enabled): put this statement in a migration of its own.',
  supabase: 'The Supabase CLI runs each migration file in one transaction and has no opt-out: run this statement outside the migration tool.',
};

const REJECTED = '{{clause}} runs inside a transaction, where PostgreSQL rejects it (ERROR: {{error}} cannot run inside a transaction block).';

/**
 * `… CONCURRENTLY` cannot run in a transaction block: PostgreSQL rejects it at run time. Judged in
 * both parts: a rollback that fails when it is needed is as bad as a failing deploy.
 */
export const concurrentlyInTransaction: Rule = {
  id: 'concurrently-in-transaction',
  defaultSeverity: 'error',
  description: 'A … CONCURRENTLY statement that runs inside a transaction: PostgreSQL rejects it at run time.',
  messages: { explicit: REJECTED, assumed: REJECTED, implicitBlock: REJECTED, runner: REJECTED },
  help: {
    explicit: 'Move it out of the BEGIN … COMMIT block.',
    assumed: 'assumeInTransaction is set: run this migration without a transaction.',
    implicitBlock: '{{runner}} sends the whole file as one query string, which PostgreSQL runs as a single transaction block: put this statement in a migration file of its own.',
    runner: '{{advice}}',
  },
  fixable: true,
  check(context) {
    for (const statement of context.migration.statements) {
      const clause = concurrentlyClause(statement);
      const transaction = clause ? context.facts.transactionOf(statement) : undefined;
      if (!clause || !transaction) continue;
      const name = context.migration.convention.name;
      const runner = RUNNER[name] ?? name;
      context.report({
        statement,
        messageId: MESSAGE_ID[transaction],
        data: { clause, error: SERVER_ERROR[clause] ?? clause, runner, advice: RUNNER_ADVICE[name] ?? `${runner} runs this file in a transaction: run it without one.` },
        fixes: () => optOutFix(context, statement, transaction),
      });
    }
  },
};

const MESSAGE_ID: Record<TransactionKind, string> = { explicit: 'explicit', assumed: 'assumed', 'implicit-block': 'implicitBlock', runner: 'runner' };

/** The runner's own switch, for runners that have one per file (goose, dbmate) or per migration (diesel). */
function optOutFix(context: RuleContext, statement: Statement, transaction: TransactionKind): Fix[] {
  if (transaction !== 'runner') return [];
  const { migration } = context;
  const name = migration.convention.name;
  if (name === 'goose' && migration.convention.transactionOptOut) {
    const { text, at } = migration.convention.transactionOptOut;
    return [insertFix(migration, 'Add -- +goose NO TRANSACTION (goose then runs the file without a transaction)', at, text)];
  }
  if (name === 'dbmate' && statement.part.marker) {
    // dbmate's switch sits on each part's own marker.
    return [insertFix(migration, `Add transaction:false to -- migrate:${statement.part.kind}`, statement.part.marker.end, ' transaction:false')];
  }
  if (name === 'diesel') return dieselFix(context, migration);
  return [];
}

function dieselFix(context: RuleContext, migration: Migration): Fix[] {
  const path = joinPath(splitPath(migration.path).dir, 'metadata.toml');
  const title = 'Set run_in_transaction = false in metadata.toml (diesel then runs this migration without a transaction)';
  const existing = context.fs.readFile(path);
  if (existing === undefined) {
    const top = { line: 0, character: 0 };
    return [{ title, preferred: true, edits: [{ path, create: true, range: { start: top, end: top }, newText: 'run_in_transaction = false\n' }] }];
  }
  // A file that already sets the key some other way is left to the user.
  if (/^\s*run_in_transaction\s*=/m.test(existing)) return [];
  const end = new LineIndex(existing).positionAt(existing.length);
  const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return [{ title, preferred: true, edits: [{ path, range: { start: end, end }, newText: `${prefix}run_in_transaction = false\n` }] }];
}
