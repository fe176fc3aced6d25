import type { ColumnDef, Constraint } from 'libpg-query';
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
  description: 'A FOREIGN KEY or CHECK added to an existing table without NOT VALID (by ADD CONSTRAINT, or on the column of ADD COLUMN): a full scan under a lock that blocks writes.',
  check(context) {
    for (const action of upAlterActions(context)) {
      if (action.cmd.subtype === 'AT_AddColumn') checkColumnConstraints(context, action);
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

/**
 * `ADD COLUMN b int REFERENCES u (id)` or `… CHECK (b > 0)`: a column constraint cannot be NOT
 * VALID, and the new column's values (NULL, or its default) are checked row by row while the
 * ALTER TABLE holds ACCESS EXCLUSIVE on the table. Add the column plain, then the constraint.
 */
function checkColumnConstraints(context: RuleContext, action: UpAlterAction): void {
  const column = nodeOf(action.cmd.def, 'ColumnDef');
  const constraints = (column?.constraints ?? []).map((c) => nodeOf(c, 'Constraint') ?? {});
  constraints.forEach((constraint, i) => {
    if (constraint.contype !== 'CONSTR_FOREIGN' && constraint.contype !== 'CONSTR_CHECK') return;
    // Attributes that follow a constraint are its own (DEFERRABLE, NOT ENFORCED …).
    let next = i + 1;
    while (next < constraints.length && constraints[next].contype?.startsWith('CONSTR_ATTR_')) next++;
    if (constraints.slice(i + 1, next).some((a) => a.contype === 'CONSTR_ATTR_NOT_ENFORCED')) return;
    const clause = columnConstraintClause(action, column!, constraint, constraints[next]);
    const table = tableKey(action.alter.relation);
    const foreign = constraint.contype === 'CONSTR_FOREIGN';
    const kind = foreign ? 'foreign key' : 'CHECK constraint';
    const lock = foreign ? `ACCESS EXCLUSIVE on ${table} and SHARE ROW EXCLUSIVE on ${tableKey(constraint.pktable)}` : `ACCESS EXCLUSIVE on ${table}`;
    context.report({
      statement: action.statement,
      start: clause.start,
      end: clause.end,
      message: `The ${kind} of new column ${column!.colname} is checked against every existing row of ${table} while the ALTER TABLE holds ${lock} for the whole scan, and a column constraint cannot be NOT VALID. Add the column without it, then add the constraint NOT VALID and VALIDATE CONSTRAINT in a separate transaction.`,
      fixes: () => [moveOutFix(context, action, column!, constraint, clause)],
    });
  });
}

interface ColumnConstraintClause {
  start: number;
  end: number;
  /** The constraint without its `CONSTRAINT name` (`REFERENCES u (id) ON DELETE CASCADE`, `CHECK (b > 0)`). */
  body: string;
}

/** The text of a column constraint, up to the next constraint, COLLATE or the end of the clause. */
function columnConstraintClause(action: UpAlterAction, column: ColumnDef, constraint: Constraint, next: Constraint | undefined): ColumnConstraintClause {
  const { statement } = action;
  const start = statement.offsetOf(constraint.location);
  const collate = (column.collClause as { location?: number } | undefined)?.location;
  let limit = action.end;
  if (next?.location !== undefined) limit = Math.min(limit, statement.offsetOf(next.location));
  if (collate !== undefined && statement.offsetOf(collate) > start) limit = Math.min(limit, statement.offsetOf(collate));
  const tokens = statement.sqlTokens.filter((t) => t.start >= start && t.end <= limit);
  const end = tokens.length > 0 ? tokens[tokens.length - 1].end : limit;
  const named = tokens[0]?.value === 'CONSTRAINT' && tokens.length > 2;
  const text = statement.text;
  const from = named ? tokens[2].start : start;
  return { start, end, body: text.slice(from - statement.start, end - statement.start) };
}

/**
 * PostgreSQL's name for an unnamed column constraint, `<table>_<column>_fkey` / `_check`, cut to
 * 63 characters the way it does: the longer of the two names loses characters first.
 */
function defaultName(table: string, column: string, foreign: boolean): string {
  const label = foreign ? 'fkey' : 'check';
  const room = 63 - label.length - 2;
  let [a, b] = [table.length, column.length];
  while (a + b > room) {
    if (a > b) a--;
    else b--;
  }
  return `${table.slice(0, a)}_${column.slice(0, b)}_${label}`;
}

/**
 * Takes the constraint out of the column and adds it after the statement:
 * `ALTER TABLE t ADD CONSTRAINT n FOREIGN KEY (b) REFERENCES u (id) NOT VALID;` and `… VALIDATE CONSTRAINT n;`.
 */
function moveOutFix(context: RuleContext, action: UpAlterAction, column: ColumnDef, constraint: Constraint, clause: ColumnConstraintClause): Fix {
  const { text, lines, path } = context.migration;
  const foreign = constraint.contype === 'CONSTR_FOREIGN';
  const name = quoteIdent(constraint.conname ?? defaultName(action.alter.relation?.relname ?? '', column.colname ?? '', foreign));
  const table = qualifiedName(action.alter.relation);
  const definition = foreign ? `FOREIGN KEY (${quoteIdent(column.colname ?? '')}) ${clause.body}` : clause.body;
  const appended = appendAfter(context, action, [`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${definition} NOT VALID;`, `ALTER TABLE ${table} VALIDATE CONSTRAINT ${name};`]);
  // The clause goes with the blanks before it.
  let from = clause.start;
  while (from > 0 && /[ \t]/.test(text[from - 1])) from--;
  const edits =
    appended.at === clause.end
      ? [{ path, range: lines.rangeOf(from, clause.end), newText: appended.text }]
      : [
          { path, range: lines.rangeOf(from, clause.end), newText: '' },
          { path, range: lines.rangeOf(appended.at, appended.at), newText: appended.text },
        ];
  return { title: `Add column ${column.colname} first, then the ${foreign ? 'foreign key' : 'CHECK constraint'} NOT VALID and VALIDATE CONSTRAINT (run that in its own transaction)`, preferred: true, edits };
}

/** `… NOT VALID` on the clause, and `ALTER TABLE … VALIDATE CONSTRAINT name;` after the statement. */
function notValidFix(context: RuleContext, action: UpAlterAction, name: string): Fix {
  const { lines, path } = context.migration;
  const appended = appendAfter(context, action, [`ALTER TABLE ${qualifiedName(action.alter.relation)} VALIDATE CONSTRAINT ${quoteIdent(name)};`]);
  // Two inserts at one offset would apply in an order editors do not agree on: make them one.
  const edits =
    appended.at === action.end
      ? [{ path, range: lines.rangeOf(appended.at, appended.at), newText: ` NOT VALID${appended.text}` }]
      : [
          { path, range: lines.rangeOf(action.end, action.end), newText: ' NOT VALID' },
          { path, range: lines.rangeOf(appended.at, appended.at), newText: appended.text },
        ];
  return { title: 'Add NOT VALID, and VALIDATE CONSTRAINT in a separate statement (run it in its own transaction)', preferred: true, edits };
}

/**
 * Statements to add after the ALTER TABLE: where they go (past its `;`) and the text, each on a
 * line of its own, indented like it, ending the ALTER TABLE first when it has no `;`.
 */
function appendAfter(context: RuleContext, action: UpAlterAction, statements: string[]): { at: number; text: string } {
  const { text, lines } = context.migration;
  const { statement } = action;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^[ \t]*/.exec(text.slice(lines.lineStart(lines.positionAt(statement.start).line), statement.start))?.[0] ?? '';
  const semicolon = /^\s*;/.exec(text.slice(statement.end));
  const at = semicolon ? statement.end + semicolon[0].length : statement.end;
  return { at, text: `${semicolon ? '' : ';'}${statements.map((sql) => `${eol}${indent}${sql}`).join('')}` };
}
