import type { Statement } from '../migration/migration';
import { findWords, keyOfNames, names, treeOf } from '../sql/ast';
import type { Rule, RuleContext } from './rule';

/**
 * `ALTER TYPE … ADD VALUE` in a transaction: PostgreSQL before 12 refuses it there; from 12 on,
 * the new value cannot be used until the transaction commits ("unsafe use of new value"). An
 * enum type created in the same transaction is exempt in both. Judged in both parts, as
 * `concurrently-in-transaction`: a rollback that fails is as bad as a deploy that fails.
 */
export const enumValueInTransaction: Rule = {
  id: 'enum-value-in-transaction',
  defaultSeverity: 'warning',
  description: 'ALTER TYPE … ADD VALUE in a transaction: fails before PostgreSQL 12; from 12, the value cannot be used until the transaction commits.',
  messages: {
    failsBeforeTwelve: 'ALTER TYPE {{type}} ADD VALUE runs inside a transaction, where PostgreSQL {{pgVersion}} rejects it (ERROR: ALTER TYPE ... ADD cannot run inside a transaction block).',
    usedBeforeCommit: 'The value {{value}} added to {{type}} is used on line {{line}} before the transaction commits: PostgreSQL rejects that (ERROR: unsafe use of new value {{value}} of enum type {{type}}).',
  },
  help: {
    failsBeforeTwelve: 'Run ALTER TYPE … ADD VALUE outside a transaction: in a migration of its own that the runner does not wrap in one.',
    usedBeforeCommit: 'Add the value in a migration (or transaction) of its own, and use it in a later one.',
  },
  check(context) {
    for (const statement of context.migration.statements) {
      const alter = treeOf(statement, 'AlterEnumStmt');
      // oldVal: RENAME VALUE, which may run anywhere.
      if (!alter?.newVal || alter.oldVal || !context.facts.inTransaction(statement)) continue;
      const type = keyOfNames(names(alter.typeName));
      const later = sameTransactionAfter(context, statement);
      if (later === undefined) continue;
      const tokens = statement.sqlTokens;
      const add = findWords(tokens, ['ADD']);
      const clause = { statement, start: add >= 0 ? tokens[add].start : statement.start, end: statement.end };
      if (context.config.pgVersion < 12) {
        context.report({ ...clause, messageId: 'failsBeforeTwelve', severity: 'error', data: { type, pgVersion: context.config.pgVersion } });
        continue;
      }
      const literal = `'${alter.newVal.replace(/'/g, "''")}'`;
      // Another ALTER TYPE naming the same string (one value added to several types) does not use it.
      const use = later.filter((s) => s.kind !== 'AlterEnumStmt').flatMap((s) => s.sqlTokens).find((t) => t.kind === 'string' && t.value === literal);
      if (!use) continue;
      const line = context.migration.lines.positionAt(use.start).line + 1;
      context.report({ ...clause, messageId: 'usedBeforeCommit', data: { type, value: literal, line } });
    }
  },
};

/**
 * The statements after `statement` in its transaction, or undefined when the enum type was
 * created earlier in that transaction (then its new values may be added and used there).
 */
function sameTransactionAfter(context: RuleContext, statement: Statement): Statement[] | undefined {
  const number = context.facts.transactionNumberOf(statement);
  const type = keyOfNames(names(treeOf(statement, 'AlterEnumStmt')?.typeName));
  const same = statement.part.statements.filter((s) => context.facts.transactionNumberOf(s) === number);
  const index = same.indexOf(statement);
  if (same.slice(0, index).some((s) => keyOfNames(names(treeOf(s, 'CreateEnumStmt')?.typeName)) === type)) return undefined;
  return same.slice(index + 1);
}
