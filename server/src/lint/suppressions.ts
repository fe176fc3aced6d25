/**
 * `-- safemig-ignore rule-a, rule-b: reason` (next statement, or this line's statement when
 * trailing) and `-- safemig-ignore-file rule-a: reason` (whole file).
 */
import { firstStartingAfter, lastStartingBefore, Statement } from '../migration/migration';
import { lex } from '../sql/lexer';

export interface Suppression {
  fileWide: boolean;
  rules: { id: string; start: number; end: number }[];
  /** The comment's span. */
  start: number;
  end: number;
  /** The statement it silences (not for file-wide ones). */
  statement?: Statement;
}

const PATTERN = /^--\s*safemig-ignore(-file)?(?:\s+([^:]*))?(?::.*)?$/;

export function readSuppressions(text: string, statements: Statement[]): Suppression[] {
  if (!text.includes('safemig-ignore')) return [];
  const out: Suppression[] = [];
  for (const token of lex(text)) {
    if (token.kind !== 'comment' || !token.value.includes('safemig-ignore')) continue;
    const match = PATTERN.exec(token.value);
    if (!match) continue;
    const list = match[2] ?? '';
    const listStart = token.start + token.value.indexOf(list, token.value.indexOf('safemig-ignore') + 14);
    const rules: Suppression['rules'] = [];
    for (const item of list.matchAll(/[^,\s]+/g)) {
      rules.push({ id: item[0], start: listStart + item.index!, end: listStart + item.index! + item[0].length });
    }
    const suppression: Suppression = { fileWide: match[1] !== undefined, rules, start: token.start, end: token.end };
    if (!suppression.fileWide) suppression.statement = targetOf(text, token.start, statements);
    out.push(suppression);
  }
  return out;
}

function targetOf(text: string, commentStart: number, statements: Statement[]): Statement | undefined {
  const lineStart = Math.max(text.lastIndexOf('\n', commentStart - 1), text.lastIndexOf('\r', commentStart - 1)) + 1;
  const trailing = text.slice(lineStart, commentStart).trim() !== '';
  if (trailing) {
    // The statement on this line: the last one starting before the comment, if it reaches this line.
    const found = lastStartingBefore(statements, commentStart);
    if (found && found.end >= lineStart) return found;
  }
  return firstStartingAfter(statements, commentStart);
}
