import type { Statement } from '../migration/migration';
import { treeOf } from '../sql/ast';
import type { Rule } from './rule';
import { runnerWrapping } from '../analysis/session';

const RUNNER: Record<string, string> = { goose: 'goose', dbmate: 'dbmate', diesel: 'diesel', flyway: 'Flyway' };

/**
 * Transaction control read per part, as the runner sends it. A runner that sends its own BEGIN
 * (goose, dbmate, diesel, Flyway) makes a BEGIN in the file a nested one; its COMMIT closes what
 * the file leaves open. A query string run as one implicit block (golang-migrate) accepts an
 * explicit BEGIN.
 */
export const unbalancedTransaction: Rule = {
  id: 'unbalanced-transaction',
  defaultSeverity: 'error',
  description: 'BEGIN never committed in the same part, COMMIT / ROLLBACK with no open transaction, or BEGIN inside an open transaction.',
  messages: {
    nestedBegin: 'BEGIN inside the transaction opened on line {{line}}: PostgreSQL ignores it with a warning ("there is already a transaction in progress"), and the first COMMIT ends the outer transaction.',
    beginInRunnerTransaction:
      "{{runner}} already runs this part in a transaction: this BEGIN is ignored with a warning (\"there is already a transaction in progress\"), and the COMMIT that follows ends {{runner}}'s transaction early, so the rest of the part and {{runner}}'s own bookkeeping run outside it.",
    endWithoutBegin: '{{statement}} with no open transaction: PostgreSQL warns ("there is no transaction in progress") and does nothing.',
    prepareWithoutBegin: 'PREPARE TRANSACTION with no open transaction: PostgreSQL rejects it.',
    neverCommitted: 'This BEGIN is never committed in the {{part}} part: when the session ends, everything after it is rolled back.',
  },
  help: {
    nestedBegin: 'Remove it, or COMMIT first.',
    beginInRunnerTransaction: "Remove BEGIN and COMMIT, or turn off {{runner}}'s transaction for this file.",
    endWithoutBegin: 'Add the missing BEGIN before the statements it should cover, or remove it.',
    prepareWithoutBegin: 'Add the missing BEGIN before the statements it should cover, or remove it.',
    neverCommitted: 'Add COMMIT at the end of the part.',
  },
  check({ migration, report }) {
    const convention = migration.convention.name;
    for (const part of migration.parts) {
      const runnerBegins = runnerWrapping(part, convention) === 'begin';
      let runnerOpen = runnerBegins;
      let open: Statement | undefined;
      // A statement PostgreSQL could not parse may hold a BEGIN or COMMIT: from there on the state is unknown.
      let unknown = false;
      for (const statement of part.statements) {
        if (statement.kind === '') unknown = true;
        const tx = treeOf(statement, 'TransactionStmt');
        if (!tx || unknown) continue;
        const { kind } = tx;
        if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
          if (open) {
            const line = migration.lines.positionAt(open.start).line + 1;
            report({ statement, messageId: 'nestedBegin', data: { line } });
          } else if (runnerOpen) {
            report({ statement, messageId: 'beginInRunnerTransaction', data: { runner: RUNNER[convention] ?? convention } });
          }
          open ??= statement;
        } else if ((kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') && !tx.chain) {
          if (!open && !runnerOpen) {
            if (kind === 'TRANS_STMT_PREPARE') report({ statement, messageId: 'prepareWithoutBegin' });
            else report({ statement, messageId: 'endWithoutBegin', data: { statement: kind === 'TRANS_STMT_COMMIT' ? 'COMMIT' : 'ROLLBACK' } });
          }
          open = undefined;
          runnerOpen = false;
        }
      }
      // The runner's own COMMIT closes a transaction the file leaves open.
      if (open && !runnerBegins && !unknown) {
        report({ statement: open, messageId: 'neverCommitted', data: { part: part.kind === 'up' ? 'UP' : 'DOWN' } });
      }
    }
  },
};
