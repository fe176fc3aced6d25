import { nodeOf, qualifiedName, quoteIdent, tableKey } from '../sql/ast';
import { upAlterActions, UpAlterAction } from './helpers/alter';
import type { Fix, Rule, RuleContext } from './rule';

/**
 * A foreign key or CHECK added to an existing table is checked against every row while the
 * ALTER TABLE's lock is held. Added NOT VALID it only applies to new rows; VALIDATE CONSTRAINT then
 * checks the old ones under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on.
 */
export const constraintWithoutNotValid: Rule = {
  id: 'constraint-without-not-valid',
  defaultSeverity: 'warning',
  description: 'ADD CONSTRAINT … FOREIGN KEY or CHECK on an existing table without NOT VALID: a full scan under a lock that blocks writes.',
  check(context) {
    for (const action of upAlterActions(context)) {
      if (action.cmd.subtype !== 'AT_AddConstraint') continue;
      const constraint = nodeOf(action.cmd.def, 'Constraint');
      // skip_validation: NOT VALID (and PostgreSQL 18's NOT ENFORCED, which checks nothing).
      if (!constraint || constraint.skip_validation) continue;
      if (constraint.contype !== 'CONSTR_FOREIGN' && constraint.contype !== 'CONSTR_CHECK') continue;
      const table = tableKey(action.alter.relation);
      const name = constraint.conname;
      const label = name ? `${constraint.contype === 'CONSTR_FOREIGN' ? 'Foreign key' : 'CHECK constraint'} ${name}` : `This ${constraint.contype === 'CONSTR_FOREIGN' ? 'foreign key' : 'CHECK constraint'}`;
      const lock =
        constraint.contype === 'CONSTR_FOREIGN'
          ? `a SHARE ROW EXCLUSIVE lock on ${table} and on ${tableKey(constraint.pktable)}: writes to both wait`
          : `an ACCESS EXCLUSIVE lock on ${table}: every query on it waits`;
      context.report({
        statement: action.statement,
        start: action.start,
        end: action.end,
        message: `${label} is checked against every existing row of ${table} while the ALTER TABLE holds ${lock} for the whole scan. Add it NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (that takes SHARE UPDATE EXCLUSIVE: reads and writes go on)${name ? '' : '; name the constraint so it can be validated'}.`,
        fixes: () => name ? [notValidFix(context, action, name)] : [],
      });
    }
  },
};

/** `… NOT VALID` on the clause, and `ALTER TABLE … VALIDATE CONSTRAINT name;` after the statement. */
function notValidFix(context: RuleContext, action: UpAlterAction, name: string): Fix {
  const { migration } = context;
  const { text, lines, path } = migration;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const statement = action.statement;
  const line = lines.positionAt(statement.start).line;
  const indent = /^[ \t]*/.exec(text.slice(lines.lineStart(line), statement.start))?.[0] ?? '';
  const validate = `${indent}ALTER TABLE ${qualifiedName(action.alter.relation)} VALIDATE CONSTRAINT ${quoteIdent(name)};`;
  // After the statement's `;` when it has one; otherwise end the statement first.
  const semicolon = /^\s*;/.exec(text.slice(statement.end));
  const after = semicolon ? statement.end + semicolon[0].length : statement.end;
  const at = lines.positionAt(after);
  const clauseEnd = lines.positionAt(action.end);
  const next = `${semicolon ? '' : ';'}${eol}${validate}`;
  // Two inserts at one offset would apply in an order editors do not agree on: make them one.
  const edits =
    after === action.end
      ? [{ path, range: { start: at, end: at }, newText: ` NOT VALID${next}` }]
      : [
          { path, range: { start: clauseEnd, end: clauseEnd }, newText: ' NOT VALID' },
          { path, range: { start: at, end: at }, newText: next },
        ];
  return { title: 'Add NOT VALID, and VALIDATE CONSTRAINT in a separate statement (run it in its own transaction)', preferred: true, edits };
}
