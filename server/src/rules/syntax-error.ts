import type { Rule } from './rule';

export const syntaxError: Rule = {
  id: 'syntax-error',
  defaultSeverity: 'error',
  description: "A statement PostgreSQL's own grammar rejects, at the parser's error position.",
  check({ migration, report }) {
    for (const part of migration.parts) {
      for (const error of part.errors) {
        const statement = part.statements.find((s) => s.start <= error.start && error.start <= s.end);
        report({ message: `Syntax error: ${error.message}.`, statement, start: error.start, end: error.end });
      }
    }
  },
};
