import { statementAt } from '../migration/migration';
import type { Rule } from './rule';

export const syntaxError: Rule = {
  id: 'syntax-error',
  defaultSeverity: 'error',
  description: "A statement PostgreSQL's own grammar rejects, at the parser's error position.",
  messages: {
    syntaxError: 'Syntax error: {{error}}.',
  },
  check({ migration, report }) {
    for (const part of migration.parts) {
      for (const error of part.errors) {
        const statement = statementAt(part.statements, error.start);
        report({ messageId: 'syntaxError', data: { error: shortened(error.message) }, statement, start: error.start, end: error.end });
      }
    }
  },
};

/**
 * PostgreSQL quotes the text from the error on; for an unterminated string that is the rest of
 * the file. Keep its first line, at most 40 characters.
 */
function shortened(message: string): string {
  return message.replace(/ at or near "([\s\S]*)"$/, (_, near: string) => {
    const line = near.split(/\r?\n|\r/)[0];
    return line === near && line.length <= 40 ? ` at or near "${near}"` : ` at or near "${line.slice(0, 40)}…"`;
  });
}
