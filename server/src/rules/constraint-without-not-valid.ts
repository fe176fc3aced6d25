import type { ColumnDef, Constraint } from 'libpg-query';
import { nodeOf, qualifiedName, quoteIdent, tableKey } from '../sql/ast';
import { upAlterActions, UpAlterAction } from './helpers/alter';
import type { Fix, Rule, RuleContext } from './rule';

const FOREIGN_KEY_SCAN = 'is checked against every existing row of {{table}} while the ALTER TABLE holds a SHARE ROW EXCLUSIVE lock on {{table}} and on {{referenced}}: writes to both wait for the whole scan.';
const CHECK_SCAN = 'is checked against every existing row of {{table}} while the ALTER TABLE holds an ACCESS EXCLUSIVE lock on {{table}}: every query on it waits for the whole scan.';
const NOT_VALID = 'Add it NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (that takes SHARE UPDATE EXCLUSIVE: reads and writes go on)';
const COLUMN_SCAN = 'for the whole scan, and a column constraint cannot be NOT VALID.';

/**
 * A foreign key or CHECK added to an existing table is checked against every row while the
 * ALTER TABLE's lock is held. Added NOT VALID it only applies to new rows; VALIDATE CONSTRAINT then
 * checks the old ones under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on.
 */
export const constraintWithoutNotValid: Rule = {
  id: 'constraint-without-not-valid',
  defaultSeverity: 'warning',
  description: 'A FOREIGN KEY or CHECK added to an existing table without NOT VALID (by ADD CONSTRAINT, or on the column of ADD COLUMN): a full scan under a lock that blocks writes.',
  messages: {
    foreignKey: `Foreign key {{name}} ${FOREIGN_KEY_SCAN}`,
    unnamedForeignKey: `This foreign key ${FOREIGN_KEY_SCAN}`,
    check: `CHECK constraint {{name}} ${CHECK_SCAN}`,
    unnamedCheck: `This CHECK constraint ${CHECK_SCAN}`,
    columnForeignKey: `The foreign key of new column {{column}} is checked against every existing row of {{table}} while the ALTER TABLE holds ACCESS EXCLUSIVE on {{table}} and SHARE ROW EXCLUSIVE on {{referenced}} ${COLUMN_SCAN}`,
    columnCheck: `The CHECK constraint of new column {{column}} is checked against every existing row of {{table}} while the ALTER TABLE holds ACCESS EXCLUSIVE on {{table}} ${COLUMN_SCAN}`,
  },
  help: {
    foreignKey: `${NOT_VALID}.`,
    unnamedForeignKey: `${NOT_VALID}; name the constraint so it can be validated.`,
    check: `${NOT_VALID}.`,
    unnamedCheck: `${NOT_VALID}; name the constraint so it can be validated.`,
    columnForeignKey: 'Add the column without it, then add the constraint NOT VALID and VALIDATE CONSTRAINT in a separate transaction.',
    columnCheck: 'Add the column without it, then add the constraint NOT VALID and VALIDATE CONSTRAINT in a separate transaction.',
  },
  fixable: true,
  check(context) {
    for (const action of upAlterActions(context)) {
      if (action.cmd.subtype === 'AT_AddColumn') checkColumnConstraints(context, action);
      if (action.cmd.subtype !== 'AT_AddConstraint') continue;
      const constraint = nodeOf(action.cmd.def, 'Constraint');
      // skip_validation: NOT VALID (and PostgreSQL 18's NOT ENFORCED, which checks nothing).
      if (!constraint || constraint.skip_validation) continue;
      if (constraint.contype !== 'CONSTR_FOREIGN' && constraint.contype !== 'CONSTR_CHECK') continue;
      const name = constraint.conname;
      const foreign = constraint.contype === 'CONSTR_FOREIGN';
      context.report({
        statement: action.statement,
        start: action.start,
        end: action.end,
        messageId: foreign ? (name ? 'foreignKey' : 'unnamedForeignKey') : name ? 'check' : 'unnamedCheck',
        data: { name: name ?? '', table: tableKey(action.alter.relation), referenced: foreign ? tableKey(constraint.pktable) : '' },
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
    context.report({
      statement: action.statement,
      start: clause.start,
      end: clause.end,
      messageId: foreign ? 'columnForeignKey' : 'columnCheck',
      data: { column: column!.colname ?? '', table, referenced: foreign ? tableKey(constraint.pktable) : '' },
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
