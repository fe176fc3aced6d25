/**
 * `-- safemig-ignore rule-a, rule-b: reason` (next statement, or this line's statement when
 * trailing) and `-- safemig-ignore-file rule-a: reason` (whole file).
 */
import { firstStartingAfter, lastStartingBefore, Statement, statementsAt } from '../migration/migration';
import { lex } from '../sql/lexer';

export interface Suppression {
  fileWide: boolean;
  rules: { id: string; start: number; end: number }[];
  /** The comment's span. */
  start: number;
  end: number;
  /** The statement it silences (not for file-wide ones). */
  statement?: Statement;
  /** More statements it silences (a TS/JS call that runs several). */
  also?: Statement[];
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
  // Back to the line's start only: `lastIndexOf` of a line break the text lacks would read the whole text back.
  let lineStart = commentStart;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  const trailing = text.slice(lineStart, commentStart).trim() !== '';
  if (trailing) {
    // The statement on this line: the last one starting before the comment, if it reaches this line.
    const found = lastStartingBefore(statements, commentStart);
    if (found && found.end >= lineStart) return found;
  }
  return firstStartingAfter(statements, commentStart);
}

/** Where a finding is: its statement, and its start when it has one of its own. */
export interface Place {
  statement?: Statement;
  start?: number;
}

/**
 * Finds the suppression that silences a finding of `rule` at `place`: the first, in file order,
 * that is file-wide or whose statement is the finding's or holds its start. Returns its key
 * (`<comment start>:<rule>`), or undefined. Suppressions are looked up by statement, so a file
 * with thousands of them and as many findings is not read once per finding.
 */
export function suppressionMatcher(suppressions: Suppression[], statements: Statement[]): (rule: string, place: Place) => string | undefined {
  if (suppressions.length === 0) return () => undefined;
  const fileWide: number[] = [];
  const byStatement = new Map<Statement, number[]>();
  suppressions.forEach((s, i) => {
    if (s.fileWide) fileWide.push(i);
    else for (const statement of [s.statement, ...(s.also ?? [])]) if (statement) byStatement.set(statement, [...(byStatement.get(statement) ?? []), i]);
  });
  return (rule, { statement, start = statement?.start }) => {
    const candidates = [...fileWide, ...(statement ? byStatement.get(statement) ?? [] : [])];
    if (start !== undefined) {
      for (const holder of statementsAt(statements, start)) if (holder !== statement) candidates.push(...(byStatement.get(holder) ?? []));
    }
    for (const i of candidates.sort((a, b) => a - b)) {
      const entry = suppressions[i].rules.find((r) => r.id === rule);
      if (entry) return `${suppressions[i].start}:${entry.id}`;
    }
    return undefined;
  };
}
